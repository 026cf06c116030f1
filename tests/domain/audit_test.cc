#include "domain/audit.h"

#include <cstdlib>
#include <limits>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;

TEST(JsonStringTest, QuotesAndEscapesQuotesAndBackslashes) {
  EXPECT_EQ(JsonString("plain"), "\"plain\"");
  EXPECT_EQ(JsonString("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(JsonString("C:\\temp"), "\"C:\\\\temp\"");
}

TEST(JsonStringTest, EscapesNewlinesAndTabs) {
  EXPECT_EQ(JsonString("a\nb\rc\td"), "\"a\\nb\\rc\\td\"");
}

TEST(JsonStringTest, EscapesOtherControlCharactersAsUnicode) {
  EXPECT_EQ(JsonString(std::string("a\x01" "b\x1f", 4)), "\"a\\u0001b\\u001f\"");
  EXPECT_EQ(JsonString(std::string("\0", 1)), "\"\\u0000\"");
}

TEST(JsonStringTest, PassesUtf8Through) {
  EXPECT_EQ(JsonString("\xe8\x85\xb9\xe9\x83\xa8"), "\"\xe8\x85\xb9\xe9\x83\xa8\"");  // 腹部
}

TEST(JsonObjectTest, FieldsAppearInTheOrderAdded) {
  const std::string json =
      JsonObject().Add("z", "last?").Add("a", 1).Add("m", true).Add("b", false).Build();
  EXPECT_EQ(json, "{\"z\":\"last?\",\"a\":1,\"m\":true,\"b\":false}");
}

TEST(JsonObjectTest, EmptyObject) { EXPECT_EQ(JsonObject().Build(), "{}"); }

TEST(JsonObjectTest, KeysAreEscapedToo) {
  EXPECT_EQ(JsonObject().Add("a\"b", "x").Build(), "{\"a\\\"b\":\"x\"}");
}

TEST(JsonObjectTest, Int64KeepsEveryDigit) {
  EXPECT_EQ(JsonObject().Add("n", int64_t{1'000'000'000'001}).Build(),
            "{\"n\":1000000000001}");
}

TEST(JsonObjectTest, DoublesRoundTrip) {
  for (double v : {0.1, 1.0 / 3.0, 66.7, 1e-300, 123456789.123456789, -0.0, 2.5e12}) {
    const std::string json = JsonObject().Add("v", v).Build();
    const std::string number = json.substr(5, json.size() - 6);  // {"v":...}
    EXPECT_EQ(std::strtod(number.c_str(), nullptr), v) << json;
  }
}

TEST(JsonObjectTest, NonFiniteDoublesAreNull) {
  EXPECT_EQ(JsonObject().Add("v", std::numeric_limits<double>::infinity()).Build(),
            "{\"v\":null}");
  EXPECT_EQ(JsonObject().Add("v", std::numeric_limits<double>::quiet_NaN()).Build(),
            "{\"v\":null}");
}

TEST(JsonObjectTest, TimesAreRfc3339Utc) {
  const absl::Time t = absl::FromCivil(absl::CivilSecond(2026, 3, 10, 18, 30, 5),
                                       absl::FixedTimeZone(9 * 3600));
  EXPECT_EQ(JsonObject().Add("t", t).Build(), "{\"t\":\"2026-03-10T09:30:05+00:00\"}");
}

Passage SamplePassage() {
  Passage p;
  p.passage_number = 2;
  p.passage_time = absl::FromUnixSeconds(1'773'000'000);
  p.total_cells = 10'000'000;
  p.viable_cells = 9'000'000;
  p.viability_percent = 90;
  p.counting_method = CountingMethod::kAutomatedAoPi;
  p.cells_reseeded = 2'000'000;
  p.medium_lot = "MED \"A\"\n1";
  p.reagent_lots = {"TRY-1", "X\\Y"};
  p.incubator_id = "INC-01";
  return p;
}

TEST(ToJsonTest, SameRecordGivesTheSameBytes) {
  EXPECT_EQ(ToJson(RecordData(SamplePassage())), ToJson(RecordData(SamplePassage())));
}

TEST(ToJsonTest, PassageFieldsInFixedOrderWithEscapedLots) {
  const std::string json = ToJson(RecordData(SamplePassage()));
  EXPECT_EQ(json,
            "{\"kind\":\"passage\",\"passage_number\":2,"
            "\"passage_time\":\"2026-03-08T20:00:00+00:00\","
            "\"total_cells\":10000000,\"viable_cells\":9000000,\"viability_percent\":90,"
            "\"counting_method\":3,\"cells_reseeded\":2000000,\"vessel_count\":0,"
            "\"surface_area_cm2\":0,\"medium_lot\":\"MED \\\"A\\\"\\n1\","
            "\"reagent_lots\":[\"TRY-1\",\"X\\\\Y\"],\"incubator_id\":\"INC-01\"}");
}

TEST(ToJsonTest, CorrectionCarriesWhatItCorrectsAndWhy) {
  BatchRecord r;
  r.record_id = 7;
  r.recorded_by = "tanaka";
  r.corrects_record_id = 5;
  r.correction_reason = "count\tfix";
  r.data = Observation{absl::FromUnixSeconds(0), 50, ""};
  EXPECT_THAT(ToJson(r), HasSubstr("\"corrects_record_id\":5,"
                                   "\"correction_reason\":\"count\\tfix\",\"data\":{"));
  r.corrects_record_id = 0;
  EXPECT_THAT(ToJson(r), testing::Not(HasSubstr("corrects_record_id")));
}

TEST(ToJsonTest, EmptyLotListIsAnEmptyArray) {
  MediumChange m;
  m.change_time = absl::FromUnixSeconds(0);
  m.medium_lot = "MED-001";
  EXPECT_THAT(ToJson(RecordData(m)), HasSubstr("\"reagent_lots\":[],"));
}

TEST(ToJsonTest, PatientScreeningIsNamedNotNumbered) {
  Patient p;
  p.patient_id = "PT-1";
  p.body_weight_kg = 62.5;
  p.screening.hiv = ScreeningResult::kNegative;
  EXPECT_THAT(ToJson(p), HasSubstr("\"hiv\":\"NEGATIVE\""));
  EXPECT_THAT(ToJson(p), HasSubstr("\"body_weight_kg\":62.5,"));
}

TEST(ToJsonTest, LotExpiryIsADate) {
  ReagentLot lot;
  lot.lot_number = "MED-001";
  lot.expiry_day = absl::CivilDay(2026, 3, 31);
  EXPECT_THAT(ToJson(lot), HasSubstr("\"expiry_date\":\"2026-03-31\""));
}

}  // namespace
}  // namespace cpctrack::domain
