// Who writes, when, and under which request: what every write of the
// application layer is given besides its command. cpcd fills it from the
// authenticated caller and the clock; the bench fill from its schedule.
#ifndef CPCTRACK_APP_WRITE_CONTEXT_H_
#define CPCTRACK_APP_WRITE_CONTEXT_H_

#include <string>

#include "absl/time/time.h"
#include "domain/batch_steps.h"

namespace cpctrack::app {

struct WriteContext {
  absl::Time now;
  absl::TimeZone zone;     // the facility's: lot expiry days, DIN years, due days
  std::string user;        // who the write is recorded under (never a request field)
  std::string full_name;   // the user's, for an electronic signature
  std::string request_id;  // named by every audit entry the write makes
  // Why a step is recorded later than its product allows (late_entry.h);
  // empty when contemporaneous.
  std::string late_entry_reason;

  domain::StepContext step() const { return {now, zone, user, late_entry_reason}; }
};

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_WRITE_CONTEXT_H_
