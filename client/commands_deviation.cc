// `cpc deviation open|note|close|show|list`: investigation and QA disposition.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "client/choices.h"
#include "domain/excursion.h"
#include "client/commands.h"
#include "client/excursion_commands.h"
#include "client/signing.h"
#include "client/format.h"
#include "client/qc_results.h"
#include "client/record_format.h"
#include "client/status_util.h"
#include "client/values.h"
#include "client/table.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;
using Deviations = v1::DeviationService::Stub;
using Readiness = v1::ReadinessService::Stub;

// A batch RELEASED on record whose release no longer holds (the record
// changed after QA signed: a deviation opened after release): its QA release
// criterion, e.g. "revoked: the record changed after qa.tanaka signed ...;
// QA must sign again". Empty when the release holds or cannot be read.
std::string RevokedRelease(const Invocation& in, const std::string& batch_id) {
  v1::GetReadinessRequest request;
  request.set_batch_id(batch_id);
  v1::Readiness readiness;
  if (!in.conn.Call(&Readiness::GetReadiness, request, &readiness).ok()) return "";
  for (const v1::Criterion& c : readiness.criteria()) {
    if (c.name() == "QA release" && c.status() == v1::CRITERION_STATUS_NOT_MET) return c.value();
  }
  return "";
}

// The kinds as typed after --kind: "out-of-specification" for the table's
// "out of specification".
std::vector<std::string> KindFlagChoices() {
  std::vector<std::string> choices;
  for (const std::string& text : ChoiceTexts(DeviationKindChoices())) {
    choices.push_back(absl::StrReplaceAll(text, {{" ", "-"}}));
  }
  return choices;
}

v1::DeviationKind KindFromFlag(absl::string_view text) {
  return ChoiceValue(DeviationKindChoices(), absl::StrReplaceAll(text, {{"-", " "}}));
}

absl::StatusOr<int64_t> DeviationIdArg(const Invocation& in) {
  return ParseId("DEVIATION", in.args.Get("DEVIATION"));
}

// What raised it: "record #3", "QC test 7", "unit A...-02", or "by hand".
std::string Source(const v1::Deviation& deviation) {
  std::vector<std::string> parts;
  if (deviation.record_id() != 0) parts.push_back(absl::StrCat("record #", deviation.record_id()));
  if (deviation.qc_test_id() != 0) parts.push_back(absl::StrCat("QC test ", deviation.qc_test_id()));
  if (!deviation.unit_id().empty()) parts.push_back(absl::StrCat("unit ", deviation.unit_id()));
  if (deviation.excursion_id() != 0) {
    parts.push_back(
        absl::StrCat("excursion ", cpctrack::domain::ExcursionLabel(deviation.excursion_id())));
  }
  return parts.empty() ? "-" : absl::StrJoin(parts, ", ");
}

void PrintDeviation(const Invocation& in, const v1::Deviation& deviation) {
  const absl::TimeZone zone = in.time.zone;
  const bool open = deviation.state() == v1::DEVIATION_STATE_OPEN;
  in.out << "Deviation #" << deviation.deviation_id() << "  "
         << ChoiceText(DeviationKindChoices(), deviation.kind()) << "  "
         << (open ? "!! OPEN" : "closed") << "\n"
         << "  batch        " << SpacedBatchId(deviation.batch_id()) << "\n"
         << "  raised by    " << Source(deviation) << "\n"
         << "  opened       " << FormatLocalTimeWithZone(FromProto(deviation.open_time()), zone)
         << " by " << deviation.opened_by() << "\n"
         << "  description  " << deviation.description() << "\n";
  if (!deviation.notes().empty()) {
    in.out << "\nNotes\n";
    for (const v1::DeviationNote& note : deviation.notes()) {
      in.out << "  " << FormatLocalTime(FromProto(note.add_time()), zone) << "  "
             << note.added_by() << ": " << note.text() << "\n";
    }
  }
  if (deviation.has_closure()) {
    const v1::DeviationClosure& closure = deviation.closure();
    in.out << "\nClosed " << FormatLocalTime(FromProto(closure.close_time()), zone) << " by "
           << closure.closed_by() << ": disposition "
           << ChoiceText(DispositionChoices(), closure.disposition()) << " (reason: "
           << closure.reason() << ")\n";
    if (!closure.physician().empty()) {
      in.out << "  at the signed request of physician " << closure.physician()
             << ": the batch is NON-CONFORMING under this deviation\n";
    }
  }
}

