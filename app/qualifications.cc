#include "app/qualifications.h"

#include <vector>

#include "domain/status_macros.h"

namespace cpctrack::app {

absl::Status RequireQualified(store::Transaction& tx, absl::string_view user, domain::Step step,
                              absl::Time step_time, absl::TimeZone zone) {
  ASSIGN_OR_RETURN(std::vector<domain::Qualification> held, tx.LoadQualifications(user));
  return domain::CheckQualified(user, held, step, absl::ToCivilDay(step_time, zone));
}

}  // namespace cpctrack::app
