// Follow-up cases: a QC test that turns positive after its batch was
// released opens one (in the result's own transaction); QA assesses it and
// the physician acknowledges it, each step signed.
#ifndef CPCTRACK_APP_FOLLOWUPS_H_
#define CPCTRACK_APP_FOLLOWUPS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "app/write_context.h"
#include "domain/followup.h"
#include "domain/signature.h"
#include "store/store.h"

namespace cpctrack::app {

// Stores `follow_up` (decided by domain::DecideFollowUp; its ID set here)
// opened by `ctx.user` with its audit entry (followup.open).
absl::Status StoreFollowUp(store::Transaction& tx, const WriteContext& ctx,
                           domain::FollowUp& follow_up);

// A follow-up case as a step leaves it, with the signatures of its steps.
struct FollowUpState {
  domain::FollowUp follow_up;
  std::vector<domain::Signature> signatures;
};

// QA's assessment by `ctx.user`, signed (kFollowUpAssessed): the signature
// covers the case and the assessment.
absl::StatusOr<FollowUpState> AssessFollowUp(store::Transaction& tx, const WriteContext& ctx,
                                             int64_t follow_up_id, const std::string& text,
                                             bool adverse_event_suspected);

// The physician's acknowledgement by `ctx.user`, signed
// (kFollowUpAcknowledged), with the day a report was filed with the
// authority, if one was.
absl::StatusOr<FollowUpState> AcknowledgeFollowUp(store::Transaction& tx, const WriteContext& ctx,
                                                  int64_t follow_up_id, const std::string& text,
                                                  std::optional<absl::CivilDay> report_filed_on);

// The case and its step signatures, as a read shows them.
absl::StatusOr<FollowUpState> LoadFollowUp(store::Transaction& tx, int64_t follow_up_id);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_FOLLOWUPS_H_
