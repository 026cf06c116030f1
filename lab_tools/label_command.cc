// `cpc-lab label UNIT`: a unit's label as ZPL, SVG or PNG. Offline for now:
// the fields come from flags until UnitService.GetUnit exists to look them up.
#include <fstream>

#include "absl/strings/str_cat.h"
#include "client/status_util.h"
#include "client/values.h"
#include "lab_tools/lab_commands.h"
#include "lab_tools/label.h"
#include "lab_tools/png.h"

namespace cpclab {
namespace {

absl::StatusOr<absl::CivilDay> DateFlag(const Invocation& in, absl::string_view flag) {
  CPC_ASSIGN_OR_RETURN(std::string text,
                       cpc::ParseDate(absl::StrCat("--", flag), in.args.Get(flag)));
  absl::CivilDay day;
  absl::ParseCivilTime(text, &day);  // ParseDate has checked it
  return day;
}

absl::Status RunLabel(Invocation& in) {
  LabelData data;
  data.unit_id = in.args.Get("UNIT");
  data.batch_id = in.args.Get("batch");
  data.product = in.args.Get("product");
  data.patient_id = in.args.Get("patient");
  CPC_ASSIGN_OR_RETURN(data.cells, cpc::CountFlag(in.args, "cells"));
  CPC_ASSIGN_OR_RETURN(data.freeze_date, DateFlag(in, "frozen"));
  CPC_ASSIGN_OR_RETURN(data.expiry_date, DateFlag(in, "expires"));
  CPC_ASSIGN_OR_RETURN(Label label, LayOutLabel(data));

  const std::string& format = in.args.Get("format");
  const std::string bytes = format == "zpl"   ? ToZpl(label)
                            : format == "svg" ? ToSvg(label)
                                              : EncodePng(ToImage(label));
  const std::string& path = in.args.Get("out");
  if (path.empty() || path == "-") {
    if (format == "png") return cpc::UsageError("--format png needs --out FILE");
    in.out << bytes;
    return absl::OkStatus();
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << bytes;
  file.close();
  if (!file) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  in.out << "wrote " << path << " (" << format << "; Code 128 " << label.code128_data
         << ", DataMatrix " << label.datamatrix_data << ")\n";
  return absl::OkStatus();
}

}  // namespace

std::vector<CommandSpec> LabelCommands() {
  return {{.noun = "label",
           .summary = "A unit's label (DIN, IDs, cells, dates, Code 128 + DataMatrix) as ZPL, "
                      "SVG or PNG",
           .args = {{.name = "UNIT", .help = "the unit's ID"}},
           .flags = {{.name = "batch", .value_name = "DIN", .help = "the batch ID",
                      .required = true},
                     {.name = "product", .value_name = "CODE", .help = "product code",
                      .required = true},
                     {.name = "patient", .value_name = "ID", .help = "the patient's ID",
                      .required = true},
                     {.name = "cells", .value_name = "N", .help = "viable cells in the unit",
                      .required = true},
                     {.name = "frozen", .value_name = "DATE", .help = "freeze date, YYYY-MM-DD",
                      .required = true},
                     {.name = "expires", .value_name = "DATE", .help = "expiry, YYYY-MM-DD",
                      .required = true},
                     {.name = "format", .value_name = "FORMAT",
                      .help = "zpl for the printer; svg or png to preview",
                      .default_value = "zpl", .choices = {"zpl", "svg", "png"}},
                     {.name = "out", .value_name = "FILE",
                      .help = "write here instead of standard output"}},
           .example = "cpc-lab label U-0001 --batch \"G1234 17 654321 A\" --product ADSC-STD "
                      "--patient TKY-0042 --cells 5e7 --frozen 2026-11-20 --expires 2036-11-20 "
                      "> unit.zpl",
           .run = RunLabel}};
}

}  // namespace cpclab
