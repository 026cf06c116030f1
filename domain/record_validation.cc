#include "domain/record_validation.h"

#include <algorithm>
#include <cmath>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"

namespace cpctrack::domain {
namespace {


absl::Status ValidateLotList(const std::vector<std::string>& lots) {
  if (lots.size() > 20) {
    return absl::InvalidArgumentError("reagent_lots: more than 20 lots");
  }
  for (size_t i = 0; i < lots.size(); ++i) {
    if (lots[i].empty()) {
      return absl::InvalidArgumentError(absl::StrCat("reagent_lots[", i, "]: empty"));
    }
  }
  return absl::OkStatus();
}

absl::Status Validate(TissueReceipt& r, absl::Time now) {
  RETURN_IF_ERROR(CheckNotFuture("collection_time", r.collection_time, now));
  RETURN_IF_ERROR(CheckNotFuture("receipt_time", r.receipt_time, now));
  RETURN_IF_ERROR(
      CheckNotBefore("receipt_time", r.receipt_time, "collection", r.collection_time));
  RETURN_IF_ERROR(CheckText("collection_site", r.collection_site, 100, true));
  RETURN_IF_ERROR(CheckRange("volume_ml", r.volume_ml, 0.1, 2000));
  RETURN_IF_ERROR(
      CheckRange("transport_temperature_c", r.transport_temperature_c, -200, 45));
  return CheckText("collected_by", r.collected_by, 100, false);
}

absl::Status Validate(Seeding& r, absl::Time now) {
  RETURN_IF_ERROR(CheckNotFuture("seeding_time", r.seeding_time, now));
  RETURN_IF_ERROR(CheckCount("cells_seeded", r.cells_seeded));
  RETURN_IF_ERROR(CheckText("vessel_type", r.vessel_type, 50, true));
  RETURN_IF_ERROR(CheckRange("vessel_count", r.vessel_count, 1, 1000));
  RETURN_IF_ERROR(CheckRange("surface_area_cm2", r.surface_area_cm2, 0.1, 1e6));
  RETURN_IF_ERROR(CheckText("medium_lot", r.medium_lot, 40, true));
  RETURN_IF_ERROR(ValidateLotList(r.reagent_lots));
  return CheckText("incubator_id", r.incubator_id, 40, true);
}

absl::Status Validate(Observation& r, absl::Time now) {
  RETURN_IF_ERROR(CheckNotFuture("observation_time", r.observation_time, now));
  RETURN_IF_ERROR(CheckRange("confluence_percent", r.confluence_percent, 0, 100));
  return CheckText("morphology", r.morphology, 500, false);
}

absl::Status Validate(MediumChange& r, absl::Time now) {
  RETURN_IF_ERROR(CheckNotFuture("change_time", r.change_time, now));
  RETURN_IF_ERROR(CheckText("medium_lot", r.medium_lot, 40, true));
  RETURN_IF_ERROR(ValidateLotList(r.reagent_lots));
  if (r.volume_ml != 0) RETURN_IF_ERROR(CheckRange("volume_ml", r.volume_ml, 0.1, 10000));
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckCellCounts(absl::string_view prefix, int64_t total_cells,
                             int64_t viable_cells, double& viability_percent) {
  const std::string total_field = absl::StrCat(prefix, "total_cells");
  const std::string viable_field = absl::StrCat(prefix, "viable_cells");
  RETURN_IF_ERROR(CheckCount(total_field, total_cells));
  RETURN_IF_ERROR(CheckCount(viable_field, viable_cells));
  if (viable_cells > total_cells) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s (%g) exceeds %s (%g)", viable_field, static_cast<double>(viable_cells), total_field,
        static_cast<double>(total_cells)));
  }
  const double computed =
      100.0 * static_cast<double>(viable_cells) / static_cast<double>(total_cells);
  if (viability_percent == 0) {
    viability_percent = std::round(computed * 10) / 10;
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(
      CheckRange(absl::StrCat(prefix, "viability_percent"), viability_percent, 0, 100));
  if (std::abs(viability_percent - computed) > kViabilityTolerancePercent) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%sviability_percent (%.1f) disagrees with viable/total cells (%.1f %%) by "
        "more than %.0f point; check the counts",
        prefix, viability_percent, computed, kViabilityTolerancePercent));
  }
  return absl::OkStatus();
}

