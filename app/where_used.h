// Where-used: one way to find what a lot or a piece of equipment touched,
// shared by ReportService's where-used reads and the excursions that open a
// deviation on every batch an event reached. The store finds the uses by
// index; the domain says how long a culture sat in an incubator.
#ifndef CPCTRACK_APP_WHERE_USED_H_
#define CPCTRACK_APP_WHERE_USED_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/where_used.h"
#include "store/store.h"

namespace cpctrack::app {

struct Window {
  absl::Time from;
  absl::Time to;
};

// The lot's own uses (NotFound for an unknown lot).
absl::StatusOr<std::vector<domain::Use>> LotUses(store::Transaction& tx,
                                                 const std::string& lot_number);

// The uses of a piece of equipment in the window: at a moment (cabinet,
// freezer, instrument, counter) or over a stay (an incubator; one not over
// yet lasts until `now`). NotFound for unknown equipment.
absl::StatusOr<std::vector<domain::Use>> EquipmentUses(store::Transaction& tx,
                                                       const std::string& equipment_id,
                                                       const Window& window, absl::Time now);

// Adds the units and infusions of every batch among `uses` (once each).
absl::Status AddDownstream(store::Transaction& tx, std::vector<domain::Use>& uses);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_WHERE_USED_H_
