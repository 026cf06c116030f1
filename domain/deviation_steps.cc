#include "domain/deviation_steps.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"

namespace cpctrack::domain {
namespace {

absl::Status CheckOpen(const Deviation& deviation) {
  if (deviation.state != DeviationState::kClosed) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "deviation ", deviation.deviation_id, " was closed (",
      deviation.closure.has_value() ? DispositionName(deviation.closure->disposition) : "",
      "); open a new deviation for anything further"));
}

}  // namespace

absl::StatusOr<Deviation> DecideOpenDeviation(const Batch& batch, DeviationKind kind,
                                              std::string description, const StepContext& ctx) {
  RETURN_IF_ERROR(CheckAllowed(batch, BatchAction::kHandleDeviation).status());
  if (kind == DeviationKind::kUnspecified || DeviationKindName(kind) == "unknown") {
    return absl::InvalidArgumentError("kind is required (e.g. OTHER, EXCURSION)");
  }
  // The other kinds are facts cpctrack records itself when a step reveals
  // them (a positive test, a passage beyond the limit, ...): opened by hand
  // they would claim a finding, and a positive one a quarantine, that is not
  // on record.
  if (kind != DeviationKind::kOther && kind != DeviationKind::kExcursion &&
      kind != DeviationKind::kOutOfSpecification) {
    return absl::InvalidArgumentError(absl::StrCat(
        "kind: ", DeviationKindName(kind),
        " deviations are opened by the step that reveals them; open OTHER, EXCURSION or "
        "OUT_OF_SPECIFICATION by hand"));
  }
  RETURN_IF_ERROR(CheckFreeText("description", description, 2000, true));
  Deviation d;
  d.kind = kind;
  d.description = std::move(description);
  d.state = DeviationState::kOpen;
  d.opened_at = ctx.now;
  d.opened_by = ctx.actor;
  return d;
}

absl::StatusOr<DeviationNote> DecideAddNote(const Batch& batch, const Deviation& deviation,
                                            std::string text, const StepContext& ctx) {
  RETURN_IF_ERROR(CheckAllowed(batch, BatchAction::kHandleDeviation).status());
  RETURN_IF_ERROR(CheckOpen(deviation));
  RETURN_IF_ERROR(CheckFreeText("text", text, 4000, true));
  DeviationNote note;
  note.added_at = ctx.now;
  note.added_by = ctx.actor;
  note.text = std::move(text);
  return note;
}

bool OutsideSpecification(DeviationKind kind) {
  return kind == DeviationKind::kOutOfSpecification || kind == DeviationKind::kPassageLimit ||
         kind == DeviationKind::kPopulationDoublingLimit;
}

absl::Status CheckPhysicianRequest(absl::string_view closer, absl::string_view physician,
                                   const std::vector<Role>& physician_roles) {
  if (physician.empty()) {
    return absl::InvalidArgumentError(
        "physician: required for USE_UNDER_PHYSICIAN_RESPONSIBILITY: the treating physician "
        "requests the use and signs the request with their own user name and password");
  }
  if (physician == closer) {
    return absl::PermissionDeniedError(absl::StrCat(
        "physician: ", physician, " is closing the deviation as QA; the physician's request "
        "must be signed by another person (no one signs for their own decision)"));
  }
  if (!RolesGrant(physician_roles, Permission::kRequestPhysicianUse)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "physician: ", physician, " does not hold the ", RoleName(Role::kPhysician),
        " role; only a physician requests use under the physician's responsibility"));
  }
  return absl::OkStatus();
}

namespace {

// A positive test is continued only as a false positive: a retest of the same
// type, ordered after it, with a result that is no contamination signal.
absl::Status CheckNegativeRetest(const Deviation& deviation, const std::vector<QcTest>& tests) {
  const QcTest* positive = nullptr;
  for (const QcTest& t : tests) {
    if (t.test_id == deviation.qc_test_id) positive = &t;
  }
  const std::string what =
      positive == nullptr ? absl::StrCat("test ", deviation.qc_test_id)
                          : absl::StrCat(QcTestTypeName(positive->type), " test ",
                                         positive->test_id);
  if (positive != nullptr) {
    for (const QcTest& t : tests) {
      if (t.type != positive->type || t.test_id <= positive->test_id ||
          t.State() == QcTestState::kInvalidated) {
        continue;
      }
      const QcResult* result = t.Current();
      if (result != nullptr && !IsContamination(result->value)) return absl::OkStatus();
    }
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "disposition: CONTINUE of deviation ", deviation.deviation_id, " (", deviation.description,
      ") needs an investigation showing a false positive with a negative retest on record: no "
      "retest of ", what, " ordered after it has a negative result; order one (cpc qc order) "
      "and record its result, or REJECT"));
}

}  // namespace

