#include "domain/din.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(DinCheckCharacterTest, MatchesTheStandardsWorkedExample) {
  // ISBT 128 worked example: G1234 17 654321 -> A.
  EXPECT_EQ(Din::CheckCharacter("G123417654321"), 'A');
}

TEST(DinCheckCharacterTest, MatchesHandComputedValues) {
  // "A999926000001", s = ((s + value) * 2) mod 37, A = 10:
  //   A:(0+10)*2=20  9:(20+9)*2=58%37=21  9:(21+9)*2=60%37=23
  //   9:(23+9)*2=64%37=27  9:(27+9)*2=72%37=35  2:(35+2)*2=74%37=0
  //   6:(0+6)*2=12  0:24  0:48%37=11  0:22  0:44%37=7  0:14
  //   1:(14+1)*2=30;  check = (38-30)%37 = 8 -> '8'.
  EXPECT_EQ(Din::CheckCharacter("A999926000001"), '8');
  // "W001226000042" (W = 32): final s = 17, check = 21 -> 'L'.
  EXPECT_EQ(Din::CheckCharacter("W001226000042"), 'L');
  // "Z999999999999" (Z = 35): final s = 13, check = 25 -> 'P'.
  EXPECT_EQ(Din::CheckCharacter("Z999999999999"), 'P');
}

TEST(DinCheckCharacterTest, ValueThirtySixIsWrittenAsAsterisk) {
  // "1000026000001": 1:2  0:4  0:8  0:16  0:32  2:(32+2)*2=68%37=31
  //   6:(31+6)*2=74%37=0  0:0 0:0 0:0 0:0 0:0  1:(0+1)*2=2;
  //   check = (38-2)%37 = 36 -> '*'.
  EXPECT_EQ(Din::CheckCharacter("1000026000001"), '*');
}

TEST(DinTest, ParseRoundTripsADinWhoseCheckIsAsterisk) {
  // Search rather than trust one hand value: some sequence must give 36.
  std::string found;
  for (int sequence = 1; sequence <= 1000 && found.empty(); ++sequence) {
    absl::StatusOr<Din> din = Din::Create("A9999", 26, sequence);
    ASSERT_TRUE(din.ok()) << din.status();
    if (din->compact().back() == '*') found = din->compact();
  }
  ASSERT_FALSE(found.empty()) << "no sequence 1-1000 gives check '*'";
  absl::StatusOr<Din> parsed = Din::Parse(found);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->compact(), found);
  absl::StatusOr<Din> spaced = Din::Parse(parsed->Spaced());
  ASSERT_TRUE(spaced.ok()) << spaced.status();
  EXPECT_EQ(*spaced, *parsed);
}

TEST(DinTest, ParseAcceptsSpacedLowercaseAndCompactForms) {
  for (const char* text : {"G1234 17 654321 A", "g123417654321a", "G123417654321A",
                           "g1234 17 654321 a", "G1234-17-654321-A"}) {
    absl::StatusOr<Din> din = Din::Parse(text);
    ASSERT_TRUE(din.ok()) << text << ": " << din.status();
    EXPECT_EQ(din->compact(), "G123417654321A") << text;
  }
}

TEST(DinTest, ParsedFieldsAreTheFacilityYearAndSequence) {
  absl::StatusOr<Din> din = Din::Parse("G1234 17 654321 A");
  ASSERT_TRUE(din.ok()) << din.status();
  EXPECT_EQ(din->facility_code(), "G1234");
  EXPECT_EQ(din->year(), 17);
  EXPECT_EQ(din->sequence(), 654321);
}