absl::Status RunOpen(Invocation& in) {
  if (OpensExcursion(in.args)) return RunOpenExcursion(in);
  if (!in.args.Has("BATCH")) {
    return UsageError("BATCH: required (or --equipment, --lot or --tank for an excursion)");
  }
  if (!in.args.Has("kind")) return UsageError("--kind: required for a deviation on one batch");
  if (in.args.Has("from") || in.args.Has("to")) {
    return UsageError("--from/--to: only with --equipment, --lot or --tank");
  }
  v1::OpenDeviationRequest request;
  request.set_request_id(in.conn.RequestId());
  CPC_ASSIGN_OR_RETURN(const std::string batch_id, ScannedBatch("BATCH", in.args.Get("BATCH")));
  request.set_batch_id(batch_id);
  request.set_kind(KindFromFlag(in.args.Get("kind")));
  request.set_description(in.args.Get("description"));
  v1::Deviation deviation;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Deviations::OpenDeviation, request, &deviation));
  if (in.json) return PrintJson(deviation, in.out);
  in.out << "Opened deviation #" << deviation.deviation_id() << " on batch "
         << SpacedBatchId(deviation.batch_id()) << "\n"
         << DescribeDeviation(deviation, in.time.zone) << "\n";
  return absl::OkStatus();
}

absl::Status RunNote(Invocation& in) {
  v1::AddDeviationNoteRequest request;
  request.set_request_id(in.conn.RequestId());
  CPC_ASSIGN_OR_RETURN(int64_t id, DeviationIdArg(in));
  request.set_deviation_id(id);
  request.set_text(in.args.Get("text"));
  v1::Deviation deviation;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Deviations::AddDeviationNote, request, &deviation));
  if (in.json) return PrintJson(deviation, in.out);
  in.out << "Added note to deviation #" << deviation.deviation_id() << " ("
         << deviation.notes_size() << (deviation.notes_size() == 1 ? " note" : " notes")
         << ")\n";
  return absl::OkStatus();
}

absl::Status RunClose(Invocation& in) {
  if (IsExcursionId(in.args.Get("DEVIATION"))) {
    return RunCloseExcursion(in, in.args.Get("DEVIATION"));
  }
  if (!in.args.Has("disposition")) return UsageError("--disposition: required");
  v1::CloseDeviationRequest request;
  request.set_request_id(in.conn.RequestId());
  CPC_ASSIGN_OR_RETURN(int64_t id, DeviationIdArg(in));
  request.set_deviation_id(id);
  request.set_disposition(ChoiceValue(DispositionChoices(), in.args.Get("disposition")));
  request.set_reason(in.args.Get("reason"));
  CPC_RETURN_IF_ERROR(Sign(in, absl::StrCat("QA's disposition of deviation #", id),
                           request.mutable_signature()));
  // The physician's request is their own signature, in the same request.
  // Named as the caller, it is sent unsigned: cpcd refuses it (no one signs
  // for their own decision).
  const std::string& physician = in.args.Get("physician");
  if (!physician.empty()) {
    request.set_physician(physician);
    if (physician != in.conn.options().user) {
      CPC_RETURN_IF_ERROR(SignAsSecondPerson(
          in, physician,
          absl::StrCat("your request to use the batch of deviation #", id,
                       " under your responsibility as its physician"),
          request.mutable_physician_signature()));
    }
  }
  v1::CloseDeviationResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Deviations::CloseDeviation, request, &response));
  if (in.json) return PrintJson(response, in.out);
  const v1::Deviation& deviation = response.deviation();
  in.out << "Closed deviation #" << deviation.deviation_id() << " with disposition "
         << ChoiceText(DispositionChoices(), deviation.closure().disposition()) << "\n"
         << "  batch " << SpacedBatchId(deviation.batch_id()) << " is now "
         << ChoiceText(BatchStateChoices(), response.batch_state());
  // Released on record is not releasable now: say so, never "is now released" alone.
  const std::string revoked = response.batch_state() == v1::BATCH_STATE_RELEASED
                                  ? RevokedRelease(in, deviation.batch_id())
                                  : "";
  if (revoked.empty()) {
    in.out << "\n";
  } else {
    in.out << " on record, but its release no longer holds: " << revoked << "\n";
  }
  if (!response.changed_unit_ids().empty()) {
    in.out << "  units changed: " << absl::StrJoin(response.changed_unit_ids(), ", ") << "\n";
  }
  in.out << SignatureLine(response.signature(), in.time.zone) << "\n";
  if (response.has_physician_signature()) {
    in.out << SignatureLine(response.physician_signature(), in.time.zone) << "\n"
           << "  The batch may be released as NON-CONFORMING under deviation #"
           << deviation.deviation_id() << " (physician " << deviation.closure().physician()
           << "'s request)\n";
  }
  return absl::OkStatus();
}

absl::Status RunShow(Invocation& in) {
  if (IsExcursionId(in.args.Get("DEVIATION"))) {
    return RunShowExcursion(in, in.args.Get("DEVIATION"));
  }
  v1::GetDeviationRequest request;
  CPC_ASSIGN_OR_RETURN(int64_t id, DeviationIdArg(in));
  request.set_deviation_id(id);
  v1::Deviation deviation;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Deviations::GetDeviation, request, &deviation));
  if (in.json) return PrintJson(deviation, in.out);
  PrintDeviation(in, deviation);
  return absl::OkStatus();
}

