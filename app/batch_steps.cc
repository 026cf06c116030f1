#include "app/batch_steps.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/audit.h"
#include "app/batch_effects.h"
#include "app/qualifications.h"
#include "domain/audit.h"
#include "domain/growth.h"
#include "domain/qualification.h"
#include "domain/status_macros.h"
#include "domain/unit_steps.h"

namespace cpctrack::app {
namespace {

std::string BatchResource(const domain::Din& batch_id) {
  return absl::StrCat("batches/", batch_id.compact());
}

// Stores the decision (record, deviations, batch summary, audit entries).
absl::StatusOr<StepOutcome> StoreStep(store::Transaction& tx, const WriteContext& ctx,
                                      BatchFacts& facts, domain::StepDecision& decision,
                                      domain::AuditAction action) {
  const domain::Din& din = facts.batch.batch_id;
  const std::string batch_resource = BatchResource(din);
  std::vector<domain::Deviation> opened;
  std::string late_entry_reason;
  domain::BatchRecord& record = decision.record;
  RETURN_IF_ERROR(tx.InsertRecord(din, record));

  std::string old_value;
  if (record.corrects_record_id != 0) {
    const domain::BatchRecord* old = facts.history.Find(record.corrects_record_id);
    if (old != nullptr) old_value = domain::ToJson(*old);
  }
  std::string why = record.correction_reason;
  if (decision.late_entry.has_value()) {
    decision.late_entry->resource = absl::StrCat("records/", record.record_id);
    ASSIGN_OR_RETURN(why, StoreLateEntry(tx, din, *decision.late_entry));
    late_entry_reason = decision.late_entry->reason;
  }
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, record.recorded_by, action,
                              absl::StrCat(batch_resource, "/records/", record.record_id),
                              old_value, domain::ToJson(record), why, ctx.request_id));

  for (domain::Deviation& deviation : decision.deviations_to_open) {
    deviation.record_id = record.record_id;
    RETURN_IF_ERROR(tx.InsertDeviation(din, deviation));
    RETURN_IF_ERROR(
        AppendAudit(tx, ctx.now, record.recorded_by, domain::AuditAction::kDeviationOpen,
                    absl::StrCat(batch_resource, "/deviations/", deviation.deviation_id), "",
                    domain::ToJson(deviation), deviation.description, ctx.request_id));
    facts.deviations.push_back(deviation);
    opened.push_back(deviation);
  }

  const domain::Batch before = facts.batch;
  domain::ApplyToBatch(decision, ctx.now, facts.batch);
  RETURN_IF_ERROR(tx.UpdateBatchSummary(facts.batch));
  if (before.state != facts.batch.state || before.current_passage != facts.batch.current_passage) {
    RETURN_IF_ERROR(AppendAudit(tx, ctx.now, record.recorded_by, domain::AuditAction::kBatchUpdate,
                                batch_resource, domain::ToJson(before), domain::ToJson(facts.batch),
                                "", ctx.request_id));
  }
  return StepOutcome{{facts.batch, OpenDeviationCount(facts.deviations)},
                     std::move(record),
                     std::move(opened),
                     std::move(late_entry_reason)};
}

}  // namespace

absl::StatusOr<BatchFacts> LoadBatchFacts(store::Transaction& tx, const domain::Din& batch_id,
                                          Records which) {
  ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(batch_id));
  ASSIGN_OR_RETURN(std::vector<domain::BatchRecord> records,
                   which == Records::kAll ? tx.LoadRecords(batch_id)
                                          : tx.LoadRecords(batch_id, domain::KindsReadByRules()));
  ASSIGN_OR_RETURN(std::vector<domain::Deviation> deviations, tx.LoadDeviations(batch_id));
  ASSIGN_OR_RETURN(domain::Product product,
                   tx.GetProduct(batch.product_code, batch.product_version));
  return BatchFacts{std::move(batch), domain::BatchHistory(std::move(records)),
                    std::move(deviations), std::move(product)};
}

absl::StatusOr<domain::StepResources> LoadStepResources(store::Transaction& tx,
                                                        const domain::RecordData& data) {
  domain::StepResources resources;
  for (const domain::LotUse& use : domain::LotsUsed(data)) {
    absl::StatusOr<domain::ReagentLot> lot = tx.GetReagentLot(use.lot_number);
    if (lot.ok()) {
      resources.lots.emplace(use.lot_number, *std::move(lot));
    } else if (!absl::IsNotFound(lot.status())) {
      return lot.status();
    }
  }
  for (const domain::EquipmentUse& use : domain::EquipmentUsed(data)) {
    absl::StatusOr<domain::Equipment> equipment = tx.GetEquipment(use.equipment_id);
    if (equipment.ok()) {
      resources.equipment.emplace(use.equipment_id, *std::move(equipment));
    } else if (!absl::IsNotFound(equipment.status())) {
      return equipment.status();
    }
  }
  return resources;
}

