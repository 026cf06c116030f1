// Where-used, shared by ReportService's where-used calls and the excursions
// that open a deviation on every batch an event reached: one way to find
// what a lot or a piece of equipment touched.
#ifndef CPCTRACK_SERVER_WHERE_USED_SUPPORT_H_
#define CPCTRACK_SERVER_WHERE_USED_SUPPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/where_used.h"
#include "google/protobuf/timestamp.pb.h"
#include "store/store.h"

namespace cpctrack::server {

struct Window {
  absl::Time from;
  absl::Time to;
};

// [from, to] of a request, from the epoch and to `now` when unset;
// InvalidArgument when it ends before it starts.
absl::StatusOr<Window> ReadWindow(const google::protobuf::Timestamp* from,
                                  const google::protobuf::Timestamp* to, absl::Time now);

// The lot's own uses (NotFound for an unknown lot).
absl::StatusOr<std::vector<domain::Use>> LotUses(store::Transaction& tx,
                                                 const std::string& lot_number);

// The uses of a piece of equipment in the window: at a moment (cabinet,
// freezer, instrument, counter) or over a stay (an incubator). NotFound for
// unknown equipment.
absl::StatusOr<std::vector<domain::Use>> EquipmentUses(store::Transaction& tx,
                                                       const std::string& equipment_id,
                                                       const Window& window, absl::Time now);

// Adds the units and infusions of every batch among `uses` (once each).
absl::Status AddDownstream(store::Transaction& tx, std::vector<domain::Use>& uses);

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_WHERE_USED_SUPPORT_H_
