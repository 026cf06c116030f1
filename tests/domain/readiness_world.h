// Test fixture shared by readiness_test.cc and release_steps_test.cc: one
// batch with everything on record that readiness reads, built so that every
// criterion is met; each test breaks the one it is about.
#ifndef CPCTRACK_TESTS_DOMAIN_READINESS_WORLD_H_
#define CPCTRACK_TESTS_DOMAIN_READINESS_WORLD_H_

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/batch.h"
#include "domain/patient.h"
#include "domain/product.h"
#include "domain/qc.h"
#include "domain/readiness.h"
#include "domain/treatment_plan.h"
#include "domain/units.h"

namespace cpctrack::domain::testing_world {

inline const absl::TimeZone kUtc = absl::UTCTimeZone();
// P0 seeding.
inline const absl::Time kT0 = absl::FromCivil(absl::CivilSecond(2026, 4, 1, 9, 0, 0), kUtc);
inline constexpr char kPatientId[] = "PT-0042";
inline constexpr double kDoublingHours = 30;

// Viable cells after `hours` of exponential growth from `seeded` at a 30 h
// doubling time: seeded x 2^(hours / 30).
inline int64_t GrownCells(int64_t seeded, double hours) {
  return std::llround(static_cast<double>(seeded) * std::exp2(hours / kDoublingHours));
}

inline BatchRecord Rec(int64_t id, RecordData data, int64_t corrects = 0) {
  BatchRecord r;
  r.record_id = id;
  r.recorded_at = kT0 + absl::Hours(id);
  r.recorded_by = "tanaka";
  r.corrects_record_id = corrects;
  if (corrects != 0) r.correction_reason = "count transcribed wrongly";
  r.data = std::move(data);
  return r;
}

inline Seeding SeedAt(absl::Time at, int64_t cells) {
  Seeding s;
  s.seeding_time = at;
  s.cells_seeded = cells;
  s.vessel_type = "T175";
  s.vessel_count = 1;
  s.surface_area_cm2 = 175;
  s.medium_lot = "MED-1";
  s.incubator_id = "INC-1";
  return s;
}

inline Passage PassageAt(int number, absl::Time at, int64_t viable, int64_t reseeded) {
  Passage p;
  p.passage_time = at;
  p.total_cells = viable + viable / 10;
  p.viable_cells = viable;
  p.viability_percent = 100.0 * static_cast<double>(viable) / static_cast<double>(p.total_cells);
  p.counting_method = CountingMethod::kAutomatedTrypanBlue;
  p.cells_reseeded = reseeded;
  p.medium_lot = "MED-1";
  p.incubator_id = "INC-1";
  p.passage_number = number;
  return p;
}

// The growth of every world: 1e6 cells seeded at kT0, P1 after 100 h, P2 75 h
// later, both at a 30 h doubling time. Cumulative PD = (100 + 75) / 30.
inline constexpr int64_t kSeeded = 1'000'000;
inline constexpr int64_t kReseededAtP1 = 2'000'000;
inline constexpr int64_t kReseededAtP2 = 3'000'000;
inline const absl::Time kP1At = kT0 + absl::Hours(100);
inline const absl::Time kP2At = kP1At + absl::Hours(75);

inline std::vector<BatchRecord> GrowthRecords() {
  return {Rec(1, SeedAt(kT0, kSeeded)),
          Rec(2, PassageAt(1, kP1At, GrownCells(kSeeded, 100), kReseededAtP1)),
          Rec(3, PassageAt(2, kP2At, GrownCells(kReseededAtP1, 75), kReseededAtP2))};
}

// Sample IDs.
inline constexpr int64_t kFinalProductSample = 1;
inline constexpr int64_t kFinalHarvestSample = 2;
inline constexpr int64_t kPassageSample = 3;
inline constexpr int64_t kPostThawSample = 4;

inline QcValue InSpecValue(QcTestType type) {
  switch (type) {
    case QcTestType::kSterility:
    case QcTestType::kMycoplasma: return DetectionResult{Detection::kNegative, ""};
    case QcTestType::kEndotoxin: return EndotoxinResult{0.2};
    case QcTestType::kGramStain: return GramStainResult{GramFinding::kNoOrganismsSeen, ""};
    case QcTestType::kFlowCytometry: {
      FlowResult flow;
      for (const MarkerLimit& m : IsctMarkerLimits()) {
        flow.markers.push_back({m.marker, m.min_percent >= 95 ? 99.0 : 0.5});
      }
      return flow;
    }
    case QcTestType::kViability:
    case QcTestType::kUnspecified: break;
  }
  return ViabilityResult{92};
}

inline QcTest PendingTest(int64_t test_id, int64_t sample_id, QcTestType type,
                          absl::Time started_at) {
  QcTest t;
  t.test_id = test_id;
  t.sample_id = sample_id;
  t.type = type;
  t.method = "compendial";
  t.started_at = started_at;
  t.ordered_at = started_at;
  t.ordered_by = "tanaka";
  return t;
}

// Appends a result (ID `result_id`) read 1 h after the start.
inline void AddResult(QcTest& t, QcValue value, int64_t result_id) {
  QcResult r;
  r.result_id = result_id;
  r.read_at = t.started_at + absl::Hours(1);
  r.performed_by = "tanaka";
  r.value = std::move(value);
  r.recorded_at = r.read_at;
  if (!t.results.empty()) {
    r.corrects_result_id = t.results.back().result_id;
    r.correction_reason = "transcription";
  }
  t.results.push_back(std::move(r));
}

inline void AddReview(QcTest& t) {
  t.reviews.push_back({t.results.back().result_id, t.started_at + absl::Hours(2), "suzuki"});
}

inline QcTest ReviewedTest(int64_t test_id, int64_t sample_id, QcTestType type,
                           absl::Time started_at, QcValue value) {
  QcTest t = PendingTest(test_id, sample_id, type, started_at);
  AddResult(t, std::move(value), test_id * 10);
  AddReview(t);
  return t;
}

inline QcSample SampleAt(int64_t id, SamplePoint point, absl::Time drawn_at) {
  QcSample s;
  s.sample_id = id;
  s.point = point;
  s.drawn_at = drawn_at;
  s.drawn_by = "tanaka";
  s.recorded_at = drawn_at;
  return s;
}

// Test ID of a required test in a fresh world: 100 + type.
inline int64_t TestIdOf(QcTestType type) { return 100 + static_cast<int>(type); }

// Everything on record about one batch. Facts() points into it: take the
// facts after the last change (it rebuilds the history).
struct World {
  Batch batch{.batch_id = *Din::Create("A9999", 26, 18)};
  Product product = DefaultProduct();
  std::vector<BatchRecord> records = GrowthRecords();
  std::optional<BatchHistory> history;
  Patient patient;
  TreatmentPlan plan;
  bool has_plan = true;
  std::vector<QcSample> samples;
  std::vector<QcTest> tests;
  std::vector<Unit> units;
  std::vector<Deviation> deviations;
  std::optional<Release> release;
  std::vector<int64_t> infusions_given;  // planned infusion IDs
  absl::Time now = kP2At + absl::Hours(24 * 20);
  absl::TimeZone zone = kUtc;

