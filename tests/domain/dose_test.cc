#include "domain/dose.h"

#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

// Worked example, by hand from DOMAIN.md (per-kg dose x body weight):
// 2 x 10^6 cells/kg for a 61.5 kg patient = 1.23 x 10^8 cells per infusion;
// 3 infusions = 3.69 x 10^8 cells.
TEST(DoseTest, PerKgDoseTimesWeightTimesInfusions) {
  absl::StatusOr<DoseNeed> need =
      CellsNeeded({.cells_per_kg = 2e6, .body_weight_kg = 61.5, .infusions = 3});
  ASSERT_TRUE(need.ok()) << need.status();
  EXPECT_EQ(need->cells_per_infusion, 123'000'000);
  EXPECT_EQ(need->infusions, 3);
  EXPECT_EQ(need->total_cells, 369'000'000);
  EXPECT_TRUE(BatchCoversPlan(369'000'000, *need));
  EXPECT_FALSE(BatchCoversPlan(368'999'999, *need));
}

// DOMAIN.md's fixed-dose example: 1 x 10^8 cells, twice.
TEST(DoseTest, FixedDose) {
  absl::StatusOr<DoseNeed> need = CellsNeeded({.fixed_cells = 1e8, .infusions = 2});
  ASSERT_TRUE(need.ok()) << need.status();
  EXPECT_EQ(need->cells_per_infusion, 100'000'000);
  EXPECT_EQ(need->total_cells, 200'000'000);
}

// Vials of 5 x 10^7 cells at 80 % post-thaw viability hold 4 x 10^7 viable
// cells. 1.23 x 10^8 / 4 x 10^7 = 3.075, so 4 vials per infusion (a part of a
// thawed vial cannot wait for the next infusion), 12 for 3 infusions.
TEST(DoseTest, VialsRoundUpPerInfusionOnPostThawViableCells) {
  const DoseNeed need{.cells_per_infusion = 123'000'000, .infusions = 3,
                      .total_cells = 369'000'000};
  absl::StatusOr<VialNeed> vials = VialsNeeded(need, 50'000'000, 80);
  ASSERT_TRUE(vials.ok()) << vials.status();
  EXPECT_EQ(vials->viable_cells_per_vial, 40'000'000);
  EXPECT_EQ(vials->vials_per_infusion, 4);
  EXPECT_EQ(vials->total_vials, 12);
}

// A dose that is an exact multiple needs no extra vial: 1.2 x 10^8 / 4 x 10^7 = 3.
TEST(DoseTest, ExactMultipleNeedsNoExtraVial) {
  const DoseNeed need{.cells_per_infusion = 120'000'000, .infusions = 1,
                      .total_cells = 120'000'000};
  EXPECT_EQ(VialsNeeded(need, 50'000'000, 80)->vials_per_infusion, 3);
}

TEST(DoseTest, RefusesIncompletePlans) {
  EXPECT_EQ(CellsNeeded({.infusions = 1}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CellsNeeded({.fixed_cells = 1e8, .cells_per_kg = 1e6, .body_weight_kg = 60})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_NE(CellsNeeded({.cells_per_kg = 1e6}).status().message().find("body_weight_kg"),
            absl::string_view::npos);
  EXPECT_NE(CellsNeeded({.fixed_cells = 1e8, .infusions = 0}).status().message().find(
                "infusions"),
            absl::string_view::npos);
  const DoseNeed need{.cells_per_infusion = 1, .infusions = 1, .total_cells = 1};
  EXPECT_NE(VialsNeeded(need, 1000, 0).status().message().find("post_thaw_viability"),
            absl::string_view::npos);
  EXPECT_NE(VialsNeeded(need, 0, 80).status().message().find("cells_per_vial"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace cpctrack::domain
