#include "domain/periodic_report.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "domain/inventory.h"

namespace cpctrack::domain {

absl::StatusOr<PeriodicReport> CountPeriodicReport(absl::string_view plan_number,
                                                   absl::CivilDay from, absl::CivilDay to,
                                                   absl::TimeZone zone,
                                                   const std::vector<PeriodicBatchFacts>& batches) {
  if (plan_number.empty()) {
    return absl::InvalidArgumentError("plan_number: required (the plan's regulatory number)");
  }
  if (to < from) {
    return absl::InvalidArgumentError(absl::StrCat("to_date (", FormatDate(to),
                                                   ") is before from_date (", FormatDate(from),
                                                   "): a period ends on or after its first day"));
  }
  // Facility days: [start of `from`, start of the day after `to`).
  const absl::Time start = absl::FromCivil(from, zone);
  const absl::Time end = absl::FromCivil(to + 1, zone);
  auto in_period = [&](absl::Time t) { return t >= start && t < end; };

  PeriodicReport report;
  report.plan_number = std::string(plan_number);
  report.from = from;
  report.to = to;
  absl::flat_hash_set<std::string> patients;
  for (const PeriodicBatchFacts& b : batches) {
    const std::string batch_id = b.batch.batch_id.compact();
    if (in_period(b.batch.created_at)) ++report.batches_made;
    if (std::any_of(b.releases.begin(), b.releases.end(),
                    [&](const Release& r) { return in_period(r.signed_at); })) {
      ++report.batches_released;
    }
    auto became = [&](BatchState state) {
      return std::any_of(b.state_changes.begin(), b.state_changes.end(),
                         [&](const BatchStateChange& c) {
                           return c.to == state && c.from != state && in_period(c.at);
                         });
    };
    if (became(BatchState::kRejected)) ++report.batches_rejected;
    if (became(BatchState::kDisposed)) ++report.batches_disposed;
    for (const Deviation& d : b.deviations) {
      if (in_period(d.opened_at)) ++report.deviations_by_kind[d.kind];
    }
    for (const QcTest& t : b.tests) {
      // The first positive result of a test (a positive is never corrected
      // away, but a later result must not count the test twice).
      for (const QcResult& r : t.results) {
        if (!IsContamination(r.value)) continue;
        if (in_period(r.read_at)) {
          report.positive_results.push_back(
              {batch_id, t.test_id, t.type, r.read_at, DescribeValue(r.value)});
        }
        break;
      }
    }
    for (const Infusion& i : b.infusions) {
      if (!in_period(i.started_at)) continue;
      ++report.infusions_given;
      patients.insert(b.batch.patient_id);
      if (!i.adverse_events.empty()) {
        report.adverse_events.push_back(
            {batch_id, b.batch.patient_id, i.unit_id, i.started_at, i.adverse_events});
      }
    }
  }
  report.patients_treated = static_cast<int>(patients.size());
  std::sort(report.positive_results.begin(), report.positive_results.end(),
            [](const PositiveQcResult& a, const PositiveQcResult& b) {
              return std::tie(a.read_at, a.test_id) < std::tie(b.read_at, b.test_id);
            });
  std::sort(report.adverse_events.begin(), report.adverse_events.end(),
            [](const AdverseEventRecord& a, const AdverseEventRecord& b) {
              return std::tie(a.infusion_started_at, a.unit_id) <
                     std::tie(b.infusion_started_at, b.unit_id);
            });
  return report;
}

}  // namespace cpctrack::domain
