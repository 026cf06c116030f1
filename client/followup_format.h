// How cpc shows a follow-up case (a positive after release): the banner at
// the write that opens it, and the case itself for QA and the clinic.
#ifndef CPCTRACK_CLIENT_FOLLOWUP_FORMAT_H_
#define CPCTRACK_CLIENT_FOLLOWUP_FORMAT_H_

#include "client/commands.h"
#include "cpctrack/v1/followups.pb.h"

namespace cpc {

// "!! POSITIVE AFTER RELEASE: STERILITY test 7 POSITIVE ... infused into
// TKY-0042 on ...", first, and to stderr as well under --json.
void PrintFollowUpBanner(const Invocation& in, const cpctrack::v1::FollowUp& follow_up);

// The case in full: finding, infused units with patient, time and plan, units
// held, deadlines (OVERDUE when passed), and the two signatures.
void PrintFollowUp(const Invocation& in, const cpctrack::v1::FollowUp& follow_up);

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_FOLLOWUP_FORMAT_H_
