#include "server/excursion_support.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/audit.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
#include "server/app_layer.h"
#include "server/where_used_support.h"

namespace cpctrack::server {
namespace {

// The batches `request` reaches: where-used for a lot or a piece of
// equipment (with the units and infusions made from what they touched), the
// storage history of every unit ever in the tank for a tank.
absl::StatusOr<std::vector<domain::AffectedBatch>> FindAffected(store::Transaction& tx,
                                                                const domain::Excursion& request,
                                                                absl::Time now) {
  std::vector<domain::Use> uses;
  switch (request.scope) {
    case domain::ExcursionScope::kEquipment: {
      ASSIGN_OR_RETURN(uses,
                       EquipmentUses(tx, request.subject, Window{request.from, request.to}, now));
      break;
    }
    case domain::ExcursionScope::kLot: {
      ASSIGN_OR_RETURN(uses, LotUses(tx, request.subject));
      uses = domain::UsesInWindow(std::move(uses), request.from, request.to);
      break;
    }
    case domain::ExcursionScope::kTank: {
      RETURN_IF_ERROR(tx.GetTank(request.subject).status());
      ASSIGN_OR_RETURN(std::vector<std::string> ids, tx.UnitsEverInTank(request.subject));
      std::vector<domain::UnitHistory> units;
      for (const std::string& id : ids) {
        ASSIGN_OR_RETURN(domain::Unit unit, tx.GetUnit(id));
        ASSIGN_OR_RETURN(std::vector<domain::UnitEvent> events, tx.LoadUnitEvents(id));
        units.push_back({std::move(unit), std::move(events)});
      }
      return domain::AffectedByTank(units, request.subject, request.from, request.to);
    }
    case domain::ExcursionScope::kUnspecified:
      return std::vector<domain::AffectedBatch>{};  // the domain refuses it
  }
  RETURN_IF_ERROR(AddDownstream(tx, uses));
  return domain::AffectedByUses(uses);
}

}  // namespace

std::string DeviationResource(const domain::Din& batch_id, int64_t deviation_id) {
  return absl::StrCat("batches/", batch_id.compact(), "/deviations/", deviation_id);
}

std::string ExcursionResource(int64_t excursion_id) {
  return absl::StrCat("excursions/", excursion_id);
}

absl::StatusOr<domain::Excursion> OpenExcursionIn(store::Transaction& tx, domain::Excursion request,
                                                  const domain::StepContext& step,
                                                  absl::string_view request_id) {
  std::vector<domain::AffectedBatch> affected;
  // An unknown subject or a bad window is refused by the domain first, with
  // its own message; only a request that can stand is looked up.
  RETURN_IF_ERROR(domain::DecideOpenExcursion(request, {}, step).status());
  ASSIGN_OR_RETURN(affected, FindAffected(tx, request, step.now));
  ASSIGN_OR_RETURN(domain::ExcursionDecision decision,
                   domain::DecideOpenExcursion(std::move(request), affected, step));
  domain::Excursion& e = decision.excursion;
  RETURN_IF_ERROR(tx.InsertExcursion(e));
  RETURN_IF_ERROR(AppendAudit(tx, step.now, step.actor, domain::AuditAction::kExcursionOpen,
                              ExcursionResource(e.excursion_id), "", domain::ToJson(e),
                              e.description, request_id));
  const std::string why =
      absl::StrCat("reached by excursion ", domain::ExcursionLabel(e.excursion_id));
  for (auto& [batch_id, d] : decision.children) {
    ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(batch_id));
    d.excursion_id = e.excursion_id;
    RETURN_IF_ERROR(tx.InsertDeviation(din, d));
    RETURN_IF_ERROR(AppendAudit(tx, step.now, step.actor, domain::AuditAction::kDeviationOpen,
                                DeviationResource(din, d.deviation_id), "", domain::ToJson(d), why,
                                request_id));
  }
  return e;
}

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
