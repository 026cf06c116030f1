// Deviations a step raises on its own: facts that are recorded, not refused
// (the cells are the patient's own and may still be usable under QA's
// disposition), but must be impossible to miss.
#ifndef CPCTRACK_DOMAIN_DEVIATION_RULES_H_
#define CPCTRACK_DOMAIN_DEVIATION_RULES_H_

#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/batch.h"
#include "domain/patient.h"
#include "domain/product.h"
#include "domain/records.h"

namespace cpctrack::domain {

// Compares the batch's effective timeline before and after one step and
// returns the deviations to open:
//  - late processing: collection to P0 seeding (or, before seeding, to
//    receipt) longer than the product's max_processing_delay;
//  - passage limit: the culture passed beyond the product's max_passage;
//  - population doubling limit: cumulative PD above the product's maximum.
// A rule fires only when its measured value changed in this step, so a
// deviation QA has closed is not reopened by every later observation. While
// one of its kind is open, a new step adds none, except a correction: a
// corrected value gets its own deviation so the record shows the true figure.
std::vector<Deviation> RaiseDeviations(const std::vector<const RecordData*>& before,
                                       const std::vector<const RecordData*>& after,
                                       bool is_correction, const Product& product,
                                       const std::vector<Deviation>& existing, absl::Time now,
                                       absl::string_view actor);

// When a patient update leaves the patient ineligible (a screening result
// positive or pending, consent withdrawn) for a reason the previous revision
// did not have, the deviation to open on each batch of the patient that
// AffectedByPatientChange. nullopt when nothing new is wrong.
std::optional<Deviation> RaisePatientDeviation(const Patient& before, const Patient& after,
                                               absl::Time now, absl::string_view actor);

// A batch not yet rejected still holds cells that may reach the patient.
bool AffectedByPatientChange(const Batch& batch);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_DEVIATION_RULES_H_
