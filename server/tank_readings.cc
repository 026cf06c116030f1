// StorageService's tank readings: recorded in one transaction, each judged
// against its tank's class; the first reading out of limits after one in
// limits opens a tank excursion by itself (app/storage.h).
#include "domain/tank_readings.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "app/storage.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
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

}  // namespace

grpc::ServerUnaryReactor* StorageService::RecordTankReadings(
    grpc::CallbackServerContext* ctx, const v1::RecordTankReadingsRequest* request,
    v1::RecordTankReadingsResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    if (request->source() != v1::READING_SOURCE_TYPED &&
        request->source() != v1::READING_SOURCE_IMPORTED) {
      return absl::InvalidArgumentError("source: required: TYPED or IMPORTED");
    }
    if (request->readings().empty() || request->readings_size() > kMaxReadings) {
      return absl::InvalidArgumentError(absl::StrCat("readings: ", request->readings_size(),
                                                     " given; send 1 to ", kMaxReadings,
                                                     " readings per request"));
    }
    std::vector<app::NewReading> readings;
    for (int i = 0; i < request->readings_size(); ++i) {
      const v1::TankReading& in = request->readings(i);
      app::NewReading r;
      r.reading.tank_id = in.tank_id();
      if (in.has_reading_time()) r.reading.at = FromProto(in.reading_time());
      r.reading.temperature_c = in.temperature_c();
      if (in.has_ln2_level_percent()) r.reading.ln2_level_percent = in.ln2_level_percent();
      r.reading.source = static_cast<domain::ReadingSource>(request->source());
      r.where = Where(in, i);
      readings.push_back(std::move(r));
    }
    // A bad line refuses the file before it is queued (checked again inside).
    RETURN_IF_ERROR(app::ValidateReadings(readings, write.now));
    return WriteOnce(
        store_, "RecordTankReadings", write.user, *request, request->request_id(), response,
        [=](store::Transaction& tx) -> absl::Status {
          ASSIGN_OR_RETURN(app::RecordedReadings out,
                           app::RecordTankReadings(tx, write, readings));
          response->Clear();
          for (const app::RecordedReading& r : out.readings) {
            v1::TankReading* reading = response->add_readings();
            ToProto(r.reading, r.temperature_class, reading);
            reading->set_excursion_id(r.excursion_id);
          }
          for (int64_t id : out.excursion_ids) response->add_excursion_ids(id);
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
        app::Window window,
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
