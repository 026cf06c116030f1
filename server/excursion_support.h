// Opening an excursion inside a write: shared by DeviationService's
// OpenExcursion (by hand) and StorageService's RecordTankReadings (a reading
// out of limits opens one by itself), so both reach the same batches.
#ifndef CPCTRACK_SERVER_EXCURSION_SUPPORT_H_
#define CPCTRACK_SERVER_EXCURSION_SUPPORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "cpctrack/v1/deviations.pb.h"
#include "cpctrack/v1/storage.pb.h"
#include "domain/batch_steps.h"
#include "domain/excursion.h"
#include "domain/tank_readings.h"
#include "store/store.h"

namespace cpctrack::server {

// "batches/A9999260000018/deviations/12": a deviation's audit resource.
std::string DeviationResource(const domain::Din& batch_id, int64_t deviation_id);
// "excursions/3".
std::string ExcursionResource(int64_t excursion_id);

// Decides and stores `request` (scope, subject, window, description) with an
// EXCURSION deviation on every batch it reaches, each audited, in the
// caller's transaction. Returns the stored excursion (with its ID).
absl::StatusOr<domain::Excursion> OpenExcursionIn(store::Transaction& tx,
                                                  domain::Excursion request,
                                                  const domain::StepContext& step,
                                                  absl::string_view request_id);

// The excursion as stored now, with its children.
absl::Status FillExcursion(store::Transaction& tx, int64_t excursion_id, v1::Excursion* out);

void ToProto(const domain::TankReading& r, domain::TemperatureClass temperature_class,
             v1::TankReading* out);

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_EXCURSION_SUPPORT_H_
