#ifndef CPCTRACK_CLIENT_QC_FORMAT_H_
#define CPCTRACK_CLIENT_QC_FORMAT_H_

#include <string>

#include "absl/time/time.h"
#include "cpctrack/v1/qc.pb.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace cpc {

// The result in effect (the last one written); null while the test is pending.
const cpctrack::v1::QcResult* CurrentResult(const cpctrack::v1::QcTest& test);

// A result's value on one line, as a technician reads it: "NEGATIVE",
// "POSITIVE (S. aureus)", "0.25 EU/mL", "no organisms seen",
// "CD73 98.5%, CD45 0.4%", "92.0%".
std::string QcResultText(const cpctrack::v1::QcResult& result);

// The current result's text, or "-" while pending.
std::string CurrentResultText(const cpctrack::v1::QcTest& test);

// Who reviewed the current result; "" when no one has.
std::string ReviewerOf(const cpctrack::v1::QcTest& test);

// "sterility (USP <71> 14-day)"; the type alone without a method.
std::string TestTypeAndMethod(const cpctrack::v1::QcTest& test);

// "final-harvest P3".
std::string SamplePointText(const cpctrack::v1::QcSample& sample);

// The tests as a table (test, type, sample, started, state, result, by,
// reviewer), each line indented by `indent`.
std::string RenderQcTests(const google::protobuf::RepeatedPtrField<cpctrack::v1::QcTest>& tests,
                          absl::TimeZone zone, size_t indent = 0);

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_QC_FORMAT_H_
