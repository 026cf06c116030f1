#include "server/excursion_support.h"

#include <utility>
#include <vector>

#include "domain/excursion.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"

namespace cpctrack::server {

absl::Status FillExcursion(store::Transaction& tx, int64_t excursion_id, v1::Excursion* out) {
  if (excursion_id <= 0) return absl::InvalidArgumentError("excursion_id: required");
  ASSIGN_OR_RETURN(domain::Excursion e, tx.GetExcursion(excursion_id));
  ASSIGN_OR_RETURN(std::vector<store::DeviationRow> children, tx.ExcursionChildren(excursion_id));
  out->Clear();
  out->set_excursion_id(e.excursion_id);
  out->set_scope(static_cast<v1::ExcursionScope>(e.scope));
  out->set_subject(e.subject);
  if (e.has_window()) {
    ToProto(e.from, out->mutable_from_time());
    ToProto(e.to, out->mutable_to_time());
  }
  out->set_description(e.description);
  out->set_state(e.closure.has_value() ? v1::DEVIATION_STATE_CLOSED : v1::DEVIATION_STATE_OPEN);
  ToProto(e.opened_at, out->mutable_open_time());
  out->set_opened_by(e.opened_by);
  out->set_reading_id(e.reading_id);
  for (const store::DeviationRow& row : children) {
    ToProto(row.deviation, row.batch_id, out->add_deviations());
  }
  if (e.closure.has_value()) {
    out->mutable_closure()->set_reason(e.closure->reason);
    ToProto(e.closure->closed_at, out->mutable_closure()->mutable_close_time());
    out->mutable_closure()->set_closed_by(e.closure->closed_by);
  }
  return absl::OkStatus();
}

void ToProto(const domain::TankReading& r, domain::TemperatureClass temperature_class,
             v1::TankReading* out) {
  out->set_reading_id(r.reading_id);
  out->set_tank_id(r.tank_id);
  ToProto(r.at, out->mutable_reading_time());
  out->set_temperature_c(r.temperature_c);
  if (r.ln2_level_percent.has_value()) out->set_ln2_level_percent(*r.ln2_level_percent);
  out->set_source(static_cast<v1::ReadingSource>(r.source));
  out->set_in_limits(r.in_limits);
  for (const domain::ReadingBreach& b : domain::CheckReading(temperature_class, r)) {
    out->add_breaches(b.Describe(temperature_class));
  }
  ToProto(r.recorded_at, out->mutable_record_time());
  out->set_recorded_by(r.recorded_by);
}

}  // namespace cpctrack::server
