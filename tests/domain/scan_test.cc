#include "domain/scan.h"

#include "domain/isbt_barcode.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;

// The standard's worked example: G1234 17 654321, check character A.
constexpr char kDin[] = "=G12341765432170";
constexpr char kUnit2[] = "=<S12341B0";  // product S1234, autologous only, division B: unit 2
constexpr char kExpiry[] = "&>0263371430";  // 2026, day 337 (3 December), 14:30

std::string Message(absl::string_view din = kDin, absl::string_view product = kUnit2,
                    absl::string_view expiry = kExpiry) {
  return CompoundMessage({std::string(din), std::string(product), std::string(expiry)});
}

TEST(IsbtStructuresTest, ProductCodeCarriesTheUnitsDivisionAndAutologousCollection) {
  EXPECT_EQ(*ProductCodeData("S1234", kCollectionTypeAutologousOnly, 1), "=<S12341A0");
  EXPECT_EQ(*ProductCodeData("DAX12", kCollectionTypeAutologousOnly, 26), "=<DAX121Z0");
  EXPECT_FALSE(ProductCodeData("S1234", '1', 27).ok());
  EXPECT_FALSE(ProductCodeData("S1234", '1', 0).ok());
  EXPECT_FALSE(ProductCodeData("E0001", '1', 1).ok());  // a blood component, not cell therapy
  EXPECT_FALSE(ProductCodeData("s1234", '1', 1).ok());
  EXPECT_FALSE(ProductCodeData("S123", '1', 1).ok());
}

TEST(IsbtStructuresTest, ExpiryIsCenturyYearOrdinalDayHourMinute) {
  EXPECT_EQ(ExpiryDateTimeData(absl::CivilMinute(2026, 12, 3, 14, 30)), kExpiry);
  // ST-012's example: &>0183652359 is 31 December 2018, 23:59.
  EXPECT_EQ(ExpiryDateTimeData(absl::CivilMinute(2018, 12, 31, 23, 59)), "&>0183652359");
}

TEST(IsbtStructuresTest, CompoundMessageCountsItsStructuresWithUndefinedSequence) {
  EXPECT_EQ(Message(), "=+03000=G12341765432170=<S12341B0&>0263371430");
}

TEST(ScanTest, TheDataMatrixMessageNamesTheUnitItsProductAndExpiry) {
  absl::StatusOr<Scan> scan = ParseScan("scanned_unit", Message());
  ASSERT_TRUE(scan.ok()) << scan.status();
  EXPECT_EQ(scan->din.compact(), "G123417654321A");
  EXPECT_EQ(scan->unit_sequence, 2);
  EXPECT_EQ(scan->product_description_code, "S1234");
  EXPECT_EQ(scan->collection_type, '1');
  EXPECT_EQ(scan->expires, absl::CivilMinute(2026, 12, 3, 14, 30));
  EXPECT_TRUE(scan->from_barcode);
  EXPECT_EQ(*ScannedUnitId("u", Message()), "G123417654321A-02");
}

TEST(ScanTest, LinearSymbolsInEitherOrderWithWhatTheScannerPutsBetween) {
  for (const std::string& text :
       {absl::StrCat(kDin, "\n", kUnit2), absl::StrCat(kUnit2, "\t", kDin),
        absl::StrCat(kUnit2, kDin), absl::StrCat(" ", kDin, " ", kUnit2, "\r\n")}) {
    absl::StatusOr<std::string> unit = ScannedUnitId("u", text);
    ASSERT_TRUE(unit.ok()) << text << ": " << unit.status();
    EXPECT_EQ(*unit, "G123417654321A-02");
  }
}

TEST(ScanTest, TypedIdsAsToday) {
  EXPECT_EQ(*ScannedUnitId("u", "G123417654321A-02"), "G123417654321A-02");
  EXPECT_EQ(*ScannedUnitId("u", "g1234 17 654321 a-2"), "G123417654321A-02");
  EXPECT_EQ(ScannedBatchId("b", "G1234 17 654321 A")->compact(), "G123417654321A");
  EXPECT_FALSE(ParseScan("b", "G1234 17 654321 A")->from_barcode);
  // A unit's scan also names its batch.
  EXPECT_EQ(ScannedBatchId("b", Message())->compact(), "G123417654321A");
  EXPECT_EQ(ScannedBatchId("b", "G123417654321A-02")->compact(), "G123417654321A");
}

