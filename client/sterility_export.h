// The sterility and mycoplasma export auditors ask for (DOMAIN.md, "Records
// and audit"): its columns and one test as fields. `cpc audit sterility` and
// cpc-web's auditor page both build their CSV here, so the two downloads are
// the same content.
#ifndef CPCTRACK_CLIENT_STERILITY_EXPORT_H_
#define CPCTRACK_CLIENT_STERILITY_EXPORT_H_

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cpctrack/v1/qc.pb.h"

namespace cpc {

// One column of the export; the terminal table shows those `in_table`.
struct SterilityColumn {
  absl::string_view name;
  bool in_table;
  bool numeric;  // a number in JSON
};

// The columns, in order.
const std::vector<SterilityColumn>& SterilityColumns();
// Indexes of the fields the table shows as notes.
inline constexpr size_t kSterilityCorrectionReason = 17;
inline constexpr size_t kSterilityInterimReadings = 18;

// One test as the export's fields, one per column; times by `format_time`
// (the CSV uses Rfc3339Utc, the table local time).
std::vector<std::string> SterilityFields(const cpctrack::v1::QcTest& test,
                                         const std::function<std::string(absl::Time)>& format_time);

// The CSV (RFC 4180, CRLF) header row, and one test's row with UTC times.
std::string SterilityCsvHeader();
std::string SterilityCsvRow(const cpctrack::v1::QcTest& test);

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_STERILITY_EXPORT_H_
