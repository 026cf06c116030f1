#include "lab_tools/label.h"

#include <zlib.h>

#include <cstring>

#include "absl/strings/match.h"
#include "domain/scan.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lab_tools/png.h"
#include "tests/lab_tools/decode.h"

namespace cpclab {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

LabelData Unit() {
  return {.batch_id = "G1234 17 654321 A",
          .product = "ADSC-STD",
          .isbt_product_description_code = "S1234",
          .patient_id = "TKY-0042",
          .unit_id = "G123417654321A-02",
          .cells = 50'000'000,
          .freeze_date = absl::CivilDay(2026, 11, 20),
          .expiry_date = absl::CivilDay(2036, 11, 20)};
}

// ISBT 128's worked example DIN (check A = 10: flag 10 + 60 = 70); product
// S1234, collection type 1 (for autologous use only), division B (unit 2);
// expiry 2036, day 325 (20 November), at the end of the day (23:59).
constexpr char kDin[] = "=G12341765432170";
constexpr char kProduct[] = "=<S12341B0";
constexpr char kExpiry[] = "&>0363252359";
constexpr char kMessage[] = "=+03000=G12341765432170=<S12341B0&>0363252359";

TEST(LabelTest, SymbolsCarryIsbtDataStructuresOfTheUnit) {
  absl::StatusOr<Label> label = LayOutLabel(Unit());
  ASSERT_TRUE(label.ok()) << label.status();
  EXPECT_THAT(label->linear_data, ElementsAre(kDin, kProduct, kExpiry));
  EXPECT_EQ(label->datamatrix_data, kMessage);
}

// What a scanner reads off the label names the unit, through the same
// parser the bedside uses.
void ExpectScansBack(const GrayImage& image) {
  const std::vector<std::string> linear = testing::DecodeCode128(image);
  EXPECT_THAT(linear, ::testing::UnorderedElementsAre(kDin, kProduct, kExpiry));
  const std::string matrix = testing::DecodeDataMatrix(image);
  EXPECT_EQ(matrix, kMessage);
  absl::StatusOr<std::string> unit = cpctrack::domain::ScannedUnitId("unit", matrix);
  ASSERT_TRUE(unit.ok()) << unit.status();
  EXPECT_EQ(*unit, "G123417654321A-02");
  absl::StatusOr<cpctrack::domain::Scan> scan =
      cpctrack::domain::ParseScan("unit", absl::StrCat(kProduct, "\n", kDin));
  ASSERT_TRUE(scan.ok()) << scan.status();
  EXPECT_EQ(scan->unit_sequence, 2);
}

TEST(LabelTest, PreviewImageScansBackToTheUnit) {
  absl::StatusOr<Label> label = LayOutLabel(Unit());
  ASSERT_TRUE(label.ok()) << label.status();
  ExpectScansBack(ToImage(*label));
}

TEST(LabelTest, ZplPrintsTheTextAndEverySymbolThatScanBack) {
  absl::StatusOr<Label> label = LayOutLabel(Unit());
  ASSERT_TRUE(label.ok()) << label.status();
  const std::string zpl = ToZpl(*label);
  EXPECT_TRUE(absl::StartsWith(zpl, "^XA\n^PW608\n^LL406\n"));
  EXPECT_TRUE(absl::EndsWith(zpl, "^XZ\n"));
  EXPECT_THAT(zpl, HasSubstr("^FDFOR AUTOLOGOUS USE ONLY^FS"));
  EXPECT_THAT(zpl, HasSubstr("^FO16,42^A0N,24,24^FDDIN G1234 17 654321 A^FS\n"));
  EXPECT_THAT(zpl, HasSubstr("^FDPatient TKY-0042^FS"));
  EXPECT_THAT(zpl, HasSubstr("^FDProduct ADSC-STD (S1234)^FS"));
  EXPECT_THAT(zpl, HasSubstr("^FDUnit    G123417654321A-02^FS"));
  EXPECT_THAT(zpl, HasSubstr("^FDCells   5.00e+07^FS"));
  EXPECT_THAT(zpl, HasSubstr("^FDExpires 2036-11-20^FS"));

  const std::vector<GrayImage> graphics = testing::ZplGraphics(zpl);
  ASSERT_EQ(graphics.size(), 4u);
  EXPECT_THAT(testing::DecodeCode128(graphics[0]), ElementsAre(kDin));
  EXPECT_THAT(testing::DecodeCode128(graphics[1]), ElementsAre(kProduct));
  EXPECT_THAT(testing::DecodeCode128(graphics[2]), ElementsAre(kExpiry));
  EXPECT_EQ(testing::DecodeDataMatrix(graphics[3]), kMessage);
}

TEST(LabelTest, ANonConformingUnitSaysSoAndNamesItsDeviations) {
  absl::StatusOr<Label> label = LayOutLabel(Unit());
  ASSERT_TRUE(label.ok()) << label.status();
  EXPECT_THAT(ToZpl(*label), Not(HasSubstr("NON-CONFORMING")));

  LabelData data = Unit();
  data.non_conforming_deviations = {12};
  label = LayOutLabel(data);
  ASSERT_TRUE(label.ok()) << label.status();
  std::string zpl = ToZpl(*label);
  EXPECT_THAT(zpl, HasSubstr("^FO16,383^A0N,20,20^FDNON-CONFORMING: deviation 12^FS"));
  // Below the other lines, inside the label and clear of the DataMatrix.
  EXPECT_LE(383 + 20, Label::kHeightDots);
  EXPECT_LT(16 + 40 * 11, label->datamatrix.x);
  ExpectScansBack(ToImage(*label));

  data.non_conforming_deviations = {12, 14};
  zpl = ToZpl(*LayOutLabel(data));
  EXPECT_THAT(zpl, HasSubstr("^FDNON-CONFORMING: deviations 12, 14^FS"));
}

TEST(LabelTest, SvgPreviewSymbolsScanBack) {
  absl::StatusOr<Label> label = LayOutLabel(Unit());
  ASSERT_TRUE(label.ok()) << label.status();
  ExpectScansBack(testing::SvgSymbols(ToSvg(*label)));
}

TEST(LabelTest, SvgHasTheTextEscapedAndOneRectPerRun) {
  LabelData data = Unit();
  data.product = "A&B<C>";
  absl::StatusOr<Label> label = LayOutLabel(data);
  ASSERT_TRUE(label.ok()) << label.status();
  const std::string svg = ToSvg(*label);
  EXPECT_TRUE(absl::StartsWith(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_THAT(svg, HasSubstr(">Product A&amp;B&lt;C&gt; (S1234)</text>"));
  EXPECT_THAT(svg, HasSubstr(">DIN G1234 17 654321 A</text>"));
  // The Code 128 starts with the start-B pattern 11010010000: a 2-module bar
  // at the left edge of the symbol (20, 72: a 10-module quiet zone), 2 dots
  // per module.
  EXPECT_THAT(svg, HasSubstr("<rect x=\"20\" y=\"72\" width=\"4\" height=\"2\"/>"));
}

TEST(LabelTest, PngHoldsThePreviewPixels) {
  absl::StatusOr<Label> label = LayOutLabel(Unit());
  ASSERT_TRUE(label.ok()) << label.status();
  const GrayImage image = ToImage(*label);
  const std::string png = EncodePng(image);
  ASSERT_TRUE(absl::StartsWith(png, std::string("\x89PNG\r\n\x1a\n", 8)));
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  EXPECT_EQ(png.substr(16, 8), std::string("\0\0\x02\x60\0\0\x01\x96", 8));  // 608 x 406
  const size_t idat = png.find("IDAT");
  ASSERT_NE(idat, std::string::npos);
  const auto* b = reinterpret_cast<const unsigned char*>(png.data() + idat - 4);
  const uLong length = (uLong{b[0]} << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
  std::string raw((image.width + 1) * image.height, '\0');
  uLongf raw_size = raw.size();
  ASSERT_EQ(uncompress(reinterpret_cast<Bytef*>(raw.data()), &raw_size,
                       reinterpret_cast<const Bytef*>(png.data() + idat + 4), length),
            Z_OK);
  ASSERT_EQ(raw_size, raw.size());
  for (int y = 0; y < image.height; ++y) {
    ASSERT_EQ(raw[y * (image.width + 1)], '\0') << "filter type of row " << y;
    ASSERT_EQ(0, std::memcmp(&raw[y * (image.width + 1) + 1],
                             &image.pixels[static_cast<size_t>(y) * image.width], image.width))
        << "row " << y;
  }
}

TEST(LabelTest, RefusesWhatALabelCannotCarry) {
  LabelData data = Unit();
  data.batch_id = "G1234 17 654321 B";
  EXPECT_THAT(LayOutLabel(data).status().message(), HasSubstr("wrong check character"));
  data = Unit();
  data.patient_id = "TKY^0042";
  EXPECT_THAT(LayOutLabel(data).status().message(), HasSubstr("patient_id"));
  data = Unit();
  data.unit_id = "";
  EXPECT_THAT(LayOutLabel(data).status().message(), HasSubstr("unit_id"));
  data = Unit();
  data.unit_id = "A9999260000018-02";  // another batch's unit
  EXPECT_THAT(LayOutLabel(data).status().message(), HasSubstr("not of batch"));
  data = Unit();
  data.unit_id = "G123417654321A-27";  // past division Z
  EXPECT_THAT(LayOutLabel(data).status().message(), HasSubstr("division"));
  data = Unit();
  data.isbt_product_description_code = "";
  EXPECT_THAT(LayOutLabel(data).status().message(), HasSubstr("product description code"));
  data = Unit();
  data.isbt_product_description_code = "E0001";  // a blood component's code
  EXPECT_THAT(LayOutLabel(data).status().message(), HasSubstr("product description code"));
  data = Unit();
  data.expiry_date = data.freeze_date;
  EXPECT_THAT(LayOutLabel(data).status().message(), HasSubstr("expiry_date"));
  data = Unit();
  data.cells = 0;
  EXPECT_THAT(LayOutLabel(data).status().message(), HasSubstr("cells"));
}

// A fresh bag: formulated and expiring to the minute, no freeze date.
LabelData FreshBag() {
  LabelData data = Unit();
  data.fresh = FreshTimes{absl::CivilMinute(2026, 11, 20, 10, 30),
                          absl::CivilMinute(2026, 11, 22, 10, 30)};
  return data;
}

TEST(LabelTest, AFreshBagShowsItsFormulationAndExpiryToTheMinute) {
  absl::StatusOr<Label> label = LayOutLabel(FreshBag());
  ASSERT_TRUE(label.ok()) << label.status();
  // 22 November 2026 is day 326.
  EXPECT_EQ(label->linear_data[2], "&>0263261030");
  EXPECT_EQ(label->datamatrix_data, "=+03000=G12341765432170=<S12341B0&>0263261030");
  const std::string zpl = ToZpl(*label);
  EXPECT_THAT(zpl, HasSubstr("^FDFresh   2026-11-20 10:30^FS"));
  EXPECT_THAT(zpl, HasSubstr("^FDExpires 2026-11-22 10:30^FS"));
  EXPECT_THAT(zpl, ::testing::Not(HasSubstr("Frozen")));
  const std::string matrix = testing::DecodeDataMatrix(ToImage(*label));
  absl::StatusOr<cpctrack::domain::Scan> scan = cpctrack::domain::ParseScan("unit", matrix);
  ASSERT_TRUE(scan.ok()) << scan.status();
  EXPECT_EQ(scan->expires, absl::CivilMinute(2026, 11, 22, 10, 30));
}

TEST(LabelTest, AFreshBagMustExpireAfterItsFormulation) {
  LabelData data = FreshBag();
  data.fresh->expires = data.fresh->formulated;
  EXPECT_THAT(LayOutLabel(data).status().message(), HasSubstr("fresh.expires"));
}

}  // namespace
}  // namespace cpclab
