// Deviations handled by people: opened by hand, investigated with notes, and
// closed by QA with a disposition that decides what becomes of the batch.
#ifndef CPCTRACK_DOMAIN_DEVIATION_STEPS_H_
#define CPCTRACK_DOMAIN_DEVIATION_STEPS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/batch.h"
#include "domain/access.h"
#include "domain/batch_steps.h"
#include "domain/qc.h"
#include "domain/quarantine.h"
#include "domain/units.h"

namespace cpctrack::domain {

absl::StatusOr<Deviation> DecideOpenDeviation(const Batch& batch, DeviationKind kind,
                                              std::string description, const StepContext& ctx);

// REQUIRES: `deviation` belongs to `batch`.
absl::StatusOr<DeviationNote> DecideAddNote(const Batch& batch, const Deviation& deviation,
                                            std::string text, const StepContext& ctx);

struct CloseDecision {
  DeviationClosure closure;
  BatchEffects effects;
};

// What QA asks when closing a deviation.
struct CloseRequest {
  Disposition disposition = Disposition::kUnspecified;
  std::string reason;
  // USE_UNDER_PHYSICIAN_RESPONSIBILITY only: the physician whose signed
  // request, made in the same request, the closure carries (the caller has
  // re-authenticated them and checked CheckPhysicianRequest); "" otherwise.
  std::string physician;
};

// Whether a deviation of `kind` records the batch outside its specification
// (a QC result out of specification, the passage or population doubling
// limit passed): what a physician may ask to use under their responsibility.
bool OutsideSpecification(DeviationKind kind);

// The physician's signed request to use an out-of-specification batch (EU GMP
// Part IV §11.5): named (InvalidArgument), another person than `closer`, QA
// who closes (PermissionDenied: no one signs for their own decision), and
// holding the physician role (PermissionDenied naming it).
absl::Status CheckPhysicianRequest(absl::string_view closer, absl::string_view physician,
                                   const std::vector<Role>& physician_roles);

// Closes `deviation` with QA's disposition:
//  - REJECT: the batch is rejected (its units held until disposed of);
//  - CONTINUE: when this was the last open positive-test deviation of a
//    quarantined batch, the quarantine is lifted: the batch returns to
//    `state_before_quarantine` and its units to where they were. A positive
//    test is continued only as a false positive: a retest of the same type,
//    ordered after it, has a result on record that is no contamination signal
//    (FailedPrecondition otherwise);
//  - USE_UNDER_PHYSICIAN_RESPONSIBILITY: only for a deviation
//    OutsideSpecification, never for a positive test (FailedPrecondition), and
//    only with the physician's request (`request.physician`, InvalidArgument
//    when missing); the batch may then be released as non-conforming
//    (EvaluateReadiness).
// `all` is every deviation of the batch (this one included), `tests` every QC
// test of the batch.
absl::StatusOr<CloseDecision> DecideCloseDeviation(const Batch& batch,
                                                   BatchState state_before_quarantine,
                                                   const Deviation& deviation,
                                                   const std::vector<Deviation>& all,
                                                   const std::vector<Unit>& units,
                                                   const std::vector<QcTest>& tests,
                                                   CloseRequest request, const StepContext& ctx);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_DEVIATION_STEPS_H_
