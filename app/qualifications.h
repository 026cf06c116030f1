// Qualified operators (issue 17 item 4): the one place a step loads the
// recorder's qualifications for the domain to judge.
#ifndef CPCTRACK_APP_QUALIFICATIONS_H_
#define CPCTRACK_APP_QUALIFICATIONS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/qualification.h"
#include "store/store.h"

namespace cpctrack::app {

// OK when `user` holds a qualification for `step`'s procedure on the day of
// `step_time` in `zone` (a late entry's own day); FailedPrecondition naming
// the person, the procedure and why otherwise (domain::CheckQualified).
// REQUIRES: inside the step's write transaction.
absl::Status RequireQualified(store::Transaction& tx, absl::string_view user,
                              domain::Step step, absl::Time step_time, absl::TimeZone zone);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_QUALIFICATIONS_H_