namespace {

absl::Status Validate(Passage& r, absl::Time now) {
  RETURN_IF_ERROR(CheckNotFuture("passage_time", r.passage_time, now));
  RETURN_IF_ERROR(CheckCellCounts("", r.total_cells, r.viable_cells, r.viability_percent));
  if (r.counting_method == CountingMethod::kUnspecified) {
    return absl::InvalidArgumentError("counting_method: required");
  }
  if (r.final_harvest) {
    if (r.cells_reseeded != 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "cells_reseeded: %d must be 0 for the final harvest (it ends the culture and "
          "reseeds nothing)",
          r.cells_reseeded));
    }
  } else if (r.cells_reseeded == 0) {
    return absl::InvalidArgumentError(
        "cells_reseeded: 0 must be greater than 0 for a passage; a harvest that reseeds "
        "nothing is the final harvest (`cpc batch harvest`, or final_harvest)");
  } else {
    RETURN_IF_ERROR(CheckCount("cells_reseeded", r.cells_reseeded));
  }
  if (r.cells_reseeded > r.viable_cells) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "cells_reseeded (%g) exceeds viable_cells harvested (%g)",
        static_cast<double>(r.cells_reseeded), static_cast<double>(r.viable_cells)));
  }
  if (r.vessel_count != 0) RETURN_IF_ERROR(CheckRange("vessel_count", r.vessel_count, 1, 1000));
  if (r.surface_area_cm2 != 0) {
    RETURN_IF_ERROR(CheckRange("surface_area_cm2", r.surface_area_cm2, 0.1, 1e6));
  }
  RETURN_IF_ERROR(CheckText("medium_lot", r.medium_lot, 40, true));
  RETURN_IF_ERROR(ValidateLotList(r.reagent_lots));
  RETURN_IF_ERROR(CheckText("counter_id", r.counter_id, 40, true));
  return CheckText("incubator_id", r.incubator_id, 40, true);
}

}  // namespace

absl::Status ValidateRecordData(RecordData& data, absl::Time now) {
  return std::visit([now](auto& r) { return Validate(r, now); }, data);
}

absl::Status CheckTimeline(const std::vector<const RecordData*>& effective) {
  const TissueReceipt* receipt = nullptr;
  const Seeding* seeding = nullptr;
  for (const RecordData* d : effective) {
    if (const auto* r = std::get_if<TissueReceipt>(d)) receipt = r;
    if (const auto* s = std::get_if<Seeding>(d)) seeding = s;
  }
  if (seeding != nullptr && receipt != nullptr) {
    RETURN_IF_ERROR(CheckNotBefore("seeding_time", seeding->seeding_time,
                                         "tissue receipt", receipt->receipt_time));
  }
  std::vector<const Passage*> passages;
  const Passage* final_harvest = nullptr;
  for (const RecordData* d : effective) {
    const auto* p = std::get_if<Passage>(d);
    if (p == nullptr || !p->final_harvest) continue;
    if (final_harvest != nullptr) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "final_harvest: the culture already ended with the final harvest at %s",
          FormatUtc(final_harvest->passage_time)));
    }
    final_harvest = p;
  }
  for (const RecordData* d : effective) {
    // Nothing grows after the final harvest: no culture step may describe a
    // later time.
    if (final_harvest != nullptr && std::get_if<Passage>(d) != final_harvest &&
        !std::holds_alternative<TissueReceipt>(*d) && EventTime(*d) >= final_harvest->passage_time) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: %s is not before the final harvest (%s), which ended the culture",
          EventTimeField(KindOf(*d)), FormatUtc(EventTime(*d)),
          FormatUtc(final_harvest->passage_time)));
    }
    if (seeding != nullptr && !std::holds_alternative<TissueReceipt>(*d) &&
        !std::holds_alternative<Seeding>(*d)) {
      RETURN_IF_ERROR(CheckNotBefore(EventTimeField(KindOf(*d)), EventTime(*d),
                                     "the P0 seeding", seeding->seeding_time));
    }
    if (const auto* p = std::get_if<Passage>(d)) passages.push_back(p);
  }
  std::sort(passages.begin(), passages.end(), [](const Passage* a, const Passage* b) {
    return a->passage_number < b->passage_number;
  });
  // Each passage harvests what the one before seeded, so times strictly increase.
  absl::Time previous_time =
      seeding != nullptr ? seeding->seeding_time : absl::InfinitePast();
  std::string previous_step = "the P0 seeding";
  for (const Passage* p : passages) {
    if (p->passage_time <= previous_time) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "passage_time: %s (passage %d) must be after %s (%s)",
          FormatUtc(p->passage_time), p->passage_number, previous_step,
          FormatUtc(previous_time)));
    }
    previous_time = p->passage_time;
    previous_step = absl::StrCat("passage ", p->passage_number);
  }
  return absl::OkStatus();
}

}  // namespace cpctrack::domain
