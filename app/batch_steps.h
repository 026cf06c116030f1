// A batch's own writes: its creation, the culture steps appended to its
// record, corrections and its disposal. Each loads the facts the domain
// needs in the caller's write transaction, asks the domain to decide, and
// stores what the decision says with its audit entries. Deciding is the
// domain's; this only moves data.
#ifndef CPCTRACK_APP_BATCH_STEPS_H_
#define CPCTRACK_APP_BATCH_STEPS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/write_context.h"
#include "domain/audit_action.h"
#include "domain/batch.h"
#include "domain/batch_steps.h"
#include "domain/product.h"
#include "store/store.h"

namespace cpctrack::app {

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

// A batch as a write leaves it, with what its summary shows.
struct BatchState {
  domain::Batch batch;
  int open_deviations = 0;
};

// What a step appended to a batch's record did.
struct StepOutcome {
  BatchState batch;
  domain::BatchRecord record;  // with its ID
  std::vector<domain::Deviation> opened_deviations;  // with their IDs
  std::string late_entry_reason;  // when the step was recorded late
};

struct NewBatch {
  std::string patient_id;
  std::string product_code;   // its latest version
  std::string facility_code;  // ISBT 128, of the DIN
};
absl::StatusOr<domain::Batch> CreateBatch(store::Transaction& tx, const WriteContext& ctx,
                                          const NewBatch& request);

// Appends `data` (a tissue receipt, seeding, observation, medium change or
// passage) to the batch's record; `action` names it in the audit trail.
absl::StatusOr<StepOutcome> AppendStep(store::Transaction& tx, const WriteContext& ctx,
                                       const domain::Din& batch_id, domain::AuditAction action,
                                       const domain::RecordData& data);

// Corrects record `record_id` of the batch with `data`, for `reason`.
absl::StatusOr<StepOutcome> CorrectRecord(store::Transaction& tx, const WriteContext& ctx,
                                          const domain::Din& batch_id, int64_t record_id,
                                          const std::string& reason,
                                          const domain::RecordData& data);

absl::StatusOr<BatchState> DisposeBatch(store::Transaction& tx, const WriteContext& ctx,
                                        const domain::Din& batch_id, const std::string& reason);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_BATCH_STEPS_H_
