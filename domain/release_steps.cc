#include "domain/release_steps.h"

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/plausibility.h"
#include "domain/quarantine.h"
#include "domain/status_macros.h"

namespace cpctrack::domain {

absl::Status CheckReleaseIndependent(const ReadinessFacts& facts, absl::string_view signer) {
  std::vector<std::string> own;
  for (const BatchRecord& r : facts.history->records()) {
    if (r.recorded_by != signer) continue;
    own.push_back(absl::StrCat(RecordKindName(KindOf(r.data)), " record ", r.record_id));
  }
  for (const QcTest& t : facts.tests) {
    for (const QcResult& r : t.results) {
      if (r.performed_by != signer) continue;
      own.push_back(absl::StrCat(QcTestTypeName(t.type), " result ", r.result_id, " (test ",
                                 t.test_id, ")"));
    }
  }
  for (const Unit& u : facts.units) {
    if (u.frozen_by == signer) absl::StrAppend(&own.emplace_back(), "unit ", u.unit_id);
  }
  if (own.empty()) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      "release of batch ", facts.batch->batch_id.compact(), ": QA is independent of production; ",
      signer, " recorded ", absl::StrJoin(own, ", "),
      " of this batch and cannot release it; another QA reviewer must sign"));
}

absl::StatusOr<Release> DecideRelease(const ReadinessFacts& facts, const StepContext& ctx) {
  RETURN_IF_ERROR(CheckAllowed(*facts.batch, BatchAction::kRelease).status());
  RETURN_IF_ERROR(CheckReleaseIndependent(facts, ctx.actor));
  const Readiness readiness = EvaluateReadiness(facts, /*for_release=*/true);
  if (!readiness.ready) {
    std::vector<std::string> open;
    for (const Criterion& c : readiness.criteria) {
      if (c.status == CriterionStatus::kMet) continue;
      open.push_back(absl::StrCat(c.name, " ", CriterionStatusName(c.status), " (", c.value,
                                  "; needs ", c.limit, ")"));
    }
    return absl::FailedPreconditionError(
        absl::StrCat("release refused for batch ", facts.batch->batch_id.compact(), ": ",
                     open.size(), " criteria not met or pending: ", absl::StrJoin(open, "; ")));
  }
  Release release;
  release.signer = ctx.actor;
  release.signed_at = ctx.now;
  release.record_hash = BatchRecordHash(facts);
  return release;
}

absl::Status CheckBedside(const Unit& unit, const TreatmentPlan& plan,
                          absl::string_view scanned_unit_id, absl::string_view scanned_patient_id,
                          absl::Time given_at) {
  const absl::string_view scanned_unit = absl::StripAsciiWhitespace(scanned_unit_id);
  const absl::string_view scanned_patient = absl::StripAsciiWhitespace(scanned_patient_id);
  if (scanned_unit.empty() || scanned_patient.empty()) {
    return absl::InvalidArgumentError(
        "scanned_unit_id and scanned_patient_id are both required: scan the unit label and the "
        "patient's wristband");
  }
  if (!absl::EqualsIgnoreCase(scanned_unit, unit.unit_id)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "chain of identity: the unit scanned (", scanned_unit, ") is not the unit issued (",
        unit.unit_id, "); do not infuse"));
  }
  if (scanned_patient != unit.patient_id || scanned_patient != plan.patient_id) {
    return absl::FailedPreconditionError(absl::StrCat(
        "chain of identity: unit ", unit.unit_id, " was made for patient ", unit.patient_id,
        " but the patient scanned is ", scanned_patient, "; do not infuse"));
  }
  if (unit.ExpiredAt(given_at)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "expired: fresh unit ", unit.unit_id, " expired at ", FormatUtc(*unit.expires_at),
        ", before the infusion at ", FormatUtc(given_at), "; do not infuse"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Infusion> DecideInfusion(const Batch& batch, bool release_valid, const Unit& unit,
                                        const TreatmentPlan& plan, const PlannedInfusion& planned,
                                        absl::string_view scanned_unit_id,
                                        absl::string_view scanned_patient_id, Infusion infusion,
                                        const StepContext& ctx) {
  RETURN_IF_ERROR(
      CheckBedside(unit, plan, scanned_unit_id, scanned_patient_id, infusion.started_at));
  RETURN_IF_ERROR(CheckAllowed(batch, BatchAction::kInfuse).status());
  if (!release_valid) {
    return absl::FailedPreconditionError(absl::StrCat(
        "batch ", batch.batch_id.compact(),
        ": its release was revoked by a later change to the record; QA must sign again"));
  }
  if (unit.batch_id != plan.batch_id) {
    return absl::FailedPreconditionError(absl::StrCat(
        "unit ", unit.unit_id, " is not from batch ", plan.batch_id, " that supplies the plan"));
  }
  // What the unit holds for infusion, and since when.
  int64_t viable_cells = 0;
  absl::Time ready_at;
  absl::string_view ready_event;
  if (unit.fresh()) {
    if (unit.state != UnitState::kStored) {
      return absl::FailedPreconditionError(
          absl::StrCat("unit ", unit.unit_id, " is ", UnitStateName(unit.state),
                       "; only a fresh unit still held (STORED) is infused"));
    }
    viable_cells = unit.cells;
    ready_at = unit.frozen_at;
    ready_event = "the formulation";
  } else {
    if (unit.state != UnitState::kThawed || !unit.thaw.has_value()) {
      return absl::FailedPreconditionError(absl::StrCat("unit ", unit.unit_id, " is ",
                                                        UnitStateName(unit.state),
                                                        "; only a thawed unit is infused"));
    }
    viable_cells = unit.thaw->viable_cells;
    ready_at = unit.thaw->thawed_at;
    ready_event = "the thaw";
  }
  RETURN_IF_ERROR(CheckNotFuture("started_at", infusion.started_at, ctx.now));
  RETURN_IF_ERROR(CheckNotBefore("started_at", infusion.started_at, ready_event, ready_at));
  if (infusion.ended_at != absl::InfinitePast()) {
    RETURN_IF_ERROR(CheckNotFuture("ended_at", infusion.ended_at, ctx.now));
    RETURN_IF_ERROR(
        CheckNotBefore("ended_at", infusion.ended_at, "the start", infusion.started_at));
  }
  if (infusion.viable_cells_given == 0) infusion.viable_cells_given = viable_cells;
  RETURN_IF_ERROR(CheckCount("viable_cells_given", infusion.viable_cells_given));
  if (infusion.viable_cells_given > viable_cells) {
    return absl::InvalidArgumentError(absl::StrCat(
        "viable_cells_given (", infusion.viable_cells_given, ") exceeds the unit's ",
        viable_cells, unit.fresh() ? " viable cells as formulated" : " viable cells after thaw"));
  }
  RETURN_IF_ERROR(CheckFreeText("adverse_events", infusion.adverse_events, 4000, false));
  infusion.planned_infusion_id = planned.infusion_id;
  infusion.unit_id = unit.unit_id;
  infusion.recorded_at = ctx.now;
  infusion.recorded_by = ctx.actor;
  return infusion;
}

}  // namespace cpctrack::domain
