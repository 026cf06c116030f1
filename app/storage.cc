#include "app/storage.h"

#include <algorithm>
#include <numeric>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/audit.h"
#include "app/excursions.h"
#include "domain/audit.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"

namespace cpctrack::app {
namespace {

absl::Status At(const std::string& where, const absl::Status& s) {
  if (s.ok()) return s;
  return absl::Status(s.code(), absl::StrCat(where, ": ", s.message()));
}

// Records one reading and, when it is the first out of limits, opens the
// excursion of its tank.
absl::Status RecordOne(store::Transaction& tx, const WriteContext& ctx,
                       RecordedReading& recorded) {
  domain::TankReading& reading = recorded.reading;
  ASSIGN_OR_RETURN(domain::Tank tank, tx.GetTank(reading.tank_id));
  recorded.temperature_class = tank.temperature_class;
  const std::vector<domain::ReadingBreach> breaches =
      domain::CheckReading(tank.temperature_class, reading);
  reading.in_limits = breaches.empty();
  ASSIGN_OR_RETURN(std::optional<domain::TankReading> previous,
                   tx.TankReadingBefore(reading.tank_id, reading.at, false));
  RETURN_IF_ERROR(tx.InsertTankReading(reading));
  RETURN_IF_ERROR(
      AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kStorageRecordReading,
                  absl::StrCat("tanks/", tank.tank_id, "/readings/", reading.reading_id), "",
                  domain::ToJson(reading), "", ctx.request_id));
  if (breaches.empty() || !domain::OpensExcursion(previous)) return absl::OkStatus();

  ASSIGN_OR_RETURN(std::optional<domain::TankReading> last_in_limits,
                   tx.TankReadingBefore(reading.tank_id, reading.at, true));
  std::vector<std::string> why;
  for (const domain::ReadingBreach& b : breaches) {
    why.push_back(b.Describe(tank.temperature_class));
  }
  domain::Excursion excursion;
  excursion.scope = domain::ExcursionScope::kTank;
  excursion.subject = tank.tank_id;
  // A monitor's clock may run a little ahead of cpcd's (ValidateReading).
  excursion.from = std::min(domain::ExcursionStart(last_in_limits, reading), ctx.now);
  excursion.to = std::max(excursion.from, reading.at);
  excursion.reading_id = reading.reading_id;
  excursion.description = absl::StrCat(
      "tank ", tank.tank_id, " out of limits: reading ", reading.reading_id, " at ",
      domain::FormatUtc(reading.at), ": ", absl::StrJoin(why, "; "),
      last_in_limits.has_value()
          ? absl::StrCat(" (last reading in limits ", domain::FormatUtc(last_in_limits->at), ")")
          : " (no reading in limits before it)");
  ASSIGN_OR_RETURN(domain::Excursion opened,
                   OpenExcursion(tx, ctx, std::move(excursion)));
  recorded.excursion_id = opened.excursion_id;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<domain::Tank> CreateTank(store::Transaction& tx, const WriteContext& ctx,
                                        domain::Tank tank) {
  tank.created_at = ctx.now;
  tank.created_by = ctx.user;
  RETURN_IF_ERROR(domain::ValidateTank(tank));
  RETURN_IF_ERROR(tx.InsertTank(tank));
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kStorageCreateTank,
                              absl::StrCat("tanks/", tank.tank_id), "", domain::ToJson(tank), "",
                              ctx.request_id));
  return tank;
}

absl::Status AddRack(store::Transaction& tx, const WriteContext& ctx, absl::string_view tank_id,
                     absl::string_view rack) {
  RETURN_IF_ERROR(domain::ValidateStorageName("tank_id", tank_id));
  RETURN_IF_ERROR(domain::ValidateStorageName("rack", rack));
  RETURN_IF_ERROR(tx.InsertRack(tank_id, rack, ctx.now, ctx.user));
  return AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kStorageAddRack,
                     absl::StrCat("tanks/", tank_id, "/racks/", rack), "",
                     domain::JsonObject().Add("rack", rack).Build(), "", ctx.request_id);
}

absl::StatusOr<domain::Box> AddBox(store::Transaction& tx, const WriteContext& ctx,
                                   domain::Box box) {
  box.created_at = ctx.now;
  box.created_by = ctx.user;
  RETURN_IF_ERROR(domain::ValidateBox(box));
  box.box_id = domain::BoxId(box.tank_id, box.rack, box.name);
  RETURN_IF_ERROR(tx.GetTank(box.tank_id).status());
  RETURN_IF_ERROR(tx.InsertBox(box));
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kStorageAddBox,
                              absl::StrCat("boxes/", box.box_id), "", domain::ToJson(box), "",
                              ctx.request_id));
  return box;
}

absl::Status ValidateReadings(const std::vector<NewReading>& readings, absl::Time now) {
  for (const NewReading& in : readings) {
    if (in.reading.tank_id.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(in.where, ": tank_id: required"));
    }
    RETURN_IF_ERROR(At(in.where, domain::ValidateReading(in.reading, now)));
  }
  return absl::OkStatus();
}

absl::StatusOr<RecordedReadings> RecordTankReadings(store::Transaction& tx,
                                                    const WriteContext& ctx,
                                                    std::vector<NewReading> readings) {
  RETURN_IF_ERROR(ValidateReadings(readings, ctx.now));
  RecordedReadings out;
  for (NewReading& in : readings) {
    domain::TankReading& r = in.reading;
    r.recorded_at = ctx.now;
    r.recorded_by = ctx.user;
    out.readings.push_back(RecordedReading{r, domain::TemperatureClass::kUnspecified, 0});
  }
  // In time order: whether a reading opens an excursion depends on the one
  // before it.
  std::vector<int> order(readings.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return readings[a].reading.at < readings[b].reading.at;
  });
  for (int i : order) {
    RETURN_IF_ERROR(At(readings[i].where, RecordOne(tx, ctx, out.readings[i])));
    if (out.readings[i].excursion_id != 0) {
      out.excursion_ids.push_back(out.readings[i].excursion_id);
    }
  }
  return out;
}

}  // namespace cpctrack::app