  ReadinessFacts Facts() {
    history.emplace(records);
    ReadinessFacts f;
    f.batch = &batch;
    f.product = &product;
    f.history = &*history;
    f.samples = samples;
    f.tests = tests;
    f.units = units;
    f.deviations = deviations;
    if (has_plan) {
      f.plan = &plan;
      f.patient = &patient;
    }
    f.infusions_given = infusions_given;
    f.release = release;
    f.now = now;
    f.zone = zone;
    return f;
  }

  QcTest* Test(QcTestType type) {
    for (QcTest& t : tests) {
      if (t.type == type) return &t;
    }
    return nullptr;
  }
};

inline Unit StoredUnit(const Batch& batch, int sequence, int64_t cells) {
  Unit u;
  u.unit_id = UnitId(batch.batch_id, sequence);
  u.batch_id = batch.batch_id.compact();
  u.patient_id = batch.patient_id;
  u.sequence = sequence;
  u.kind = UnitKind::kVial;
  u.cells = cells;
  u.volume_ml = 1.5;
  u.freezing_medium = "CryoStor CS10";
  u.medium_lot = "CS10-7";
  u.freezer_program = "-1C/min to -90C";
  u.frozen_at = kP2At + absl::Hours(48);
  u.frozen_by = "tanaka";
  u.state = UnitState::kStored;
  u.position = Position{"BOX-1", 1, sequence};
  return u;
}

// A batch frozen into four vials of 30e6 viable cells; a plan of three
// infusions of 20e6 viable cells (each vial holds 21e6 after a thaw at the
// 70 % specification minimum); every required test reviewed within
// specification on a FINAL_PRODUCT sample; one deviation, closed. Every
// criterion but QA release is met.
inline World ReleasableWorld() {
  World w;
  w.batch.patient_id = kPatientId;
  w.batch.product_code = w.product.product_code;
  w.batch.product_version = w.product.version;
  w.batch.state = BatchState::kCryopreserved;
  w.batch.current_passage = 2;

  w.patient.patient_id = kPatientId;
  w.patient.body_weight_kg = 60;

  w.plan.plan_id = 7;
  w.plan.patient_id = kPatientId;
  w.plan.batch_id = w.batch.batch_id.compact();
  w.plan.plan_number = "PB3250001";
  w.plan.fixed_cells = 20'000'000;
  for (int i = 0; i < 3; ++i) {
    w.plan.infusions.push_back(
        {70 + i, i + 1, absl::CivilDay(2026, 6, 1) + 28 * i});
  }

  const absl::Time drawn = kP2At + absl::Hours(47);
  w.samples = {SampleAt(kFinalProductSample, SamplePoint::kFinalProduct, drawn),
               SampleAt(kFinalHarvestSample, SamplePoint::kFinalHarvest, drawn),
               SampleAt(kPassageSample, SamplePoint::kPassage, kP1At),
               SampleAt(kPostThawSample, SamplePoint::kPostThaw, w.now - absl::Hours(1))};
  for (const RequiredTest& r : w.product.required_tests) {
    w.tests.push_back(ReviewedTest(TestIdOf(r.type), kFinalProductSample, r.type, drawn,
                                   InSpecValue(r.type)));
  }
  for (int i = 1; i <= 4; ++i) w.units.push_back(StoredUnit(w.batch, i, 30'000'000));

  Deviation closed;
  closed.deviation_id = 5;
  closed.kind = DeviationKind::kLateProcessing;
  closed.description = "seeded 50 h after collection";
  closed.state = DeviationState::kClosed;
  closed.opened_at = kT0;
  closed.opened_by = "tanaka";
  closed.closure = DeviationClosure{Disposition::kContinue, "cells grew normally",
                                    kT0 + absl::Hours(30), "qa-sato"};
  w.deviations.push_back(closed);
  return w;
}

// A fresh bag formulated at `formulated_at`, held for infusion within the
// default 48 h shelf life.
inline Unit FreshUnit(const Batch& batch, int sequence, int64_t cells, absl::Time formulated_at) {
  Unit u = StoredUnit(batch, sequence, cells);
  u.kind = UnitKind::kBag;
  u.volume_ml = 50;
  u.freezing_medium = "Plasma-Lyte A + 2% HSA";
  u.medium_lot = "PLA-3";
  u.freezer_program = "";
  u.frozen_at = formulated_at;
  u.expires_at = formulated_at + absl::Hours(48);
  u.position.reset();
  return u;
}

// The releasable world formulated as fresh product instead: one bag of 30e6
// viable cells formulated 2 h ago (expires in 46 h), for a plan of one
// infusion of 20e6 viable cells today. Every criterion but QA release is met.
inline World FreshWorld() {
  World w = ReleasableWorld();
  w.batch.state = BatchState::kFormulated;
  w.units = {FreshUnit(w.batch, 1, 30'000'000, w.now - absl::Hours(2))};
  w.plan.infusions = {{70, 1, absl::ToCivilDay(w.now, kUtc)}};
  return w;
}

inline const Criterion* FindCriterion(const Readiness& r, const std::string& name) {
  for (const Criterion& c : r.criteria) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace cpctrack::domain::testing_world

#endif  // CPCTRACK_TESTS_DOMAIN_READINESS_WORLD_H_
