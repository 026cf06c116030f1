// `cpc-lab din create` and `din check`: ISBT 128 DINs and their MOD 37-2
// check character, as typed and as a scanner reads them off a label.
#include "absl/strings/str_format.h"
#include "absl/strings/match.h"
#include "client/status_util.h"
#include "client/values.h"
#include "domain/din.h"
#include "domain/isbt_barcode.h"
#include "lab_tools/lab_commands.h"

namespace cpclab {
namespace {

using cpctrack::domain::Din;

void PrintDin(const Din& din, std::ostream& out) {
  out << absl::StrFormat("DIN           %s\n", din.Spaced())
      << absl::StrFormat("compact       %s\n", din.compact())
      << absl::StrFormat("check         %c (ISO/IEC 7064 MOD 37-2)\n", din.compact().back())
      << absl::StrFormat("barcode data  %s (Data Structure 001, flags = check value + 60)\n",
                         cpctrack::domain::DinBarcodeData(din));
}

absl::Status RunCreate(Invocation& in) {
  CPC_ASSIGN_OR_RETURN(int32_t year, cpc::ParseSmallCount("YEAR", in.args.Get("YEAR")));
  CPC_ASSIGN_OR_RETURN(int32_t sequence,
                       cpc::ParseSmallCount("SEQUENCE", in.args.Get("SEQUENCE")));
  CPC_ASSIGN_OR_RETURN(Din din, Din::Create(in.args.Get("FACILITY"), year, sequence));
  PrintDin(din, in.out);
  return absl::OkStatus();
}

absl::Status RunCheck(Invocation& in) {
  const std::string& text = in.args.Get("ID");
  // What a scanner returns starts with ISBT 128's data identifier "=".
  CPC_ASSIGN_OR_RETURN(Din din, absl::StartsWith(text, "=")
                                    ? cpctrack::domain::ParseDinBarcodeData(text)
                                    : Din::Parse(text));
  in.out << "ok\n";
  PrintDin(din, in.out);
  return absl::OkStatus();
}

}  // namespace

std::vector<CommandSpec> DinCommands() {
  return {
      {.noun = "din",
       .verb = "create",
       .summary = "A batch ID (ISBT 128 DIN) with its check character and barcode data",
       .args = {{.name = "FACILITY", .help = "facility ID: 1-9, A-N or P-Z, then 4 digits"},
                {.name = "YEAR", .help = "two-digit year, e.g. 26"},
                {.name = "SEQUENCE", .help = "sequence number, 1-999999"}},
       .example = "cpc-lab din create G1234 17 654321",
       .run = RunCreate},
      {.noun = "din",
       .verb = "check",
       .summary = "Check a typed or scanned batch ID's check character",
       .args = {{.name = "ID",
                 .help = "as printed (\"G1234 17 654321 A\"), compact, or scanned "
                         "(\"=G12341765432170\")"}},
       .example = "cpc-lab din check \"G1234 17 654321 A\"",
       .run = RunCheck},
  };
}

}  // namespace cpclab
