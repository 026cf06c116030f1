// How the printed documents spell API values: times in the reader's zone,
// enum names as words, counts of cells, QC results and their limits.
#ifndef CPCTRACK_REPORT_TEXT_H_
#define CPCTRACK_REPORT_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cpctrack/v1/inventory.pb.h"
#include "cpctrack/v1/qc.pb.h"
#include "mapping/time.h"

namespace cpctrack::report {

// The API's times, by the one conversion cpcd uses (mapping/time.h).
using ::cpctrack::mapping::FromProto;

// "2026-12-03 15:45 JST"; "-" for an unset time.
std::string TimeText(const google::protobuf::Timestamp& t, absl::TimeZone zone);
std::string TimeText(absl::Time t, absl::TimeZone zone);
// "14 d", "36 h", "90 min".
std::string FormatDuration(const google::protobuf::Duration& d);

// An enum value's name without `prefix`, lower case, "_" as spaces:
// EnumWords("QC_TEST_TYPE_GRAM_STAIN", "QC_TEST_TYPE_") == "gram stain".
std::string EnumWords(absl::string_view name, absl::string_view prefix);

// "2.5e6", "1.2e8"; "12000" below 1e5.
std::string FormatCells(int64_t cells);
// Up to two decimals, no trailing zeros.
std::string FormatNumber(double value);
// The batch ID in the label's groups: "A9999 26 000001 8".
std::string SpacedBatchId(absl::string_view compact);

// A QC result's value: "NEGATIVE", "POSITIVE: S. aureus", "0.12 EU/mL",
// "CD73 98%, CD90 97%", "92%".
std::string ResultText(const cpctrack::v1::QcResult& result);
// The product's limit for a test ("NEGATIVE", "<= 0.5 EU/mL", ">= 70%"); ""
// when the product sets none. Whether a result meets it is the server's
// judgement (the release criteria), never re-decided here.
std::string LimitText(const cpctrack::v1::QcTest& test, const cpctrack::v1::Product& product);

}  // namespace cpctrack::report

#endif  // CPCTRACK_REPORT_TEXT_H_