absl::StatusOr<CloseDecision> DecideCloseDeviation(const Batch& batch,
                                                   BatchState state_before_quarantine,
                                                   const Deviation& deviation,
                                                   const std::vector<Deviation>& all,
                                                   const std::vector<Unit>& units,
                                                   const std::vector<QcTest>& tests,
                                                   CloseRequest request, const StepContext& ctx) {
  const Disposition disposition = request.disposition;
  RETURN_IF_ERROR(CheckAllowed(batch, BatchAction::kHandleDeviation).status());
  RETURN_IF_ERROR(CheckOpen(deviation));
  if (DispositionName(disposition) == "UNSPECIFIED") {
    return absl::InvalidArgumentError(
        "disposition is required: CONTINUE, REJECT or USE_UNDER_PHYSICIAN_RESPONSIBILITY");
  }
  const bool physician_use = disposition == Disposition::kUseUnderPhysicianResponsibility;
  // EU GMP Part IV §11.5 lets a physician ask for an out-of-specification
  // batch, never a contaminated one: a positive test is rejected, or continued
  // once an investigation shows a false positive.
  if (deviation.kind == DeviationKind::kPositiveTest && physician_use) {
    return absl::FailedPreconditionError(absl::StrCat(
        "disposition: deviation ", deviation.deviation_id, " is a positive test (",
        deviation.description,
        "); a contamination signal is never used under the physician's responsibility: REJECT, "
        "or CONTINUE after an investigation shows a false positive"));
  }
  if (physician_use && !OutsideSpecification(deviation.kind)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "disposition: deviation ", deviation.deviation_id, " is of kind ",
        DeviationKindName(deviation.kind),
        ", not a result outside the specification; only an out-of-specification batch is used "
        "under the physician's responsibility: CONTINUE or REJECT"));
  }
  if (physician_use && request.physician.empty()) {
    return CheckPhysicianRequest(ctx.actor, request.physician, {});
  }
  if (!physician_use && !request.physician.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "physician: ", request.physician, " named with disposition ",
        DispositionName(disposition),
        "; a physician's request goes only with USE_UNDER_PHYSICIAN_RESPONSIBILITY"));
  }
  if (physician_use && request.physician == ctx.actor) {
    return CheckPhysicianRequest(ctx.actor, request.physician, {});
  }
  if (deviation.kind == DeviationKind::kPositiveTest && disposition == Disposition::kContinue) {
    RETURN_IF_ERROR(CheckNegativeRetest(deviation, tests));
  }
  RETURN_IF_ERROR(CheckFreeText("reason", request.reason, 2000, true));
  CloseDecision decision;
  decision.closure.disposition = disposition;
  decision.closure.reason = std::move(request.reason);
  decision.closure.closed_at = ctx.now;
  decision.closure.closed_by = ctx.actor;
  decision.closure.physician = std::move(request.physician);

  if (disposition == Disposition::kReject) {
    if (batch.state == BatchState::kRejected || batch.state == BatchState::kDisposed) {
      return decision;  // already beyond use
    }
    ASSIGN_OR_RETURN(decision.effects, Reject(batch, units));
    return decision;
  }
  // Only a positive-test deviation's own disposition lifts the quarantine.
  if (batch.state != BatchState::kQuarantined || deviation.kind != DeviationKind::kPositiveTest) {
    return decision;
  }
  for (const Deviation& other : all) {
    if (other.deviation_id != deviation.deviation_id && other.state == DeviationState::kOpen &&
        other.kind == DeviationKind::kPositiveTest) {
      return decision;  // another positive result still holds the quarantine
    }
  }
  ASSIGN_OR_RETURN(decision.effects, Lift(batch, state_before_quarantine, units));
  return decision;
}

}  // namespace cpctrack::domain
