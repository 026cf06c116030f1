// HistoryWriter: QC samples, tests, results and reviews, deviations' closure,
// freezing into storage, disposal and release.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "app/batch_steps.h"
#include "app/deviations.h"
#include "app/qc.h"
#include "app/release.h"
#include "app/storage.h"
#include "app/units.h"
#include "bench/fill_writer.h"
#include "domain/qc_steps.h"
#include "domain/status_macros.h"
#include "domain/storage.h"
#include "domain/unit_steps.h"

namespace cpctrack::bench {
namespace {

constexpr int kUnitsPerBatch = 4;
constexpr int64_t kCellsPerUnit = 30'000'000;
constexpr int kBoxSide = 9;
constexpr int kBoxesPerRack = 10;
constexpr int kRacksPerTank = 10;
constexpr char kSetupActor[] = "cpc-bench-fill";

struct SlotTest {
  domain::QcTestType type;
  const char* method;
};

SlotTest TestOf(int slot) {
  using T = domain::QcTestType;
  switch (slot) {
    case kInProcessSterility:
    case kFinalSterility: return {T::kSterility, "BacT/ALERT 3D, 14-day culture"};
    case kInProcessMycoplasma:
    case kFinalMycoplasma: return {T::kMycoplasma, "NAT (MycoTOOL)"};
    case kFinalGramStain: return {T::kGramStain, "Gram stain"};
    case kFinalFlow: return {T::kFlowCytometry, "ISCT panel, 10 markers"};
    case kFinalViability: return {T::kViability, "AO/PI, automated counter"};
    default: return {T::kEndotoxin, "LAL kinetic chromogenic"};
  }
}

domain::QcValue ValueFor(domain::QcTestType type, bool positive, int64_t seed) {
  using T = domain::QcTestType;
  switch (type) {
    case T::kSterility:
    case T::kMycoplasma:
      return positive ? domain::DetectionResult{domain::Detection::kPositive,
                                                "Staphylococcus epidermidis"}
                      : domain::DetectionResult{domain::Detection::kNegative, ""};
    case T::kEndotoxin: return domain::EndotoxinResult{0.05 + static_cast<double>(seed % 20) / 100};
    case T::kGramStain: return domain::GramStainResult{domain::GramFinding::kNoOrganismsSeen, ""};
    case T::kFlowCytometry: {
      domain::FlowResult flow;
      for (const domain::MarkerLimit& m : domain::DefaultProduct().qc.markers) {
        const bool positive_marker = m.min_percent > 50;
        flow.markers.push_back({m.marker, positive_marker ? 98.4 : 0.6});
      }
      return flow;
    }
    case T::kViability: return domain::ViabilityResult{90 + static_cast<double>(seed % 80) / 10};
    case T::kUnspecified: break;
  }
  return domain::ViabilityResult{};
}

}  // namespace

absl::Status HistoryWriter::DrawSample(store::Transaction& tx, Live& live, absl::Time at,
                                       bool final_product) {
  domain::QcSample sample;
  sample.point = final_product ? domain::SamplePoint::kFinalProduct : domain::SamplePoint::kPassage;
  sample.point_detail = final_product ? "final product" : "P2";
  sample.drawn_at = at;
  const int first = final_product ? kFinalSterility : kInProcessSterility;
  const int last = final_product ? kFinalViability : kInProcessMycoplasma;
  std::vector<domain::TestOrder> orders;
  for (int slot = first; slot <= last; ++slot) {
    orders.push_back({TestOf(slot).type, TestOf(slot).method, at});
  }
  ASSIGN_OR_RETURN(app::SampleTests drawn,
                   app::DrawSample(tx, As(live.tech, at), live.batch->batch_id, sample, orders));
  ++counts_.qc_samples;
  if (final_product) live.final_sample_id = drawn.sample.sample_id;
  for (int slot = first; slot <= last; ++slot) {
    live.test_ids[slot] = drawn.tests[slot - first].test_id;
    ++counts_.qc_tests;
  }
  return absl::OkStatus();
}

absl::Status HistoryWriter::Result(store::Transaction& tx, int index, Live& live, int slot,
                                   absl::Time at) {
  const bool positive = slot == kFinalSterility && schedule_.batches[index].positive_sterility;
  const int64_t test_id = live.test_ids[slot];
  domain::QcResult result;
  result.read_at = at;
  result.instrument_id = "QC-LAB-01";
  result.kit_lot = absl::StrFormat("KIT-%d", absl::ToCivilDay(at, absl::UTCTimeZone()).year());
  result.value = ValueFor(TestOf(slot).type, positive, test_id);
  // A positive sterility result opens its deviation and quarantines the
  // batch and its units: the domain's effects, stored by app/.
  ASSIGN_OR_RETURN(app::QcWrite out, app::RecordResult(tx, As(live.tech, at), test_id, result));
  ++counts_.qc_results;
  live.batch = out.batch;
  for (const domain::Deviation& d : out.opened_deviations) {
    if (d.kind == domain::DeviationKind::kPositiveTest) live.positive_deviation_id = d.deviation_id;
  }
  counts_.deviations += static_cast<int64_t>(out.opened_deviations.size());
  return absl::OkStatus();
}

absl::Status HistoryWriter::Review(store::Transaction& tx, Live& live, int slot, absl::Time at) {
  return app::ReviewResult(tx, As(live.qa, at), live.test_ids[slot]).status();
}

absl::Status HistoryWriter::Invalidate(store::Transaction& tx, Live& live, absl::Time at) {
  const int64_t test_id = live.test_ids[kFinalEndotoxin];
  RETURN_IF_ERROR(app::InvalidateTest(tx, As(live.qa, at), test_id,
                                      "positive product control out of range")
                      .status());
  ASSIGN_OR_RETURN(app::SampleTests retest,
                   app::OrderTests(tx, As(live.tech, at), live.final_sample_id,
                                   {{domain::QcTestType::kEndotoxin,
                                     TestOf(kEndotoxinRetest).method, at, test_id}}));
  ++counts_.qc_tests;
  live.test_ids[kEndotoxinRetest] = retest.tests.front().test_id;
  return absl::OkStatus();
}

absl::StatusOr<domain::Position> HistoryWriter::NextPosition(store::Transaction& tx,
                                                             absl::Time at) {
  // Positions in order, box after box; a position freed by an infusion or
  // disposal stays empty, as racks are refilled by new boxes, not by hand.
  const int64_t index = positions_used_++;
  const int64_t box = index / (kBoxSide * kBoxSide);
  const int cell = static_cast<int>(index % (kBoxSide * kBoxSide));
  const std::string tank =
      absl::StrCat("LN2-", std::string(1, 'A' + box / (kBoxesPerRack * kRacksPerTank)));
  const std::string rack = absl::StrFormat("R%02d", 1 + (box / kBoxesPerRack) % kRacksPerTank);
  const std::string name = absl::StrFormat("B%02d", 1 + box % kBoxesPerRack);
  const app::WriteContext setup = As(kSetupActor, at);
  if (cell == 0) {
    if (box % (kBoxesPerRack * kRacksPerTank) == 0) {
      domain::Tank t;
      t.tank_id = tank;
      t.name = absl::StrCat("LN2 vapour tank ", tank);
      t.temperature_class = domain::TemperatureClass::kLn2Vapour;
      RETURN_IF_ERROR(app::CreateTank(tx, setup, std::move(t)).status());
    }
    if (box % kBoxesPerRack == 0) RETURN_IF_ERROR(app::AddRack(tx, setup, tank, rack));
    domain::Box b;
    b.tank_id = tank;
    b.rack = rack;
    b.name = name;
    b.rows = b.columns = kBoxSide;
    RETURN_IF_ERROR(app::AddBox(tx, setup, std::move(b)).status());
  }
  return domain::Position{domain::BoxId(tank, rack, name), 1 + cell / kBoxSide,
                          1 + cell % kBoxSide};
}

absl::Status HistoryWriter::Freeze(store::Transaction& tx, Live& live, absl::Time at) {
  domain::FreezePlan plan;
  plan.kind = domain::UnitKind::kVial;
  plan.frozen_at = at;
  plan.freezing_medium = "CryoStor CS10";
  ASSIGN_OR_RETURN(plan.medium_lot, Lot(tx, at, "CRYO"));
  plan.freezer_program = "-1C/min to -90C";
  plan.freezer_id = "CRF-01";
  // 30 million cells a vial, or what the last count allows, in whole millions.
  const int64_t cells_per_unit =
      std::min(kCellsPerUnit, live.last_viable_count / kUnitsPerBatch / 1'000'000 * 1'000'000);
  for (int k = 1; k <= kUnitsPerBatch; ++k) {
    ASSIGN_OR_RETURN(domain::Position position, NextPosition(tx, at));
    plan.units.push_back({cells_per_unit, 1.0, std::move(position)});
  }
  ASSIGN_OR_RETURN(app::NewUnits frozen,
                   app::FreezeUnits(tx, As(live.tech, at), live.batch->batch_id, plan));
  counts_.units += static_cast<int64_t>(frozen.units.size());
  live.batch = frozen.batch;
  live.units = std::move(frozen.units);
  return absl::OkStatus();
}

absl::Status HistoryWriter::Close(store::Transaction& tx, Live& live, int64_t deviation_id,
                                  domain::Disposition disposition, absl::string_view reason,
                                  absl::Time at) {
  ASSIGN_OR_RETURN(app::ClosedDeviation closed,
                   app::CloseDeviation(tx, As(live.qa, at), deviation_id,
                                       {disposition, std::string(reason), ""}, std::nullopt));
  live.batch = closed.after.batch;
  return absl::OkStatus();
}

absl::Status HistoryWriter::Dispose(store::Transaction& tx, Live& live, absl::Time at) {
  ASSIGN_OR_RETURN(app::BatchState disposed,
                   app::DisposeBatch(tx, As(live.qa, at), live.batch->batch_id,
                                     "batch rejected: sterility positive"));
  live.batch = disposed.batch;
  return absl::OkStatus();
}

absl::Status HistoryWriter::Release(store::Transaction& tx, Live& live, absl::Time at) {
  // The signature binds the batch record as the domain evaluates it.
  ASSIGN_OR_RETURN(app::ReleaseOutcome released,
                   app::ReleaseBatch(tx, As(live.qa, at), live.batch->batch_id));
  ++counts_.releases;
  live.batch = released.readiness->batch.batch;
  return absl::OkStatus();
}

}  // namespace cpctrack::bench
