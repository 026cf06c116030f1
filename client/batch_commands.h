#ifndef CPCTRACK_CLIENT_BATCH_COMMANDS_H_
#define CPCTRACK_CLIENT_BATCH_COMMANDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "client/commands.h"
#include "cpctrack/v1/batches.pb.h"

namespace cpc {

// The batch commands that live in files of their own.
CommandSpec BatchShowCommand();     // batch_show.cc
CommandSpec BatchCorrectCommand();  // batch_correct.cc
CommandSpec BatchReportCommand();   // batch_report.cc

// GetBatch with the whole timeline, growth and deviations.
absl::StatusOr<cpctrack::v1::Batch> GetFullBatch(const Invocation& in,
                                                 const std::string& batch_id);

// The BATCH argument as the server wants it: typed as printed or scanned
// from a batch's or a unit's label (ScannedBatch in client/values.h).
absl::StatusOr<std::string> BatchIdArg(const Invocation& in);

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_BATCH_COMMANDS_H_
