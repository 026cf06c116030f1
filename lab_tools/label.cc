#include "lab_tools/label.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "domain/isbt_barcode.h"
#include "domain/markup.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"
#include "domain/units.h"

namespace cpclab {
namespace {

namespace domain = ::cpctrack::domain;

constexpr int kMargin = 16;
constexpr int kCode128HeightModules = 24;  // 48 dots, 6 mm

absl::Status CheckLabelText(absl::string_view field, absl::string_view text) {
  RETURN_IF_ERROR(domain::CheckText(field, text, 32, /*required=*/true));
  for (char c : text) {
    // ZPL reads ^ and ~ as commands (and \\ as an escape in some firmware).
    if (c < 0x20 || c > 0x7e || c == '^' || c == '~' || c == '\\') {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: \"%s\" may use printable ASCII only, without ^ ~ or \\", field, text));
    }
  }
  return absl::OkStatus();
}

std::string Day(absl::CivilDay day) { return absl::FormatCivilTime(day); }
// "2026-11-20 10:30", or "2026-11-20T10:30" for the payload.
std::string Minute(absl::CivilMinute minute, absl::string_view separator = " ") {
  return absl::StrCat(Day(absl::CivilDay(minute)), separator,
                      absl::StrFormat("%02d:%02d", minute.hour(), minute.minute()));
}

}  // namespace

absl::StatusOr<Label> LayOutLabel(const LabelData& data) {
  ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(data.batch_id));
  RETURN_IF_ERROR(CheckLabelText("product", data.product));
  RETURN_IF_ERROR(CheckLabelText("patient_id", data.patient_id));
  RETURN_IF_ERROR(CheckLabelText("unit_id", data.unit_id));
  ASSIGN_OR_RETURN(auto unit, domain::ParseUnitId("unit_id", data.unit_id));
  if (!(unit.first == din)) {
    return absl::InvalidArgumentError(absl::StrCat("unit_id: unit ", data.unit_id,
                                                   " is not of batch ", din.compact()));
  }
  if (data.isbt_product_description_code.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "product ", data.product,
        " has no ISBT 128 product description code, so its labels cannot carry the product "
        "code (data structure 003): give the product one (cpc product create)"));
  }
  RETURN_IF_ERROR(domain::CheckCount("cells", data.cells));
  if (data.fresh.has_value() && data.fresh->expires <= data.fresh->formulated) {
    return absl::InvalidArgumentError(absl::StrCat(
        "fresh.expires (", Minute(data.fresh->expires), ") must be after fresh.formulated (",
        Minute(data.fresh->formulated), ")"));
  }
  if (!data.fresh.has_value() && data.expiry_date <= data.freeze_date) {
    return absl::InvalidArgumentError(
        absl::StrCat("expiry_date (", Day(data.expiry_date), ") must be after freeze_date (",
                     Day(data.freeze_date), ")"));
  }
  // A date without a time expires at 23:59 (ST-001 §2.4.5).
  const absl::CivilMinute expires =
      data.fresh.has_value()            ? data.fresh->expires
      : data.frozen_expires.has_value() ? *data.frozen_expires
                                        : absl::CivilMinute(data.expiry_date.year(),
                                                            data.expiry_date.month(),
                                                            data.expiry_date.day(), 23, 59);
  if (expires.year() < 2000 || expires.year() > 2999) {
    return absl::InvalidArgumentError(
        absl::StrCat("expiry (", Minute(expires), ") must be in the years 2000-2999"));
  }
  Label label;
  ASSIGN_OR_RETURN(std::string product_code,
                   domain::ProductCodeData(data.isbt_product_description_code,
                                           domain::kCollectionTypeAutologousOnly, unit.second));
  label.linear_data = {domain::DinBarcodeData(din), product_code,
                       domain::ExpiryDateTimeData(expires)};
  label.datamatrix_data = domain::CompoundMessage(label.linear_data);

  // One row each: DIN, product code, expiry. Code 128 wants a quiet zone of
  // 10 modules on each side.
  constexpr int kQuiet = 10 * Label::kCode128ModuleDots;
  for (size_t i = 0; i < label.linear_data.size(); ++i) {
    Label::Symbol symbol;
    ASSIGN_OR_RETURN(symbol.grid, EncodeBarcode(Symbology::kCode128, label.linear_data[i],
                                                kCode128HeightModules));
    symbol.module_dots = Label::kCode128ModuleDots;
    symbol.x = kQuiet;
    symbol.y = 72 + static_cast<int>(i) * 56;
    if (symbol.x + (symbol.grid.width + 10) * symbol.module_dots > Label::kWidthDots) {
      return absl::InvalidArgumentError("the IDs are too long to fit the 76 x 51 mm label");
    }
    label.linear.push_back(std::move(symbol));
  }
  ASSIGN_OR_RETURN(label.datamatrix.grid,
                   EncodeBarcode(Symbology::kDataMatrix, label.datamatrix_data));
  label.datamatrix.module_dots = Label::kDataMatrixModuleDots;
  const int matrix_dots = label.datamatrix.grid.width * Label::kDataMatrixModuleDots;
  label.datamatrix.x = Label::kWidthDots - kMargin - matrix_dots;
  label.datamatrix.y = Label::kHeightDots - kMargin - matrix_dots;

  label.texts.push_back({kMargin, 8, 28, "FOR AUTOLOGOUS USE ONLY"});
  label.texts.push_back({kMargin, 42, 24, absl::StrCat("DIN ", din.Spaced())});
  label.texts.push_back({kMargin, 240, 24, absl::StrCat("Patient ", data.patient_id)});
  const std::string lines[] = {
      absl::StrCat("Product ", data.product, " (", data.isbt_product_description_code, ")"),
      absl::StrCat("Unit    ", data.unit_id),
      absl::StrFormat("Cells   %.2e", static_cast<double>(data.cells)),
      data.fresh.has_value() ? absl::StrCat("Fresh   ", Minute(data.fresh->formulated))
                             : absl::StrCat("Frozen  ", Day(data.freeze_date)),
      data.fresh.has_value() || data.frozen_expires.has_value()
          ? absl::StrCat("Expires ", Minute(expires))
          : absl::StrCat("Expires ", Day(data.expiry_date)),
  };
  int y = 268;
  for (const std::string& line : lines) {
    label.texts.push_back({kMargin, y, 20, line});
    y += 23;
  }
  if (!data.non_conforming_deviations.empty()) {
    label.texts.push_back(
        {kMargin, y, 20,
         absl::StrCat("NON-CONFORMING: deviation",
                      data.non_conforming_deviations.size() == 1 ? " " : "s ",
                      absl::StrJoin(data.non_conforming_deviations, ", "))});
  }
  return label;
}

