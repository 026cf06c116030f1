#include "lab_tools/counts_import.h"

#include <algorithm>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/choices.h"
#include "client/time_format.h"
#include "client/values.h"
#include "domain/din.h"
#include "domain/plausibility.h"
#include "domain/record_validation.h"
#include "domain/status_macros.h"
#include "client/csv.h"
#include "mapping/mapping.h"

namespace cpclab {
namespace {

namespace domain = ::cpctrack::domain;
namespace v1 = ::cpctrack::v1;

const std::set<std::string>& RequiredFields() {
  static const auto* fields = new std::set<std::string>{
      "batch_id",        "passage_time", "total_cells", "viable_cells",
      "cells_reseeded",  "counting_method", "medium_lot", "incubator_id", "counter_id"};
  return *fields;
}

const std::set<std::string>& OptionalFields() {
  static const auto* fields = new std::set<std::string>{
      "viability_percent", "reagent_lots", "vessel_count", "surface_area_cm2"};
  return *fields;
}

absl::Status ConfigError(int line, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrFormat("config line %d: %s", line, message));
}

// One row's fields by name, from its columns or the config's fixed values.
class RowValues {
 public:
  RowValues(const ImportConfig& config, const std::map<std::string, size_t>& index,
            const std::vector<std::string>& fields)
      : config_(config), index_(index), fields_(fields) {}

  // "" when the field is optional and not given.
  std::string Get(const std::string& name) const {
    if (auto it = config_.fixed.find(name); it != config_.fixed.end()) return it->second;
    auto column = index_.find(name);
    if (column == index_.end() || column->second >= fields_.size()) return "";
    return std::string(absl::StripAsciiWhitespace(fields_[column->second]));
  }

 private:
  const ImportConfig& config_;
  const std::map<std::string, size_t>& index_;
  const std::vector<std::string>& fields_;
};

absl::StatusOr<absl::Time> ParseRowTime(const std::string& text, const ImportConfig& config,
                                        absl::Time now) {
  if (config.time_format.empty()) {
    return cpc::ParseUserTime("passage_time", text, {.now = now, .zone = config.time_zone});
  }
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(config.time_format, text, config.time_zone, &t, &error)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "passage_time: \"%s\" does not match time_format \"%s\"", text, config.time_format));
  }
  return t;
}

// The row as a passage, checked by the domain's own rules.
absl::StatusOr<CountRow> ReadRow(const RowValues& v, const ImportConfig& config,
                                 absl::Time now) {
  CountRow row;
  ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(v.Get("batch_id")));
  row.batch_id = din.compact();
  domain::Passage& p = row.passage;
  ASSIGN_OR_RETURN(p.passage_time, ParseRowTime(v.Get("passage_time"), config, now));
  ASSIGN_OR_RETURN(p.total_cells, cpc::ParseCount("total_cells", v.Get("total_cells")));
  ASSIGN_OR_RETURN(p.viable_cells, cpc::ParseCount("viable_cells", v.Get("viable_cells")));
  ASSIGN_OR_RETURN(p.cells_reseeded,
                   cpc::ParseCount("cells_reseeded", v.Get("cells_reseeded")));
  const std::string method = v.Get("counting_method");
  const v1::CountingMethod api_method = cpc::ChoiceValue(cpc::CountingMethodChoices(), method);
  if (api_method == v1::COUNTING_METHOD_UNSPECIFIED) {
    return absl::InvalidArgumentError(absl::StrCat(
        "counting_method: \"", method, "\" is not one of ",
        absl::StrJoin(cpc::ChoiceTexts(cpc::CountingMethodChoices()), ", ")));
  }
  p.counting_method = static_cast<domain::CountingMethod>(api_method);  // same numbering
  p.medium_lot = v.Get("medium_lot");
  p.incubator_id = v.Get("incubator_id");
  p.counter_id = v.Get("counter_id");
  for (absl::string_view lot : absl::StrSplit(v.Get("reagent_lots"), absl::ByAnyChar(";,"),
                                              absl::SkipWhitespace())) {
    p.reagent_lots.emplace_back(absl::StripAsciiWhitespace(lot));
  }
  if (std::string text = v.Get("viability_percent"); !text.empty()) {
    ASSIGN_OR_RETURN(p.viability_percent,
                     cpc::ParseNumber("viability_percent", absl::StripSuffix(text, "%")));
  }
  if (std::string text = v.Get("vessel_count"); !text.empty()) {
    ASSIGN_OR_RETURN(p.vessel_count, cpc::ParseSmallCount("vessel_count", text));
  }
  if (std::string text = v.Get("surface_area_cm2"); !text.empty()) {
    ASSIGN_OR_RETURN(p.surface_area_cm2, cpc::ParseNumber("surface_area_cm2", text));
  }
  RETURN_IF_ERROR(domain::CheckText("medium_lot", p.medium_lot, 64, /*required=*/true));
  RETURN_IF_ERROR(domain::CheckText("incubator_id", p.incubator_id, 64, /*required=*/true));
  RETURN_IF_ERROR(domain::CheckText("counter_id", p.counter_id, 64, /*required=*/true));
  domain::RecordData data = p;
  RETURN_IF_ERROR(domain::ValidateRecordData(data, now));
  p = std::get<domain::Passage>(data);
  return row;
}

