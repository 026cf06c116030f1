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
#include "domain/scan.h"
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

absl::StatusOr<ReleaseDecision> DecideRelease(const ReadinessFacts& facts,
                                              const StepContext& ctx) {
  ASSIGN_OR_RETURN(const BatchState released, CheckAllowed(*facts.batch, BatchAction::kRelease));
  RETURN_IF_ERROR(CheckReleaseIndependent(facts, ctx.actor));
  const Readiness readiness = EvaluateReadiness(facts, /*for_release=*/true);
  if (!readiness.ready) {
    std::vector<std::string> open;
    for (const Criterion& c : readiness.criteria) {
      if (c.status == CriterionStatus::kMet || c.status == CriterionStatus::kNonConforming) {
        continue;
      }
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
  // Out of specification at the physician's signed request: the release says
  // so and names the deviations, on the record and on every label.
  if (!readiness.non_conformities.empty()) {
    release.meaning = absl::StrCat(release.meaning, " as ",
                                   NonConformingText(readiness.non_conformities));
  }
  ReleaseDecision decision{.release = std::move(release)};
  decision.effects.new_state = released;
  return decision;
}

absl::Status CheckBedside(const Unit& unit, const TreatmentPlan& plan,
                          const BedsideFacts& facts, absl::string_view scanned_unit,
                          absl::string_view scanned_patient, absl::Time given_at) {
  if (absl::StripAsciiWhitespace(scanned_unit).empty() ||
      absl::StripAsciiWhitespace(scanned_patient).empty()) {
    return absl::InvalidArgumentError(
        "scanned_unit_id and scanned_patient_id are both required: scan the unit label and the "
        "patient's wristband");
  }
  ASSIGN_OR_RETURN(Scan scan, ParseScan("scanned_unit_id", scanned_unit));
  ASSIGN_OR_RETURN(std::string patient, ScannedPatientId("scanned_patient_id", scanned_patient));
  const std::string scanned_unit_id =
      scan.unit_sequence.has_value() ? UnitId(scan.din, *scan.unit_sequence) : "";
  if (scanned_unit_id != unit.unit_id) {
    return absl::FailedPreconditionError(absl::StrCat(
        "chain of identity: the unit scanned (",
        scanned_unit_id.empty() ? absl::StrCat("batch ", scan.din.compact(), ", no unit")
                                : scanned_unit_id,
        ") is not unit ", unit.unit_id, "; do not infuse"));
  }
  if (!scan.product_description_code.empty() &&
      scan.product_description_code != facts.isbt_product_description_code) {
    return absl::FailedPreconditionError(absl::StrCat(
        "chain of identity: the label scanned carries product ", scan.product_description_code,
        " but unit ", unit.unit_id, " is product ",
        facts.isbt_product_description_code.empty() ? "(none)"
                                                       : facts.isbt_product_description_code,
        "; do not infuse"));
  }
  const bool issued = unit.fresh() ? unit.state == UnitState::kStored
                                   : unit.state == UnitState::kThawed;
  if (!issued) {
    return absl::FailedPreconditionError(absl::StrCat(
        "chain of identity: the unit scanned (", unit.unit_id, ") is ", UnitStateName(unit.state),
        "; ", unit.fresh() ? "only a fresh unit still held (STORED)" : "only a thawed unit",
        " is infused: it is not the unit issued; do not infuse"));
  }
  bool patient_matches = patient == unit.patient_id;
  for (const PatientIdentifier& id : facts.patient_identifiers) {
    if (id.patient_id == unit.patient_id && id.value == patient) patient_matches = true;
  }
  if (!patient_matches || unit.patient_id != plan.patient_id) {
    return absl::FailedPreconditionError(absl::StrCat(
        "chain of identity: unit ", unit.unit_id, " was made for patient ", unit.patient_id,
        " but the wristband scanned (", patient, ") is not that patient's; do not infuse"));
  }
  if (unit.ExpiredAt(given_at)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "expired: ", unit.fresh() ? "fresh" : "frozen", " unit ", unit.unit_id, " expired at ",
        FormatUtc(*unit.expiry()), ", before the infusion at ", FormatUtc(given_at),
        "; do not infuse"));
  }
  if (!InfusibleAt(unit, facts.max_thaw_to_infusion, given_at)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "thawed too long ago: unit ", unit.unit_id, " was thawed at ",
        FormatUtc(unit.thaw->thawed_at), "; its infusion must start within ",
        absl::FormatDuration(facts.max_thaw_to_infusion), " of the thaw, by ",
        FormatUtc(*ThawWindowEnd(unit, facts.max_thaw_to_infusion)), ", not at ",
        FormatUtc(given_at), "; do not infuse"));
  }
  return absl::OkStatus();
}

absl::Status CheckBedsideVerifier(absl::string_view scanner, absl::string_view verifier,
                                  const std::vector<Role>& verifier_roles) {
  if (verifier.empty()) {
    return absl::InvalidArgumentError(
        "verifier: required: a second person verifies unit and patient identity at the "
        "bedside and signs with their own user name and password");
  }
  if (verifier == scanner) {
    return absl::FailedPreconditionError(absl::StrCat(
        "verifier: ", verifier, " scanned the unit and wristband; the second verifier must be "
        "another person"));
  }
  if (!RolesGrant(verifier_roles, Permission::kRecordInfusions)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "verifier: ", verifier, " may not verify an infusion (", 
        PermissionName(Permission::kRecordInfusions), " is not among their roles' permissions)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Infusion> DecideInfusion(const Batch& batch, bool release_valid, const Unit& unit,
                                        const TreatmentPlan& plan, const PlannedInfusion& planned,
                                        const BedsideFacts& facts,
                                        absl::string_view scanned_unit_id,
                                        absl::string_view scanned_patient_id, Infusion infusion,
                                        const StepContext& ctx) {
  RETURN_IF_ERROR(CheckBedside(unit, plan, facts, scanned_unit_id, scanned_patient_id,
                               infusion.started_at));
  // Two people, never one twice (their roles were checked when the second
  // signed: CheckBedsideVerifier).
  if (infusion.verified_by.empty() || infusion.verified_by == ctx.actor) {
    return CheckBedsideVerifier(ctx.actor, infusion.verified_by, {});
  }
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
  ASSIGN_OR_RETURN(infusion.late_entry,
                   CheckLateEntry("started_at", infusion.started_at, facts.max_entry_delay,
                                  ctx.late_entry_reason, ctx.now, ctx.actor));
  infusion.planned_infusion_id = planned.infusion_id;
  infusion.unit_id = unit.unit_id;
  infusion.recorded_at = ctx.now;
  infusion.recorded_by = ctx.actor;
  return infusion;
}

}  // namespace cpctrack::domain
