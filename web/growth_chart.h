// The growth curve of a batch as inline SVG, drawn on the server: viable
// cells (log scale, left axis) and cumulative population doublings (right
// axis) against time, from the growth cpcd computed from the corrected
// records.
#ifndef CPCTRACK_WEB_GROWTH_CHART_H_
#define CPCTRACK_WEB_GROWTH_CHART_H_

#include <string>

#include "absl/time/time.h"
#include "cpctrack/v1/batches.pb.h"
#include "web/messages.h"

namespace cpcweb {

// An <svg class="chart" id="growth-chart"> element: a polyline of viable cells
// at each seeding and harvest, one of cumulative PD (0 at the first seeding,
// then at each harvest), dated axes in `zone`. A paragraph saying there are
// no counts yet when no passage has been harvested.
std::string GrowthChartSvg(const cpctrack::v1::Growth& growth, Lang lang, absl::TimeZone zone);

}  // namespace cpcweb

#endif  // CPCTRACK_WEB_GROWTH_CHART_H_
