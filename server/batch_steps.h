// The transaction around one domain decision on a batch: load the facts the
// domain needs, then store what it decided with its audit entries. Deciding
// is the domain's; this only moves data.
#ifndef CPCTRACK_SERVER_BATCH_STEPS_H_
#define CPCTRACK_SERVER_BATCH_STEPS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/audit_action.h"
#include "cpctrack/v1/batches.pb.h"
#include "domain/batch.h"
#include "domain/batch_steps.h"
#include "domain/product.h"
#include "store/store.h"

namespace cpctrack::server {

struct BatchFacts {
  domain::Batch batch;
  domain::BatchHistory history;
  std::vector<domain::Deviation> deviations;
  domain::Product product;
};

// Which of the batch's records BatchFacts holds: those the rules read back
// (domain::KindsReadByRules: enough to decide an appended step or judge
// readiness, at the same cost on a batch's first day and its last), or all
// of them (a correction, the batch record).
enum class Records { kReadByRules, kAll };

absl::StatusOr<BatchFacts> LoadBatchFacts(store::Transaction& tx, const domain::Din& batch_id,
                                          Records records);

// The lots and equipment `data` names that are registered.
absl::StatusOr<domain::StepResources> LoadStepResources(store::Transaction& tx,
                                                        const domain::RecordData& data);

// Why a quarantined batch is held: its open positive-test deviations.
std::string QuarantineReason(const std::vector<domain::Deviation>& deviations);

int OpenDeviationCount(const std::vector<domain::Deviation>& deviations);

// Stores the decision (record, deviations, batch summary, audit entries) and
// fills `response`. `action` names it in the audit trail ("batch.record_passage").
absl::Status StoreStep(store::Transaction& tx, BatchFacts& facts,
                       domain::StepDecision& decision, absl::Time now,
                       domain::AuditAction action, absl::string_view request_id,
                       v1::RecordResponse* response);

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_BATCH_STEPS_H_
