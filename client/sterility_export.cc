#include "client/sterility_export.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/choices.h"
#include "client/export_format.h"
#include "client/qc_format.h"
#include "client/time_format.h"

namespace cpc {

namespace v1 = ::cpctrack::v1;

const std::vector<SterilityColumn>& SterilityColumns() {
  static const auto* const kColumns = new std::vector<SterilityColumn>{
      {"test_id", true, true},        {"batch_id", true, false},
      {"patient_id", true, false},    {"sample_id", false, true},
      {"sample_point", true, false},  {"point_detail", false, false},
      {"test_type", true, false},     {"method", true, false},
      {"start_time", true, false},    {"read_time", true, false},
      {"result", true, false},        {"state", true, false},
      {"performed_by", true, false},  {"reviewed_by", true, false},
      {"retest_of", false, true},     {"invalidation_reason", false, false},
      {"first_result", false, false}, {"correction_reason", false, false},
      {"interim_readings", false, false},
  };
  return *kColumns;
}

namespace {

// "2026-12-06 10:00 no growth at 72 h (tanaka); ...": looks before the
// incubation ran, never a result.
std::string InterimText(const v1::QcTest& test,
                        const std::function<std::string(absl::Time)>& format_time) {
  std::vector<std::string> readings;
  for (const v1::InterimReading& r : test.interim_readings()) {
    readings.push_back(absl::StrCat(format_time(FromProto(r.read_time())), " ",
                                    r.note().empty() ? "no growth" : r.note(), " (",
                                    r.performed_by(), ")"));
  }
  return absl::StrJoin(readings, "; ");
}

}  // namespace

std::vector<std::string> SterilityFields(
    const v1::QcTest& test, const std::function<std::string(absl::Time)>& format_time) {
  const v1::QcResult* result = CurrentResult(test);
  std::string correction_reason;
  for (const v1::QcResult& each : test.results()) {
    if (each.corrects_result_id() != 0) correction_reason = each.correction_reason();
  }
  return {absl::StrCat(test.test_id()),
          test.sample().batch_id(),
          test.patient_id(),
          absl::StrCat(test.sample().sample_id()),
          EnumName(test.sample().sample_point()),
          test.sample().point_detail(),
          EnumName(test.type()),
          test.method(),
          format_time(FromProto(test.start_time())),
          result == nullptr ? "" : format_time(FromProto(result->read_time())),
          result == nullptr ? "" : QcResultText(*result),
          EnumName(test.state()),
          result == nullptr ? "" : result->performed_by(),
          ReviewerOf(test),
          absl::StrCat(test.retest_of()),
          test.has_invalidation() ? test.invalidation().reason() : "",
          test.results_size() > 1 ? QcResultText(test.results(0)) : "",
          correction_reason,
          InterimText(test, format_time)};
}

std::string SterilityCsvHeader() {
  std::vector<std::string> header;
  for (const SterilityColumn& column : SterilityColumns()) header.emplace_back(column.name);
  return CsvRecord(header);
}

std::string SterilityCsvRow(const v1::QcTest& test) {
  return CsvRecord(SterilityFields(test, Rfc3339Utc));
}

}  // namespace cpc
