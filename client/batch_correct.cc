// `cpc batch correct`: supersede a record with corrected values and a reason.
// The client sends the full corrected content, so the user types only what
// changes: the rest is copied from the record as the server has it.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "client/batch_commands.h"
#include "client/batch_steps.h"
#include "client/format.h"
#include "client/record_format.h"
#include "client/status_util.h"
#include "client/values.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

bool TakesFlag(const StepKind& kind, absl::string_view flag) {
  return std::any_of(kind.flags.begin(), kind.flags.end(),
                     [&](const FlagSpec& spec) { return spec.name == flag; });
}

std::string FlagList(const StepKind& kind) {
  std::vector<std::string> names;
  for (const FlagSpec& flag : kind.flags) names.push_back(absl::StrCat("--", flag.name));
  return absl::StrJoin(names, ", ");
}

// Every step's flags, optional and without defaults (an absent flag keeps the
// recorded value), each saying which records it applies to.
std::vector<FlagSpec> CorrectionFlags() {
  std::vector<FlagSpec> flags = {{.name = "reason", .value_name = "TEXT",
                                  .help = "why the record was wrong, for the audit trail",
                                  .required = true}};
  std::vector<std::vector<std::pair<std::string, std::string>>> uses;  // (verb, help)
  for (const StepKind& kind : StepKinds()) {
    for (const FlagSpec& flag : kind.flags) {
      auto it = std::find_if(flags.begin() + 1, flags.end(),
                             [&](const FlagSpec& f) { return f.name == flag.name; });
      if (it == flags.end()) {
        FlagSpec optional = flag;
        optional.required = false;
        optional.default_value.clear();
        flags.push_back(std::move(optional));
        uses.emplace_back();
        it = flags.end() - 1;
      }
      uses[it - flags.begin() - 1].emplace_back(kind.verb, flag.help);
    }
  }
  for (size_t i = 1; i < flags.size(); ++i) {
    const auto& flag_uses = uses[i - 1];
    bool same_help =
        std::all_of(flag_uses.begin(), flag_uses.end(),
                    [&](const auto& use) { return use.second == flag_uses[0].second; });
    std::vector<std::string> parts;
    for (const auto& [verb, help] : flag_uses) {
      parts.push_back(same_help ? verb : absl::StrCat(verb, ": ", help));
    }
    flags[i].help = same_help ? absl::StrCat(flag_uses[0].second, " (",
                                             absl::StrJoin(parts, ", "), ")")
                              : absl::StrJoin(parts, "; ");
  }
  return flags;
}

// CorrectRecordRequest repeats BatchRecord's oneof with the same field
// numbers, so the data is copied by number whatever its kind.
void CopyRecordData(const v1::BatchRecord& record, v1::CorrectRecordRequest* request) {
  const int number = static_cast<int>(record.data_case());
  const auto* from_field = record.GetDescriptor()->FindFieldByNumber(number);
  const auto* to_field = request->GetDescriptor()->FindFieldByNumber(number);
  request->GetReflection()
      ->MutableMessage(request, to_field)
      ->CopyFrom(record.GetReflection()->GetMessage(record, from_field));
}

absl::Status RunCorrect(Invocation& in) {
  CPC_ASSIGN_OR_RETURN(const std::string batch_id, BatchIdArg(in));
  CPC_ASSIGN_OR_RETURN(
      int64_t record_id,
      ParseCount("RECORD_ID", absl::StripPrefix(in.args.Get("RECORD_ID"), "#")));
  std::vector<std::string> changes;
  for (const std::string& flag : in.args.GivenFlags()) {
    if (flag != "reason") changes.push_back(flag);
  }
  if (changes.empty()) {
    return UsageError("say what to correct: give the flags whose values were wrong, e.g. "
                      "--viable 1.1e7 (see cpc batch correct --help)");
  }

  CPC_ASSIGN_OR_RETURN(v1::Batch batch, GetFullBatch(in, batch_id));
  auto it = std::find_if(batch.records().begin(), batch.records().end(),
                         [&](const v1::BatchRecord& r) { return r.record_id() == record_id; });
  if (it == batch.records().end()) {
    return absl::NotFoundError(absl::StrCat("batch ", SpacedBatchId(batch.batch_id()),
                                            " has no record #", record_id,
                                            " (see cpc batch show ", batch.batch_id(), ")"));
  }
  const v1::BatchRecord& record = *it;
  // The server refuses this too; saying which record to correct instead saves a round.
  if (record.corrected_by_record_id() != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("record #", record_id, " was already corrected by #",
                     record.corrected_by_record_id(), "; correct #",
                     record.corrected_by_record_id(), " instead"));
  }
  const StepKind* kind = FindStepKind(record.data_case());
  if (kind == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("record #", record_id, " carries no data this client can correct"));
  }
  for (const std::string& flag : changes) {
    if (!TakesFlag(*kind, flag)) {
      return UsageError(absl::StrCat("--", flag, " does not apply to record #", record_id,
                                     " (", RecordKindName(record),
                                     "); its flags are ", FlagList(*kind)));
    }
  }

  v1::BatchRecord corrected = record;
  CPC_RETURN_IF_ERROR(kind->apply(in.args, in.time, &corrected));
  v1::CorrectRecordRequest request;
  request.set_request_id(in.conn.RequestId());
  request.set_batch_id(batch_id);
  request.set_record_id(record_id);
  request.set_reason(in.args.Get("reason"));
  CopyRecordData(corrected, &request);
  v1::RecordResponse response;
  CPC_RETURN_IF_ERROR(
      in.conn.Call(&v1::BatchService::Stub::CorrectRecord, request, &response));
  if (in.json) return PrintJson(response, in.out);
  in.out << "Corrected " << RecordKindName(record) << " #" << record_id
         << " with #" << response.record().record_id() << " (reason: " << request.reason()
         << ")\n"
         << "  was  " << FormatLocalTime(EventTime(record), in.time.zone) << "  "
         << DescribeRecordData(record, in.time.zone) << "\n"
         << "  now  " << FormatLocalTime(EventTime(response.record()), in.time.zone) << "  "
         << DescribeRecordData(response.record(), in.time.zone) << "\n";
  PrintOpenedDeviations(in, response);
  return absl::OkStatus();
}

}  // namespace

CommandSpec BatchCorrectCommand() {
  return {.noun = "batch", .verb = "correct",
          .summary = "Correct a record: only the flags given change; the old values stay "
                     "in the history",
          .args = {BatchArg(),
                   {.name = "RECORD_ID", .help = "the record to correct, e.g. 12 or #12 "
                                                 "(see cpc batch show)"}},
          .flags = CorrectionFlags(),
          .example = "cpc batch correct A9999260000018 12 --viable 1.1e7 "
                     "--reason \"transcription error, counter printout CP-0311\"",
          .run = RunCorrect};
}

}  // namespace cpc
