#include "app/treatment.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/audit.h"
#include "app/qualifications.h"
#include "app/readiness.h"
#include "app/signatures.h"
#include "domain/audit.h"
#include "domain/inventory.h"
#include "domain/treatment_plan.h"
#include "domain/qualification.h"
#include "domain/status_macros.h"
#include "store/store.h"

namespace cpctrack::app {
namespace {

// What the bedside checks besides the unit and plan: the unit's product code
// and thaw window, and the clinic's identifiers of its patient.
absl::StatusOr<domain::BedsideFacts> LoadBedsideFacts(store::Transaction& tx,
                                                      const domain::Unit& unit) {
  ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(unit.batch_id));
  ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(din));
  ASSIGN_OR_RETURN(domain::Product product,
                   tx.GetProduct(batch.product_code, batch.product_version));
  domain::BedsideFacts facts;
  facts.isbt_product_description_code = product.isbt_product_description_code;
  facts.max_thaw_to_infusion = product.max_thaw_to_infusion;
  facts.max_entry_delay = product.max_entry_delay;
  ASSIGN_OR_RETURN(facts.patient_identifiers, tx.LoadPatientIdentifiers(unit.patient_id));
  return facts;
}

// The infusion record as audited and as the second verifier signs it.
std::string InfusionContent(const domain::Infusion& infusion, absl::string_view scanned_unit,
                            absl::string_view scanned_patient) {
  return domain::JsonObject()
      .Add("planned_infusion_id", infusion.planned_infusion_id)
      .Add("unit_id", infusion.unit_id)
      .Add("started_at", infusion.started_at)
      .Add("ended_at", infusion.ended_at)
      .Add("viable_cells_given", infusion.viable_cells_given)
      .Add("adverse_events", infusion.adverse_events)
      .Add("scanned_unit_id", scanned_unit)
      .Add("scanned_patient_id", scanned_patient)
      .Add("recorded_by", infusion.recorded_by)
      .Add("verified_by", infusion.verified_by)
      .Build();
}

// The plan as its plan.create entry records it, in the trail's own JSON like
// every other entry (snake_case, times RFC 3339 UTC). Entries written before
// 2026-12-07 hold the API message's JSON instead; both name the same fields.
std::string PlanJson(const domain::TreatmentPlan& plan, const domain::Patient& patient) {
  std::string infusions = "[";
  for (const domain::PlannedInfusion& p : plan.infusions) {
    if (infusions.size() > 1) infusions += ",";
    infusions += domain::JsonObject()
                     .Add("planned_infusion_id", p.infusion_id)
                     .Add("sequence", p.sequence)
                     .Add("planned_date", domain::FormatDate(p.planned_day))
                     .Build();
  }
  infusions += "]";
  domain::JsonObject json;
  json.Add("plan_id", plan.plan_id)
      .Add("patient_id", plan.patient_id)
      .Add("batch_id", plan.batch_id)
      .Add("plan_number", plan.plan_number);
  if (plan.fixed_cells.has_value()) json.Add("fixed_cells", *plan.fixed_cells);
  if (plan.cells_per_kg.has_value()) json.Add("cells_per_kg", *plan.cells_per_kg);
  if (absl::StatusOr<domain::DoseNeed> need = domain::PlanDose(plan, patient); need.ok()) {
    json.Add("cells_per_infusion", need->cells_per_infusion);
  }
  return json.AddRaw("infusions", infusions)
      .Add("created_at", plan.created_at)
      .Add("created_by", plan.created_by)
      .Build();
}

}  // namespace

absl::StatusOr<PlanOutcome> CreatePlan(store::Transaction& tx, const WriteContext& ctx,
                                       const NewPlan& request) {
  const domain::Din& din = request.batch_id;
  ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(din));
  if (!request.patient_id.empty() && request.patient_id != batch.patient_id) {
    return absl::FailedPreconditionError(absl::StrCat("plan.patient_id: batch ", din.compact(),
                                                      " belongs to patient ", batch.patient_id,
                                                      ", not ", request.patient_id));
  }
  ASSIGN_OR_RETURN(domain::Patient patient, tx.GetPatient(batch.patient_id));
  ASSIGN_OR_RETURN(domain::TreatmentPlan plan,
                   domain::DecideCreatePlan(patient, batch, request.plan, ctx.step()));
  RETURN_IF_ERROR(tx.InsertPlan(plan));
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kPlanCreate,
                              absl::StrCat("batches/", din.compact(), "/plans/", plan.plan_id),
                              "", PlanJson(plan, patient), "", ctx.request_id));
  return PlanOutcome{std::move(plan), std::move(patient)};
}

