// Excursions: one event (an incubator alarm, a recalled lot, a warm tank)
// opened once, with a deviation on every batch it reached in the same
// request; shown with each child's state and disposition; closed by QA once
// every child is.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/choices.h"
#include "client/excursion_commands.h"
#include "client/format.h"
#include "client/signing.h"
#include "client/status_util.h"
#include "client/table.h"
#include "client/time_format.h"
#include "domain/excursion.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;
using Deviations = v1::DeviationService::Stub;

std::string Label(int64_t id) { return cpctrack::domain::ExcursionLabel(id); }

absl::StatusOr<int64_t> ParseExcursionId(absl::string_view text) {
  absl::StatusOr<int64_t> id = cpctrack::domain::ParseExcursionLabel("DEVIATION", text);
  if (!id.ok()) return UsageError(id.status().message());
  return id;
}

std::string StateText(const v1::Deviation& d) {
  if (!d.has_closure()) return "!! OPEN";
  return absl::StrCat("closed: ", ChoiceText(DispositionChoices(), d.closure().disposition()));
}

void PrintExcursion(const Invocation& in, const v1::Excursion& e) {
  const absl::TimeZone zone = in.time.zone;
  const bool open = e.state() == v1::DEVIATION_STATE_OPEN;
  // The API's scopes are the domain's, number for number (cpctrack_mapping_test).
  const auto scope = static_cast<cpctrack::domain::ExcursionScope>(e.scope());
  in.out << "Excursion " << Label(e.excursion_id()) << "  "
         << cpctrack::domain::ExcursionScopeName(scope) << " "
         << e.subject() << "  " << (open ? "!! OPEN" : "closed") << "\n";
  if (e.has_from_time()) {
    in.out << "  window       " << FormatLocalTime(FromProto(e.from_time()), zone) << " to "
           << FormatLocalTimeWithZone(FromProto(e.to_time()), zone) << "\n";
  } else {
    in.out << "  window       every use of the lot\n";
  }
  in.out << "  opened       " << FormatLocalTimeWithZone(FromProto(e.open_time()), zone)
         << " by " << e.opened_by();
  if (e.reading_id() != 0) in.out << " (tank reading " << e.reading_id() << " out of limits)";
  in.out << "\n  description  " << e.description() << "\n";
  if (e.deviations().empty()) {
    in.out << "\nIt reached no batch.\n";
  } else {
    int still_open = 0;
    Table table({"deviation", "batch", "state", "closed by", "reason"});
    table.AlignRight(0);
    for (const v1::Deviation& d : e.deviations()) {
      if (!d.has_closure()) ++still_open;
      table.AddRow({absl::StrCat("#", d.deviation_id()), SpacedBatchId(d.batch_id()),
                    StateText(d), d.has_closure() ? d.closure().closed_by() : "",
                    d.has_closure() ? d.closure().reason() : ""});
    }
    in.out << "\nDeviations on the " << e.deviations_size()
           << (e.deviations_size() == 1 ? " batch" : " batches") << " it reached ("
           << still_open << " open)\n"
           << table.Render(2);
  }
  if (e.has_closure()) {
    in.out << "\nClosed " << FormatLocalTime(FromProto(e.closure().close_time()), zone) << " by "
           << e.closure().closed_by() << " (reason: " << e.closure().reason() << ")\n";
  }
}

}  // namespace

bool OpensExcursion(const ParsedArgs& args) {
  return args.Has("equipment") || args.Has("lot") || args.Has("tank");
}

bool IsExcursionId(absl::string_view text) { return absl::StartsWithIgnoreCase(text, "EXC"); }

