#include "client/format.h"

#include <gtest/gtest.h>

namespace cpc {
namespace {

TEST(BatchIdTest, SpacesAsOnTheLabel) {
  EXPECT_EQ(SpacedBatchId("A9999260000018"), "A9999 26 000001 8");
  EXPECT_EQ(SpacedBatchId("G123417654321A"), "G1234 17 654321 A");
  // Already spaced, or spaced differently: normalised.
  EXPECT_EQ(SpacedBatchId("A9999 26 000001 8"), "A9999 26 000001 8");
  EXPECT_EQ(SpacedBatchId("A999926 0000018"), "A9999 26 000001 8");
  // Not a DIN: left compact rather than cut in the wrong places.
  EXPECT_EQ(SpacedBatchId("A99 99"), "A9999");
}

TEST(BatchIdTest, CompactDropsAllWhitespace) {
  EXPECT_EQ(CompactBatchId("A9999 26 000001 8"), "A9999260000018");
  EXPECT_EQ(CompactBatchId(" A9999\t26 000001 8 "), "A9999260000018");
  EXPECT_EQ(CompactBatchId("A9999260000018"), "A9999260000018");
}

TEST(BatchIdTest, CompactDropsDashesAndUpperCases) {
  EXPECT_EQ(CompactBatchId("A9999-26-000001-8"), "A9999260000018");
  EXPECT_EQ(CompactBatchId("a9999260000018"), "A9999260000018");
  EXPECT_EQ(SpacedBatchId("a9999-26-000001-8"), "A9999 26 000001 8");
}

TEST(FormatCountTest, SmallCountsArePlain) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(950), "950");
  EXPECT_EQ(FormatCount(999), "999");
}

TEST(FormatCountTest, LargeCountsAreTheShortestExactENotation) {
  EXPECT_EQ(FormatCount(1000), "1e3");
  EXPECT_EQ(FormatCount(2500000), "2.5e6");
  EXPECT_EQ(FormatCount(1200000), "1.2e6");
  EXPECT_EQ(FormatCount(12000000), "1.2e7");
  EXPECT_EQ(FormatCount(10000000), "1e7");
  // Every digit typed is shown: nothing is rounded away.
  EXPECT_EQ(FormatCount(12345678), "1.2345678e7");
  EXPECT_EQ(FormatCount(9999000), "9.999e6");
  EXPECT_EQ(FormatCount(1001), "1.001e3");
  EXPECT_EQ(FormatCount(-2500000), "-2.5e6");
  EXPECT_EQ(FormatCount(INT64_MAX), "9.223372036854775807e18");
}

TEST(FormatPercentTest, OneDecimal) {
  EXPECT_EQ(FormatPercent(91.666), "91.7%");
  EXPECT_EQ(FormatPercent(70), "70.0%");
}

TEST(FormatDecimalTest, DropsTrailingZeros) {
  EXPECT_EQ(FormatDecimal(2.14159), "2.14");
  EXPECT_EQ(FormatDecimal(62.5, 1), "62.5");
  EXPECT_EQ(FormatDecimal(20.0, 1), "20");
  EXPECT_EQ(FormatDecimal(-0.001), "0");
}

TEST(ShellQuoteTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(ShellQuote("in-culture"), "in-culture");
  EXPECT_EQ(ShellQuote("a b"), "'a b'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellQuote(""), "''");
}

}  // namespace
}  // namespace cpc
