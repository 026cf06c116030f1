// cpc-lab's printouts and exit codes, run in-process as the binary would run.
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lab_tools/lab_commands.h"

namespace cpclab {
namespace {

using ::testing::HasSubstr;

struct Result {
  int exit_code;
  std::string out;
  std::string err;
};

Result Lab(std::vector<std::string> argv) {
  std::ostringstream out, err;
  const int code = RunLab(argv, "", "", out, err);
  return {code, out.str(), err.str()};
}

// The hemocytometer worked example of tests/domain/cell_count_test.cc, square by square.
TEST(LabCommandsTest, CountShowsTheFormulaWithTheNumbers) {
  Result r = Lab({"count", "--unstained", "45,44,46,45", "--stained", "5,6,4,5", "--dilution",
                  "2", "--volume-ml", "5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("unstained (live)  45 + 44 + 46 + 45 = 180\n"));
  EXPECT_THAT(r.out, HasSubstr("mean per square   (180 + 20) / 4 = 50\n"));
  EXPECT_THAT(r.out, HasSubstr("total cells/mL    50 x 2 x 10^4 = 1e+06\n"));
  EXPECT_THAT(r.out, HasSubstr("viable cells/mL   45 x 2 x 10^4 = 9e+05\n"));
  EXPECT_THAT(r.out, HasSubstr("viability         180 / (180 + 20) x 100 = 90.0 %\n"));
  EXPECT_THAT(r.out, HasSubstr("viable cells      9e+05 /mL x 5 mL = 4.5e+06\n"));
}

TEST(LabCommandsTest, CountWithTotalsAndSquares) {
  Result r = Lab({"count", "--unstained", "180", "--stained", "20", "--squares", "4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("total cells/mL    50 x 1 x 10^4 = 5e+05\n"));
  Result mismatch = Lab({"count", "--unstained", "1,2", "--stained", "1"});
  EXPECT_EQ(mismatch.exit_code, 2);
  EXPECT_THAT(mismatch.err, HasSubstr("--unstained has 2 squares and --stained 1"));
}

// P1: 1e6 -> 8e6 in 72 h (PD 3, DT 24 h); P2: 2e6 -> 8e6 in 48 h (PD 2, DT 24 h).
// From 8e6 to 6.4e7 is 3 doublings: 72 h.
TEST(LabCommandsTest, GrowthTableAndProjection) {
  Result r = Lab({"growth", "--passage", "1e6:8e6:72", "--passage", "2e6:8e6:48", "--target",
                  "6.4e7", "--at", "2026-11-25T09:30:00Z"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("P1       1e+06      8e+06      72.0     3.00   24.0\n"));
  EXPECT_THAT(r.out, HasSubstr("P2       2e+06      8e+06      48.0     2.00   24.0\n"));
  EXPECT_THAT(r.out, HasSubstr("cumulative PD     5.00\n"));
  EXPECT_THAT(r.out, HasSubstr("doubling time     24.0 h (P1, P2: 120.0 h / 5.00 PD)\n"));
  EXPECT_THAT(r.out, HasSubstr("= 72.0 h\n"));
  EXPECT_THAT(r.out, HasSubstr("reached at        2026-11-28"));
}

TEST(LabCommandsTest, GrowthWithoutGrowthCannotProject) {
  Result r = Lab({"growth", "--passage", "4e6:3e6:48", "--target", "1e8"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("not enough data"));
}

// tests/domain/dose_test.cc's worked example.
TEST(LabCommandsTest, DoseAndVials) {
  Result r = Lab({"dose", "--cells-per-kg", "2e6", "--weight-kg", "61.5", "--infusions", "3",
                  "--cells-per-vial", "5e7", "--post-thaw-viability", "80", "--available",
                  "3.69e8"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("2e+06 cells/kg x 61.5 kg = 123000000 cells\n"));
  EXPECT_THAT(r.out, HasSubstr("123000000 x 3 infusions = 369000000 viable cells"));
  EXPECT_THAT(r.out, HasSubstr("enough for the plan"));
  EXPECT_THAT(r.out, HasSubstr("vials per infusion ceil(123000000 / 40000000) = 4\n"));
  EXPECT_THAT(r.out, HasSubstr("vials in all       4 x 3 infusions = 12\n"));
  EXPECT_EQ(Lab({"dose", "--infusions", "3"}).exit_code, 2);
}

// The ISBT 128 worked example: G1234 17 654321 -> A.
TEST(LabCommandsTest, DinCreateAndCheck) {
  Result created = Lab({"din", "create", "G1234", "17", "654321"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(created.out, HasSubstr("DIN           G1234 17 654321 A\n"));
  EXPECT_THAT(created.out, HasSubstr("barcode data  =G12341765432170"));
  EXPECT_EQ(Lab({"din", "check", "g123417654321a"}).exit_code, 0);
  EXPECT_EQ(Lab({"din", "check", "=G12341765432170"}).exit_code, 0);
  Result wrong = Lab({"din", "check", "G1234 17 654321 B"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_THAT(wrong.err, HasSubstr("wrong check character"));
  EXPECT_EQ(Lab({"din", "create", "O1234", "17", "1"}).exit_code, 1);
}

TEST(LabCommandsTest, OfflineLabelZplOnStandardOutput) {
  Result r = Lab({"label", "G123417654321A-01", "--offline", "--batch", "G123417654321A", "--product",
                  "ADSC-STD", "--isbt-product", "S1234", "--patient", "TKY-0042", "--cells", "5e7", "--frozen",
                  "2026-11-20", "--expires", "2036-11-20"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("^XA\n"));
  EXPECT_THAT(r.out, HasSubstr("^FDPatient TKY-0042^FS"));
  // Said on standard error, away from the printer's data.
  EXPECT_THAT(r.err, HasSubstr("offline label: unit G123417654321A-01 was not looked up"));
  EXPECT_EQ(Lab({"label", "G123417654321A-01", "--offline", "--batch", "G123417654321A",
                 "--product", "P", "--isbt-product", "S1234", "--patient", "X", "--cells", "1", "--frozen", "2026-11-20", "--expires",
                 "2036-11-20", "--format", "png"})
                .exit_code,
            2)
      << "PNG needs --out";
}

// Usage errors, found before any call (no server runs here).
TEST(LabCommandsTest, LabelFlagsAreForOfflineUseOnly) {
  Result missing = Lab({"label", "G123417654321A-01", "--offline", "--batch", "G123417654321A",
                        "--product", "ADSC-STD", "--isbt-product", "S1234", "--cells", "5e7", "--frozen", "2026-11-20",
                        "--expires", "2036-11-20"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--patient is required with --offline"));
  EXPECT_EQ(missing.out, "");

  Result no_expiry = Lab({"label", "G123417654321A-01", "--offline", "--batch",
                          "G123417654321A", "--product", "ADSC-STD", "--isbt-product", "S1234",
                          "--patient", "TKY-0042", "--cells", "5e7",
                          "--frozen", "2026-11-20"});
  EXPECT_EQ(no_expiry.exit_code, 2);
  EXPECT_THAT(no_expiry.err, HasSubstr("--expires is required with --offline"));

  Result mixed = Lab({"label", "G123417654321A-01", "--batch", "G123417654321A", "--expires",
                      "2036-11-20", "--server", "127.0.0.1:1"});
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_THAT(mixed.err, HasSubstr("--batch is only for --offline labels"));

  // A unit's expiry is on record: typing one in would let the label disagree.
  Result typed_expiry = Lab({"label", "G123417654321A-01", "--expires", "2036-11-20", "--server",
                             "127.0.0.1:1"});
  EXPECT_EQ(typed_expiry.exit_code, 2);
  EXPECT_THAT(typed_expiry.err, HasSubstr("--expires is only for --offline labels"));
}

TEST(LabCommandsTest, HelpNamesCpcLab) {
  Result r = Lab({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("cpc-lab [global flags]"));
  Result unknown = Lab({"nope"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("(see cpc-lab --help)"));
}

}  // namespace
}  // namespace cpclab
