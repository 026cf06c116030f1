// StorageService's tank readings: recorded in one transaction, each judged
// against its tank's class; the first reading out of limits after one in
// limits opens a tank excursion by itself (app/excursions.h).
#include "domain/tank_readings.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/excursions.h"
#include "domain/audit.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
#include "server/app_layer.h"
#include "server/excursion_support.h"
#include "server/unit_service.h"
#include "server/where_used_support.h"

namespace cpctrack::server {
namespace {

// Most readings one request records (a month of 5-minute readings of one
// tank is under 9000) and one listing answers.
constexpr int kMaxReadings = 10000;
constexpr int kMaxListed = 5000;

// "line 4" of an imported file, else "readings[3]": where an error is.
std::string Where(const v1::TankReading& r, int index) {
  return r.source_line() > 0 ? absl::StrCat("line ", r.source_line())
                             : absl::StrCat("readings[", index, "]");
}

absl::Status At(const std::string& where, const absl::Status& s) {
  if (s.ok()) return s;
  return absl::Status(s.code(), absl::StrCat(where, ": ", s.message()));
}

// Records one reading and, when it is the first out of limits, opens the
// excursion of its tank. Returns the excursion's ID, or 0.
absl::StatusOr<int64_t> RecordOne(store::Transaction& tx, domain::TankReading& reading,
                                  const domain::StepContext& step, absl::string_view request_id,
                                  v1::TankReading* out) {
  ASSIGN_OR_RETURN(domain::Tank tank, tx.GetTank(reading.tank_id));
  const std::vector<domain::ReadingBreach> breaches =
      domain::CheckReading(tank.temperature_class, reading);
  reading.in_limits = breaches.empty();
  ASSIGN_OR_RETURN(std::optional<domain::TankReading> previous,
                   tx.TankReadingBefore(reading.tank_id, reading.at, false));
  RETURN_IF_ERROR(tx.InsertTankReading(reading));
  RETURN_IF_ERROR(
      AppendAudit(tx, step.now, step.actor, domain::AuditAction::kStorageRecordReading,
                  absl::StrCat("tanks/", tank.tank_id, "/readings/", reading.reading_id), "",
                  domain::ToJson(reading), "", request_id));
  ToProto(reading, tank.temperature_class, out);
  if (breaches.empty() || !domain::OpensExcursion(previous)) return 0;

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
  excursion.from = std::min(domain::ExcursionStart(last_in_limits, reading), step.now);
  excursion.to = std::max(excursion.from, reading.at);
  excursion.reading_id = reading.reading_id;
  excursion.description = absl::StrCat(
      "tank ", tank.tank_id, " out of limits: reading ", reading.reading_id, " at ",
      domain::FormatUtc(reading.at), ": ", absl::StrJoin(why, "; "),
      last_in_limits.has_value()
          ? absl::StrCat(" (last reading in limits ", domain::FormatUtc(last_in_limits->at), ")")
          : " (no reading in limits before it)");
  const app::WriteContext write{.now = step.now,
                                .zone = step.facility_zone,
                                .user = step.actor,
                                .request_id = std::string(request_id)};
  ASSIGN_OR_RETURN(domain::Excursion opened,
                   app::OpenExcursion(tx, write, std::move(excursion)));
  out->set_excursion_id(opened.excursion_id);
  return opened.excursion_id;
}

}  // namespace

grpc::ServerUnaryReactor* StorageService::RecordTankReadings(
    grpc::CallbackServerContext* ctx, const v1::RecordTankReadingsRequest* request,
    v1::RecordTankReadingsResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    const domain::StepContext step{absl::Now(), config_.time_zone, user, ""};
    if (request->source() != v1::READING_SOURCE_TYPED &&
        request->source() != v1::READING_SOURCE_IMPORTED) {
      return absl::InvalidArgumentError("source: required: TYPED or IMPORTED");
    }
    if (request->readings().empty() || request->readings_size() > kMaxReadings) {
      return absl::InvalidArgumentError(absl::StrCat("readings: ", request->readings_size(),
                                                     " given; send 1 to ", kMaxReadings,
                                                     " readings per request"));
    }
    std::vector<domain::TankReading> readings;
    for (int i = 0; i < request->readings_size(); ++i) {
      const v1::TankReading& in = request->readings(i);
      domain::TankReading r;
      r.tank_id = in.tank_id();
      if (in.has_reading_time()) r.at = FromProto(in.reading_time());
      r.temperature_c = in.temperature_c();
      if (in.has_ln2_level_percent()) r.ln2_level_percent = in.ln2_level_percent();
      r.source = static_cast<domain::ReadingSource>(request->source());
      r.recorded_at = step.now;
      r.recorded_by = user;
      if (r.tank_id.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(Where(in, i), ": tank_id: required"));
      }
      RETURN_IF_ERROR(At(Where(in, i), domain::ValidateReading(r, step.now)));
      readings.push_back(std::move(r));
    }
    return WriteOnce(
        store_, "RecordTankReadings", user, *request, request->request_id(), response,
        [=, this](store::Transaction& tx) mutable -> absl::Status {
          // In time order: whether a reading opens an excursion depends on
          // the one before it.
          std::vector<int> order(readings.size());
          std::iota(order.begin(), order.end(), 0);
          std::stable_sort(order.begin(), order.end(),
                           [&](int a, int b) { return readings[a].at < readings[b].at; });
          response->Clear();
          for (int i = 0; i < static_cast<int>(readings.size()); ++i) response->add_readings();
          for (int i : order) {
            const absl::StatusOr<int64_t> excursion_id = RecordOne(
                tx, readings[i], step, request->request_id(), response->mutable_readings(i));
            if (!excursion_id.ok()) {
              return At(Where(request->readings(i), i), excursion_id.status());
            }
            if (*excursion_id != 0) response->add_excursion_ids(*excursion_id);
          }
          return absl::OkStatus();
        });
  });
}

grpc::ServerUnaryReactor* StorageService::ListTankReadings(
    grpc::CallbackServerContext* ctx, const v1::ListTankReadingsRequest* request,
    v1::ListTankReadingsResponse* response) {
  return Respond(ctx, [&]() -> absl::Status {
    if (request->tank_id().empty()) return absl::InvalidArgumentError("tank_id: required");
    ASSIGN_OR_RETURN(
        Window window,
        ReadWindow(request->has_from_time() ? &request->from_time() : nullptr,
                   request->has_to_time() ? &request->to_time() : nullptr, absl::Now()));
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(domain::Tank tank, tx.GetTank(request->tank_id()));
      ASSIGN_OR_RETURN(std::vector<domain::TankReading> readings,
                       tx.ListTankReadings(tank.tank_id, window.from, window.to, kMaxListed + 1));
      response->set_truncated(readings.size() > static_cast<size_t>(kMaxListed));
      if (response->truncated()) readings.resize(kMaxListed);
      for (const domain::TankReading& r : readings) {
        ToProto(r, tank.temperature_class, response->add_readings());
      }
      return absl::OkStatus();
    });
  });
}

}  // namespace cpctrack::server
