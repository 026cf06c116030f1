#ifndef CPCTRACK_CLIENT_EXPORT_FORMAT_H_
#define CPCTRACK_CLIENT_EXPORT_FORMAT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cpc {

// Exports for auditors' tools: CSV per RFC 4180 and JSON.

// One CSV record ending in CRLF (RFC 4180 2.1). A field with a comma, a
// double quote, CR or LF is quoted, with its quotes doubled; every field
// goes through NeutralizeCsvCell first. The one CSV writer: every export
// (cpc, cpc-web) writes its rows here.
std::string CsvRecord(const std::vector<std::string>& fields);

// A cell a spreadsheet would run as a formula (it starts with = + - @, a tab
// or a CR) gets a leading apostrophe, so it is shown as text; a plain signed
// number ("-0.5") is left as it is.
std::string NeutralizeCsvCell(absl::string_view cell);

// An export holds patients' and users' records: when stdout is redirected
// to a regular file (`cpc audit trail --csv > trail.csv`), that file is made
// readable by its owner only (0600). Nothing happens for a terminal or a pipe.
void KeepExportPrivate();

// `text` as a JSON string literal, quotes included; control characters and
// non-ASCII bytes below 0x20 escaped, UTF-8 passed through.
std::string JsonString(absl::string_view text);

// "2026-11-25T00:30:00Z"; "" for an unset (epoch) time.
std::string Rfc3339Utc(absl::Time time);

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_EXPORT_FORMAT_H_