absl::StatusOr<BedsideCheck> RecordBedsideCheck(store::Transaction& tx, const WriteContext& ctx,
                                                const BedsideScan& scan) {
  // The bedside check is the infusion procedure's first step.
  RETURN_IF_ERROR(
      RequireQualified(tx, ctx.user, domain::Step::kInfusion, scan.given_at, ctx.zone));
  ASSIGN_OR_RETURN(store::PlannedInfusionRow row, tx.GetPlannedInfusion(scan.planned_infusion_id));
  ASSIGN_OR_RETURN(domain::Unit unit, tx.GetUnit(scan.unit_id));
  ASSIGN_OR_RETURN(const domain::BedsideFacts bedside, LoadBedsideFacts(tx, unit));
  absl::Status check = domain::CheckBedside(unit, row.plan, bedside, scan.scanned_unit_id,
                                            scan.scanned_patient_id, scan.given_at);
  RETURN_IF_ERROR(tx.InsertBedsideCheck(scan.planned_infusion_id, unit.unit_id,
                                        scan.scanned_unit_id, scan.scanned_patient_id,
                                        check.ok(), check.message(), ctx.now, ctx.user));
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user,
                              check.ok() ? domain::AuditAction::kInfusionBedsideCheck
                                         : domain::AuditAction::kInfusionBedsideRefused,
                              absl::StrCat("units/", unit.unit_id), "",
                              domain::JsonObject()
                                  .Add("planned_infusion_id", scan.planned_infusion_id)
                                  .Add("scanned_unit_id", scan.scanned_unit_id)
                                  .Add("scanned_patient_id", scan.scanned_patient_id)
                                  .Add("outcome", check.ok() ? "matched" : "refused")
                                  .Build(),
                              check.message(), ctx.request_id));
  return BedsideCheck{std::move(check)};
}

absl::StatusOr<InfusionOutcome> RecordInfusion(store::Transaction& tx, const WriteContext& ctx,
                                               const NewInfusion& request) {
  const BedsideScan& scan = request.scan;
  ASSIGN_OR_RETURN(store::PlannedInfusionRow row, tx.GetPlannedInfusion(scan.planned_infusion_id));
  ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(row.plan.batch_id));
  ASSIGN_OR_RETURN(std::unique_ptr<BatchReadiness> loaded,
                   LoadReadiness(tx, din, ctx.now, ctx.zone));
  ASSIGN_OR_RETURN(domain::Unit unit, tx.GetUnit(scan.unit_id));
  ASSIGN_OR_RETURN(const domain::BedsideFacts bedside, LoadBedsideFacts(tx, unit));
  domain::Infusion proposed = request.infusion;
  proposed.verified_by = request.verifier.user;
  ASSIGN_OR_RETURN(domain::Infusion infusion,
                   domain::DecideInfusion(loaded->batch.batch, domain::ReleaseHolds(loaded->facts),
                                          unit, row.plan, row.infusion, bedside,
                                          scan.scanned_unit_id, scan.scanned_patient_id,
                                          std::move(proposed), ctx.step()));
  RETURN_IF_ERROR(tx.InsertInfusion(infusion));
  std::string why = infusion.adverse_events;
  if (infusion.late_entry.has_value()) {
    infusion.late_entry->resource = absl::StrCat("infusions/", infusion.infusion_record_id);
    ASSIGN_OR_RETURN(why, StoreLateEntry(tx, din, *infusion.late_entry));
    if (!infusion.adverse_events.empty()) {
      absl::StrAppend(&why, "; adverse events: ", infusion.adverse_events);
    }
  }
  domain::UnitEvent event;
  event.unit_id = unit.unit_id;
  event.kind = domain::UnitEventKind::kInfused;
  event.from_state = unit.state;
  event.to_state = domain::UnitState::kInfused;
  event.at = infusion.started_at;
  event.by = ctx.user;
  event.reason = absl::StrCat("planned infusion ", row.infusion.sequence, " of ",
                              row.plan.infusions.size());
  RETURN_IF_ERROR(tx.InsertUnitEvent(event));
  const std::string resource =
      absl::StrCat("batches/", din.compact(), "/infusions/", infusion.infusion_record_id);
  const std::string content =
      InfusionContent(infusion, scan.scanned_unit_id, scan.scanned_patient_id);
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kInfusionRecord,
                              resource, "", content, why, ctx.request_id));
  // The second person's signature: this unit, this patient, this infusion.
  WriteContext verifier = ctx;
  verifier.user = request.verifier.user;
  verifier.full_name = request.verifier.full_name;
  ASSIGN_OR_RETURN(domain::Signature signature,
                   RecordSignature(tx, verifier, domain::SignatureMeaning::kIdentityVerified,
                                   resource, content));
  ASSIGN_OR_RETURN(domain::Unit infused, tx.GetUnit(scan.unit_id));
  ASSIGN_OR_RETURN(std::unique_ptr<BatchReadiness> after,
                   LoadReadiness(tx, din, ctx.now, ctx.zone));
  const domain::Readiness readiness = domain::EvaluateReadiness(after->facts);
  return InfusionOutcome{std::move(infusion), std::move(signature), std::move(infused),
                         readiness.infusions_planned, readiness.infusions_covered};
}

}  // namespace cpctrack::app
