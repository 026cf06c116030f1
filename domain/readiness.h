// Is this batch ready for infusion, and if not, why not and when? (DOMAIN.md,
// Readiness.) The evaluator lists every criterion with its status, value and
// limit, so nobody has to read the batch record to know why.
#ifndef CPCTRACK_DOMAIN_READINESS_H_
#define CPCTRACK_DOMAIN_READINESS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/batch.h"
#include "domain/followup.h"
#include "domain/patient.h"
#include "domain/product.h"
#include "domain/qc.h"
#include "domain/treatment_plan.h"
#include "domain/units.h"

namespace cpctrack::domain {

// kNonConforming: not met, but covered by a deviation closed with the
// physician's signed request (USE_UNDER_PHYSICIAN_RESPONSIBILITY): it no
// longer blocks a release, which is then a release as non-conforming.
enum class CriterionStatus { kMet = 1, kNotMet = 2, kPending = 3, kNonConforming = 4 };
// "met", "not met", "pending", "non-conforming"
absl::string_view CriterionStatusName(CriterionStatus status);

struct Criterion {
  std::string name;  // e.g. "sterility", "open deviations"
  CriterionStatus status = CriterionStatus::kPending;
  std::string value;  // what is on record, e.g. "NEGATIVE", "P3"
  std::string limit;  // what the specification asks, e.g. "<= P5"
};

// When the culture will hold the viable cells the plan needs.
struct Projection {
  int64_t target_cells = 0;
  std::optional<absl::Time> ready_at;  // unset when it cannot be projected
  std::string basis;  // how: the doubling time and the passages, or why not
};

// QA's signature releasing the batch, bound to the record it evaluated.
struct Release {
  int64_t release_id = 0;  // 0 until stored
  std::string signer;
  // With non-conformities, "released for infusion as NON-CONFORMING under
  // deviation 12 (physician dr.ito's request)" (DecideRelease).
  std::string meaning = "released for infusion";
  absl::Time signed_at = absl::InfinitePast();
  std::string record_hash;  // BatchRecordHash when signed
};

// A required test not yet resulted, and the earliest its result can exist:
// started + its minimum incubation, or, not yet ordered on a batch still
// growing, the projected harvest + its minimum incubation.
struct TestAhead {
  QcTestType type = QcTestType::kUnspecified;
  absl::Time result_at = absl::InfinitePast();
  std::string basis;  // "started 2026-12-01 09:00 UTC + 14 days"
};

// A deviation closed with USE_UNDER_PHYSICIAN_RESPONSIBILITY: a batch that
// carries one is released, labelled and recorded as non-conforming under it
// (EU GMP Part IV §11.5).
struct NonConformity {
  int64_t deviation_id = 0;
  std::string description;  // the deviation's
  std::string physician;    // whose signed request the closure carries
};

// The deviations among `deviations` closed with USE_UNDER_PHYSICIAN_RESPONSIBILITY.
std::vector<NonConformity> NonConformities(const std::vector<Deviation>& deviations);

// "deviation 12 (physician dr.ito's request)"
std::string DescribeNonConformity(const NonConformity& n);
// "NON-CONFORMING under deviation 12 (physician dr.ito's request)": what
// readiness, the board, the batch record and the label say; "" for none.
std::string NonConformingText(const std::vector<NonConformity>& non_conformities);

struct Readiness {
  // Every criterion met, or non-conforming under a physician's request.
  bool ready = false;
  std::vector<Criterion> criteria;
  std::optional<Projection> projection;  // while the batch is still growing
  int infusions_planned = 0;   // not yet given
  int infusions_covered = 0;   // of those, covered by usable units
  // The latest time a pending release test's result is due; unset if none.
  std::optional<absl::Time> results_due;
  // Every required test without a result yet, when its result can exist.
  std::vector<TestAhead> tests_ahead;
  // Follow-up cases still open (a positive after release): the patient's
  // later infusions are NOT READY whatever else holds.
  std::vector<std::string> open_follow_ups;  // "follow-up 3: ..."
  // Closed deviations the batch is used under at the physician's request:
  // a release is a release as non-conforming, naming them.
  std::vector<NonConformity> non_conformities;
};

// Everything on record about one batch that readiness depends on.
struct ReadinessFacts {
  const Batch* batch = nullptr;
  const Product* product = nullptr;
  const BatchHistory* history = nullptr;
  std::vector<QcSample> samples;
  std::vector<QcTest> tests;
  std::vector<Unit> units;
  std::vector<Deviation> deviations;
  const TreatmentPlan* plan = nullptr;  // optional
  const Patient* patient = nullptr;     // required with a plan
  std::vector<int64_t> infusions_given;  // IDs of the plan's infusions already given
  std::optional<Release> release;
  std::vector<FollowUp> follow_ups;  // of this batch, open or closed
  absl::Time now;
  absl::TimeZone zone = absl::UTCTimeZone();  // the facility's: where a planned day ends
};

// Every criterion of the product's specification, the plan and the rules. When
// `for_release` is set the release itself is not a criterion (QA asks whether
// it may sign).
//
// Units cover the remaining planned infusions in date order, never split
// between two. A fresh unit counts for an infusion only if it is still in date
// when the infusion's planned day ends (the time of day is not planned), and
// now; fresh units are used before frozen ones. A frozen unit counts likewise
// only while in date (its frozen shelf life), and a thawed one only while
// now is within the product's window from thaw to infusion. An expired fresh
// unit still held makes the batch not ready until it is disposed of.
Readiness EvaluateReadiness(const ReadinessFacts& facts, bool for_release = false);

// A hash of the batch record as evaluated: identity, every record and
// correction, QC tests and results, deviations and their closures, and the
// units as frozen (not where they are now). A correction changes it.
std::string BatchRecordHash(const ReadinessFacts& facts);

// Whether the batch's release still holds: QA signed it and the record is
// still the one they signed (a correction since revokes it).
bool ReleaseHolds(const ReadinessFacts& facts);

// The scheduler's view of one planned infusion.
enum class BoardStatus { kReady = 1, kNotReady = 2, kAtRisk = 3 };
absl::string_view BoardStatusName(BoardStatus status);  // "READY", "NOT READY", "AT RISK"

// NOT READY while a follow-up case is open (a positive after release); else
// AT RISK when the batch is quarantined, its projection falls after the
// planned day, or a required test's result cannot exist before it (pending,
// or not yet ordered: projected harvest + incubation); `zone` decides the day.
BoardStatus StatusForPlannedDay(const Batch& batch, const Readiness& readiness,
                                absl::CivilDay planned_day, absl::TimeZone zone);

// Why the tests ahead put `planned_day` at risk: "sterility: result cannot
// exist before 2026-12-20 09:00 UTC (projected harvest ... + 14 days)".
std::vector<std::string> TestsAheadReasons(const Readiness& readiness, absl::CivilDay planned_day,
                                           absl::TimeZone zone);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_READINESS_H_
