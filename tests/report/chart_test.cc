#include "report/chart.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "report/batch_record.h"
#include "tests/report/report_fixture.h"

namespace cpctrack::report {
namespace {

TEST(GrowthChart, ViableCellsAndCumulativeDoublingsAgainstDays) {
  const Chart chart = GrowthChart(testing::SampleInput().batch.growth());
  ASSERT_EQ(chart.left.points.size(), 2u);
  EXPECT_DOUBLE_EQ(chart.left.points[0].y, 3e6);
  EXPECT_DOUBLE_EQ(chart.left.points[1].x, 4.0);  // 96 h after seeding
  EXPECT_DOUBLE_EQ(chart.left.points[1].y, 1.2e7);
  EXPECT_TRUE(chart.left.log_scale);
  ASSERT_EQ(chart.right.points.size(), 2u);
  EXPECT_DOUBLE_EQ(chart.right.points[1].y, 2.0);
}

TEST(ChartSvg, DrawsBothSeriesAndEscapesLabels) {
  Chart chart{.title = "<script>x</script>", .x_label = "days & \"nights\""};
  chart.left = {.name = "cells", .points = {{0, 1e6}, {4, 1e7}}, .log_scale = true};
  chart.right = {.name = "PD", .points = {{0, 0}, {4, 3.3}}};
  const std::string svg = ChartSvg(LayoutChart(chart, 400, 200));
  EXPECT_TRUE(absl::StartsWith(svg, "<svg "));
  EXPECT_FALSE(absl::StrContains(svg, "<script>"));
  EXPECT_TRUE(absl::StrContains(svg, "&lt;script&gt;x&lt;/script&gt;"));
  EXPECT_TRUE(absl::StrContains(svg, "days &amp; &quot;nights&quot;"));
  EXPECT_TRUE(absl::StrContains(svg, ">1e6<"));
  EXPECT_TRUE(absl::StrContains(svg, ">1e7<"));
  int polylines = 0;
  for (size_t at = svg.find("<polyline"); at != std::string::npos;
       at = svg.find("<polyline", at + 1)) {
    ++polylines;
  }
  EXPECT_EQ(polylines, 2);
}

TEST(ChartSvg, EmptyChartSaysSo) {
  Chart chart{.title = "Growth", .x_label = "days"};
  const std::string svg = ChartSvg(LayoutChart(chart, 400, 200));
  EXPECT_TRUE(absl::StrContains(svg, "No data yet."));
  EXPECT_FALSE(absl::StrContains(svg, "<polyline"));
}

}  // namespace
}  // namespace cpctrack::report