namespace {

// A symbol as a ZPL ^GFA graphic: rows of bits, 1 = black, MSB first.
std::string ZplGraphic(const Label::Symbol& s) {
  const int width = s.grid.width * s.module_dots;
  const int height = s.grid.height * s.module_dots;
  const int row_bytes = (width + 7) / 8;
  std::string hex;
  for (int y = 0; y < height; ++y) {
    for (int byte = 0; byte < row_bytes; ++byte) {
      int bits = 0;
      for (int bit = 0; bit < 8; ++bit) {
        const int x = byte * 8 + bit;
        if (x < width && s.grid.Dark(x / s.module_dots, y / s.module_dots)) bits |= 0x80 >> bit;
      }
      absl::StrAppendFormat(&hex, "%02X", bits);
    }
  }
  const int total = row_bytes * height;
  return absl::StrFormat("^FO%d,%d^GFA,%d,%d,%d,%s^FS\n", s.x, s.y, total, total, row_bytes,
                         hex);
}

// Dark modules as rectangles, one per horizontal run.
std::string SvgSymbol(const Label::Symbol& s) {
  std::string out;
  for (int y = 0; y < s.grid.height; ++y) {
    for (int x = 0; x < s.grid.width;) {
      if (!s.grid.Dark(x, y)) {
        ++x;
        continue;
      }
      int end = x;
      while (end < s.grid.width && s.grid.Dark(end, y)) ++end;
      absl::StrAppendFormat(&out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n",
                            s.x + x * s.module_dots, s.y + y * s.module_dots,
                            (end - x) * s.module_dots, s.module_dots);
      x = end;
    }
  }
  return out;
}

}  // namespace

std::string ToZpl(const Label& label) {
  std::string zpl = absl::StrFormat("^XA\n^PW%d\n^LL%d\n", Label::kWidthDots, Label::kHeightDots);
  for (const Label::Text& t : label.texts) {
    absl::StrAppendFormat(&zpl, "^FO%d,%d^A0N,%d,%d^FD%s^FS\n", t.x, t.y, t.height, t.height,
                          t.text);
  }
  for (const Label::Symbol& s : label.linear) zpl += ZplGraphic(s);
  zpl += ZplGraphic(label.datamatrix);
  zpl += "^XZ\n";
  return zpl;
}

std::string ToSvg(const Label& label) {
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"76mm\" height=\"50.75mm\" "
      "viewBox=\"0 0 %d %d\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\" "
      "stroke=\"black\"/>\n<g font-family=\"monospace\" fill=\"black\">\n",
      Label::kWidthDots, Label::kHeightDots);
  for (const Label::Text& t : label.texts) {
    absl::StrAppendFormat(&svg, "<text x=\"%d\" y=\"%d\" font-size=\"%d\">%s</text>\n", t.x,
                          t.y + t.height * 4 / 5, t.height, domain::EscapeMarkup(t.text));
  }
  svg += "</g>\n<g fill=\"black\">\n";
  for (const Label::Symbol& s : label.linear) svg += SvgSymbol(s);
  svg += SvgSymbol(label.datamatrix);
  svg += "</g>\n</svg>\n";
  return svg;
}

GrayImage ToImage(const Label& label) {
  GrayImage image;
  image.width = Label::kWidthDots;
  image.height = Label::kHeightDots;
  image.pixels.assign(static_cast<size_t>(image.width) * image.height, 255);
  for (int x = 0; x < image.width; ++x) {
    image.pixels[x] = 0;
    image.pixels[static_cast<size_t>(image.height - 1) * image.width + x] = 0;
  }
  for (int y = 0; y < image.height; ++y) {
    image.pixels[static_cast<size_t>(y) * image.width] = 0;
    image.pixels[static_cast<size_t>(y) * image.width + image.width - 1] = 0;
  }
  std::vector<const Label::Symbol*> symbols = {&label.datamatrix};
  for (const Label::Symbol& s : label.linear) symbols.push_back(&s);
  for (const Label::Symbol* s : symbols) {
    const GrayImage symbol = Rasterize(s->grid, s->module_dots, 0);
    for (int y = 0; y < symbol.height; ++y) {
      for (int x = 0; x < symbol.width; ++x) {
        image.pixels[static_cast<size_t>(s->y + y) * image.width + s->x + x] =
            symbol.pixels[static_cast<size_t>(y) * symbol.width + x];
      }
    }
  }
  return image;
}

}  // namespace cpclab
