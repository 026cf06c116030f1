// How each required test of a product's specification stands for release:
// which tests count (their sample points), what the release rests on (the
// final result, or an interim reading with the final result followed after
// release), and which results the release signature is bound to.
#ifndef CPCTRACK_DOMAIN_RELEASE_TESTS_H_
#define CPCTRACK_DOMAIN_RELEASE_TESTS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "domain/readiness.h"

namespace cpctrack::domain {

// "sterility", "gram stain": a test type as a criterion names it.
std::string CriterionName(QcTestType type);

// The closed deviation of `kind` (and, when `qc_test_id` is not 0, raised by
// that test's result) that the physician asked to use under their
// responsibility; nullptr if none.
const Deviation* PhysicianUse(const ReadinessFacts& f, DeviationKind kind, int64_t qc_test_id);

// Marks a criterion not met as kNonConforming when `use` covers it, naming
// the deviation and the physician in its value.
void CoverByPhysicianUse(Criterion& c, const Deviation* use);

// The latest test of `type` on a sample drawn at one of `points`, not
// invalidated (a retest replaces an invalidated test); nullptr if none.
const QcTest* LatestTestAt(const ReadinessFacts& f, QcTestType type,
                           const std::vector<SamplePoint>& points);

// The criteria of one required test: the release criterion, and for an
// interim basis a second, "<test> (followed after release)", met once the
// follow-up test is ordered ("followed after release: result due DATE").
// `due` is raised to when a pending release basis can exist.
std::vector<Criterion> RequiredTestCriteria(const ReadinessFacts& f, const RequiredTest& required,
                                            bool growing, std::optional<absl::Time>& due);

// When the release basis of `required` can exist, if it does not yet: its
// test started + minimum incubation (or + minimum interim), or, not ordered
// on a batch still growing, the projected harvest + the same.
std::optional<TestAhead> TestAheadOf(const ReadinessFacts& f, const RequiredTest& required,
                                     const std::optional<Projection>& projection);

// What of `test` the release signature is bound to: nothing (a sample point
// no release counts), its order only (a follow-up test: its final result
// comes after release and must not revoke it), or all of it.
enum class RecordPart { kNone, kOrder, kAll };
RecordPart PartInRecord(const ReadinessFacts& f, const QcSample& sample, const QcTest& test);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_RELEASE_TESTS_H_
