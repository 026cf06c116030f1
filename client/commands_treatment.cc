// `cpc plan create|show` and `cpc infuse`: the treatment plan of a batch and
// the bedside infusion, where the scanned unit and wristband must match.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "client/format.h"
#include "client/qc_results.h"
#include "client/readiness_format.h"
#include "client/signing.h"
#include "client/status_util.h"
#include "client/values.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;
using Treatment = v1::TreatmentService::Stub;

absl::StatusOr<double> PositiveNumberFlag(const ParsedArgs& args, absl::string_view flag) {
  CPC_ASSIGN_OR_RETURN(double value, NumberFlag(args, flag));
  if (value <= 0) {
    return UsageError(absl::StrCat("--", flag, ": \"", args.Get(flag), "\" must be more than 0"));
  }
  return value;
}

absl::Status RunPlanCreate(Invocation& in) {
  v1::CreatePlanRequest request;
  request.set_request_id(in.conn.RequestId());
  v1::TreatmentPlan& plan = *request.mutable_plan();
  // The patient is the batch's; the server takes it from there.
  CPC_ASSIGN_OR_RETURN(const std::string batch_id, ScannedBatch("BATCH", in.args.Get("BATCH")));
  plan.set_batch_id(batch_id);
  plan.set_plan_number(in.args.Get("plan-number"));
  const bool fixed = in.args.Given("dose"), per_kg = in.args.Given("dose-per-kg");
  if (fixed == per_kg) {
    return UsageError("give one of --dose (viable cells per infusion) or --dose-per-kg");
  }
  if (fixed) {
    CPC_ASSIGN_OR_RETURN(double cells, PositiveNumberFlag(in.args, "dose"));
    plan.set_fixed_cells(cells);
  } else {
    CPC_ASSIGN_OR_RETURN(double cells, PositiveNumberFlag(in.args, "dose-per-kg"));
    plan.set_cells_per_kg(cells);
  }
  int32_t sequence = 0;
  for (const std::string& date : in.args.GetList("date")) {
    CPC_ASSIGN_OR_RETURN(std::string day, ParseDate("--date", date));
    v1::PlannedInfusion& infusion = *plan.add_infusions();
    infusion.set_sequence(++sequence);
    infusion.set_planned_date(day);
  }
  v1::TreatmentPlan created;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Treatment::CreatePlan, request, &created));
  if (in.json) return PrintJson(created, in.out);
  in.out << "Created " << RenderPlan(created, in.time.zone);
  return absl::OkStatus();
}

absl::Status RunPlanShow(Invocation& in) {
  v1::GetPlanRequest request;
  CPC_ASSIGN_OR_RETURN(const std::string batch_id, ScannedBatch("BATCH", in.args.Get("BATCH")));
  request.set_batch_id(batch_id);
  v1::TreatmentPlan plan;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Treatment::GetPlan, request, &plan));
  if (in.json) return PrintJson(plan, in.out);
  in.out << RenderPlan(plan, in.time.zone);
  return absl::OkStatus();
}

