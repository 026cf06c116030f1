#include "client/values.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "client/status_util.h"

namespace cpc {
namespace {

TEST(ParseCountTest, AcceptsPlainScientificAndGroupedForms) {
  EXPECT_EQ(*ParseCount("--cells", "2500000"), 2500000);
  EXPECT_EQ(*ParseCount("--cells", "2.5e6"), 2500000);
  EXPECT_EQ(*ParseCount("--cells", "2,500,000"), 2500000);
  EXPECT_EQ(*ParseCount("--cells", "1.2E7"), 12000000);
  EXPECT_EQ(*ParseCount("--cells", "0"), 0);
}

TEST(ParseCountTest, PlainIntegersBeyondDoublePrecisionStayExact) {
  EXPECT_EQ(*ParseCount("--cells", "9007199254740993"), 9007199254740993);
}

TEST(ParseCountTest, RefusesFractionsNamingFlagAndRule) {
  absl::StatusOr<int64_t> count = ParseCount("--cells", "2.5");
  ASSERT_FALSE(count.ok());
  EXPECT_TRUE(IsUsageError(count.status()));
  EXPECT_EQ(count.status().message(), "--cells: \"2.5\" must be a whole number");
  EXPECT_FALSE(ParseCount("--cells", "2.5e0").ok());
}

TEST(ParseCountTest, RefusesNegativeAndNonNumbers) {
  EXPECT_EQ(ParseCount("--viable", "-3").status().message(),
            "--viable: \"-3\" must not be negative");
  absl::StatusOr<int64_t> word = ParseCount("--viable", "abc");
  ASSERT_FALSE(word.ok());
  EXPECT_TRUE(absl::StartsWith(word.status().message(), "--viable: \"abc\" is not a number"));
  EXPECT_FALSE(ParseCount("--viable", "").ok());
  EXPECT_FALSE(ParseCount("--viable", "1e30").ok());
}

TEST(ParseNumberTest, RefusesDecimalCommaAndBadGrouping) {
  // A European "2,5" must not become 25.
  EXPECT_FALSE(ParseNumber("--cells", "2,5").ok());
  EXPECT_FALSE(ParseNumber("--cells", "25,00,000").ok());
  EXPECT_FALSE(ParseNumber("--cells", ",250").ok());
  EXPECT_FALSE(ParseNumber("--cells", "2500,").ok());
  EXPECT_FALSE(ParseCount("--cells", "2,5").ok());
}

TEST(ParseNumberTest, AcceptsDecimalsAndNegatives) {
  EXPECT_DOUBLE_EQ(*ParseNumber("--viability", "91.7"), 91.7);
  EXPECT_DOUBLE_EQ(*ParseNumber("--temp-c", "-20"), -20);
  EXPECT_DOUBLE_EQ(*ParseNumber("--volume-ml", "1,250.5"), 1250.5);
}

TEST(ParseNumberTest, RefusesInfinityAndNan) {
  EXPECT_FALSE(ParseNumber("--viability", "inf").ok());
  EXPECT_FALSE(ParseNumber("--viability", "nan").ok());
}

TEST(ParseSmallCountTest, RefusesWhatAnInt32CannotHold) {
  EXPECT_EQ(*ParseSmallCount("--vessels", "4"), 4);
  EXPECT_FALSE(ParseSmallCount("--vessels", "3e9").ok());
}

TEST(ParseDateTest, AcceptsRealDatesOnly) {
  EXPECT_EQ(*ParseDate("--expiry", "2027-03-31"), "2027-03-31");
  EXPECT_EQ(*ParseDate("--expiry", "2028-02-29"), "2028-02-29");
  EXPECT_FALSE(ParseDate("--expiry", "2027-02-30").ok());
  EXPECT_FALSE(ParseDate("--expiry", "2027-3-31").ok());
  EXPECT_FALSE(ParseDate("--expiry", "31/03/2027").ok());
}

}  // namespace
}  // namespace cpc
