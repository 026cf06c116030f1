#include "server/batch_steps.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/audit.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
#include "server/audit_support.h"

namespace cpctrack::server {

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

absl::Status StoreStep(store::Transaction& tx, BatchFacts& facts, domain::StepDecision& decision,
                       absl::Time now, domain::AuditAction action, absl::string_view request_id,
                       v1::RecordResponse* response) {
  const domain::Din& din = facts.batch.batch_id;
  const std::string batch_resource = absl::StrCat("batches/", din.compact());
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
  }
  RETURN_IF_ERROR(AppendAudit(tx, now, record.recorded_by, action,
                              absl::StrCat(batch_resource, "/records/", record.record_id),
                              old_value, domain::ToJson(record), why, request_id));

  for (domain::Deviation& deviation : decision.deviations_to_open) {
    deviation.record_id = record.record_id;
    RETURN_IF_ERROR(tx.InsertDeviation(din, deviation));
    RETURN_IF_ERROR(
        AppendAudit(tx, now, record.recorded_by, domain::AuditAction::kDeviationOpen,
                    absl::StrCat(batch_resource, "/deviations/", deviation.deviation_id), "",
                    domain::ToJson(deviation), deviation.description, request_id));
    facts.deviations.push_back(deviation);
    ToProto(deviation, din, response->add_opened_deviations());
  }

  const domain::Batch before = facts.batch;
  domain::ApplyToBatch(decision, now, facts.batch);
  RETURN_IF_ERROR(tx.UpdateBatchSummary(facts.batch));
  if (before.state != facts.batch.state || before.current_passage != facts.batch.current_passage) {
    RETURN_IF_ERROR(AppendAudit(tx, now, record.recorded_by, domain::AuditAction::kBatchUpdate,
                                batch_resource, domain::ToJson(before), domain::ToJson(facts.batch),
                                "", request_id));
  }

  ToProto(facts.batch, OpenDeviationCount(facts.deviations), response->mutable_batch());
  ToProto(record, response->mutable_record());
  if (decision.late_entry.has_value()) {
    response->mutable_record()->set_late_entry_reason(decision.late_entry->reason);
  }
  return absl::OkStatus();
}

}  // namespace cpctrack::server