// FNV-1a, 64 bits: stable across builds and machines, unlike std::hash.
uint64_t Fnv1a(absl::string_view bytes, uint64_t hash) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

absl::StatusOr<ImportConfig> ParseImportConfig(absl::string_view text) {
  ImportConfig config;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == absl::string_view::npos) return ConfigError(number, "expected KEY = VALUE");
    const std::string key(absl::StripAsciiWhitespace(line.substr(0, eq)));
    const std::string value(absl::StripAsciiWhitespace(line.substr(eq + 1)));
    if (absl::StartsWith(key, "column.") || absl::StartsWith(key, "fixed.")) {
      const bool column = absl::StartsWith(key, "column.");
      const std::string field = key.substr(key.find('.') + 1);
      if (!RequiredFields().count(field) && !OptionalFields().count(field)) {
        return ConfigError(number, absl::StrCat("unknown field \"", field, "\""));
      }
      if (config.columns.count(field) || config.fixed.count(field)) {
        return ConfigError(number, absl::StrCat("field \"", field, "\" is given twice"));
      }
      (column ? config.columns : config.fixed)[field] = value;
    } else if (key == "time_format") {
      config.time_format = value;
    } else if (key == "time_zone") {
      if (!absl::LoadTimeZone(value, &config.time_zone)) {
        return ConfigError(number, absl::StrCat("unknown time zone \"", value, "\""));
      }
    } else if (key == "delimiter") {
      if (value.size() != 1) return ConfigError(number, "delimiter must be one character");
      config.delimiter = value[0];
    } else {
      return ConfigError(number, absl::StrCat("unknown key \"", key, "\""));
    }
  }
  for (const std::string& field : RequiredFields()) {
    if (!config.columns.count(field) && !config.fixed.count(field)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "config: required field \"", field, "\" has neither column.", field, " nor fixed.",
          field));
    }
  }
  return config;
}

absl::StatusOr<CountFile> ReadCountFile(absl::string_view csv, const ImportConfig& config,
                                        absl::Time now) {
  ASSIGN_OR_RETURN(std::vector<cpc::CsvLine> records, cpc::ParseCsv(csv, config.delimiter));
  if (records.empty()) return absl::InvalidArgumentError("the file has no header row");
  std::map<std::string, size_t> header;
  for (size_t i = 0; i < records[0].fields.size(); ++i) {
    header[std::string(absl::StripAsciiWhitespace(records[0].fields[i]))] = i;
  }
  std::map<std::string, size_t> index;  // field -> column
  for (const auto& [field, column] : config.columns) {
    auto it = header.find(column);
    if (it == header.end()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "line %d: no column \"%s\" (for %s) in the header", records[0].line, column, field));
    }
    index[field] = it->second;
  }
  CountFile file;
  for (size_t r = 1; r < records.size(); ++r) {
    const cpc::CsvLine& record = records[r];
    if (record.fields.size() != records[0].fields.size()) {
      file.errors.push_back(absl::StrFormat("line %d: %d fields, the header has %d",
                                            record.line, record.fields.size(),
                                            records[0].fields.size()));
      continue;
    }
    absl::StatusOr<CountRow> row = ReadRow(RowValues(config, index, record.fields), config, now);
    if (!row.ok()) {
      file.errors.push_back(absl::StrCat("line ", record.line, ": ", row.status().message()));
      continue;
    }
    row->line = record.line;
    file.rows.push_back(*std::move(row));
  }
  if (file.rows.empty() && file.errors.empty()) {
    return absl::InvalidArgumentError("the file has a header but no rows");
  }
  std::stable_sort(file.rows.begin(), file.rows.end(), [](const CountRow& a, const CountRow& b) {
    return a.passage.passage_time < b.passage.passage_time;
  });
  // Two counts of one batch at one time cannot both be passages.
  std::map<std::pair<std::string, absl::Time>, int> seen;
  for (const CountRow& row : file.rows) {
    auto [it, added] = seen.emplace(std::pair(row.batch_id, row.passage.passage_time), row.line);
    if (!added) {
      file.errors.push_back(absl::StrFormat(
          "line %d: batch %s already has a count at %s (line %d)", row.line, row.batch_id,
          domain::FormatUtc(row.passage.passage_time), it->second));
    }
  }
  return file;
}

v1::RecordPassageRequest ToRequest(const CountRow& row) {
  v1::RecordPassageRequest request;
  request.set_batch_id(row.batch_id);
  v1::BatchRecord record;
  cpctrack::mapping::ToProto(domain::BatchRecord{.data = row.passage}, &record);
  *request.mutable_passage() = record.passage();
  const std::string bytes = request.SerializeAsString();
  request.set_request_id(absl::StrFormat("import-%016x%016x", Fnv1a(bytes, 0xcbf29ce484222325ULL),
                                         Fnv1a(bytes, 0x84222325cbf29ce4ULL)));
  return request;
}

}  // namespace cpclab
