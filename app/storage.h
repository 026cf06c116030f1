// Cryostorage: tanks, racks and boxes, and tank readings (a reading out of
// limits after one in limits opens a tank excursion). Proto-free.
#ifndef CPCTRACK_APP_STORAGE_H_
#define CPCTRACK_APP_STORAGE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "app/write_context.h"
#include "domain/excursion.h"
#include "domain/storage.h"
#include "domain/tank_readings.h"
#include "store/store.h"

namespace cpctrack::app {

// `ctx.user` registers `tank` (ID, name, temperature class) at `ctx.now`.
absl::StatusOr<domain::Tank> CreateTank(store::Transaction& tx, const WriteContext& ctx,
                                        domain::Tank tank);

// `ctx.user` adds rack `rack` to tank `tank_id`.
absl::Status AddRack(store::Transaction& tx, const WriteContext& ctx, absl::string_view tank_id,
                     absl::string_view rack);

// `ctx.user` adds `box` (tank, rack, name, rows, columns); the result has
// its ID ("TANK/RACK/BOX").
absl::StatusOr<domain::Box> AddBox(store::Transaction& tx, const WriteContext& ctx,
                                   domain::Box box);

struct NewReading {
  domain::TankReading reading;  // tank, time, temperature, level, source
  std::string where;  // "line 4", "readings[3]": prefixes the reading's errors
};

struct RecordedReading {
  domain::TankReading reading;  // with its ID and verdict
  domain::TemperatureClass temperature_class;  // its tank's
  int64_t excursion_id = 0;  // the excursion it opened, or 0
};

struct RecordedReadings {
  std::vector<RecordedReading> readings;  // in the order given
  std::vector<int64_t> excursion_ids;     // in time order
};

// The readings' own checks (a tank named, values a probe can read, not in
// the future), each error naming its reading (`where`): cpcd runs them
// before queueing an import, RecordTankReadings again inside the write.
absl::Status ValidateReadings(const std::vector<NewReading>& readings, absl::Time now);

// `ctx.user` records `readings` at `ctx.now`, in time order: each is judged
// against its tank's class, and the first out of limits after one in limits
// opens its tank's excursion (app/excursions.h). Errors name the reading
// (`where`).
absl::StatusOr<RecordedReadings> RecordTankReadings(store::Transaction& tx,
                                                    const WriteContext& ctx,
                                                    std::vector<NewReading> readings);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_STORAGE_H_
