#include "report/chart.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/markup.h"

namespace cpctrack::report {
namespace {

// One axis: a value range mapped onto [lo_px, hi_px], linear or log10.
struct Axis {
  double min = 0, max = 1;
  bool log = false;
  double lo_px = 0, hi_px = 1;
  double Map(double v) const {
    const double a = log ? std::log10(min) : min, b = log ? std::log10(max) : max;
    const double t = ((log ? std::log10(v) : v) - a) / (b - a);
    return lo_px + t * (hi_px - lo_px);
  }
};

std::vector<ChartPoint> Usable(const ChartSeries& series) {
  std::vector<ChartPoint> out;
  for (const ChartPoint& p : series.points) {
    if (std::isfinite(p.x) && std::isfinite(p.y) && (!series.log_scale || p.y > 0)) {
      out.push_back(p);
    }
  }
  return out;
}

// 1, 2 or 5 times a power of ten, about range/5.
double NiceStep(double range) {
  if (range <= 0) return 1;
  const double raw = range / 5;
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  for (double f : {1.0, 2.0, 5.0}) {
    if (f * magnitude >= raw) return f * magnitude;
  }
  return 10 * magnitude;
}

std::string TickLabel(double v, bool log) {
  if (log) return absl::StrFormat("1e%d", static_cast<int>(std::lround(std::log10(v))));
  if (std::fabs(v - std::round(v)) < 1e-9) return absl::StrCat(std::llround(v));
  return absl::StrFormat("%.1f", v);
}

// Sets min/max to a range covering `ys` with nice ends; returns the ticks.
std::vector<double> FitAxis(const std::vector<ChartPoint>& points, bool use_y, bool log,
                            Axis& axis) {
  double lo = INFINITY, hi = -INFINITY;
  for (const ChartPoint& p : points) {
    const double v = use_y ? p.y : p.x;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  std::vector<double> ticks;
  if (log) {
    const int a = static_cast<int>(std::floor(std::log10(lo)));
    int b = static_cast<int>(std::ceil(std::log10(hi)));
    if (b == a) ++b;
    axis.min = std::pow(10, a);
    axis.max = std::pow(10, b);
    for (int e = a; e <= b; ++e) ticks.push_back(std::pow(10, e));
    return ticks;
  }
  if (lo > 0) lo = 0;  // counts, days and doublings read best from zero
  if (hi <= lo) hi = lo + 1;
  const double step = NiceStep(hi - lo);
  axis.min = std::floor(lo / step) * step;
  axis.max = std::ceil(hi / step) * step;
  for (double v = axis.min; v <= axis.max + step / 2; v += step) ticks.push_back(v);
  return ticks;
}

}  // namespace

ChartDrawing LayoutChart(const Chart& chart, double width, double height) {
  ChartDrawing d{.width = width, .height = height};
  const std::vector<ChartPoint> left = Usable(chart.left);
  const std::vector<ChartPoint> right = Usable(chart.right);
  const bool has_right = !right.empty();
  const double plot_left = 56, plot_right = width - (has_right ? 44 : 16);
  const double plot_top = 30, plot_bottom = height - 34;
  const std::string axis_color = "#333333", grid_color = "#d0d0d0";

  d.texts.push_back({.x = plot_left, .y = 12, .text = chart.title, .size = 9, .bold = true});
  d.lines.push_back({plot_left, plot_bottom, plot_right, plot_bottom, axis_color, 1, false});
  d.lines.push_back({plot_left, plot_top, plot_left, plot_bottom, axis_color, 1, false});
  if (has_right) {
    d.lines.push_back({plot_right, plot_top, plot_right, plot_bottom, axis_color, 1, false});
  }
  d.texts.push_back({.x = (plot_left + plot_right) / 2, .y = height - 4, .text = chart.x_label,
                     .anchor = TextAnchor::kMiddle});
  if (left.empty() && right.empty()) {
    d.texts.push_back({.x = (plot_left + plot_right) / 2, .y = (plot_top + plot_bottom) / 2,
                       .text = chart.empty_text, .anchor = TextAnchor::kMiddle, .size = 9});
    return d;
  }

  std::vector<ChartPoint> all = left;
  all.insert(all.end(), right.begin(), right.end());
  Axis x{.lo_px = plot_left, .hi_px = plot_right};
  for (double t : FitAxis(all, false, false, x)) {
    const double px = x.Map(t);
    d.lines.push_back({px, plot_bottom, px, plot_bottom + 4, axis_color, 1, false});
    d.texts.push_back({.x = px, .y = plot_bottom + 13, .text = TickLabel(t, false),
                       .anchor = TextAnchor::kMiddle, .size = 7});
  }

  auto draw_series = [&](const ChartSeries& series, const std::vector<ChartPoint>& points,
                         bool on_right) {
    if (points.empty()) return;
    Axis y{.log = series.log_scale, .lo_px = plot_bottom, .hi_px = plot_top};
    const double axis_x = on_right ? plot_right : plot_left;
    for (double t : FitAxis(points, true, series.log_scale, y)) {
      const double py = y.Map(t);
      if (!on_right) d.lines.push_back({plot_left, py, plot_right, py, grid_color, 0.5, false});
      d.lines.push_back({axis_x, py, axis_x + (on_right ? 4 : -4), py, axis_color, 1, false});
      d.texts.push_back({.x = axis_x + (on_right ? 6 : -6), .y = py + 2.5,
                         .text = TickLabel(t, series.log_scale),
                         .anchor = on_right ? TextAnchor::kStart : TextAnchor::kEnd, .size = 7});
    }
    ChartPolyline line{.color = series.color, .dashed = series.dashed};
    for (const ChartPoint& p : points) line.points.push_back({x.Map(p.x), y.Map(p.y)});
    d.polylines.push_back(std::move(line));
    d.texts.push_back({.x = on_right ? width - 4 : 10, .y = (plot_top + plot_bottom) / 2,
                       .text = series.name, .anchor = TextAnchor::kMiddle, .size = 7.5,
                       .color = series.color, .vertical = true});
  };
  draw_series(chart.left, left, false);
  draw_series(chart.right, right, true);

  // Legend, top right: a line sample (solid or dashed) and the name.
  double lx = plot_right;
  for (const ChartSeries* s : {&chart.right, &chart.left}) {
    if ((s == &chart.right ? right : left).empty()) continue;
    const double text_w = 4.2 * static_cast<double>(s->name.size());
    d.texts.push_back({.x = lx, .y = 22, .text = s->name, .anchor = TextAnchor::kEnd,
                       .size = 7, .color = s->color});
    lx -= text_w + 4;
    d.lines.push_back({lx - 18, 19.5, lx, 19.5, s->color, 1.5, s->dashed});
    lx -= 30;
  }
  return d;
}

std::string ChartSvg(const ChartDrawing& d) {
  std::string out = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
      "viewBox=\"0 0 %.0f %.0f\" role=\"img\" font-family=\"sans-serif\">",
      d.width, d.height, d.width, d.height);
  for (const ChartLine& l : d.lines) {
    absl::StrAppendFormat(&out,
                          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                          "stroke-width=\"%.1f\"%s/>",
                          l.x1, l.y1, l.x2, l.y2, domain::EscapeMarkup(l.color), l.width,
                          l.dashed ? " stroke-dasharray=\"4 3\"" : "");
  }
  for (const ChartPolyline& p : d.polylines) {
    std::string points;
    for (const ChartPoint& pt : p.points) absl::StrAppendFormat(&points, "%.1f,%.1f ", pt.x, pt.y);
    absl::StrAppendFormat(&out,
                          "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
                          "stroke-width=\"%.1f\"%s/>",
                          points, domain::EscapeMarkup(p.color), p.width,
                          p.dashed ? " stroke-dasharray=\"4 3\"" : "");
    if (!p.markers) continue;
    for (const ChartPoint& pt : p.points) {
      absl::StrAppendFormat(&out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>", pt.x,
                            pt.y, domain::EscapeMarkup(p.color));
    }
  }
  for (const ChartText& t : d.texts) {
    const char* anchor = t.anchor == TextAnchor::kStart    ? "start"
                         : t.anchor == TextAnchor::kMiddle ? "middle"
                                                           : "end";
    std::string transform =
        t.vertical ? absl::StrFormat(" transform=\"rotate(-90 %.1f %.1f)\"", t.x, t.y) : "";
    absl::StrAppendFormat(&out,
                          "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" fill=\"%s\" "
                          "text-anchor=\"%s\"%s%s>%s</text>",
                          t.x, t.y, t.size, domain::EscapeMarkup(t.color), anchor,
                          t.bold ? " font-weight=\"bold\"" : "", transform, domain::EscapeMarkup(t.text));
  }
  out += "</svg>";
  return out;
}

}  // namespace cpctrack::report
