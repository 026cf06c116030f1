// Line charts with two y axes (e.g. viable cells on a log scale on the left,
// cumulative population doublings on the right, against days), laid out once
// as drawing primitives and drawn by two back ends: SVG text (ChartSvg, for
// web pages) and cairo (pdf.cc). Labels are plain text; ChartSvg escapes them.
#ifndef CPCTRACK_REPORT_CHART_H_
#define CPCTRACK_REPORT_CHART_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cpctrack::report {

struct ChartPoint {
  double x = 0;
  double y = 0;
};

struct ChartSeries {
  std::string name;
  std::vector<ChartPoint> points;
  // "#RRGGBB".
  std::string color = "#1f4e9c";
  // Base-10 logarithmic axis (all y must be > 0; others are left out).
  bool log_scale = false;
  // Dashed line (told apart without colour when printed in grey).
  bool dashed = false;
};

struct Chart {
  std::string title;
  std::string x_label;
  ChartSeries left;   // on the left axis
  ChartSeries right;  // on the right axis; no points: no right axis
  // Printed in the plot when neither series has a point.
  std::string empty_text = "No data yet.";
};

// Primitives in a width x height box, origin top left, y down.
struct ChartLine {
  double x1, y1, x2, y2;
  std::string color;
  double width = 1;
  bool dashed = false;
};

struct ChartPolyline {
  std::vector<ChartPoint> points;
  std::string color;
  double width = 1.5;
  bool dashed = false;
  bool markers = true;
};

enum class TextAnchor { kStart, kMiddle, kEnd };

struct ChartText {
  double x, y;  // the baseline's anchor point
  std::string text;
  TextAnchor anchor = TextAnchor::kStart;
  double size = 8;
  std::string color = "#000000";
  bool vertical = false;  // rotated 90° anticlockwise (an axis title)
  bool bold = false;
};

struct ChartDrawing {
  double width = 0;
  double height = 0;
  std::vector<ChartLine> lines;
  std::vector<ChartPolyline> polylines;
  std::vector<ChartText> texts;
};

// Axes, ticks, grid, series and legend for `chart` in a width x height box.
ChartDrawing LayoutChart(const Chart& chart, double width, double height);

// A standalone <svg> element; every text is escaped (domain::EscapeMarkup).
std::string ChartSvg(const ChartDrawing& drawing);

}  // namespace cpctrack::report

#endif  // CPCTRACK_REPORT_CHART_H_