std::string QuarantineReason(const std::vector<domain::Deviation>& deviations) {
  std::vector<std::string> reasons;
  for (const domain::Deviation& d : deviations) {
    if (d.state == domain::DeviationState::kOpen && d.kind == domain::DeviationKind::kPositiveTest) {
      reasons.push_back(d.description);
    }
  }
  return absl::StrJoin(reasons, "; ");
}

int OpenDeviationCount(const std::vector<domain::Deviation>& deviations) {
  return static_cast<int>(
      std::count_if(deviations.begin(), deviations.end(), [](const domain::Deviation& d) {
        return d.state == domain::DeviationState::kOpen;
      }));
}

absl::StatusOr<domain::Batch> CreateBatch(store::Transaction& tx, const WriteContext& ctx,
                                          const NewBatch& request) {
  if (request.patient_id.empty()) return absl::InvalidArgumentError("patient_id: required");
  if (request.product_code.empty()) {
    return absl::InvalidArgumentError("product_code: required (see `cpc product list`)");
  }
  ASSIGN_OR_RETURN(domain::Patient patient, tx.GetPatient(request.patient_id));
  ASSIGN_OR_RETURN(domain::Product product, tx.GetLatestProduct(request.product_code));
  ASSIGN_OR_RETURN(int last, tx.LastDinSequence(request.facility_code,
                                                domain::DinYear(ctx.now, ctx.zone)));
  ASSIGN_OR_RETURN(domain::Batch batch,
                   domain::DecideCreateBatch(patient, product, request.facility_code, last + 1,
                                             ctx.step()));
  RETURN_IF_ERROR(tx.InsertBatch(batch));
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kBatchCreate,
                              BatchResource(batch.batch_id), "", domain::ToJson(batch), "",
                              ctx.request_id));
  return batch;
}

absl::StatusOr<StepOutcome> AppendStep(store::Transaction& tx, const WriteContext& ctx,
                                       const domain::Din& batch_id, domain::AuditAction action,
                                       const domain::RecordData& data) {
  ASSIGN_OR_RETURN(BatchFacts facts, LoadBatchFacts(tx, batch_id, Records::kReadByRules));
  ASSIGN_OR_RETURN(domain::StepResources resources, LoadStepResources(tx, data));
  ASSIGN_OR_RETURN(domain::StepDecision decision,
                   domain::DecideAppend(facts.batch, facts.history, facts.deviations, data,
                                        resources, facts.product, ctx.step()));
  RETURN_IF_ERROR(RequireQualified(tx, ctx.user, domain::StepOf(domain::KindOf(data)),
                                   domain::EventTime(data), ctx.zone));
  return StoreStep(tx, ctx, facts, decision, action);
}

absl::StatusOr<StepOutcome> CorrectRecord(store::Transaction& tx, const WriteContext& ctx,
                                          const domain::Din& batch_id, int64_t record_id,
                                          const std::string& reason,
                                          const domain::RecordData& data) {
  ASSIGN_OR_RETURN(BatchFacts facts, LoadBatchFacts(tx, batch_id, Records::kAll));
  ASSIGN_OR_RETURN(domain::StepResources resources, LoadStepResources(tx, data));
  ASSIGN_OR_RETURN(domain::StepDecision decision,
                   domain::DecideCorrection(facts.batch, facts.history, facts.deviations,
                                            record_id, reason, data, resources, facts.product,
                                            ctx.step()));
  // A correction needs what the record it corrects needed.
  RETURN_IF_ERROR(RequireQualified(tx, ctx.user, domain::StepOf(domain::KindOf(data)),
                                   domain::EventTime(data), ctx.zone));
  return StoreStep(tx, ctx, facts, decision, domain::AuditAction::kBatchCorrectRecord);
}

absl::StatusOr<BatchState> DisposeBatch(store::Transaction& tx, const WriteContext& ctx,
                                        const domain::Din& batch_id, const std::string& reason) {
  ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(batch_id));
  ASSIGN_OR_RETURN(std::vector<domain::Unit> units, tx.LoadUnits(batch_id));
  ASSIGN_OR_RETURN(domain::BatchEffects effects,
                   domain::DecideDisposeBatch(batch, units, reason, ctx.step()));
  RETURN_IF_ERROR(StoreEffects(tx, batch, std::move(effects), ctx.now, ctx.user, reason,
                               ctx.request_id)
                      .status());
  ASSIGN_OR_RETURN(std::vector<domain::Deviation> deviations, tx.LoadDeviations(batch_id));
  return BatchState{std::move(batch), OpenDeviationCount(deviations)};
}

}  // namespace cpctrack::app