TEST(DinTest, ParseRejectsAWrongCheckCharacterWithoutRevealingTheRightOne) {
  absl::StatusOr<Din> din = Din::Parse("G1234 17 654321 B");
  ASSERT_EQ(din.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(din.status().message(), HasSubstr("wrong check character"));
  // The right character is 'A'; the message may quote the typed 'B' only.
  EXPECT_THAT(din.status().message(), Not(HasSubstr("'A'")));
  EXPECT_THAT(din.status().message(), Not(HasSubstr("654321A")));
  EXPECT_THAT(din.status().message(), Not(HasSubstr("expected")));
}

TEST(DinTest, ParseRejectsASingleDigitTypo) {
  // The check character exists to catch exactly this: 654321 -> 654331.
  EXPECT_EQ(Din::Parse("G123417654331A").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(DinTest, ParseRejectsAMissingCheckCharacter) {
  absl::StatusOr<Din> din = Din::Parse("G1234 17 654321");
  ASSERT_EQ(din.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(din.status().message(), HasSubstr("no check character"));
}

TEST(DinTest, ParseRejectsWrongLengths) {
  for (const char* text : {"", "G1234", "G12341765432A", "G1234176543210A"}) {
    absl::StatusOr<Din> din = Din::Parse(text);
    EXPECT_EQ(din.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(din.status().message(), HasSubstr("14 characters")) << text;
  }
}

TEST(DinTest, ParseRejectsFacilityStartingWithZeroOrLetterO) {
  // Check characters are correct for the bodies, so only the facility rule fails.
  const std::string zero =
      absl::StrCat("0123417654321", std::string(1, Din::CheckCharacter("0123417654321")));
  const std::string letter_o =
      absl::StrCat("O123417654321", std::string(1, Din::CheckCharacter("O123417654321")));
  for (const std::string& text : {zero, letter_o}) {
    absl::StatusOr<Din> din = Din::Parse(text);
    EXPECT_EQ(din.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(din.status().message(), HasSubstr("never 0 or O")) << text;
  }
}

TEST(DinTest, ParseRejectsLettersInYearSequenceOrFacilityDigits) {
  const std::string in_sequence =
      absl::StrCat("G12341765432X", std::string(1, Din::CheckCharacter("G12341765432X")));
  absl::StatusOr<Din> din = Din::Parse(in_sequence);
  EXPECT_EQ(din.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(din.status().message(), HasSubstr("must be digits"));

  const std::string in_facility =
      absl::StrCat("G12X417654321", std::string(1, Din::CheckCharacter("G12X417654321")));
  din = Din::Parse(in_facility);
  EXPECT_EQ(din.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(din.status().message(), HasSubstr("4 digits"));
}

TEST(DinTest, CreatePadsYearAndSequenceWithZeros) {
  absl::StatusOr<Din> din = Din::Create("A9999", 6, 1);
  ASSERT_TRUE(din.ok()) << din.status();
  EXPECT_EQ(din->compact(),
            "A999906000001" + std::string(1, Din::CheckCharacter("A999906000001")));
  EXPECT_EQ(din->year(), 6);
  EXPECT_EQ(din->sequence(), 1);
}

TEST(DinTest, CreateAppendsTheCheckCharacter) {
  absl::StatusOr<Din> din = Din::Create("A9999", 26, 1);
  ASSERT_TRUE(din.ok()) << din.status();
  EXPECT_EQ(din->compact(), "A9999260000018");  // '8' computed by hand above
}

TEST(DinTest, CreateRejectsBadFacilityYearAndSequence) {
  EXPECT_EQ(Din::Create("O1234", 26, 1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Din::Create("01234", 26, 1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Din::Create("G123", 26, 1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Din::Create("G1234", 100, 1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Din::Create("G1234", -1, 1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Din::Create("G1234", 26, 0).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(Din::Create("G1234", 26, 1000000).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_TRUE(Din::Create("G1234", 26, 999999).ok());
}

TEST(DinTest, SpacedIsTheEyeReadableLabelForm) {
  absl::StatusOr<Din> din = Din::Parse("g123417654321a");
  ASSERT_TRUE(din.ok()) << din.status();
  EXPECT_EQ(din->Spaced(), "G1234 17 654321 A");
}

TEST(FacilityCodeTest, AcceptsDigitOrLetterThenFourDigits) {
  EXPECT_TRUE(ValidateFacilityCode("G1234").ok());
  EXPECT_TRUE(ValidateFacilityCode("12345").ok());
  EXPECT_TRUE(ValidateFacilityCode("P0000").ok());
  EXPECT_FALSE(ValidateFacilityCode("O1234").ok());
  EXPECT_FALSE(ValidateFacilityCode("01234").ok());
  EXPECT_FALSE(ValidateFacilityCode("g1234").ok());
  EXPECT_FALSE(ValidateFacilityCode("GG234").ok());
  EXPECT_FALSE(ValidateFacilityCode("G12345").ok());
}

TEST(DinTest, ParseRefusesSequenceZeroWhichIsNeverIssued) {
  const std::string body = "W123000000000";
  const absl::StatusOr<Din> din = Din::Parse(body + Din::CheckCharacter(body));
  ASSERT_FALSE(din.ok());
  EXPECT_NE(din.status().message().find("never issued"), std::string::npos) << din.status();
}

TEST(DinTest, ParseRefusesAHugeTextWithoutQuotingIt) {
  const absl::StatusOr<Din> din = Din::Parse(std::string(1 << 20, '7'));
  ASSERT_FALSE(din.ok());
  EXPECT_EQ(din.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_LT(din.status().message().size(), 200u) << din.status().message();
  EXPECT_TRUE(Din::Parse("  G1234 17 654321 A  ").ok()) << "spacing still fits";
}

}  // namespace
}  // namespace cpctrack::domain
