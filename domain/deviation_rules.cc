#include "domain/deviation_rules.h"

#include <algorithm>
#include <optional>
#include <string>

#include "absl/strings/str_format.h"
#include "domain/growth.h"

namespace cpctrack::domain {
namespace {

// Collection to P0 seeding; before seeding, collection to receipt (a lower
// bound that is already too long when it passes the limit).
struct ProcessingDelay {
  absl::Duration delay;
  bool seeded = false;
  friend bool operator==(const ProcessingDelay&, const ProcessingDelay&) = default;
};

std::optional<ProcessingDelay> MeasureDelay(const std::vector<const RecordData*>& timeline) {
  const TissueReceipt* receipt = nullptr;
  const Seeding* seeding = nullptr;
  for (const RecordData* d : timeline) {
    if (const auto* r = std::get_if<TissueReceipt>(d)) receipt = r;
    if (const auto* s = std::get_if<Seeding>(d)) seeding = s;
  }
  if (receipt == nullptr) return std::nullopt;
  if (seeding != nullptr) {
    return ProcessingDelay{seeding->seeding_time - receipt->collection_time, true};
  }
  return ProcessingDelay{receipt->receipt_time - receipt->collection_time, false};
}

bool HasOpen(const std::vector<Deviation>& deviations, DeviationKind kind) {
  return std::any_of(deviations.begin(), deviations.end(), [kind](const Deviation& d) {
    return d.kind == kind && d.state == DeviationState::kOpen;
  });
}

class Raiser {
 public:
  Raiser(bool is_correction, const std::vector<Deviation>& existing, absl::Time now,
         absl::string_view actor)
      : is_correction_(is_correction), existing_(existing), now_(now), actor_(actor) {}

  // Opens a deviation of `kind` unless one is open and this is no correction.
  void Raise(DeviationKind kind, std::string description) {
    if (HasOpen(existing_, kind) && !is_correction_) return;
    Deviation d;
    d.kind = kind;
    d.description = std::move(description);
    d.state = DeviationState::kOpen;
    d.opened_at = now_;
    d.opened_by = std::string(actor_);
    raised_.push_back(std::move(d));
  }

  std::vector<Deviation> Take() { return std::move(raised_); }

 private:
  bool is_correction_;
  const std::vector<Deviation>& existing_;
  absl::Time now_;
  absl::string_view actor_;
  std::vector<Deviation> raised_;
};

std::string Hours(absl::Duration d) { return absl::StrFormat("%.1f h", absl::ToDoubleHours(d)); }

void CheckProcessingDelay(const std::vector<const RecordData*>& before,
                          const std::vector<const RecordData*>& after, bool is_correction,
                          const Product& product, Raiser& raiser) {
  const std::optional<ProcessingDelay> was = MeasureDelay(before);
  const std::optional<ProcessingDelay> now = MeasureDelay(after);
  if (!now.has_value() || now == was || now->delay <= product.max_processing_delay) return;
  std::string description =
      now->seeded
          ? absl::StrFormat("processing started %s after collection",
                            Hours(now->delay))
          : absl::StrFormat("tissue received %s after collection: processing cannot start "
                            "in time",
                            Hours(now->delay));
  absl::StrAppendFormat(&description, "; product %s v%d allows %.0f h", product.product_code,
                        product.version, absl::ToDoubleHours(product.max_processing_delay));
  if (is_correction && was.has_value() && was->seeded == now->seeded) {
    absl::StrAppendFormat(&description, " (corrected; was %s)", Hours(was->delay));
  }
  raiser.Raise(DeviationKind::kLateProcessing, std::move(description));
}

const TissueReceipt* LastReceipt(const std::vector<const RecordData*>& timeline) {
  const TissueReceipt* receipt = nullptr;
  for (const RecordData* d : timeline) {
    if (const auto* r = std::get_if<TissueReceipt>(d)) receipt = r;
  }
  return receipt;
}

// Tissue that travelled outside the product's transport range: an excursion.
void CheckTransportTemperature(const std::vector<const RecordData*>& before,
                               const std::vector<const RecordData*>& after,
                               const Product& product, Raiser& raiser) {
  const TissueReceipt* was = LastReceipt(before);
  const TissueReceipt* now = LastReceipt(after);
  if (now == nullptr) return;
  const double t = now->transport_temperature_c;
  if (t >= product.min_transport_temperature_c && t <= product.max_transport_temperature_c) return;
  if (was != nullptr && was->transport_temperature_c == t) return;
  raiser.Raise(DeviationKind::kExcursion,
               absl::StrFormat("tissue transported at %g °C, outside %g to %g °C that product "
                               "%s v%d allows",
                               t, product.min_transport_temperature_c,
                               product.max_transport_temperature_c, product.product_code,
                               product.version));
}

void CheckGrowthLimits(const std::vector<const RecordData*>& before,
                       const std::vector<const RecordData*>& after, const Product& product,
                       Raiser& raiser) {
  const GrowthSummary was = SummarizeGrowth(before);
  const GrowthSummary now = SummarizeGrowth(after);
  if (now.current_passage > product.max_passage && now.current_passage != was.current_passage) {
    raiser.Raise(DeviationKind::kPassageLimit,
                 absl::StrFormat("culture reached P%d; product %s v%d allows up to P%d",
                                 now.current_passage, product.product_code, product.version,
                                 product.max_passage));
  }
  const double pd = now.cumulative_population_doublings;
  if (pd > product.max_cumulative_population_doublings &&
      pd != was.cumulative_population_doublings) {
    raiser.Raise(DeviationKind::kPopulationDoublingLimit,
                 absl::StrFormat("cumulative population doublings %.2f exceed the %.1f that "
                                 "product %s v%d allows",
                                 pd, product.max_cumulative_population_doublings,
                                 product.product_code, product.version));
  }
}

}  // namespace

std::vector<Deviation> RaiseDeviations(const std::vector<const RecordData*>& before,
                                       const std::vector<const RecordData*>& after,
                                       bool is_correction, const Product& product,
                                       const std::vector<Deviation>& existing, absl::Time now,
                                       absl::string_view actor) {
  Raiser raiser(is_correction, existing, now, actor);
  CheckProcessingDelay(before, after, is_correction, product, raiser);
  CheckTransportTemperature(before, after, product, raiser);
  CheckGrowthLimits(before, after, product, raiser);
  return raiser.Take();
}

std::optional<Deviation> RaisePatientDeviation(const Patient& before, const Patient& after,
                                               absl::Time now, absl::string_view actor) {
  const absl::Status was = CheckEligibleForBatch(before);
  const absl::Status is = CheckEligibleForBatch(after);
  if (is.ok() || is.message() == was.message()) return std::nullopt;
  Deviation d;
  d.kind = DeviationKind::kPatientIneligible;
  d.description = absl::StrFormat("%s (patient revision %d: %s)", is.message(), after.revision,
                                  after.update_reason);
  d.state = DeviationState::kOpen;
  d.opened_at = now;
  d.opened_by = std::string(actor);
  return d;
}

bool AffectedByPatientChange(const Batch& batch) { return batch.state != BatchState::kRejected; }

}  // namespace cpctrack::domain
