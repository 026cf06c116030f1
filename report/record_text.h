// A batch record (tissue receipt, seeding, observation, medium change,
// passage) as labelled values, so the record table and the corrections
// (old -> new, field by field) print the same words.
#ifndef CPCTRACK_REPORT_RECORD_TEXT_H_
#define CPCTRACK_REPORT_RECORD_TEXT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "cpctrack/v1/batches.pb.h"

namespace cpctrack::report {

using LabelledValues = std::vector<std::pair<std::string, std::string>>;

// "tissue receipt", "P0 seeding", "observation", "medium change", "passage".
std::string RecordKind(const cpctrack::v1::BatchRecord& record);

// Every field of the record's data that is set, in the API's order.
LabelledValues RecordFields(const cpctrack::v1::BatchRecord& record, absl::TimeZone zone);

// "label: old -> new" for each field a correction changed.
std::vector<std::string> ChangedFields(const cpctrack::v1::BatchRecord& old_record,
                                       const cpctrack::v1::BatchRecord& new_record,
                                       absl::TimeZone zone);

}  // namespace cpctrack::report

#endif  // CPCTRACK_REPORT_RECORD_TEXT_H_
