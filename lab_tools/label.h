// A dose unit's label: batch DIN, product, patient, unit, cells, freeze date
// and expiry (a fresh bag: formulation and expiry to the minute), with a Code 128 (the DIN, ISBT 128 Data Structure 001) and a
// DataMatrix (every ID, see LabelPayload), as ZPL for the lab's 203 dpi
// thermal printers and as SVG or PNG for a preview.
#ifndef CPCTRACK_LAB_TOOLS_LABEL_H_
#define CPCTRACK_LAB_TOOLS_LABEL_H_

#include <cstdint>
#include <map>
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

// What a label shows: from UnitService.GetUnit (or flags, offline) and, for a
// frozen unit, --expires.
struct LabelData {
  std::string batch_id;    // a DIN with its check character, any spelling
  std::string product;     // product code, e.g. "ADSC-STD"
  std::string patient_id;  // the clinic's pseudonymous ID
  std::string unit_id;
  int64_t cells = 0;       // viable cells in the unit
  absl::CivilDay freeze_date;  // a frozen unit
  absl::CivilDay expiry_date;  // a frozen unit
  std::optional<FreshTimes> fresh;  // a fresh unit, instead of the two dates
};

// The DataMatrix text: "DIN=G123417654321A|UNIT=...|PAT=...|PROD=...|
// CELLS=50000000|FRZ=2026-11-20|EXP=2036-11-20". Keys in this order. A fresh
// unit has "FRESH=2026-11-20T10:30|EXP=2026-11-22T10:30" instead.
std::string LabelPayload(const cpctrack::domain::Din& din, const LabelData& data);
// The payload read back into key -> value; InvalidArgument when malformed.
absl::StatusOr<std::map<std::string, std::string>> ParseLabelPayload(absl::string_view text);

// A validated label with its two symbols, laid out in printer dots.
struct Label {
  static constexpr int kWidthDots = 400;   // 50 mm at 203 dpi (8 dots/mm)
  static constexpr int kHeightDots = 250;  // 31 mm
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

  std::string code128_data;     // "=G12341765432170"
  std::string datamatrix_data;  // LabelPayload
  std::vector<Text> texts;
  Symbol code128;
  Symbol datamatrix;
};

// InvalidArgument naming the field: a wrong DIN, an empty ID, text a printer
// or the payload cannot carry (only printable ASCII, none of ^ ~ | \), cells
// outside 1 to kMaxCells, expiry not after the freeze date (or formulation).
absl::StatusOr<Label> LayOutLabel(const LabelData& data);

std::string ToZpl(const Label& label);  // ^XA ... ^XZ, symbols as ^GFA graphics
std::string ToSvg(const Label& label);
GrayImage ToImage(const Label& label);  // one pixel per dot; symbols and frame only

}  // namespace cpclab

#endif  // CPCTRACK_LAB_TOOLS_LABEL_H_