std::vector<FlagSpec> ExcursionFlags() {
  return {
      {.name = "equipment", .value_name = "ID",
       .help = "an excursion of this equipment in --from..--to: a deviation on every batch "
               "whose records name it then (instead of BATCH)"},
      {.name = "lot", .value_name = "LOT",
       .help = "an excursion of this lot (a recall): a deviation on every batch that used it "
               "(within --from..--to when given)"},
      {.name = "tank", .value_name = "TANK",
       .help = "an excursion of this storage tank in --from..--to: a deviation on the batch "
               "of every unit stored in it then"},
      {.name = "from", .value_name = "TIME", .help = "with --equipment, --lot or --tank: the "
                                                     "excursion's start"},
      {.name = "to", .value_name = "TIME", .help = "its end"},
  };
}

absl::Status RunOpenExcursion(Invocation& in) {
  v1::OpenExcursionRequest request;
  request.set_request_id(in.conn.RequestId());
  int named = 0;
  for (auto [flag, scope] : {std::pair{"equipment", v1::EXCURSION_SCOPE_EQUIPMENT},
                             std::pair{"lot", v1::EXCURSION_SCOPE_LOT},
                             std::pair{"tank", v1::EXCURSION_SCOPE_TANK}}) {
    if (!in.args.Has(flag)) continue;
    ++named;
    request.set_scope(scope);
    request.set_subject(in.args.Get(flag));
  }
  if (named != 1) return UsageError("--equipment, --lot and --tank: give one");
  if (in.args.Has("BATCH")) {
    return UsageError(absl::StrCat("BATCH: \"", in.args.Get("BATCH"),
                                   "\" given with an excursion; the excursion finds its batches"));
  }
  if (in.args.Has("kind") && in.args.Get("kind") != "excursion") {
    return UsageError(absl::StrCat("--kind: \"", in.args.Get("kind"),
                                   "\": an excursion's deviations are of kind excursion"));
  }
  CPC_RETURN_IF_ERROR(ReadWindowFlags(in.args, in.time, request));
  request.set_description(in.args.Get("description"));
  v1::Excursion excursion;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Deviations::OpenExcursion, request, &excursion));
  if (in.json) return PrintJson(excursion, in.out);
  in.out << "Opened excursion " << Label(excursion.excursion_id()) << " with "
         << excursion.deviations_size()
         << (excursion.deviations_size() == 1 ? " deviation" : " deviations")
         << " (one per batch reached)\n";
  PrintExcursion(in, excursion);
  return absl::OkStatus();
}

absl::Status RunShowExcursion(Invocation& in, absl::string_view id) {
  v1::GetExcursionRequest request;
  CPC_ASSIGN_OR_RETURN(int64_t excursion_id, ParseExcursionId(id));
  request.set_excursion_id(excursion_id);
  v1::Excursion excursion;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Deviations::GetExcursion, request, &excursion));
  if (in.json) return PrintJson(excursion, in.out);
  PrintExcursion(in, excursion);
  return absl::OkStatus();
}

absl::Status RunCloseExcursion(Invocation& in, absl::string_view id) {
  CPC_ASSIGN_OR_RETURN(int64_t excursion_id, ParseExcursionId(id));
  if (in.args.Has("disposition") || in.args.Has("physician")) {
    return UsageError(absl::StrCat(
        "--disposition/--physician: ", Label(excursion_id),
        " is an excursion; each batch's deviation carries its own disposition (cpc deviation "
        "close #N); the excursion closes with --reason once they are all closed"));
  }
  v1::CloseExcursionRequest request;
  request.set_request_id(in.conn.RequestId());
  request.set_excursion_id(excursion_id);
  request.set_reason(in.args.Get("reason"));
  CPC_RETURN_IF_ERROR(Sign(in, absl::StrCat("QA's closure of excursion ", Label(excursion_id)),
                           request.mutable_signature()));
  v1::CloseExcursionResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Deviations::CloseExcursion, request, &response));
  if (in.json) return PrintJson(response, in.out);
  in.out << "Closed excursion " << Label(excursion_id) << "\n";
  PrintExcursion(in, response.excursion());
  in.out << SignatureLine(response.signature(), in.time.zone) << "\n";
  return absl::OkStatus();
}

}  // namespace cpc
