// Deviations handled by people: opened by hand, investigated with notes, and
// closed by QA with a disposition that decides what becomes of the batch.
#ifndef CPCTRACK_DOMAIN_DEVIATION_STEPS_H_
#define CPCTRACK_DOMAIN_DEVIATION_STEPS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/batch.h"
#include "domain/batch_steps.h"
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

// Closes `deviation` with QA's disposition:
//  - REJECT: the batch is rejected (its units held until disposed of);
//  - CONTINUE: when this was the last open positive-test deviation of a
//    quarantined batch, the quarantine is lifted: the batch returns to
//    `state_before_quarantine` and its units to where they were;
//  - USE_UNDER_PHYSICIAN_RESPONSIBILITY: never for a positive test
//    (FailedPrecondition): a contamination signal is rejected or continued.
// `all` is every deviation of the batch (this one included).
absl::StatusOr<CloseDecision> DecideCloseDeviation(const Batch& batch,
                                                   BatchState state_before_quarantine,
                                                   const Deviation& deviation,
                                                   const std::vector<Deviation>& all,
                                                   const std::vector<Unit>& units,
                                                   Disposition disposition, std::string reason,
                                                   const StepContext& ctx);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_DEVIATION_STEPS_H_
