// The growth curve from GetBatch's Growth: each passage's seeding and harvest.
#include "absl/time/time.h"
#include "report/batch_record.h"
#include "report/text.h"

namespace cpctrack::report {

Chart GrowthChart(const cpctrack::v1::Growth& growth) {
  Chart chart{.title = "Growth: viable cells and cumulative population doublings",
              .x_label = "days since P0 seeding"};
  chart.left = {.name = "viable cells (log)", .color = "#1f4e9c", .log_scale = true};
  chart.right = {.name = "cumulative PD", .color = "#b5472b", .dashed = true};
  if (growth.passages().empty()) return chart;
  const absl::Time start = FromProto(growth.passages(0).seeding_time());
  auto days = [&](const google::protobuf::Timestamp& t) {
    return absl::ToDoubleHours(FromProto(t) - start) / 24;
  };
  double cumulative = 0;
  chart.left.points.push_back({0, static_cast<double>(growth.passages(0).cells_seeded())});
  chart.right.points.push_back({0, 0});
  for (const cpctrack::v1::PassageGrowth& p : growth.passages()) {
    // Reseeding after each harvest: the curve is a saw, as the culture is.
    if (&p != &growth.passages(0)) {
      chart.left.points.push_back(
          {days(p.seeding_time()), static_cast<double>(p.cells_seeded())});
    }
    if (!p.has_harvest_time() || p.viable_cells_harvested() <= 0) continue;
    cumulative += p.population_doublings();
    chart.left.points.push_back(
        {days(p.harvest_time()), static_cast<double>(p.viable_cells_harvested())});
    chart.right.points.push_back({days(p.harvest_time()), cumulative});
  }
  return chart;
}

}  // namespace cpctrack::report
