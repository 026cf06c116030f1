#include "lab_tools/counts_import.h"

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpclab {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 11, 25, 12, 0, 0), absl::UTCTimeZone());

constexpr char kConfig[] = R"(# NC-202 export
column.batch_id = Sample ID
column.passage_time = Date/Time
column.total_cells = Total cells
column.viable_cells = Viable cells
column.cells_reseeded = Reseeded
column.viability_percent = Viability (%)
fixed.counting_method = aopi
fixed.medium_lot = MED-1
fixed.reagent_lots = TRY-1
fixed.incubator_id = INC-01
fixed.counter_id = NC-01
time_format = %d/%m/%Y %H:%M
time_zone = UTC
)";

ImportConfig Config() {
  absl::StatusOr<ImportConfig> config = ParseImportConfig(kConfig);
  EXPECT_TRUE(config.ok()) << config.status();
  return *config;
}

TEST(CountsImportTest, GoodFileIsReadValidatedAndOrderedByTime) {
  const std::string csv =
      "\xEF\xBB\xBF\"Sample ID\",Date/Time,Total cells,Viable cells,Viability (%),Reseeded\r\n"
      "G123417654321A,24/11/2026 10:00,\"13,000,000\",1.2e7,92.3%,3e6\r\n"
      "\r\n"
      "g1234 17 654321 a,20/11/2026 09:30,8800000,8000000,,2000000\r\n";
  absl::StatusOr<CountFile> file = ReadCountFile(csv, Config(), kNow);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_TRUE(file->errors.empty()) << file->errors[0];
  ASSERT_EQ(file->rows.size(), 2u);
  EXPECT_EQ(file->rows[0].line, 4) << "the earlier count goes first";
  EXPECT_EQ(file->rows[0].batch_id, "G123417654321A");
  EXPECT_EQ(file->rows[0].passage.viable_cells, 8'000'000);
  EXPECT_DOUBLE_EQ(file->rows[0].passage.viability_percent, 90.9) << "computed when not given";
  EXPECT_EQ(file->rows[1].line, 2);
  EXPECT_EQ(file->rows[1].passage.total_cells, 13'000'000);
  EXPECT_EQ(file->rows[1].passage.passage_time,
            absl::FromCivil(absl::CivilSecond(2026, 11, 24, 10, 0, 0), absl::UTCTimeZone()));

  const cpctrack::v1::RecordPassageRequest request = ToRequest(file->rows[1]);
  EXPECT_EQ(request.batch_id(), "G123417654321A");
  EXPECT_EQ(request.passage().counting_method(), cpctrack::v1::COUNTING_METHOD_AUTOMATED_AO_PI);
  EXPECT_EQ(request.passage().reagent_lots(0), "TRY-1");
  EXPECT_EQ(request.passage().cells_reseeded(), 3'000'000);
  // The same row gives the same request ID; another row another.
  EXPECT_EQ(request.request_id(), ToRequest(file->rows[1]).request_id());
  EXPECT_NE(request.request_id(), ToRequest(file->rows[0]).request_id());
}

TEST(CountsImportTest, EveryBadRowIsReportedWithItsLine) {
  const std::string csv =
      "Sample ID,Date/Time,Total cells,Viable cells,Viability (%),Reseeded\n"
      "G123417654321A,24/11/2026 10:00,13000000,12000000,,3000000\n"
      "G123417654321B,24/11/2026 11:00,13000000,12000000,,3000000\n"  // check character
      "G123417654321A,24/11/2026 12:00,1000000,2000000,,300000\n"     // viable > total
      "G123417654321A,2026-11-24,13000000,12000000,,3000000\n"        // time format
      "G123417654321A,24/11/2026 13:00,13000000,12000000,,abc\n"      // not a number
      "G123417654321A,24/11/2026 10:00,13000000,12000000,,3000000\n"  // same time as line 2
      "G123417654321A,24/11/2026 14:00,13000000\n";                    // short row
  absl::StatusOr<CountFile> file = ReadCountFile(csv, Config(), kNow);
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_EQ(file->errors.size(), 6u);
  EXPECT_THAT(file->errors[0], HasSubstr("line 3: batch ID"));
  EXPECT_THAT(file->errors[1], HasSubstr("line 4: viable_cells (2e+06) exceeds total_cells"));
  EXPECT_THAT(file->errors[2], HasSubstr("line 5: passage_time"));
  EXPECT_THAT(file->errors[3], HasSubstr("line 6: cells_reseeded"));
  EXPECT_THAT(file->errors[4], HasSubstr("line 8: 3 fields, the header has 6"));
  EXPECT_THAT(file->errors[5], HasSubstr("line 7: batch G123417654321A already has a count"));
}

TEST(CountsImportTest, FutureCountIsRefused) {
  const std::string csv =
      "Sample ID,Date/Time,Total cells,Viable cells,Viability (%),Reseeded\n"
      "G123417654321A,26/11/2026 10:00,13000000,12000000,,3000000\n";
  absl::StatusOr<CountFile> file = ReadCountFile(csv, Config(), kNow);
  ASSERT_TRUE(file.ok());
  ASSERT_EQ(file->errors.size(), 1u);
  EXPECT_THAT(file->errors[0], HasSubstr("line 2: passage_time"));
}

TEST(CountsImportTest, MissingColumnIsAFileError) {
  absl::StatusOr<CountFile> file =
      ReadCountFile("Sample,Date/Time\nX,Y\n", Config(), kNow);
  EXPECT_THAT(file.status().message(), HasSubstr("line 1: no column \"Sample ID\""));
}

TEST(CountsImportTest, ConfigErrorsNameTheLine) {
  EXPECT_THAT(ParseImportConfig("column.batch = X\n").status().message(),
              HasSubstr("config line 1: unknown field \"batch\""));
  EXPECT_THAT(ParseImportConfig("# c\ncolumn.batch_id = A\nfixed.batch_id = B\n")
                  .status()
                  .message(),
              HasSubstr("config line 3: field \"batch_id\" is given twice"));
  EXPECT_THAT(ParseImportConfig("column.batch_id = A\n").status().message(),
              HasSubstr("required field"));
  EXPECT_THAT(ParseImportConfig("time_zone = Mars/Olympus\n").status().message(),
              HasSubstr("unknown time zone"));
}

}  // namespace
}  // namespace cpclab
