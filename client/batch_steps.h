#ifndef CPCTRACK_CLIENT_BATCH_STEPS_H_
#define CPCTRACK_CLIENT_BATCH_STEPS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/commands.h"
#include "cpctrack/v1/batches.pb.h"

namespace cpc {

// A culture step (receive, seed, observe, feed, passage): the flags that
// describe its record and how they fill it. `cpc batch <verb>` and
// `cpc batch correct` share these, so a flag means the same in both.
struct StepKind {
  std::string verb;  // "seed"
  cpctrack::v1::BatchRecord::DataCase data_case;
  std::string summary;
  std::string example;
  // As the step command takes them: required flags and defaults included.
  std::vector<FlagSpec> flags;
  // Sets the fields of the flags present in `args` (given or defaulted) in
  // record's data of this kind; other fields are left as they are.
  absl::Status (*apply)(const ParsedArgs& args, const TimeContext& time,
                        cpctrack::v1::BatchRecord* record);
};

const std::vector<StepKind>& StepKinds();
// Null for a record without data.
const StepKind* FindStepKind(cpctrack::v1::BatchRecord::DataCase data_case);

// Prints what a write answered for people: the record, and alarms for any
// deviation it opened.
void PrintRecordResponse(const Invocation& in, absl::string_view verb_past,
                         const cpctrack::v1::RecordResponse& response);

// One alarm line per deviation the write opened (e.g. late processing).
void PrintOpenedDeviations(const Invocation& in, const cpctrack::v1::RecordResponse& response);

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_BATCH_STEPS_H_
