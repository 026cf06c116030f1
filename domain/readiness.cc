#include "domain/readiness.h"

#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "absl/algorithm/container.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "domain/audit.h"
#include "domain/growth.h"
#include "domain/inventory.h"
#include "domain/plausibility.h"
#include "domain/projection.h"
#include "domain/qc_steps.h"
#include "domain/release_tests.h"

namespace cpctrack::domain {
namespace {

constexpr int kProjectionPassages = 3;

std::string Cells(double n) { return absl::StrFormat("%.3g", n); }

const QcSample* SampleOf(const ReadinessFacts& f, int64_t sample_id) {
  for (const QcSample& s : f.samples) {
    if (s.sample_id == sample_id) return &s;
  }
  return nullptr;
}

// Viability expected after thaw: measured on this batch when it has been
// (the latest thawed unit), else the specification's minimum.
std::pair<double, std::string> PostThawViability(const ReadinessFacts& f) {
  const Unit* latest = nullptr;
  for (const Unit& u : f.units) {
    if (u.thaw.has_value() && (latest == nullptr || u.thaw->thawed_at > latest->thaw->thawed_at)) {
      latest = &u;
    }
  }
  if (latest != nullptr) {
    return {latest->thaw->viability_percent,
            absl::StrFormat("%g%% post-thaw viability measured on %s", latest->thaw->viability_percent,
                            latest->unit_id)};
  }
  return {f.product->qc.min_post_thaw_viability_percent,
          absl::StrFormat("%g%% post-thaw viability assumed (specification minimum)",
                          f.product->qc.min_post_thaw_viability_percent)};
}

int64_t ViableInUnit(const Unit& u, double post_thaw_viability) {
  if (u.fresh()) return u.cells;  // never thawed: the viable cells formulated
  if (u.thaw.has_value()) return u.thaw->viable_cells;
  return static_cast<int64_t>(std::floor(static_cast<double>(u.cells) * post_thaw_viability / 100));
}

// Fresh units not yet infused or disposed of.
std::vector<const Unit*> FreshOnHand(const ReadinessFacts& f) {
  std::vector<const Unit*> out;
  for (const Unit& u : f.units) {
    if (u.fresh() && u.state != UnitState::kInfused && u.state != UnitState::kDisposed) {
      out.push_back(&u);
    }
  }
  return out;
}

// The plan's infusions not yet given, in date order.
std::vector<PlannedInfusion> RemainingInfusions(const ReadinessFacts& f) {
  std::vector<PlannedInfusion> remaining;
  for (const PlannedInfusion& p : f.plan->infusions) {
    if (!absl::c_linear_search(f.infusions_given, p.infusion_id)) remaining.push_back(p);
  }
  absl::c_stable_sort(remaining, [](const PlannedInfusion& a, const PlannedInfusion& b) {
    return a.planned_day < b.planned_day;
  });
  return remaining;
}

struct Coverage {
  int covered = 0;
  std::vector<std::string> notes;  // units that cannot serve: expiring too soon, thawed too long ago
};

// How many of the `remaining` infusions of `dose` viable cells the usable
// units cover, in date order, never splitting a unit between infusions: fresh
// units first (soonest to expire first, and only while in date at the end of
// the planned day), then frozen units, largest first.
Coverage CoverInfusions(const ReadinessFacts& f, const std::vector<PlannedInfusion>& remaining,
                        int64_t dose, double viability) {
  struct Usable {
    const Unit* unit;
    int64_t viable;
    bool used = false;
  };
  std::vector<Usable> fresh, frozen;
  std::vector<const Unit*> thawed_too_long;
  for (const Unit& u : f.units) {
    if (u.patient_id != f.batch->patient_id) continue;  // chain of identity
    if (u.fresh()) {
      if (u.state == UnitState::kStored) fresh.push_back({&u, ViableInUnit(u, viability)});
    } else if (u.state == UnitState::kStored || u.state == UnitState::kThawed) {
      // A thawed unit past its window from thaw is never infused.
      if (!ThawWindowEnd(u, f.product->max_thaw_to_infusion).has_value() ||
          InfusibleAt(u, f.product->max_thaw_to_infusion, f.now)) {
        frozen.push_back({&u, ViableInUnit(u, viability)});
      } else {
        thawed_too_long.push_back(&u);
      }
    }
  }
  absl::c_stable_sort(fresh, [](const Usable& a, const Usable& b) {
    return *a.unit->expires_at < *b.unit->expires_at;
  });
  absl::c_stable_sort(frozen, [](const Usable& a, const Usable& b) { return a.viable > b.viable; });

  Coverage coverage;
  for (const Unit* u : thawed_too_long) {
    coverage.notes.push_back(absl::StrCat(
        u->unit_id, " (thawed ", FormatUtc(u->thaw->thawed_at), ") is past its ",
        absl::FormatDuration(f.product->max_thaw_to_infusion), " from thaw to infusion"));
  }
  absl::flat_hash_set<const Unit*> noted;
  for (const PlannedInfusion& infusion : remaining) {
    // In date until the planned day ends, and now if that day has passed.
    const absl::Time needed_until =
        std::max(f.now, absl::FromCivil(infusion.planned_day + 1, f.zone));
    std::vector<Usable*> picked;
    int64_t sum = 0;
    for (std::vector<Usable>* pool : {&fresh, &frozen}) {
      for (Usable& u : *pool) {
        if (sum >= dose) break;
        if (u.used) continue;
        if (u.unit->ExpiredAt(needed_until)) {
          if (!noted.insert(u.unit).second) continue;
          const absl::string_view kind = u.unit->fresh() ? " (fresh)" : " (frozen)";
          coverage.notes.push_back(
              u.unit->ExpiredAt(f.now)
                  ? absl::StrCat(u.unit->unit_id, kind, " expired ",
                                 FormatUtc(*u.unit->expiry()))
                  : absl::StrCat(u.unit->unit_id, kind, " expires ",
                                 FormatUtc(*u.unit->expiry()),
                                 ", before the end of the planned day of infusion ",
                                 infusion.sequence, " (", FormatDate(infusion.planned_day), ")"));
          continue;
        }
        picked.push_back(&u);
        sum += u.viable;
      }
    }
    // Later days only lose fresh units: an infusion not covered leaves the
    // later ones uncovered too.
    if (sum < dose) break;
    for (Usable* u : picked) u->used = true;
    ++coverage.covered;
  }
  return coverage;
}

absl::Time LatestCountTime(const BatchHistory& history) {
  absl::Time latest = absl::InfinitePast();
  for (const RecordData* d : history.EffectiveData()) {
    if (const auto* s = std::get_if<Seeding>(d)) latest = std::max(latest, s->seeding_time);
    if (const auto* p = std::get_if<Passage>(d)) latest = std::max(latest, p->passage_time);
  }
  return latest;
}

Projection Project(const GrowthSummary& growth, absl::Time counted_at, int64_t target) {
  Projection p;
  p.target_cells = target;
  if (growth.current_viable_cells >= target) {
    p.ready_at = counted_at;
    p.basis = absl::StrCat(Cells(growth.current_viable_cells), " viable cells counted at ",
                           FormatUtc(counted_at), " already reach the target");
    return p;
  }
  if (growth.culture_ended_at.has_value()) {
    p.basis = absl::StrCat("the culture ended with the final harvest at ",
                           FormatUtc(*growth.culture_ended_at), ": ",
                           Cells(growth.current_viable_cells), " viable cells, below the target");
    return p;
  }
  absl::StatusOr<DoublingTimeBasis> basis = EstimateDoublingTime(growth, kProjectionPassages);
  if (!basis.ok()) {
    p.basis = absl::StrCat("cannot project yet: ", basis.status().message());
    return p;
  }
  const int64_t from = growth.cells_in_culture > 0 ? growth.cells_in_culture
                                                    : growth.current_viable_cells;
  absl::StatusOr<absl::Time> at = ProjectTimeToReach(from, counted_at, basis->doubling_time, target);
  std::vector<std::string> passages;
  for (int n : basis->passage_numbers) passages.push_back(absl::StrCat("P", n));
  const std::string how = absl::StrFormat(
      "doubling time %.1f h over %s (%.2f doublings in %.0f h), from %s cells in culture at %s",
      absl::ToDoubleHours(basis->doubling_time), absl::StrJoin(passages, ", "),
      basis->population_doublings, absl::ToDoubleHours(basis->growth_time), Cells(from),
      FormatUtc(counted_at));
  if (!at.ok()) {
    p.basis = absl::StrCat("cannot project: ", at.status().message(), "; ", how);
    return p;
  }
  p.ready_at = *at;
  p.basis = how;
  return p;
}

bool Growing(BatchState s) {
  return s == BatchState::kRegistered || s == BatchState::kTissueReceived ||
         s == BatchState::kInCulture;
}

}  // namespace

absl::string_view CriterionStatusName(CriterionStatus status) {
  switch (status) {
    case CriterionStatus::kMet: return "met";
    case CriterionStatus::kNotMet: return "not met";
    case CriterionStatus::kPending: return "pending";
    case CriterionStatus::kNonConforming: return "non-conforming";
  }
  return "unknown";
}

std::vector<NonConformity> NonConformities(const std::vector<Deviation>& deviations) {
  std::vector<NonConformity> out;
  for (const Deviation& d : deviations) {
    if (d.closure.has_value() &&
        d.closure->disposition == Disposition::kUseUnderPhysicianResponsibility) {
      out.push_back({d.deviation_id, d.description, d.closure->physician});
    }
  }
  return out;
}

std::string DescribeNonConformity(const NonConformity& n) {
  return absl::StrCat("deviation ", n.deviation_id, " (physician ", n.physician, "'s request)");
}

std::string NonConformingText(const std::vector<NonConformity>& non_conformities) {
  if (non_conformities.empty()) return "";
  std::vector<std::string> each;
  for (const NonConformity& n : non_conformities) each.push_back(DescribeNonConformity(n));
  return absl::StrCat("NON-CONFORMING under ", absl::StrJoin(each, ", "));
}

absl::string_view BoardStatusName(BoardStatus status) {
  switch (status) {
    case BoardStatus::kReady: return "READY";
    case BoardStatus::kNotReady: return "NOT READY";
    case BoardStatus::kAtRisk: return "AT RISK";
  }
  return "UNKNOWN";
}

Readiness EvaluateReadiness(const ReadinessFacts& f, bool for_release) {
  Readiness r;
  const Batch& batch = *f.batch;
  const Product& product = *f.product;
  const bool growing = Growing(batch.state);
  const GrowthSummary growth = SummarizeGrowth(f.history->EffectiveData());

  Criterion state{"batch state", CriterionStatus::kMet, std::string(BatchStateName(batch.state)),
                  "not quarantined, rejected or disposed"};
  if (batch.state == BatchState::kQuarantined || batch.state == BatchState::kRejected ||
      batch.state == BatchState::kDisposed) {
    state.status = CriterionStatus::kNotMet;
  } else if (growing) {
    state.status = CriterionStatus::kPending;
    state.value += " (still growing)";
  }
  r.criteria.push_back(state);

  int open = 0;
  std::vector<std::string> open_ids;
  for (const Deviation& d : f.deviations) {
    if (d.state != DeviationState::kOpen) continue;
    ++open;
    open_ids.push_back(absl::StrCat(d.deviation_id, " (", DeviationKindName(d.kind), ")"));
  }
  r.criteria.push_back({"open deviations",
                        open == 0 ? CriterionStatus::kMet : CriterionStatus::kNotMet,
                        open == 0 ? "none" : absl::StrJoin(open_ids, ", "), "none"});

  for (const FollowUp& follow_up : f.follow_ups) {
    if (!follow_up.Open()) continue;
    r.open_follow_ups.push_back(
        absl::StrCat("follow-up ", follow_up.follow_up_id, ": ", DescribeFollowUp(follow_up)));
  }
  if (!f.follow_ups.empty()) {
    r.criteria.push_back({"follow-up after release",
                          r.open_follow_ups.empty() ? CriterionStatus::kMet
                                                    : CriterionStatus::kNotMet,
                          r.open_follow_ups.empty() ? "every follow-up closed"
                                                    : absl::StrJoin(r.open_follow_ups, "; "),
                          "closed: QA's assessment and the physician's acknowledgement signed"});
  }

  // A physician's signed request to use the batch outside its specification:
  // what it covers no longer blocks, and the release says non-conforming.
  r.non_conformities = NonConformities(f.deviations);
  if (!r.non_conformities.empty()) {
    std::vector<std::string> each;
    for (const NonConformity& n : r.non_conformities) {
      each.push_back(absl::StrCat(DescribeNonConformity(n), ": ", n.description));
    }
    r.criteria.push_back({"use under the physician's responsibility",
                          CriterionStatus::kNonConforming,
                          absl::StrCat("releasable as non-conforming under ",
                                       absl::StrJoin(each, "; ")),
                          "within specification, or a physician's signed request"});
  }

  for (const RequiredTest& required : product.required_tests) {
    absl::c_move(RequiredTestCriteria(f, required, growing, r.results_due),
                 std::back_inserter(r.criteria));
  }

  Criterion passage{"passage",
                    growth.current_passage <= product.max_passage ? CriterionStatus::kMet
                                                                  : CriterionStatus::kNotMet,
                    absl::StrCat("P", std::max(growth.current_passage, 0)),
                    absl::StrCat("<= P", product.max_passage)};
  CoverByPhysicianUse(passage, PhysicianUse(f, DeviationKind::kPassageLimit, 0));
  r.criteria.push_back(passage);
  Criterion doublings{
      "cumulative population doublings",
      growth.cumulative_population_doublings <= product.max_cumulative_population_doublings
          ? CriterionStatus::kMet
          : CriterionStatus::kNotMet,
      absl::StrFormat("%.2f", growth.cumulative_population_doublings),
      absl::StrFormat("<= %g", product.max_cumulative_population_doublings)};
  CoverByPhysicianUse(doublings, PhysicianUse(f, DeviationKind::kPopulationDoublingLimit, 0));
  r.criteria.push_back(doublings);

  int64_t target = product.min_viable_cells_per_dose;
  if (f.plan == nullptr || f.patient == nullptr) {
    r.criteria.push_back({"treatment plan", CriterionStatus::kPending, "none on record",
                          "a plan with a dose and planned infusions"});
  } else {
    absl::StatusOr<DoseNeed> need = PlanDose(*f.plan, *f.patient);
    if (!need.ok()) {
      r.criteria.push_back({"dose", CriterionStatus::kNotMet, std::string(need.status().message()),
                            "a valid dose"});
    } else {
      r.criteria.push_back({"dose per infusion",
                            need->cells_per_infusion >= product.min_viable_cells_per_dose
                                ? CriterionStatus::kMet
                                : CriterionStatus::kNotMet,
                            absl::StrCat(Cells(need->cells_per_infusion), " viable cells"),
                            absl::StrCat(">= ", Cells(product.min_viable_cells_per_dose))});
      const std::vector<PlannedInfusion> remaining = RemainingInfusions(f);
      r.infusions_planned = static_cast<int>(remaining.size());
      target = need->cells_per_infusion * std::max(r.infusions_planned, 1);
      if (!f.units.empty()) {
        auto [viability, basis] = PostThawViability(f);
        const bool any_frozen = absl::c_any_of(f.units, [](const Unit& u) { return !u.fresh(); });
        const bool any_fresh = absl::c_any_of(f.units, [](const Unit& u) { return u.fresh(); });
        std::vector<std::string> how;
        if (any_frozen) how.push_back(basis);
        if (any_fresh) how.push_back("fresh units at the viable cells formulated");
        Coverage coverage =
            CoverInfusions(f, remaining, need->cells_per_infusion, viability);
        r.infusions_covered = coverage.covered;
        absl::c_move(coverage.notes, std::back_inserter(how));
        r.criteria.push_back(
            {"units cover the plan",
             r.infusions_covered >= r.infusions_planned ? CriterionStatus::kMet
                                                        : CriterionStatus::kNotMet,
             absl::StrCat(r.infusions_covered, " of ", r.infusions_planned,
                          " remaining infusions covered; ", absl::StrJoin(how, "; ")),
             absl::StrCat(Cells(need->cells_per_infusion), " viable cells per infusion")});
      } else {
        const bool enough = growth.current_viable_cells >= target;
        r.infusions_covered = enough ? r.infusions_planned : 0;
        r.criteria.push_back(
            {"viable cells for the plan",
             enough ? CriterionStatus::kMet
                    : (growing ? CriterionStatus::kPending : CriterionStatus::kNotMet),
             absl::StrCat(Cells(growth.current_viable_cells), " at the latest count"),
             absl::StrCat(">= ", Cells(target))});
      }
    }
  }

  if (const std::vector<const Unit*> fresh = FreshOnHand(f); !fresh.empty()) {
    bool expired = false;
    std::vector<std::string> expiries;
    for (const Unit* u : fresh) {
      const bool gone = u->ExpiredAt(f.now);
      expired = expired || gone;
      expiries.push_back(absl::StrCat(u->unit_id, gone ? " expired " : " expires ",
                                      FormatUtc(*u->expires_at),
                                      gone ? " (dispose of it)" : ""));
    }
    r.criteria.push_back({"fresh product shelf life",
                          expired ? CriterionStatus::kNotMet : CriterionStatus::kMet,
                          absl::StrJoin(expiries, ", "),
                          absl::StrFormat("in date: %.0f h from formulation, at 2-8 °C",
                                          absl::ToDoubleHours(product.fresh_shelf_life))});
  }

  if (!for_release) {
    Criterion release{"QA release", CriterionStatus::kPending, "awaiting QA release",
                      "signed by QA for this record"};
    if (f.release.has_value()) {
      if (ReleaseHolds(f)) {
        release.status = CriterionStatus::kMet;
        release.value = absl::StrCat(f.release->meaning, " by ", f.release->signer, " at ",
                                     FormatUtc(f.release->signed_at));
      } else {
        release.status = CriterionStatus::kNotMet;
        release.value = absl::StrCat("revoked: the record changed after ", f.release->signer,
                                     " signed at ", FormatUtc(f.release->signed_at),
                                     "; QA must sign again");
      }
    }
    r.criteria.push_back(release);
  }

  if (growing) {
    r.projection = Project(growth, LatestCountTime(*f.history), target);
  }
  for (const RequiredTest& required : product.required_tests) {
    if (std::optional<TestAhead> ahead = TestAheadOf(f, required, r.projection)) {
      r.tests_ahead.push_back(*std::move(ahead));
    }
  }
  r.ready = std::all_of(r.criteria.begin(), r.criteria.end(), [](const Criterion& c) {
    return c.status == CriterionStatus::kMet || c.status == CriterionStatus::kNonConforming;
  });
  return r;
}

bool ReleaseHolds(const ReadinessFacts& f) {
  return f.release.has_value() && f.release->record_hash == BatchRecordHash(f);
}

std::string BatchRecordHash(const ReadinessFacts& f) {
  std::string canonical = JsonObject()
                              .Add("batch_id", f.batch->batch_id.compact())
                              .Add("patient_id", f.batch->patient_id)
                              .Add("product_code", f.batch->product_code)
                              .Add("product_version", f.batch->product_version)
                              .Build();
  for (const BatchRecord& r : f.history->records()) absl::StrAppend(&canonical, "\n", ToJson(r));
  for (const QcTest& t : f.tests) {
    const QcSample* s = SampleOf(f, t.sample_id);
    if (s == nullptr) continue;
    const RecordPart part = PartInRecord(f, *s, t);
    if (part == RecordPart::kNone) continue;
    absl::StrAppend(&canonical, "\n", ToJson(*s), ToJson(t));
    if (part == RecordPart::kOrder) continue;
    for (const QcResult& r : t.results) absl::StrAppend(&canonical, ToJson(r));
    for (const QcReview& r : t.reviews) absl::StrAppend(&canonical, ToJson(r));
    if (t.invalidation.has_value()) absl::StrAppend(&canonical, ToJson(*t.invalidation));
  }
  for (const Deviation& d : f.deviations) {
    absl::StrAppend(&canonical, "\n", ToJson(d));
    if (d.closure.has_value()) absl::StrAppend(&canonical, ToJson(*d.closure));
  }
  for (const Unit& u : f.units) {
    JsonObject unit;
    unit.Add("unit_id", u.unit_id)
        .Add("cells", u.cells)
        .Add("volume_ml", u.volume_ml)
        .Add("medium_lot", u.medium_lot);
    // Frozen units hash as they always have, so that earlier releases hold.
    if (u.fresh()) {
      unit.Add("formulated_at", u.frozen_at).Add("expires_at", *u.expires_at);
    } else {
      unit.Add("frozen_at", u.frozen_at);
    }
    absl::StrAppend(&canonical, "\n", unit.Build());
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(canonical.data()),
                     canonical.size());
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

BoardStatus StatusForPlannedDay(const Batch& batch, const Readiness& readiness,
                                absl::CivilDay planned_day, absl::TimeZone zone) {
  if (readiness.ready) return BoardStatus::kReady;
  // A patient who may have received contaminated cells gets nothing more until
  // the physician and QA have signed off the case.
  if (!readiness.open_follow_ups.empty()) return BoardStatus::kNotReady;
  if (batch.state == BatchState::kQuarantined) return BoardStatus::kAtRisk;
  const absl::Time day_start = absl::FromCivil(planned_day, zone);
  const absl::Time day_end = absl::FromCivil(planned_day + 1, zone);
  if (readiness.projection.has_value() &&
      (!readiness.projection->ready_at.has_value() || *readiness.projection->ready_at > day_end)) {
    return BoardStatus::kAtRisk;
  }
  if (readiness.results_due.has_value() && *readiness.results_due > day_start) {
    return BoardStatus::kAtRisk;
  }
  if (!TestsAheadReasons(readiness, planned_day, zone).empty()) return BoardStatus::kAtRisk;
  return BoardStatus::kNotReady;
}

std::vector<std::string> TestsAheadReasons(const Readiness& readiness, absl::CivilDay planned_day,
                                           absl::TimeZone zone) {
  const absl::Time day_start = absl::FromCivil(planned_day, zone);
  std::vector<std::string> out;
  for (const TestAhead& t : readiness.tests_ahead) {
    if (t.result_at <= day_start) continue;
    out.push_back(absl::StrCat(CriterionName(t.type), ": result cannot exist before ",
                               FormatUtc(t.result_at), " (", t.basis, "), after the planned day ",
                               absl::FormatCivilTime(planned_day)));
  }
  return out;
}

}  // namespace cpctrack::domain
