#include "client/csv.h"

#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cpc {

absl::StatusOr<std::vector<CsvLine>> ParseCsv(absl::string_view text, char delimiter) {
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);  // BOM
  std::vector<CsvLine> records;
  CsvLine record{.line = 1};
  std::string field;
  bool quoted = false;       // inside quotes
  bool was_quoted = false;   // this field had quotes (so "" is a field, not a blank)
  int line = 1;
  auto end_field = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
    was_quoted = false;
  };
  auto end_record = [&] {
    end_field();
    const bool blank = record.fields.size() == 1 && record.fields[0].empty();
    if (!blank) records.push_back(std::move(record));
    record = CsvLine{.line = line + 1};
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty() || was_quoted) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "line %d: a quote inside an unquoted field; quote the whole field and "
            "double the quote (\"\")",
            line));
      }
      quoted = true;
      was_quoted = true;
    } else if (c == delimiter) {
      end_field();
    } else if (c == '\r' && (i + 1 == text.size() || text[i + 1] == '\n')) {
      continue;  // CRLF: the LF ends the record
    } else if (c == '\n') {
      end_record();
      ++line;
    } else if (was_quoted) {
      return absl::InvalidArgumentError(
          absl::StrFormat("line %d: text after a closing quote", line));
    } else {
      field += c;
    }
  }
  if (quoted) {
    return absl::InvalidArgumentError(
        absl::StrFormat("line %d: a quoted field is never closed", record.line));
  }
  if (!field.empty() || was_quoted || !record.fields.empty()) end_record();
  return records;
}

absl::StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace cpc
