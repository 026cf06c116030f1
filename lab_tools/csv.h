// CSV as cell counters export it (RFC 4180 and its usual liberties): quoted
// fields with "" for a quote and line breaks inside, CRLF or LF, a UTF-8 byte
// order mark, blank lines (skipped).
#ifndef CPCTRACK_LAB_TOOLS_CSV_H_
#define CPCTRACK_LAB_TOOLS_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cpclab {

struct CsvRecord {
  int line = 0;  // 1-based line of the file where the record starts
  std::vector<std::string> fields;
};

// InvalidArgument naming the line for a quote left open or text after a
// closing quote.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text, char delimiter = ',');

}  // namespace cpclab

#endif  // CPCTRACK_LAB_TOOLS_CSV_H_
