#ifndef CPCTRACK_CLIENT_QC_RESULTS_H_
#define CPCTRACK_CLIENT_QC_RESULTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/command_line.h"
#include "client/time_format.h"
#include "cpctrack/v1/qc.pb.h"

namespace cpc {

// The flags that state a QC result (`cpc qc result` and `cpc qc correct`):
// exactly one value flag (--negative, --positive, --endotoxin, --gram,
// --marker, --viability) and the details of the reading.
std::vector<FlagSpec> ResultFlags();

// Fills `result` from those flags. Usage errors name the flag: none or two
// value flags, --organism without --positive, a marker without "=PERCENT".
absl::Status ApplyResultFlags(const ParsedArgs& args, const TimeContext& time,
                              cpctrack::v1::QcResult* result);

// Reads every --test value, "TYPE" or "TYPE:METHOD" ("sterility:USP <71> 14-day",
// "endotoxin,gram"). A comma starts a new test only when a test type follows
// it, so a method may contain commas ("sterility:Ph. Eur. 2.6.27, 14-day").
absl::StatusOr<std::vector<cpctrack::v1::TestOrder>> ParseTestOrders(
    const std::vector<std::string>& values);

// A test ID as typed: "7" or "#7"; `name` is shown in the error ("TEST").
absl::StatusOr<int64_t> ParseId(absl::string_view name, absl::string_view text);

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_QC_RESULTS_H_
