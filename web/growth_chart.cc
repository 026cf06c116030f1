#include "web/growth_chart.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/time_format.h"
#include "web/html.h"

namespace cpcweb {
namespace {

namespace v1 = ::cpctrack::v1;

constexpr double kWidth = 760, kHeight = 380;
constexpr double kLeft = 80, kRight = 70, kTop = 40, kBottom = 60;
constexpr double kPlotWidth = kWidth - kLeft - kRight;
constexpr double kPlotHeight = kHeight - kTop - kBottom;

struct Point {
  absl::Time time;
  double value;
};

std::string Num(double value) { return absl::StrFormat("%.1f", value); }

// Maps times to x and values to y within the plot area.
class Scale {
 public:
  Scale(absl::Time first, absl::Time last, double low, double high)
      : first_(first), span_(std::max(absl::ToDoubleSeconds(last - first), 1.0)), low_(low),
        high_(high > low ? high : low + 1) {}
  double X(absl::Time time) const {
    return kLeft + kPlotWidth * absl::ToDoubleSeconds(time - first_) / span_;
  }
  double Y(double value) const { return kTop + kPlotHeight * (1 - (value - low_) / (high_ - low_)); }

 private:
  absl::Time first_;
  double span_, low_, high_;
};

std::string Series(const std::vector<Point>& points, const Scale& scale, const char* css_id,
                   const char* colour, bool dashed) {
  std::string polyline;
  std::string dots;
  for (const Point& point : points) {
    const double x = scale.X(point.time), y = scale.Y(point.value);
    absl::StrAppend(&polyline, polyline.empty() ? "" : " ", Num(x), ",", Num(y));
    absl::StrAppend(&dots, "<circle cx=\"", Num(x), "\" cy=\"", Num(y), "\" r=\"4\" fill=\"",
                    colour, "\"/>");
  }
  return absl::StrCat("<g id=\"", css_id, "\"><polyline points=\"", polyline,
                      "\" fill=\"none\" stroke=\"", colour, "\" stroke-width=\"3\"",
                      dashed ? " stroke-dasharray=\"8 5\"" : "", "/>", dots, "</g>\n");
}

}  // namespace

std::string GrowthChartSvg(const v1::Growth& growth, Lang lang, absl::TimeZone zone) {
  if (growth.passages().empty()) {
    return absl::StrCat("<p id=\"growth-chart\">", Escape(Msg(lang, "chart.empty")), "</p>");
  }
  std::vector<Point> viable;  // log10 of cells
  std::vector<Point> doublings;
  double cumulative = 0;
  for (const v1::PassageGrowth& passage : growth.passages()) {
    const absl::Time seeded = cpc::FromProto(passage.seeding_time());
    const absl::Time harvested = cpc::FromProto(passage.harvest_time());
    if (doublings.empty()) doublings.push_back({seeded, 0});
    viable.push_back({seeded, std::log10(std::max<double>(passage.cells_seeded(), 1))});
    viable.push_back({harvested, std::log10(std::max<double>(passage.viable_cells_harvested(), 1))});
    cumulative += passage.population_doublings();
    doublings.push_back({harvested, cumulative});
  }
  absl::Time first = viable.front().time, last = viable.front().time;
  double low = viable.front().value, high = low;
  for (const Point& point : viable) {
    first = std::min(first, point.time);
    last = std::max(last, point.time);
    low = std::min(low, point.value);
    high = std::max(high, point.value);
  }
  const int low_decade = static_cast<int>(std::floor(low));
  const int high_decade = std::max(static_cast<int>(std::ceil(high)), low_decade + 1);
  const Scale cells(first, last, low_decade, high_decade);
  const double pd_top = std::max(1.0, std::ceil(cumulative));
  const Scale pd(first, last, 0, pd_top);

  const std::string title = std::string(Msg(lang, "chart.title"));
  std::string svg = absl::StrCat(
      "<svg class=\"chart\" id=\"growth-chart\" xmlns=\"http://www.w3.org/2000/svg\" "
      "viewBox=\"0 0 ", kWidth, " ", kHeight, "\" width=\"", kWidth, "\" height=\"", kHeight,
      "\" role=\"img\" aria-label=\"", Escape(title), "\">\n<title>", Escape(title), "</title>\n",
      "<rect x=\"", kLeft, "\" y=\"", kTop, "\" width=\"", kPlotWidth, "\" height=\"", kPlotHeight,
      "\" fill=\"none\" stroke=\"#999\"/>\n");
  // Left axis: powers of ten of viable cells.
  for (int decade = low_decade; decade <= high_decade; ++decade) {
    const double y = cells.Y(decade);
    absl::StrAppend(&svg, "<line x1=\"", kLeft, "\" x2=\"", kLeft + kPlotWidth, "\" y1=\"", Num(y),
                    "\" y2=\"", Num(y), "\" stroke=\"#ddd\"/><text x=\"", kLeft - 8, "\" y=\"",
                    Num(y + 5), "\" text-anchor=\"end\" font-size=\"14\">1e", decade, "</text>\n");
  }
  // Right axis: whole population doublings (at most ~10 labels).
  const int pd_step = std::max(1, static_cast<int>(pd_top) / 10);
  for (int value = 0; value <= pd_top; value += pd_step) {
    absl::StrAppend(&svg, "<text x=\"", kLeft + kPlotWidth + 8, "\" y=\"", Num(pd.Y(value) + 5),
                    "\" font-size=\"14\">", value, "</text>\n");
  }
  // Time axis: the first and last dates, and the middle when there is room.
  for (absl::Time tick : {first, first + (last - first) / 2, last}) {
    absl::StrAppend(&svg, "<text x=\"", Num(cells.X(tick)), "\" y=\"", kTop + kPlotHeight + 22,
                    "\" text-anchor=\"middle\" font-size=\"14\">",
                    Escape(cpc::FormatLocalTime(tick, zone)), "</text>\n");
  }
  absl::StrAppend(&svg, Series(viable, cells, "viable-cells", "#1d3557", false),
                  Series(doublings, pd, "cumulative-pd", "#e76f51", true));
  // Legend.
  absl::StrAppend(&svg, "<text x=\"", kLeft, "\" y=\"", kTop - 14,
                  "\" font-size=\"15\" fill=\"#1d3557\">━ ", Escape(Msg(lang, "chart.viable")),
                  " (log)</text><text x=\"", kLeft + kPlotWidth, "\" y=\"", kTop - 14,
                  "\" text-anchor=\"end\" font-size=\"15\" fill=\"#e76f51\">╍ ",
                  Escape(Msg(lang, "chart.pd")), " (", Num(cumulative), ")</text>\n</svg>");
  return svg;
}

}  // namespace cpcweb
