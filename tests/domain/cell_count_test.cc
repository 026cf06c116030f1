#include "domain/cell_count.h"

#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

// Worked example, derived by hand from DOMAIN.md's formula
// (cells/mL = mean per large square x dilution x 10^4): the four corner
// squares hold 45 + 52 + 48 + 55 = 200 cells, of which 20 took up trypan
// blue (180 unstained); cells were mixed 1:1 with the dye (dilution 2);
// the suspension is 5 mL.
//   mean per square = 200 / 4 = 50
//   total/mL  = 50 x 2 x 10^4 = 1.0 x 10^6;   viable/mL = 45 x 2 x 10^4 = 9.0 x 10^5
//   viability = 180 / 200 x 100 = 90 %
//   total     = 1.0 x 10^6 x 5 = 5.0 x 10^6;  viable    = 4.5 x 10^6
TEST(CellCountTest, FourCornerSquaresWithTrypanBlueOneToOne) {
  absl::StatusOr<CellConcentration> c = ComputeConcentration(
      {.squares_counted = 4, .unstained = 180, .stained = 20, .dilution_factor = 2,
       .volume_ml = 5});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_DOUBLE_EQ(c->mean_per_square, 50);
  EXPECT_DOUBLE_EQ(c->total_cells_per_ml, 1.0e6);
  EXPECT_DOUBLE_EQ(c->viable_cells_per_ml, 9.0e5);
  EXPECT_DOUBLE_EQ(c->viability_percent, 90);
  EXPECT_DOUBLE_EQ(c->total_cells, 5.0e6);
  EXPECT_DOUBLE_EQ(c->viable_cells, 4.5e6);
}

// Second derivation: one square, undiluted, 87 unstained and 13 stained:
// 100 x 1 x 10^4 = 1.0 x 10^6 cells/mL, 87 % viable; without a volume no totals.
TEST(CellCountTest, OneSquareUndilutedWithoutVolumeGivesNoTotals) {
  absl::StatusOr<CellConcentration> c = ComputeConcentration(
      {.squares_counted = 1, .unstained = 87, .stained = 13, .dilution_factor = 1});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_DOUBLE_EQ(c->total_cells_per_ml, 1.0e6);
  EXPECT_DOUBLE_EQ(c->viable_cells_per_ml, 8.7e5);
  EXPECT_DOUBLE_EQ(c->viability_percent, 87);
  EXPECT_EQ(c->total_cells, 0);
  EXPECT_EQ(c->viable_cells, 0);
}

TEST(CellCountTest, SumSquareCountsAddsEachSquare) {
  const int64_t squares[] = {45, 52, 48, 55};
  EXPECT_EQ(*SumSquareCounts(squares), 200);
  const int64_t negative[] = {45, -1};
  EXPECT_EQ(SumSquareCounts(negative).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CellCountTest, RefusesCountsThatCannotGiveAConcentration) {
  const HemocytometerCount good{.squares_counted = 4, .unstained = 180, .stained = 20,
                                .dilution_factor = 2, .volume_ml = 5};
  HemocytometerCount c = good;
  c.squares_counted = 0;
  EXPECT_NE(ComputeConcentration(c).status().message().find("squares_counted"),
            absl::string_view::npos);
  c = good;
  c.unstained = 0;
  c.stained = 0;
  EXPECT_NE(ComputeConcentration(c).status().message().find("no cells counted"),
            absl::string_view::npos);
  c = good;
  c.dilution_factor = 0.5;
  EXPECT_NE(ComputeConcentration(c).status().message().find("dilution_factor"),
            absl::string_view::npos);
  c = good;
  c.volume_ml = -1;
  EXPECT_NE(ComputeConcentration(c).status().message().find("volume_ml"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace cpctrack::domain
