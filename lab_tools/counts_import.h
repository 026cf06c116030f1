// Cell counts exported by automated counters (CSV), read into passages.
// Instruments name their columns differently, so a small config maps them:
//
//   # NucleoCounter NC-202 export            (comments start with #)
//   column.batch_id = Sample ID              (a CSV column, by its header)
//   column.passage_time = Date/Time
//   column.total_cells = Total cells
//   column.viable_cells = Viable cells
//   column.cells_reseeded = Reseeded
//   fixed.counting_method = aopi             (a value for every row)
//   fixed.medium_lot = MEM-2611
//   fixed.incubator_id = INC-01
//   fixed.counter_id = NC-01                 (the counter that wrote the file)
//   time_format = %d/%m/%Y %H:%M             (absl::ParseTime; default: as cpc reads times)
//   time_zone = Asia/Tokyo                   (default: this computer's)
//   delimiter = ;                            (default: ,)
//
// Fields, each given by a column or a fixed value (not both): batch_id,
// passage_time, total_cells, viable_cells, cells_reseeded, counting_method,
// medium_lot, incubator_id, counter_id (required); viability_percent, reagent_lots
// (separated by ';' or ','), vessel_count, surface_area_cm2 (optional).
#ifndef CPCTRACK_LAB_TOOLS_COUNTS_IMPORT_H_
#define CPCTRACK_LAB_TOOLS_COUNTS_IMPORT_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cpctrack/v1/batches.pb.h"
#include "domain/records.h"

namespace cpclab {

struct ImportConfig {
  std::map<std::string, std::string> columns;  // field -> CSV header
  std::map<std::string, std::string> fixed;    // field -> value
  std::string time_format;                     // empty: cpc's time syntax
  absl::TimeZone time_zone = absl::LocalTimeZone();
  char delimiter = ',';
};

// InvalidArgument naming the config line: unknown key or field, a field
// both mapped and fixed, a required field missing, an unknown time zone.
absl::StatusOr<ImportConfig> ParseImportConfig(absl::string_view text);

// One CSV row, validated.
struct CountRow {
  int line = 0;
  std::string batch_id;  // compact DIN
  cpctrack::domain::Passage passage;
};

struct CountFile {
  std::vector<CountRow> rows;       // in the order to send: by passage time, then line
  std::vector<std::string> errors;  // "line 4: viable_cells (...) exceeds ...", one per bad row
};

// Reads every row (the header names the columns), checks each against the
// domain's plausibility rules as of `now`, and orders them. Rows of one batch
// at the same time are an error. An error that is not about one row (a
// mapped column missing from the header, unreadable CSV) is InvalidArgument.
absl::StatusOr<CountFile> ReadCountFile(absl::string_view csv, const ImportConfig& config,
                                        absl::Time now);

// The RecordPassage request for a row, with a request ID derived from its
// content: importing the same file again resends the same IDs, and the
// server answers rows it already recorded without recording them twice.
cpctrack::v1::RecordPassageRequest ToRequest(const CountRow& row);

}  // namespace cpclab

#endif  // CPCTRACK_LAB_TOOLS_COUNTS_IMPORT_H_
