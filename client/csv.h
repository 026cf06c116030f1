// CSV as lab instruments export it (RFC 4180 and its usual liberties): quoted
// fields with "" for a quote and line breaks inside, CRLF or LF, a UTF-8 byte
// order mark, blank lines (skipped). Read by cpc storage import-readings (the
// storage monitoring system) and cpc-lab import-counts (cell counters).
#ifndef CPCTRACK_CLIENT_CSV_H_
#define CPCTRACK_CLIENT_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cpc {

struct CsvLine {
  int line = 0;  // 1-based line of the file where the record starts
  std::vector<std::string> fields;
};

// InvalidArgument naming the line for a quote left open or text after a
// closing quote.
absl::StatusOr<std::vector<CsvLine>> ParseCsv(absl::string_view text, char delimiter = ',');

// The whole file at `path`; NotFound naming it when it cannot be read.
absl::StatusOr<std::string> ReadTextFile(const std::string& path);

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_CSV_H_