TEST(ScanTest, ADinAloneNamesTheBatchNotTheUnit) {
  EXPECT_EQ(ScannedBatchId("b", kDin)->compact(), "G123417654321A");
  absl::StatusOr<std::string> unit = ScannedUnitId("scanned_unit_id", kDin);
  EXPECT_EQ(unit.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unit.status().message(), HasSubstr("not which of its units"));
  EXPECT_THAT(unit.status().message(), HasSubstr("scanned_unit_id"));
  EXPECT_FALSE(ScannedUnitId("u", "G123417654321A").ok());
}

TEST(ScanTest, AFailingDinCheckIsRefused) {
  // Flag 71 says check value 11 (B); the DIN's is A.
  absl::StatusOr<Scan> scan = ParseScan("u", Message("=G12341765432171"));
  EXPECT_EQ(scan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(scan.status().message(), HasSubstr("misread"));
  EXPECT_FALSE(ParseScan("u", "G123417654321B-02").ok());  // typed, wrong check
  // A DIN that cannot be one: O as its first character.
  EXPECT_FALSE(ParseScan("u", "=O12341765432170").ok());
}

TEST(ScanTest, TruncatedScansAreRefused) {
  const std::string message = Message();
  for (size_t size = 1; size < message.size(); ++size) {
    const std::string cut = message.substr(0, size);
    absl::StatusOr<std::string> unit = ScannedUnitId("u", cut);
    EXPECT_FALSE(unit.ok()) << cut;
  }
  EXPECT_FALSE(ParseScan("u", "=G123417654321").ok());
  EXPECT_FALSE(ParseScan("u", absl::StrCat(kDin, " =<S1234")).ok());
  EXPECT_FALSE(ParseScan("u", absl::StrCat(kDin, " &>02633714")).ok());
}

TEST(ScanTest, MalformedMessagesAreRefused) {
  struct Case {
    std::string text;
    std::string says;
  };
  const Case cases[] = {
      {absl::StrCat("=+02000", kDin, kUnit2, kExpiry), "declares 2"},
      {absl::StrCat("=+03001", kDin, kUnit2, kExpiry), "ICCBBA-specified sequence"},
      {absl::StrCat("=+03000", kDin, " ", kUnit2, kExpiry), "between its structures"},
      {absl::StrCat(kDin, kDin), "scanned twice"},
      {absl::StrCat(kDin, "=%5100"), "not one a cpctrack unit label carries"},
      {absl::StrCat(kUnit2, kExpiry), "no DIN"},
      {absl::StrCat(kDin, "=<S1234100"), "does not name one of the batch's units"},
      {absl::StrCat(kDin, "=<S12341Ab"), "A0-Z0"},
      {absl::StrCat(kDin, "=<E00011A0"), "product description code"},
      {absl::StrCat(kDin, "&>0263671430"), "is not a date"},   // day 367
      {absl::StrCat(kDin, "&>0263372430"), "is not a date"},   // 24:30
      {absl::StrCat(kDin, "&>02633714x0"), "10 digits"},
      {"=+", "5 digits"},
      {"", "required"},
      {std::string(200, '='), "longer than any label"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Scan> scan = ParseScan("scanned_unit_id", c.text);
    ASSERT_FALSE(scan.ok()) << c.text;
    EXPECT_EQ(scan.status().code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_THAT(scan.status().message(), HasSubstr(c.says)) << c.text;
  }
}

TEST(ScanTest, ErrorsQuoteControlCharactersEscaped) {
  absl::StatusOr<Scan> scan = ParseScan("u", absl::StrCat(kDin, "\x1b[2J", kUnit2));
  ASSERT_FALSE(scan.ok());
  EXPECT_THAT(scan.status().message(), HasSubstr("\\x1b"));
  EXPECT_EQ(scan.status().message().find('\x1b'), absl::string_view::npos);
}

TEST(ScanTest, WristbandsAreTheTypedIdOrAnIsbtPatientNumber) {
  EXPECT_EQ(*ScannedPatientId("p", " MRN-0042 \n"), "MRN-0042");
  EXPECT_EQ(*ScannedPatientId("p", "&#0108MRN00042"), "MRN00042");
  EXPECT_FALSE(ScannedPatientId("p", "&#0109MRN00042").ok());  // length says 9
  EXPECT_FALSE(ScannedPatientId("p", "&#01").ok());
  EXPECT_FALSE(ScannedPatientId("p", "&#0103A-B").ok());
  EXPECT_FALSE(ScannedPatientId("p", "").ok());
  EXPECT_FALSE(ScannedPatientId("p", "PAT 1").ok());
}

}  // namespace
}  // namespace cpctrack::domain
