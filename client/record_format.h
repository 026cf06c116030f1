#ifndef CPCTRACK_CLIENT_RECORD_FORMAT_H_
#define CPCTRACK_CLIENT_RECORD_FORMAT_H_

#include <string>

#include "absl/time/time.h"
#include "cpctrack/v1/batches.pb.h"
#include "cpctrack/v1/common.pb.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace cpc {

// When the recorded event happened (not when it was typed in): receipt at
// the CPC, seeding, observation, medium change or passage time.
absl::Time EventTime(const cpctrack::v1::BatchRecord& record);

// "receipt", "seeding", "observation", "feed", "passage".
std::string RecordKindName(cpctrack::v1::BatchRecord::DataCase data_case);
// The same for one record: a passage that ended the culture is the "harvest".
std::string RecordKindName(const cpctrack::v1::BatchRecord& record);

// The record's key values on one line, e.g.
// "P1 -> P2  viable 1.10e7 of 1.20e7 (91.7%, aopi)  reseeded 3.00e6  MEM-01  INC-01".
std::string DescribeRecordData(const cpctrack::v1::BatchRecord& record,
                               absl::TimeZone zone);

// "!! OPEN DEVIATION #3 late processing: ... (record #2, opened 2026-11-25 09:30 by ana)";
// closed ones without the alarm.
std::string DescribeDeviation(const cpctrack::v1::Deviation& deviation, absl::TimeZone zone);

// Steps written down after the product's limit, with why, as a table
// indented by `indent`; "" when there are none.
std::string RenderLateEntries(
    const google::protobuf::RepeatedPtrField<cpctrack::v1::LateEntry>& entries,
    absl::TimeZone zone, size_t indent);

// "P2", or "-" before P0 seeding (the API's -1).
std::string PassageLabel(int passage);

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_RECORD_FORMAT_H_
