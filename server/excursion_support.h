// Excursions as the API shows them, shared by DeviationService and
// StorageService (opening one is app/excursions.h's OpenExcursion).
#ifndef CPCTRACK_SERVER_EXCURSION_SUPPORT_H_
#define CPCTRACK_SERVER_EXCURSION_SUPPORT_H_

#include "absl/status/status.h"
#include "cpctrack/v1/deviations.pb.h"
#include "cpctrack/v1/storage.pb.h"
#include "domain/tank_readings.h"
#include "store/store.h"

namespace cpctrack::server {

// The excursion as stored now, with its children.
absl::Status FillExcursion(store::Transaction& tx, int64_t excursion_id, v1::Excursion* out);

void ToProto(const domain::TankReading& r, domain::TemperatureClass temperature_class,
             v1::TankReading* out);

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_EXCURSION_SUPPORT_H_
