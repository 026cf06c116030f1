// A contamination signal found after release is a follow-up case (DOMAIN.md
// §9): a positive sterility, mycoplasma or Gram result on a batch released or
// already given holds every unit not yet infused (the quarantine rule) and
// names every infused unit with its patient, infusion time and plan, so the
// patient's physician hears at once.
#ifndef CPCTRACK_DOMAIN_FOLLOWUP_H_
#define CPCTRACK_DOMAIN_FOLLOWUP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/batch.h"
#include "domain/batch_steps.h"
#include "domain/qc.h"
#include "domain/quarantine.h"

namespace cpctrack::domain {

// An infusion of one of the batch's units: who received it, when, under which
// plan.
struct InfusionOnRecord {
  int64_t infusion_record_id = 0;
  std::string unit_id;
  std::string patient_id;
  absl::Time started_at = absl::InfinitePast();
  int64_t planned_infusion_id = 0;
  std::string plan_number;  // the treatment plan's regulatory number
};

// QA's signed assessment of a follow-up case.
struct FollowUpAssessment {
  std::string text;
  bool adverse_event_suspected = false;  // then a report must be filed
  absl::Time signed_at = absl::InfinitePast();
  std::string signer;
};

// The patient's physician's signed acknowledgement.
struct FollowUpAcknowledgement {
  std::string text;
  std::optional<absl::CivilDay> report_filed_on;  // set when an adverse event is suspected
  absl::Time signed_at = absl::InfinitePast();
  std::string signer;
};

struct FollowUp {
  int64_t follow_up_id = 0;  // 0 until stored
  std::string batch_id;      // compact DIN
  std::string patient_id;
  int64_t qc_test_id = 0;
  int64_t deviation_id = 0;  // the POSITIVE_TEST deviation opened with it; 0 until stored
  // "STERILITY test 7 POSITIVE (S. aureus) (sample 3, FINAL_PRODUCT)".
  std::string finding;
  absl::Time opened_at = absl::InfinitePast();
  std::string opened_by;
  std::vector<InfusionOnRecord> infused;
  std::vector<std::string> held_unit_ids;  // quarantined by the same write
  std::optional<FollowUpAssessment> assessment;
  std::optional<FollowUpAcknowledgement> acknowledgement;

  // Open until both QA's assessment and the physician's acknowledgement are
  // signed.
  bool Open() const { return !assessment.has_value() || !acknowledgement.has_value(); }
};

// The follow-up a contamination result opens: when `value` is a contamination
// signal and the batch was released (`released`: a release on record) or any
// of its units infused. `effects` are the result's own (the quarantine);
// nullopt when no follow-up is due.
std::optional<FollowUp> DecideFollowUp(const Batch& batch, bool released,
                                       const QcSample& sample, const QcTest& test,
                                       const QcValue& value,
                                       const std::vector<InfusionOnRecord>& infused,
                                       const BatchEffects& effects, const StepContext& ctx);

// QA's assessment of an open follow-up, once; `text` is required. The
// assessor is not the physician who may acknowledge (the caller checks roles).
absl::StatusOr<FollowUpAssessment> DecideAssessment(const FollowUp& follow_up, std::string text,
                                                    bool adverse_event_suspected,
                                                    const StepContext& ctx);

// The physician's acknowledgement, once, after QA's assessment and by someone
// other than its signer; when QA suspects an adverse event, the date a report
// was filed (not before the case was opened, not in the future).
absl::StatusOr<FollowUpAcknowledgement> DecideAcknowledgement(
    const FollowUp& follow_up, std::string text, std::optional<absl::CivilDay> report_filed_on,
    const StepContext& ctx);

// A deadline a clinic works to, counted from the opening (e.g. 7 and 15 days
// for reports under Japan's Act on the Safety of Regenerative Medicine).
struct DeadlineStatus {
  std::string name;  // "report within 7 days"
  absl::Time due_at = absl::InfinitePast();
  bool overdue = false;  // passed while the case is open
};
std::vector<DeadlineStatus> FollowUpDeadlines(const FollowUp& follow_up,
                                              const std::vector<absl::Duration>& deadlines,
                                              absl::Time now);

// "STERILITY test 7 POSITIVE (S. aureus) on batch A99...; U-01 infused into
// TKY-0042 on 2026-12-01 10:00 UTC (plan PB325...); held: U-02": one line for
// the banner at the write and the board.
std::string DescribeFollowUp(const FollowUp& follow_up);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_FOLLOWUP_H_
