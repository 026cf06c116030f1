// A dose unit's label as ISBT 128 has it for a cellular therapy product:
// "FOR AUTOLOGOUS USE ONLY", the patient, the eye-readable DIN with its check
// character, product, unit, cells and dates; two Code 128 symbols (the DIN,
// Data Structure 001, and the product code with the unit's division, 003),
// a third with the expiry (005), and a DataMatrix holding all three as one
// compound message (023); see domain/isbt_barcode.h for each structure. As
// ZPL for the lab's 203 dpi thermal printers and as SVG or PNG for a preview.
#ifndef CPCTRACK_LAB_TOOLS_LABEL_H_
#define CPCTRACK_LAB_TOOLS_LABEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "domain/din.h"
#include "lab_tools/barcode.h"

namespace cpclab {

// A fresh bag is infused within hours of its formulation: its label gives
// both times to the minute, in the facility's local time.
struct FreshTimes {
  absl::CivilMinute formulated;
  absl::CivilMinute expires;
};

// What a label shows: from UnitService.GetUnit (or flags, offline).
struct LabelData {
  std::string batch_id;    // a DIN with its check character, any spelling
  std::string product;     // product code, e.g. "ADSC-STD"
  // ISBT 128 Product Description Code of the product version, e.g. "S1234".
  std::string isbt_product_description_code;
  std::string patient_id;  // the clinic's pseudonymous ID
  std::string unit_id;     // "G123417654321A-02": its sequence is its division
  int64_t cells = 0;       // viable cells in the unit
  absl::CivilDay freeze_date;  // a frozen unit
  absl::CivilDay expiry_date;  // a frozen unit: it expires at the end of the day
  // A frozen unit's expiry on record, to the minute: instead of the end of
  // expiry_date (which is then its day).
  std::optional<absl::CivilMinute> frozen_expires;
  std::optional<FreshTimes> fresh;  // a fresh unit, instead of the two dates
  // The deviations its batch is used under at the physician's signed request
  // (EU GMP Part IV §11.5): the label says NON-CONFORMING and names them.
  std::vector<int64_t> non_conforming_deviations;
};

// A validated label with its two symbols, laid out in printer dots.
struct Label {
  static constexpr int kWidthDots = 608;   // 76 mm (3 in) at 203 dpi (8 dots/mm)
  static constexpr int kHeightDots = 406;  // 51 mm (2 in)
  static constexpr int kCode128ModuleDots = 2;
  static constexpr int kDataMatrixModuleDots = 3;  // 0.375 mm

  struct Text {
    int x = 0;
    int y = 0;  // top
    int height = 0;
    std::string text;
  };
  struct Symbol {
    int x = 0;
    int y = 0;
    int module_dots = 0;
    ModuleGrid grid;
  };

  // Code 128, left to right, top to bottom: DIN (=...), product code
  // (=<...), expiry (&>...).
  std::vector<std::string> linear_data;
  std::string datamatrix_data;  // the compound message "=+03000..."
  std::vector<Text> texts;
  std::vector<Symbol> linear;  // as linear_data
  Symbol datamatrix;
};

// InvalidArgument naming the field: a wrong DIN, a unit ID not of that batch
// or past division Z (unit 26), no or a malformed product description code,
// text a printer cannot carry (only printable ASCII, none of ^ ~ \), cells
// outside 1 to kMaxCells, expiry not after the freeze date (or formulation).
absl::StatusOr<Label> LayOutLabel(const LabelData& data);

std::string ToZpl(const Label& label);  // ^XA ... ^XZ, symbols as ^GFA graphics
std::string ToSvg(const Label& label);
GrayImage ToImage(const Label& label);  // one pixel per dot; symbols and frame only

}  // namespace cpclab

#endif  // CPCTRACK_LAB_TOOLS_LABEL_H_
