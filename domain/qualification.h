// Qualified operators (issue 17 item 4; 21 CFR 1271.170, and the education
// and training procedure Japan's Act requires): a person records a step only
// while qualified for the step's procedure on the step's day. Administrators
// and QA record qualifications, with an expiry and the training record they
// rest on; a renewal is a new qualification, nothing is overwritten.
#ifndef CPCTRACK_DOMAIN_QUALIFICATION_H_
#define CPCTRACK_DOMAIN_QUALIFICATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/records.h"

namespace cpctrack::domain {

// Stored values: append, never renumber.
enum class Procedure {
  kUnspecified = 0,
  kAsepticProcessing = 1,  // open manipulation in the cabinet: receipt to formulation
  kPassage = 2,            // harvest, count and re-seed
  kFreezing = 3,           // cryopreservation and its reverse, the thaw
  kQcTesting = 4,          // sampling, test orders, results
  kInfusion = 5,           // the bedside check and the infusion
};
std::vector<Procedure> AllProcedures();
// "aseptic-processing", "passage", "freezing", "qc-testing", "infusion".
absl::string_view ProcedureName(Procedure procedure);
// InvalidArgument naming the accepted names.
absl::StatusOr<Procedure> ParseProcedure(absl::string_view name);

// The steps a person records, each under one procedure.
enum class Step {
  kTissueReceipt,
  kSeeding,
  kObservation,
  kMediumChange,
  kPassage,
  kQcSample,
  kQcOrder,
  kQcResult,
  kFreeze,
  kFormulate,
  kThaw,
  kInfusion,
};
// What the step is called in messages: "tissue receipt", "freeze".
absl::string_view StepName(Step step);
// THE table: the procedure a step needs. Formulating a fresh dose is open
// aseptic work in the cabinet (aseptic processing); a thaw is handled by the
// people trained on the cryopreservation procedure it reverses (freezing),
// not at the bedside.
Procedure ProcedureOf(Step step);
// The step a culture record is (a correction needs what the record needed).
Step StepOf(RecordKind kind);
// The step an audit trail action records ("unit.freeze"); nullopt for
// actions that are no step (reviews, releases, corrections, administration).
std::optional<Step> StepOfAction(absl::string_view action);

// One person's qualification for one procedure.
struct Qualification {
  int64_t qualification_id = 0;  // assigned when stored
  std::string user_name;
  Procedure procedure = Procedure::kUnspecified;
  // The day the training or assessment the evidence records was passed, and
  // the last day the qualification is valid (facility time zone).
  absl::CivilDay qualified_on;
  absl::CivilDay expires_on;
  std::string evidence;  // the training record: "TR-2026-014"
  absl::Time recorded_at = absl::InfinitePast();
  std::string recorded_by;
};

// The longest a qualification may run: requalification at least every 5 years.
inline constexpr int kMaxQualificationDays = 5 * 365 + 2;
inline constexpr size_t kMaxEvidence = 200;

// A qualification recorded at `now` (`today` is now's day in the facility's
// zone): a known procedure and user, evidence (one line of text), qualified
// on a day not after today, expiring after that day, not before today and
// within kMaxQualificationDays. PermissionDenied when `recorded_by` is the
// qualified person: no one qualifies themselves.
absl::Status ValidateQualification(const Qualification& q, absl::CivilDay today);

// Whether `q` covers `day`: qualified_on <= day <= expires_on.
bool Covers(const Qualification& q, absl::CivilDay day);

// OK when one of `held` (the person's qualifications, any procedure) covers
// `step`'s procedure on `step_day`, the day the step happened (a late entry
// is judged on its own day, not on the day it is typed in).
// FailedPrecondition naming the person, the step, the procedure and why:
// none on record, expired (and when), or not yet qualified then.
absl::Status CheckQualified(absl::string_view user, const std::vector<Qualification>& held,
                            Step step, absl::CivilDay step_day);

// The qualification a use on `day` of `procedure` counts against: the most
// recently recorded one covering that day (renewals overlap); nullptr if none.
const Qualification* QualificationFor(const std::vector<Qualification>& held,
                                      Procedure procedure, absl::CivilDay day);

std::string ToJson(const Qualification& q);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_QUALIFICATION_H_
