#include "lab_tools/label.h"

#include <zlib.h>

#include <cstring>

#include "absl/strings/match.h"
#include "domain/isbt_barcode.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lab_tools/png.h"
#include "tests/lab_tools/decode.h"

namespace cpclab {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

LabelData Unit() {
  return {.batch_id = "G1234 17 654321 A",
          .product = "ADSC-STD",
          .patient_id = "TKY-0042",
          .unit_id = "U-0001",
          .cells = 50'000'000,
          .freeze_date = absl::CivilDay(2026, 11, 20),
          .expiry_date = absl::CivilDay(2036, 11, 20)};
}

constexpr char kPayload[] =
    "DIN=G123417654321A|UNIT=U-0001|PAT=TKY-0042|PROD=ADSC-STD|CELLS=50000000|"
    "FRZ=2026-11-20|EXP=2036-11-20";

TEST(LabelTest, BarcodeDataIsTheDinWithItsCheckFlagAndEveryId) {
  absl::StatusOr<Label> label = LayOutLabel(Unit());
  ASSERT_TRUE(label.ok()) << label.status();
  // ISBT 128 worked example: check A = 10, flag 10 + 60 = 70.
  EXPECT_EQ(label->code128_data, "=G12341765432170");
  EXPECT_EQ(label->datamatrix_data, kPayload);
}

// What a scanner reads off the preview gives back the same IDs.
TEST(LabelTest, PreviewImageScansBackToTheSameIds) {
  absl::StatusOr<Label> label = LayOutLabel(Unit());
  ASSERT_TRUE(label.ok()) << label.status();
  const GrayImage image = ToImage(*label);

  const std::vector<std::string> linear = testing::DecodeCode128(image);
  ASSERT_THAT(linear, ElementsAre("=G12341765432170"));
  absl::StatusOr<cpctrack::domain::Din> din = cpctrack::domain::ParseDinBarcodeData(linear[0]);
  ASSERT_TRUE(din.ok()) << din.status();
  EXPECT_EQ(din->compact(), "G123417654321A");

  const std::string matrix = testing::DecodeDataMatrix(image);
  EXPECT_EQ(matrix, kPayload);
  absl::StatusOr<std::map<std::string, std::string>> fields = ParseLabelPayload(matrix);
  ASSERT_TRUE(fields.ok()) << fields.status();
  EXPECT_EQ(fields->at("DIN"), "G123417654321A");
  EXPECT_EQ(fields->at("PAT"), "TKY-0042");
  EXPECT_EQ(fields->at("UNIT"), "U-0001");
}

TEST(LabelTest, ZplPrintsTheTextAndBothSymbolsThatScanBack) {
  absl::StatusOr<Label> label = LayOutLabel(Unit());
  ASSERT_TRUE(label.ok()) << label.status();
  const std::string zpl = ToZpl(*label);
  EXPECT_TRUE(absl::StartsWith(zpl, "^XA\n^PW400\n^LL250\n"));
  EXPECT_TRUE(absl::EndsWith(zpl, "^XZ\n"));
  EXPECT_THAT(zpl, HasSubstr("^FO16,10^A0N,24,24^FDDIN G1234 17 654321 A^FS\n"));
  EXPECT_THAT(zpl, HasSubstr("^FDPatient TKY-0042^FS"));
  EXPECT_THAT(zpl, HasSubstr("^FDUnit    U-0001^FS"));
  EXPECT_THAT(zpl, HasSubstr("^FDCells   5.00e+07^FS"));
  EXPECT_THAT(zpl, HasSubstr("^FDExpires 2036-11-20^FS"));

  const std::vector<GrayImage> graphics = testing::ZplGraphics(zpl);
  ASSERT_EQ(graphics.size(), 2u);
  EXPECT_THAT(testing::DecodeCode128(graphics[0]), ElementsAre("=G12341765432170"));
  EXPECT_EQ(testing::DecodeDataMatrix(graphics[1]), kPayload);
}

TEST(LabelTest, SvgPreviewSymbolsScanBack) {
  absl::StatusOr<Label> label = LayOutLabel(Unit());
  ASSERT_TRUE(label.ok()) << label.status();
  const GrayImage image = testing::SvgSymbols(ToSvg(*label));
  EXPECT_THAT(testing::DecodeCode128(image), ElementsAre("=G12341765432170"));
  EXPECT_EQ(testing::DecodeDataMatrix(image), kPayload);
}

TEST(LabelTest, SvgHasTheTextEscapedAndOneRectPerRun) {
  LabelData data = Unit();
  data.product = "A&B<C>";
  absl::StatusOr<Label> label = LayOutLabel(data);
  ASSERT_TRUE(label.ok()) << label.status();
  const std::string svg = ToSvg(*label);
  EXPECT_TRUE(absl::StartsWith(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_THAT(svg, HasSubstr(">Product A&amp;B&lt;C&gt;</text>"));
  EXPECT_THAT(svg, HasSubstr(">DIN G1234 17 654321 A</text>"));
  // The Code 128 starts with the start-B pattern 11010010000: a 2-module bar
  // at the left edge of the symbol (20, 40: a 10-module quiet zone), 2 dots
  // per module.
  EXPECT_THAT(svg, HasSubstr("<rect x=\"20\" y=\"40\" width=\"4\" height=\"2\"/>"));
}

TEST(LabelTest, PngHoldsThePreviewPixels) {
  absl::StatusOr<Label> label = LayOutLabel(Unit());
  ASSERT_TRUE(label.ok()) << label.status();
  const GrayImage image = ToImage(*label);
  const std::string png = EncodePng(image);
  ASSERT_TRUE(absl::StartsWith(png, std::string("\x89PNG\r\n\x1a\n", 8)));
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  EXPECT_EQ(png.substr(16, 8), std::string("\0\0\x01\x90\0\0\0\xfa", 8));  // 400 x 250
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

constexpr char kFreshPayload[] =
    "DIN=G123417654321A|UNIT=U-0001|PAT=TKY-0042|PROD=ADSC-STD|CELLS=50000000|"
    "FRESH=2026-11-20T10:30|EXP=2026-11-22T10:30";

TEST(LabelTest, AFreshBagShowsItsFormulationAndExpiryToTheMinute) {
  absl::StatusOr<Label> label = LayOutLabel(FreshBag());
  ASSERT_TRUE(label.ok()) << label.status();
  EXPECT_EQ(label->datamatrix_data, kFreshPayload);
  const std::string zpl = ToZpl(*label);
  EXPECT_THAT(zpl, HasSubstr("^FDFresh   2026-11-20 10:30^FS"));
  EXPECT_THAT(zpl, HasSubstr("^FDExpires 2026-11-22 10:30^FS"));
  EXPECT_THAT(zpl, ::testing::Not(HasSubstr("Frozen")));
  EXPECT_EQ(testing::DecodeDataMatrix(ToImage(*label)), kFreshPayload);
  absl::StatusOr<std::map<std::string, std::string>> fields = ParseLabelPayload(kFreshPayload);
  ASSERT_TRUE(fields.ok()) << fields.status();
  EXPECT_EQ(fields->at("EXP"), "2026-11-22T10:30");
  EXPECT_EQ(fields->count("FRZ"), 0u);
}

TEST(LabelTest, AFreshBagMustExpireAfterItsFormulation) {
  LabelData data = FreshBag();
  data.fresh->expires = data.fresh->formulated;
  EXPECT_THAT(LayOutLabel(data).status().message(), HasSubstr("fresh.expires"));
}

TEST(LabelTest, PayloadThatIsNotKeyValueIsRefused) {
  EXPECT_FALSE(ParseLabelPayload("DIN=X|garbage").ok());
  EXPECT_FALSE(ParseLabelPayload("DIN=X|DIN=Y").ok());
}

}  // namespace
}  // namespace cpclab
