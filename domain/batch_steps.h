// Decisions for every write to a batch: given what is on record and what the
// user asks, what may be written, in what state the batch ends, and which
// deviations open. Pure: the caller loads the facts and stores the decision
// in one transaction.
#ifndef CPCTRACK_DOMAIN_BATCH_STEPS_H_
#define CPCTRACK_DOMAIN_BATCH_STEPS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/batch.h"
#include "domain/inventory.h"
#include "domain/late_entry.h"
#include "domain/patient.h"
#include "domain/product.h"
#include "domain/records.h"

namespace cpctrack::domain {

struct StepContext {
  absl::Time now;
  absl::TimeZone facility_zone;  // a lot's expiry day is a day here
  std::string actor;
  // Why the step is recorded more than the product's max_entry_delay after
  // the time it describes (late_entry.h); empty when it is contemporaneous.
  std::string late_entry_reason;
};

// The lots and equipment a record names (LotsUsed / EquipmentUsed), as found
// in the registry; an absent key means "not registered".
struct StepResources {
  absl::flat_hash_map<std::string, ReagentLot> lots;
  absl::flat_hash_map<std::string, Equipment> equipment;
};

struct StepDecision {
  BatchState new_state;
  BatchRecord record;  // record_id is assigned when stored
  std::vector<Deviation> deviations_to_open;
  std::optional<LateEntry> late_entry;  // resource set when stored
};

// A new batch for `patient` and `product`, numbered `sequence` in the year of
// `ctx.now` in the facility's zone. FailedPrecondition if the patient may not
// give a batch.
absl::StatusOr<Batch> DecideCreateBatch(const Patient& patient, const Product& product,
                                        absl::string_view facility_code, int sequence,
                                        const StepContext& ctx);
// The two-digit DIN year of a batch created at `now`.
int DinYear(absl::Time now, absl::TimeZone facility_zone);

// Appends `data` (receipt, seeding, observation, medium change, passage).
absl::StatusOr<StepDecision> DecideAppend(const Batch& batch, const BatchHistory& history,
                                          const std::vector<Deviation>& deviations,
                                          RecordData data, const StepResources& resources,
                                          const Product& product, const StepContext& ctx);

// Supersedes record `record_id` with `data` (of the same kind) for `reason`.
absl::StatusOr<StepDecision> DecideCorrection(const Batch& batch, const BatchHistory& history,
                                              const std::vector<Deviation>& deviations,
                                              int64_t record_id, std::string reason,
                                              RecordData data, const StepResources& resources,
                                              const Product& product, const StepContext& ctx);

// The batch's summary after `decision` was stored: its state, its passage
// and when it last changed.
void ApplyToBatch(const StepDecision& decision, absl::Time now, Batch& batch);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_BATCH_STEPS_H_