absl::Status RunInfuse(Invocation& in) {
  v1::RecordInfusionRequest request;
  request.set_request_id(in.conn.RequestId());
  CPC_ASSIGN_OR_RETURN(int64_t planned_id,
                       ParseId("PLANNED_INFUSION", in.args.Get("PLANNED_INFUSION")));
  request.set_planned_infusion_id(planned_id);
  // As scanned: the server compares them with the record, so they are not rewritten here.
  request.set_scanned_unit_id(in.args.Get("unit"));
  request.set_scanned_patient_id(in.args.Get("patient"));
  CPC_ASSIGN_OR_RETURN(absl::Time start, TimeFlag(in.args, "start", in.time));
  ToProto(start, request.mutable_start_time());
  if (in.args.Given("end")) {
    CPC_ASSIGN_OR_RETURN(absl::Time end, TimeFlag(in.args, "end", in.time));
    if (end < start) {
      return UsageError(absl::StrCat("--end: \"", in.args.Get("end"), "\" is before --start"));
    }
    ToProto(end, request.mutable_end_time());
  }
  if (in.args.Given("cells")) {
    CPC_ASSIGN_OR_RETURN(int64_t cells, CountFlag(in.args, "cells"));
    request.set_viable_cells_given(cells);
  }
  request.set_adverse_events(in.args.Get("adverse-events"));
  request.set_late_entry_reason(in.args.Get("late-reason"));
  // The second person at the bedside signs with their own password.
  const std::string& verifier = in.args.Get("verifier");
  if (verifier == in.conn.options().user) {
    return UsageError(absl::StrCat("--verifier: ", verifier,
                                   " is you; the second verifier must be another person"));
  }
  request.set_verifier(verifier);
  CPC_RETURN_IF_ERROR(SignAsSecondPerson(
      in, verifier,
      absl::StrCat("that you verified unit and patient identity for planned infusion ",
                   planned_id),
      request.mutable_verifier_signature()));
  v1::RecordInfusionResponse response;
  absl::Status status = in.conn.Call(&Treatment::RecordInfusion, request, &response);
  if (absl::IsFailedPrecondition(status) &&
      (absl::StartsWith(status.message(), "chain of identity") ||
       absl::StartsWith(status.message(), "expired") ||
       absl::StartsWith(status.message(), "thawed too long ago"))) {
    in.err << "!! DO NOT INFUSE: " << status.message() << "\n";
    return absl::FailedPreconditionError(
        "the refused bedside check is recorded; nothing was infused. Check the unit label and "
        "the wristband, and call QA");
  }
  CPC_RETURN_IF_ERROR(status);
  if (in.json) return PrintJson(response, in.out);
  const v1::Unit& unit = response.unit();
  in.out << "Infused unit " << unit.unit_id() << " (batch " << SpacedBatchId(unit.batch_id())
         << ", patient " << unit.patient_id() << ") for planned infusion " << planned_id << ": "
         << FormatCount(response.viable_cells_given()) << " viable cells, started "
         << FormatLocalTime(start, in.time.zone) << "; infusion record "
         << response.infusion_record_id() << "\n"
         << "  " << response.infusions_remaining() << " planned infusions remaining, "
         << response.infusions_covered() << " covered by stored units\n";
  if (response.has_verifier_signature()) {
    in.out << SignatureLine(response.verifier_signature(), in.time.zone) << "\n";
  }
  if (response.infusions_covered() < response.infusions_remaining()) {
    in.out << "  !! " << response.infusions_remaining() - response.infusions_covered()
           << " remaining infusions have no stored unit to cover them\n";
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<CommandSpec> TreatmentCommands() {
  const std::string kBatch = "A9999260000018";
  return {
      {.noun = "plan", .verb = "create",
       .summary = "Plan a batch's infusions: plan number, dose and dates (replaces the plan in "
                  "force)",
       .args = {BatchArg()},
       .flags = {{.name = "plan-number", .value_name = "NUM",
                  .help = "the plan's regulatory number", .required = true},
                 {.name = "dose", .value_name = "CELLS",
                  .help = "viable cells per infusion, e.g. 1e8 (or --dose-per-kg)"},
                 {.name = "dose-per-kg", .value_name = "CELLS",
                  .help = "viable cells per kg of the patient's current weight, e.g. 2e6"},
                 {.name = "date", .value_name = "DATE",
                  .help = "a planned infusion, YYYY-MM-DD (facility's calendar), in order",
                  .required = true, .repeated = true}},
       .example = absl::StrCat("cpc plan create ", kBatch,
                               " --plan-number TP-2026-0042 --dose-per-kg 2e6 --date 2026-12-10 "
                               "--date 2027-01-10"),
       .run = RunPlanCreate},
      {.noun = "plan", .verb = "show",
       .summary = "Show a batch's plan: dose, cells per infusion, each planned infusion and "
                  "the units given",
       .args = {BatchArg()}, .example = absl::StrCat("cpc plan show ", kBatch),
       .run = RunPlanShow},
      {.noun = "infuse",
       .summary = "At the bedside: check the scanned unit and wristband, record the infusion",
       .args = {{.name = "PLANNED_INFUSION",
                 .help = "planned infusion ID (see cpc plan show BATCH)"}},
       .flags = {{.name = "unit", .value_name = "UNIT", .help = "the unit label, as scanned",
                  .required = true},
                 {.name = "patient", .value_name = "PATIENT",
                  .help = "the patient's wristband, as scanned", .required = true},
                 {.name = "start", .value_name = "TIME",
                  .help = "when the infusion started: now, -20m, \"2026-12-10 09:30\"",
                  .required = true},
                 {.name = "end", .value_name = "TIME", .help = "when it ended"},
                 {.name = "cells", .value_name = "N",
                  .help = "viable cells given (default: the unit's post-thaw viable cells)"},
                 {.name = "adverse-events", .value_name = "TEXT",
                  .help = "what was observed; leave out when none"},
                 {.name = "verifier", .value_name = "USER",
                  .help = "the second person, who verified unit and patient identity: asked "
                          "for their own password (a signature)",
                  .required = true},
                 LateReasonFlag("--start"), PasswordStdinFlag()},
       .example = "cpc infuse 31 --unit A9999260000018-01 --patient TKY-0042 --start -40m "
                  "--end now --verifier nurse.ito",
       .run = RunInfuse},
  };
}

}  // namespace cpc
