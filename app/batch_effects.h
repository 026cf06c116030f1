// Stores what a decision does to a batch beyond its own record, in the
// caller's transaction: a new state (with its state-change row), deviations
// opened, and units whose state follows the batch's. Each with its audit entry.
#ifndef CPCTRACK_APP_BATCH_EFFECTS_H_
#define CPCTRACK_APP_BATCH_EFFECTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "domain/batch.h"
#include "domain/quarantine.h"
#include "store/store.h"

namespace cpctrack::app {

struct StoredEffects {
  std::vector<domain::Deviation> opened;  // with their IDs
  std::vector<std::string> changed_unit_ids;
};

// `batch` is updated to its new state. `reason` explains the state change
// and unit events ("STERILITY test 7 POSITIVE").
absl::StatusOr<StoredEffects> StoreEffects(store::Transaction& tx, domain::Batch& batch,
                                           domain::BatchEffects effects, absl::Time now,
                                           absl::string_view actor, absl::string_view reason,
                                           absl::string_view request_id);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_BATCH_EFFECTS_H_
