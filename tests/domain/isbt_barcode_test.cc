#include "domain/isbt_barcode.h"

#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

// The standard's worked example G1234 17 654321 has check character A
// (value 10): flag type 3 carries 10 + 60 = "70".
TEST(IsbtBarcodeTest, DataStructure001CarriesTheCheckValuePlusSixtyAsFlags) {
  absl::StatusOr<Din> din = Din::Parse("G1234 17 654321 A");
  ASSERT_TRUE(din.ok());
  EXPECT_EQ(DinBarcodeData(*din), "=G12341765432170");
}

TEST(IsbtBarcodeTest, ScannedDataReadsBackToTheSameDin) {
  absl::StatusOr<Din> din = ParseDinBarcodeData("=G12341765432170");
  ASSERT_TRUE(din.ok()) << din.status();
  EXPECT_EQ(din->compact(), "G123417654321A");
  // Flags "00" carry no check: the DIN gets its computed check character.
  EXPECT_EQ(ParseDinBarcodeData("=G12341765432100")->compact(), "G123417654321A");
}

TEST(IsbtBarcodeTest, CheckFlagThatDisagreesIsAMisread) {
  absl::StatusOr<Din> din = ParseDinBarcodeData("=G12341765432171");
  EXPECT_EQ(din.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(din.status().message().find("misread"), absl::string_view::npos);
  EXPECT_FALSE(ParseDinBarcodeData("G12341765432170").ok());
  EXPECT_FALSE(ParseDinBarcodeData("=O12341765432170").ok());
}

}  // namespace
}  // namespace cpctrack::domain
