#ifndef CPCTRACK_CLIENT_EXPORT_FORMAT_H_
#define CPCTRACK_CLIENT_EXPORT_FORMAT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cpc {

// Exports for auditors' tools: CSV per RFC 4180 and JSON.

// One CSV record ending in CRLF (RFC 4180 2.1). A field with a comma, a
// double quote, CR or LF is quoted, with its quotes doubled.
std::string CsvRecord(const std::vector<std::string>& fields);

// `text` as a JSON string literal, quotes included; control characters and
// non-ASCII bytes below 0x20 escaped, UTF-8 passed through.
std::string JsonString(absl::string_view text);

// "2026-11-25T00:30:00Z"; "" for an unset (epoch) time.
std::string Rfc3339Utc(absl::Time time);

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_EXPORT_FORMAT_H_
