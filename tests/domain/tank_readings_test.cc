#include "domain/tank_readings.h"

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const absl::Time kT0 =
    absl::FromCivil(absl::CivilSecond(2026, 11, 1, 9, 0, 0), absl::UTCTimeZone());

TankReading Reading(double temperature_c, std::optional<double> level = std::nullopt) {
  TankReading r;
  r.tank_id = "LN2-A";
  r.at = kT0;
  r.temperature_c = temperature_c;
  r.ln2_level_percent = level;
  return r;
}

TEST(TankReadingsTest, Ln2VapourMustStayAtOrBelowMinus150) {
  EXPECT_THAT(CheckReading(TemperatureClass::kLn2Vapour, Reading(-185, 62)), IsEmpty());
  EXPECT_THAT(CheckReading(TemperatureClass::kLn2Vapour, Reading(-150, 62)), IsEmpty());
  const std::vector<ReadingBreach> b = CheckReading(TemperatureClass::kLn2Vapour, Reading(-120));
  ASSERT_THAT(b, SizeIs(1));
  EXPECT_EQ(b[0].field, "temperature_c");
  EXPECT_EQ(b[0].value, -120);
  EXPECT_EQ(b[0].limit, -150);
  EXPECT_TRUE(b[0].above);
  EXPECT_EQ(b[0].Describe(TemperatureClass::kLn2Vapour),
            "temperature_c -120 is above the -150 °C maximum of LN2_VAPOUR");
}

TEST(TankReadingsTest, ALowLn2LevelIsABreachEvenWhileStillCold) {
  const std::vector<ReadingBreach> b =
      CheckReading(TemperatureClass::kLn2Vapour, Reading(-180, 12));
  ASSERT_THAT(b, SizeIs(1));
  EXPECT_EQ(b[0].Describe(TemperatureClass::kLn2Vapour),
            "ln2_level_percent 12 is below the 20 % minimum of LN2_VAPOUR");
  // Both limits at once.
  EXPECT_THAT(CheckReading(TemperatureClass::kLn2Vapour, Reading(-100, 5)), SizeIs(2));
}

TEST(TankReadingsTest, EachClassHasItsOwnLimits) {
  EXPECT_THAT(CheckReading(TemperatureClass::kLn2Liquid, Reading(-170)), SizeIs(1));
  EXPECT_THAT(CheckReading(TemperatureClass::kUltraLow, Reading(-80)), IsEmpty());
  EXPECT_THAT(CheckReading(TemperatureClass::kUltraLow, Reading(-50)), SizeIs(1));
  EXPECT_THAT(CheckReading(TemperatureClass::kRefrigerated, Reading(5)), IsEmpty());
  const std::vector<ReadingBreach> cold = CheckReading(TemperatureClass::kRefrigerated,
                                                       Reading(1));
  ASSERT_THAT(cold, SizeIs(1));
  EXPECT_FALSE(cold[0].above);
  EXPECT_THAT(CheckReading(TemperatureClass::kRefrigerated, Reading(9)), SizeIs(1));
  // No level limit where the class has no LN2.
  EXPECT_THAT(CheckReading(TemperatureClass::kUltraLow, Reading(-80, 0)), IsEmpty());
}

TEST(TankReadingsTest, ImplausibleReadingsAreRefusedNamingFieldValueAndRule) {
  EXPECT_TRUE(ValidateReading(Reading(-185, 62), kT0).ok());
  EXPECT_THAT(ValidateReading(Reading(-250), kT0).message(),
              HasSubstr("temperature_c: -250 is outside -200 to +60 °C"));
  EXPECT_THAT(ValidateReading(Reading(-185, 120), kT0).message(),
              HasSubstr("ln2_level_percent: 120 is outside 0 to 100 %"));
  EXPECT_THAT(ValidateReading(Reading(-185), kT0 - absl::Hours(1)).message(),
              HasSubstr("reading_time: 2026-11-01 09:00 UTC is in the future"));
  EXPECT_TRUE(ValidateReading(Reading(-185), kT0 - absl::Minutes(4)).ok());
}

TEST(TankReadingsTest, OnlyTheFirstBreachOfARunOpensAnExcursion) {
  EXPECT_TRUE(OpensExcursion(std::nullopt));
  TankReading previous = Reading(-185);
  previous.in_limits = true;
  EXPECT_TRUE(OpensExcursion(previous));
  previous.in_limits = false;
  EXPECT_FALSE(OpensExcursion(previous));
}

TEST(TankReadingsTest, TheWindowRunsFromTheLastReadingInLimits) {
  TankReading breach = Reading(-120);
  breach.at = kT0 + absl::Hours(6);
  EXPECT_EQ(ExcursionStart(std::nullopt, breach), breach.at);
  TankReading good = Reading(-185);
  good.at = kT0;
  EXPECT_EQ(ExcursionStart(good, breach), kT0);
}

}  // namespace
}  // namespace cpctrack::domain