absl::Status RunList(Invocation& in) {
  v1::ListDeviationsRequest request;
  CPC_RETURN_IF_ERROR(ReadPageFlags(in.args, &request));
  request.set_batch_id(CompactBatchId(in.args.Get("batch")));
  request.set_open_only(in.args.Has("open"));
  v1::ListDeviationsResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Deviations::ListDeviations, request, &response));
  if (in.json) return PrintJson(response, in.out);
  Table table({"deviation", "batch", "kind", "state", "opened", "by", "raised by",
               "description"});
  table.AlignRight(0);
  for (const v1::Deviation& deviation : response.deviations()) {
    const bool open = deviation.state() == v1::DEVIATION_STATE_OPEN;
    std::string state = open ? "!! OPEN" : "closed";
    if (deviation.has_closure()) {
      absl::StrAppend(&state, " (",
                      ChoiceText(DispositionChoices(), deviation.closure().disposition()), ")");
    }
    table.AddRow({absl::StrCat(deviation.deviation_id()), deviation.batch_id(),
                  ChoiceText(DeviationKindChoices(), deviation.kind()), state,
                  FormatLocalTime(FromProto(deviation.open_time()), in.time.zone),
                  deviation.opened_by(), Source(deviation), deviation.description()});
  }
  in.out << (table.empty() ? "No deviations.\n" : table.Render());
  PrintNextPage(in, response.next_page_token());
  return absl::OkStatus();
}

ArgSpec DeviationArg() {
  return {.name = "DEVIATION",
          .help = "deviation ID, e.g. 12 or #12 (see cpc deviation list), or an excursion, "
                  "e.g. EXC-3"};
}

}  // namespace

std::vector<CommandSpec> DeviationCommands() {
  std::vector<CommandSpec> commands = {
      {.noun = "deviation", .verb = "open",
       .summary = "Open a deviation on a batch by hand, or an excursion (--equipment, --lot, "
                  "--tank) with a deviation on every batch it reached, in one request",
       .args = {{.name = "BATCH", .help = "the batch (not with an excursion)",
                 .optional = true}},
       .flags = {{.name = "kind", .value_name = "KIND",
                  .help = "what kind of deviation (required with BATCH)",
                  .choices = KindFlagChoices()},
                 {.name = "description", .value_name = "TEXT", .help = "what happened",
                  .required = true}},
       .example = "cpc deviation open A9999260000018 --kind other --description "
                  "\"label reprinted after a smudge\"\n  "
                  "cpc deviation open --tank LN2-A --from \"2026-11-30 22:00\" --to "
                  "\"2026-12-01 06:10\" --description \"LN2-A at -140 C during refill\"\n  "
                  "cpc deviation open --lot COL-0425 --description \"supplier recall R-2211\"",
       .run = RunOpen},
      {.noun = "deviation", .verb = "note", .summary = "Add an investigation note",
       .args = {DeviationArg()},
       .flags = {{.name = "text", .value_name = "TEXT", .help = "the note", .required = true}},
       .example = "cpc deviation note 12 --text \"isolate sent for identification\"",
       .run = RunNote},
      {.noun = "deviation", .verb = "close",
       .summary = "Close a deviation with QA's disposition (a signature: asks for your "
                  "password); prints the batch's state after",
       .args = {DeviationArg()},
       .flags = {{.name = "disposition", .value_name = "DISPOSITION",
                  .help = "continue (lifts a quarantine it alone holds), reject, or physician "
                          "(use under the treating physician's responsibility); required but "
                          "for an excursion (EXC-3), which closes once each batch's deviation "
                          "is closed",
                  .choices = ChoiceTexts(DispositionChoices())},
                 {.name = "reason", .value_name = "TEXT", .help = "QA's reasoning",
                  .required = true},
                 {.name = "physician", .value_name = "USER",
                  .help = "with --disposition physician (required there): the treating "
                          "physician who requests the use, another user with the physician "
                          "role, asked for their own password (with --password-stdin: the "
                          "second line); the batch may then be released as non-conforming. "
                          "Only an out-of-specification deviation, never a positive test"},
                 PasswordStdinFlag()},
       .example = "cpc deviation close 12 --disposition reject --reason \"confirmed "
                  "S. aureus contamination\"\n  "
                  "cpc deviation close 14 --disposition physician --physician dr.ito "
                  "--reason \"viability 62%: no other cells for this patient\"\n  "
                  "cpc deviation close EXC-3 --reason \"each batch assessed; no impact\"",
       .run = RunClose},
      {.noun = "deviation", .verb = "show",
       .summary = "Show a deviation with its notes and closure, or an excursion with the "
                  "state and disposition of each batch's deviation",
       .args = {DeviationArg()},
       .example = "cpc deviation show 12\n  cpc deviation show EXC-3", .run = RunShow},
      {.noun = "deviation", .verb = "list", .summary = "List deviations, newest first",
       .flags = {{.name = "batch", .value_name = "BATCH", .help = "only this batch's"},
                 {.name = "open", .help = "only open deviations"}},
       .example = "cpc deviation list --open", .run = RunList},
  };
  for (FlagSpec& flag : ExcursionFlags()) commands.front().flags.push_back(std::move(flag));
  for (FlagSpec& flag : PageFlags()) commands.back().flags.push_back(std::move(flag));
  return commands;
}

}  // namespace cpc
