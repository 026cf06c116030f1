// `cpc-lab count`, `growth` and `dose`: bench arithmetic with the formula
// shown, so the printout can be checked by hand and filed with the batch record.
#include <cmath>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client/status_util.h"
#include "client/time_format.h"
#include "client/values.h"
#include "domain/cell_count.h"
#include "domain/dose.h"
#include "domain/growth.h"
#include "domain/projection.h"
#include "lab_tools/lab_commands.h"

namespace cpclab {
namespace {

namespace domain = ::cpctrack::domain;

// One count per square, as typed: "45,52,48,55".
absl::StatusOr<std::vector<int64_t>> CountList(const Invocation& in, absl::string_view flag) {
  std::vector<int64_t> counts;
  for (const std::string& text : in.args.GetList(flag)) {
    // A square may hold no cell at all: ParseCount refuses only non-numbers.
    CPC_ASSIGN_OR_RETURN(int64_t n, cpc::ParseCount(absl::StrCat("--", flag), text));
    counts.push_back(n);
  }
  return counts;
}

std::string Sum(const std::vector<int64_t>& counts) {
  return counts.size() < 2 ? "" : absl::StrCat(absl::StrJoin(counts, " + "), " = ");
}

absl::Status RunCount(Invocation& in) {
  CPC_ASSIGN_OR_RETURN(std::vector<int64_t> unstained, CountList(in, "unstained"));
  CPC_ASSIGN_OR_RETURN(std::vector<int64_t> stained, CountList(in, "stained"));
  domain::HemocytometerCount count;
  if (in.args.Has("squares")) {
    if (unstained.size() != 1 || stained.size() != 1) {
      return cpc::UsageError(
          "with --squares, give --unstained and --stained as totals over those squares");
    }
    CPC_ASSIGN_OR_RETURN(count.squares_counted, cpc::SmallCountFlag(in.args, "squares"));
  } else {
    if (unstained.size() != stained.size()) {
      return cpc::UsageError(absl::StrFormat(
          "--unstained has %d squares and --stained %d: give one count per square in each "
          "(0 for none), or totals with --squares",
          unstained.size(), stained.size()));
    }
    count.squares_counted = static_cast<int>(unstained.size());
  }
  CPC_ASSIGN_OR_RETURN(count.unstained, domain::SumSquareCounts(unstained));
  CPC_ASSIGN_OR_RETURN(count.stained, domain::SumSquareCounts(stained));
  CPC_ASSIGN_OR_RETURN(count.dilution_factor, cpc::NumberFlag(in.args, "dilution"));
  if (in.args.Has("volume-ml")) {
    CPC_ASSIGN_OR_RETURN(count.volume_ml, cpc::NumberFlag(in.args, "volume-ml"));
  }
  CPC_ASSIGN_OR_RETURN(domain::CellConcentration c, domain::ComputeConcentration(count));

  const double squares = count.squares_counted;
  in.out << absl::StrFormat("squares counted   %d\n", count.squares_counted)
         << absl::StrFormat("unstained (live)  %s%d\n", Sum(unstained), count.unstained)
         << absl::StrFormat("stained (dead)    %s%d\n", Sum(stained), count.stained)
         << absl::StrFormat("mean per square   (%d + %d) / %d = %g\n", count.unstained,
                            count.stained, count.squares_counted, c.mean_per_square)
         << absl::StrFormat("total cells/mL    %g x %g x 10^4 = %.3g\n", c.mean_per_square,
                            count.dilution_factor, c.total_cells_per_ml)
         << absl::StrFormat("viable cells/mL   %g x %g x 10^4 = %.3g\n",
                            static_cast<double>(count.unstained) / squares,
                            count.dilution_factor, c.viable_cells_per_ml)
         << absl::StrFormat("viability         %d / (%d + %d) x 100 = %.1f %%\n",
                            count.unstained, count.unstained, count.stained,
                            c.viability_percent);
  if (count.volume_ml > 0) {
    in.out << absl::StrFormat("total cells       %.3g /mL x %g mL = %.3g\n",
                              c.total_cells_per_ml, count.volume_ml, c.total_cells)
           << absl::StrFormat("viable cells      %.3g /mL x %g mL = %.3g\n",
                              c.viable_cells_per_ml, count.volume_ml, c.viable_cells);
  }
  return absl::OkStatus();
}

struct GrowthStep {
  int64_t seeded = 0;
  int64_t harvested = 0;
  absl::Duration elapsed;
};

// "2e6:8e6:72": seeded, harvested (viable) and hours between them.
absl::StatusOr<GrowthStep> ParseGrowthStep(absl::string_view text) {
  std::vector<std::string> parts = absl::StrSplit(text, ':');
  if (parts.size() != 3) {
    return cpc::UsageError(absl::StrCat("--passage: \"", text,
                                        "\" must be SEEDED:HARVESTED:HOURS, e.g. 2e6:8e6:72"));
  }
  GrowthStep step;
  CPC_ASSIGN_OR_RETURN(step.seeded, cpc::ParseCount("--passage SEEDED", parts[0]));
  CPC_ASSIGN_OR_RETURN(step.harvested, cpc::ParseCount("--passage HARVESTED", parts[1]));
  CPC_ASSIGN_OR_RETURN(double hours, cpc::ParseNumber("--passage HOURS", parts[2]));
  if (step.seeded < 1 || step.harvested < 1 || !(hours > 0)) {
    return cpc::UsageError(absl::StrCat(
        "--passage: \"", text, "\": counts must be at least 1 and hours more than 0"));
  }
  step.elapsed = absl::Hours(hours);
  return step;
}

// The steps as the domain's records, so SummarizeGrowth computes exactly what
// cpcd shows for the same counts. Times start at `start`; only differences matter.
domain::GrowthSummary Summarize(const std::vector<GrowthStep>& steps, absl::Time start) {
  domain::Seeding seeding;
  seeding.seeding_time = start;
  seeding.cells_seeded = steps.front().seeded;
  std::vector<domain::RecordData> records = {seeding};
  absl::Time t = start;
  for (size_t i = 0; i < steps.size(); ++i) {
    domain::Passage p;
    t += steps[i].elapsed;
    p.passage_number = static_cast<int>(i) + 1;
    p.passage_time = t;
    p.viable_cells = steps[i].harvested;
    p.total_cells = steps[i].harvested;
    p.cells_reseeded = i + 1 < steps.size() ? steps[i + 1].seeded : steps[i].harvested;
    records.push_back(p);
  }
  std::vector<const domain::RecordData*> effective;
  for (const domain::RecordData& r : records) effective.push_back(&r);
  return domain::SummarizeGrowth(effective);
}

absl::Status RunGrowth(Invocation& in) {
  std::vector<GrowthStep> steps;
  for (const std::string& text : in.args.GetList("passage")) {
    CPC_ASSIGN_OR_RETURN(GrowthStep step, ParseGrowthStep(text));
    steps.push_back(step);
  }
  if (steps.empty()) return cpc::UsageError("--passage is required");
  absl::Time counted_at = in.time.now;
  if (in.args.Has("at")) {
    CPC_ASSIGN_OR_RETURN(counted_at, cpc::TimeFlag(in.args, "at", in.time));
  }
  absl::Duration total;
  for (const GrowthStep& s : steps) total += s.elapsed;
  const domain::GrowthSummary summary = Summarize(steps, counted_at - total);

  in.out << "PD = log2(harvested / seeded);  DT = t x ln 2 / ln(harvested / seeded)\n\n"
         << "passage  seeded     harvested  hours    PD     DT (h)\n";
  for (const domain::PassageGrowth& g : summary.passages) {
    in.out << absl::StrFormat(
        "P%-7d %-10.3g %-10.3g %-8.1f %-6.2f %s\n", g.passage_number,
        static_cast<double>(g.cells_seeded), static_cast<double>(g.viable_cells_harvested),
        absl::ToDoubleHours(g.harvest_time - g.seeding_time), g.population_doublings,
        g.doubling_time ? absl::StrFormat("%.1f", absl::ToDoubleHours(*g.doubling_time))
                        : "- (no growth)");
  }
  in.out << absl::StrFormat("\ncumulative PD     %.2f\n",
                            summary.cumulative_population_doublings);
  if (!in.args.Has("target")) return absl::OkStatus();

  CPC_ASSIGN_OR_RETURN(int64_t target, cpc::CountFlag(in.args, "target"));
  CPC_ASSIGN_OR_RETURN(int recent, cpc::SmallCountFlag(in.args, "recent"));
  int64_t current = summary.current_viable_cells;
  if (in.args.Has("from")) {
    CPC_ASSIGN_OR_RETURN(current, cpc::CountFlag(in.args, "from"));
  }
  CPC_ASSIGN_OR_RETURN(domain::DoublingTimeBasis basis,
                       domain::EstimateDoublingTime(summary, recent));
  CPC_ASSIGN_OR_RETURN(absl::Time reached,
                       domain::ProjectTimeToReach(current, counted_at, basis.doubling_time,
                                                  target));
  std::vector<std::string> names;
  for (int n : basis.passage_numbers) names.push_back(absl::StrCat("P", n));
  in.out << absl::StrFormat(
                "doubling time     %.1f h (%s: %.1f h / %.2f PD)\n",
                absl::ToDoubleHours(basis.doubling_time), absl::StrJoin(names, ", "),
                absl::ToDoubleHours(basis.growth_time), basis.population_doublings)
         << absl::StrFormat("projection        %.3g -> %.3g viable cells: t = DT x log2(%.3g / "
                            "%.3g) = %.1f h\n",
                            static_cast<double>(current), static_cast<double>(target),
                            static_cast<double>(target), static_cast<double>(current),
                            absl::ToDoubleHours(reached - counted_at));
  if (in.args.Has("at")) {
    in.out << "reached at        " << cpc::FormatLocalTimeWithZone(reached, in.time.zone)
           << " (exponential growth, no plateau: split before confluence)\n";
  }
  return absl::OkStatus();
}

absl::Status RunDose(Invocation& in) {
  domain::DosePlan plan;
  if (in.args.Has("cells")) {
    CPC_ASSIGN_OR_RETURN(plan.fixed_cells, cpc::NumberFlag(in.args, "cells"));
  }
  if (in.args.Has("cells-per-kg")) {
    CPC_ASSIGN_OR_RETURN(plan.cells_per_kg, cpc::NumberFlag(in.args, "cells-per-kg"));
    if (!in.args.Has("weight-kg")) {
      return cpc::UsageError("--cells-per-kg needs --weight-kg");
    }
    CPC_ASSIGN_OR_RETURN(plan.body_weight_kg, cpc::NumberFlag(in.args, "weight-kg"));
  }
  if (!plan.fixed_cells && !plan.cells_per_kg) {
    return cpc::UsageError("give the dose: --cells N (fixed) or --cells-per-kg N --weight-kg KG");
  }
  CPC_ASSIGN_OR_RETURN(plan.infusions, cpc::SmallCountFlag(in.args, "infusions"));
  CPC_ASSIGN_OR_RETURN(domain::DoseNeed need, domain::CellsNeeded(plan));

  if (plan.cells_per_kg) {
    in.out << absl::StrFormat("dose per infusion  %.3g cells/kg x %g kg = %d cells\n",
                              *plan.cells_per_kg, plan.body_weight_kg, need.cells_per_infusion);
  } else {
    in.out << absl::StrFormat("dose per infusion  %d cells (fixed)\n", need.cells_per_infusion);
  }
  in.out << absl::StrFormat("cells needed       %d x %d infusions = %d viable cells (%.3g)\n",
                            need.cells_per_infusion, need.infusions, need.total_cells,
                            static_cast<double>(need.total_cells));
  if (in.args.Has("available")) {
    CPC_ASSIGN_OR_RETURN(int64_t available, cpc::CountFlag(in.args, "available"));
    in.out << absl::StrFormat("batch              %.3g viable cells: %s\n",
                              static_cast<double>(available),
                              domain::BatchCoversPlan(available, need)
                                  ? "enough for the plan"
                                  : absl::StrFormat("NOT enough (short by %.3g)",
                                                    static_cast<double>(need.total_cells -
                                                                        available)));
  }
  if (in.args.Has("cells-per-vial")) {
    CPC_ASSIGN_OR_RETURN(int64_t per_vial, cpc::CountFlag(in.args, "cells-per-vial"));
    CPC_ASSIGN_OR_RETURN(double viability, cpc::NumberFlag(in.args, "post-thaw-viability"));
    CPC_ASSIGN_OR_RETURN(domain::VialNeed vials,
                         domain::VialsNeeded(need, per_vial, viability));
    in.out << absl::StrFormat("viable per vial    %.3g x %g %% = %d after thaw\n",
                              static_cast<double>(per_vial), viability,
                              vials.viable_cells_per_vial)
           << absl::StrFormat("vials per infusion ceil(%d / %d) = %d\n",
                              need.cells_per_infusion, vials.viable_cells_per_vial,
                              vials.vials_per_infusion)
           << absl::StrFormat("vials in all       %d x %d infusions = %d\n",
                              vials.vials_per_infusion, need.infusions, vials.total_vials);
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<CommandSpec> CalculatorCommands() {
  return {
      {.noun = "count",
       .summary = "Hemocytometer count: cells/mL, total cells and viability, with the formula",
       .flags = {{.name = "unstained", .value_name = "N",
                  .help = "unstained (live) cells, one count per large square, or the total "
                          "with --squares",
                  .required = true, .repeated = true},
                 {.name = "stained", .value_name = "N",
                  .help = "trypan-blue stained (dead) cells, as --unstained",
                  .required = true, .repeated = true},
                 {.name = "squares", .value_name = "N",
                  .help = "large squares counted, when --unstained/--stained are totals"},
                 {.name = "dilution", .value_name = "FACTOR",
                  .help = "dilution factor (2 for 1:1 with trypan blue)", .default_value = "1"},
                 {.name = "volume-ml", .value_name = "ML",
                  .help = "volume of the suspension, for total cells"}},
       .example = "cpc-lab count --unstained 45,52,48,55 --stained 5,3,6,6 --dilution 2 "
                  "--volume-ml 5",
       .run = RunCount},
      {.noun = "growth",
       .summary = "Population doublings, doubling time, and when a target count is reached",
       .flags = {{.name = "passage", .value_name = "SEEDED:HARVESTED:HOURS",
                  .help = "one passage: cells seeded, viable cells harvested, hours between",
                  .required = true, .repeated = true},
                 {.name = "target", .value_name = "N",
                  .help = "project when viable cells reach N"},
                 {.name = "from", .value_name = "N",
                  .help = "viable cells growing now (default: the last harvest)"},
                 {.name = "at", .value_name = "TIME",
                  .help = "when the last count was made, to print the date reached"},
                 {.name = "recent", .value_name = "N",
                  .help = "doubling time from the last N passages that grew",
                  .default_value = "3"}},
       .example = "cpc-lab growth --passage 2e6:8e6:72 --passage 3e6:1.1e7:70 --target 1e8 "
                  "--at \"2026-11-25 09:30\"",
       .run = RunGrowth},
      {.noun = "dose",
       .summary = "Cells needed for a plan's infusions, and the vials to thaw for them",
       .flags = {{.name = "cells", .value_name = "N", .help = "fixed dose per infusion"},
                 {.name = "cells-per-kg", .value_name = "N",
                  .help = "per-kg dose per infusion (with --weight-kg)"},
                 {.name = "weight-kg", .value_name = "KG", .help = "the patient's body weight"},
                 {.name = "infusions", .value_name = "N", .help = "planned infusions",
                  .default_value = "1"},
                 {.name = "cells-per-vial", .value_name = "N",
                  .help = "cells frozen per vial, to count vials"},
                 {.name = "post-thaw-viability", .value_name = "PERCENT",
                  .help = "viability expected after thaw", .default_value = "70"},
                 {.name = "available", .value_name = "N",
                  .help = "viable cells in the batch: is it enough?"}},
       .example = "cpc-lab dose --cells-per-kg 2e6 --weight-kg 61.5 --infusions 3 "
                  "--cells-per-vial 5e7 --post-thaw-viability 80",
       .run = RunDose},
  };
}

}  // namespace cpclab
