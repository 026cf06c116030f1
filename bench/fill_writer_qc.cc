// HistoryWriter: QC samples, tests, results and reviews, deviations' closure,
// freezing into storage, disposal and release.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/fill_writer.h"
#include "domain/audit.h"
#include "domain/readiness.h"
#include "domain/signature.h"
#include "domain/status_macros.h"
#include "domain/storage.h"

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

std::string TestResource(const domain::Batch& batch, int64_t test_id) {
  return absl::StrCat("batches/", batch.batch_id.compact(), "/qc_tests/", test_id);
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
  sample.batch_id = live.batch->batch_id.compact();
  sample.point = final_product ? domain::SamplePoint::kFinalProduct : domain::SamplePoint::kPassage;
  sample.point_detail = final_product ? "final product" : "P2";
  sample.drawn_at = sample.recorded_at = at;
  sample.drawn_by = live.tech;
  RETURN_IF_ERROR(tx.InsertSample(sample));
  ++counts_.qc_samples;
  if (final_product) live.final_sample_id = sample.sample_id;
  RETURN_IF_ERROR(Audit(tx, at, live.tech, domain::AuditAction::kQcDrawSample,
                        absl::StrCat("batches/", sample.batch_id, "/samples/", sample.sample_id),
                        "", domain::ToJson(sample)));
  const int first = final_product ? kFinalSterility : kInProcessSterility;
  const int last = final_product ? kFinalViability : kInProcessMycoplasma;
  for (int slot = first; slot <= last; ++slot) {
    domain::QcTest test;
    test.sample_id = sample.sample_id;
    test.type = TestOf(slot).type;
    test.method = TestOf(slot).method;
    test.started_at = at + absl::Minutes(30);
    test.ordered_at = at;
    test.ordered_by = live.tech;
    RETURN_IF_ERROR(tx.InsertTest(test));
    ++counts_.qc_tests;
    live.test_ids[slot] = test.test_id;
    RETURN_IF_ERROR(Audit(tx, at, live.tech, domain::AuditAction::kQcOrderTest,
                          TestResource(*live.batch, test.test_id), "", domain::ToJson(test)));
  }
  return absl::OkStatus();
}

absl::Status HistoryWriter::Result(store::Transaction& tx, int index, Live& live, int slot,
                                   absl::Time at) {
  const bool positive = slot == kFinalSterility && schedule_.batches[index].positive_sterility;
  const int64_t test_id = live.test_ids[slot];
  domain::QcResult result;
  result.read_at = result.recorded_at = at;
  result.performed_by = live.tech;
  result.instrument_id = "QC-LAB-01";
  result.kit_lot = absl::StrFormat("KIT-%d", absl::ToCivilDay(at, absl::UTCTimeZone()).year());
  result.value = ValueFor(TestOf(slot).type, positive, test_id);
  RETURN_IF_ERROR(tx.InsertResult(test_id, result));
  ++counts_.qc_results;
  live.result_ids[slot] = result.result_id;
  RETURN_IF_ERROR(
      Audit(tx, at, live.tech, domain::AuditAction::kQcRecordResult,
            absl::StrCat(TestResource(*live.batch, test_id), "/results/", result.result_id), "",
            domain::ToJson(result)));
  if (!positive) return absl::OkStatus();

  // A positive sterility result opens a deviation and quarantines the batch
  // and its units, as cpcd's QC effects do.
  domain::Deviation d;
  d.kind = domain::DeviationKind::kPositiveTest;
  d.description = absl::StrCat("sterility test ", test_id, " ",
                               domain::DescribeValue(result.value));
  d.opened_at = at;
  d.opened_by = live.tech;
  d.qc_test_id = test_id;
  RETURN_IF_ERROR(tx.InsertDeviation(live.batch->batch_id, d));
  ++counts_.deviations;
  live.positive_deviation_id = d.deviation_id;
  RETURN_IF_ERROR(Audit(
      tx, at, live.tech, domain::AuditAction::kDeviationOpen,
      absl::StrCat("batches/", live.batch->batch_id.compact(), "/deviations/", d.deviation_id), "",
      domain::ToJson(d), d.description));
  RETURN_IF_ERROR(ChangeBatch(tx, live, at, live.tech, domain::BatchState::kQuarantined,
                              live.batch->current_passage, true, d.description));
  for (domain::Unit& unit : live.units) {
    domain::UnitEvent event;
    event.unit_id = unit.unit_id;
    event.kind = domain::UnitEventKind::kQuarantined;
    event.from_state = unit.state;
    event.to_state = unit.state = domain::UnitState::kQuarantined;
    event.from_position = event.to_position = unit.position;
    event.at = at;
    event.by = live.tech;
    event.reason = d.description;
    RETURN_IF_ERROR(tx.InsertUnitEvent(event));
    RETURN_IF_ERROR(Audit(tx, at, live.tech, domain::AuditAction::kUnitQuarantine,
                          absl::StrCat("units/", unit.unit_id), "", domain::ToJson(event),
                          d.description));
  }
  return absl::OkStatus();
}

absl::Status HistoryWriter::Review(store::Transaction& tx, Live& live, int slot, absl::Time at) {
  const int64_t test_id = live.test_ids[slot];
  domain::QcReview review{live.result_ids[slot], at, live.qa};
  RETURN_IF_ERROR(tx.InsertReview(test_id, review));
  const std::string resource = TestResource(*live.batch, test_id);
  RETURN_IF_ERROR(Audit(tx, at, live.qa, domain::AuditAction::kQcReviewResult, resource, "",
                        domain::ToJson(review)));
  return Sign(tx, at, live.qa, static_cast<int>(domain::SignatureMeaning::kResultReviewed),
              absl::StrCat(resource, "/results/", review.result_id), domain::ToJson(review));
}

absl::Status HistoryWriter::Invalidate(store::Transaction& tx, Live& live, absl::Time at) {
  const int64_t test_id = live.test_ids[kFinalEndotoxin];
  domain::QcInvalidation invalidation{at, live.qa, "positive product control out of range"};
  RETURN_IF_ERROR(tx.InsertInvalidation(test_id, invalidation));
  RETURN_IF_ERROR(Audit(tx, at, live.qa, domain::AuditAction::kQcInvalidateTest,
                        TestResource(*live.batch, test_id), "", domain::ToJson(invalidation),
                        invalidation.reason));
  domain::QcTest retest;
  retest.sample_id = live.final_sample_id;
  retest.type = domain::QcTestType::kEndotoxin;
  retest.method = TestOf(kEndotoxinRetest).method;
  retest.started_at = at + absl::Minutes(30);
  retest.ordered_at = at;
  retest.ordered_by = live.tech;
  retest.retest_of = test_id;
  RETURN_IF_ERROR(tx.InsertTest(retest));
  ++counts_.qc_tests;
  live.test_ids[kEndotoxinRetest] = retest.test_id;
  return Audit(tx, at, live.tech, domain::AuditAction::kQcOrderTest,
               TestResource(*live.batch, retest.test_id), "", domain::ToJson(retest));
}

absl::StatusOr<domain::Position> HistoryWriter::NextPosition(store::Transaction& tx,
                                                             absl::Time at) {
  // Positions in order, box after box; a position freed by an infusion or
  // disposal stays empty, as racks are refilled by new boxes, not by hand.
  const int64_t index = positions_used_++;
  const int64_t box = index / (kBoxSide * kBoxSide);
  const int cell = static_cast<int>(index % (kBoxSide * kBoxSide));
  const std::string tank = absl::StrCat("LN2-", std::string(1, 'A' + box / (kBoxesPerRack * kRacksPerTank)));
  const std::string rack = absl::StrFormat("R%02d", 1 + (box / kBoxesPerRack) % kRacksPerTank);
  const std::string name = absl::StrFormat("B%02d", 1 + box % kBoxesPerRack);
  const std::string box_id = domain::BoxId(tank, rack, name);
  if (cell == 0) {
    if (box % (kBoxesPerRack * kRacksPerTank) == 0) {
      domain::Tank t{tank, absl::StrCat("LN2 vapour tank ", tank), domain::TemperatureClass::kLn2Vapour,
                     at, kSetupActor};
      RETURN_IF_ERROR(tx.InsertTank(t));
      RETURN_IF_ERROR(Audit(tx, at, kSetupActor, domain::AuditAction::kStorageCreateTank,
                            absl::StrCat("tanks/", tank), "", domain::ToJson(t)));
    }
    if (box % kBoxesPerRack == 0) {
      RETURN_IF_ERROR(tx.InsertRack(tank, rack, at, kSetupActor));
      RETURN_IF_ERROR(Audit(tx, at, kSetupActor, domain::AuditAction::kStorageAddRack,
                            absl::StrCat("tanks/", tank, "/racks/", rack), "",
                            domain::JsonObject().Add("rack", rack).Build()));
    }
    domain::Box b{box_id, tank, rack, name, kBoxSide, kBoxSide, at, kSetupActor};
    RETURN_IF_ERROR(tx.InsertBox(b));
    RETURN_IF_ERROR(Audit(tx, at, kSetupActor, domain::AuditAction::kStorageAddBox,
                          absl::StrCat("boxes/", box_id), "", domain::ToJson(b)));
  }
  return domain::Position{box_id, 1 + cell / kBoxSide, 1 + cell % kBoxSide};
}

absl::Status HistoryWriter::Freeze(store::Transaction& tx, Live& live, absl::Time at) {
  absl::Status lot_status;
  const std::string medium_lot = Lot(tx, at, "CRYO", lot_status);
  RETURN_IF_ERROR(lot_status);
  for (int k = 1; k <= kUnitsPerBatch; ++k) {
    domain::Unit unit;
    unit.unit_id = domain::UnitId(live.batch->batch_id, k);
    unit.batch_id = live.batch->batch_id.compact();
    unit.patient_id = live.batch->patient_id;
    unit.sequence = k;
    unit.kind = domain::UnitKind::kVial;
    unit.cells = kCellsPerUnit;
    unit.volume_ml = 1.0;
    unit.freezing_medium = "CryoStor CS10";
    unit.medium_lot = medium_lot;
    unit.freezer_program = "-1C/min to -90C";
    unit.freezer_id = "CRF-01";
    unit.frozen_at = at;
    unit.frozen_by = live.tech;
    ASSIGN_OR_RETURN(unit.position, NextPosition(tx, at));
    RETURN_IF_ERROR(tx.InsertUnit(unit));
    ++counts_.units;
    RETURN_IF_ERROR(Audit(tx, at, live.tech, domain::AuditAction::kUnitFreeze,
                          absl::StrCat("units/", unit.unit_id), "", domain::ToJson(unit)));
    live.units.push_back(std::move(unit));
  }
  return ChangeBatch(tx, live, at, live.tech, domain::BatchState::kCryopreserved,
                     live.batch->current_passage, true,
                     absl::StrCat("frozen into ", kUnitsPerBatch, " units"));
}

absl::Status HistoryWriter::Close(store::Transaction& tx, Live& live, int64_t deviation_id,
                                  domain::Disposition disposition, absl::string_view reason,
                                  absl::Time at) {
  domain::DeviationClosure closure{disposition, std::string(reason), at, live.qa};
  RETURN_IF_ERROR(tx.InsertDeviationClosure(deviation_id, closure));
  const std::string resource =
      absl::StrCat("batches/", live.batch->batch_id.compact(), "/deviations/", deviation_id);
  RETURN_IF_ERROR(Audit(tx, at, live.qa, domain::AuditAction::kDeviationClose, resource, "",
                        domain::ToJson(closure), reason));
  return Sign(tx, at, live.qa, static_cast<int>(domain::SignatureMeaning::kDeviationDisposition),
              resource, domain::ToJson(closure));
}

absl::Status HistoryWriter::Dispose(store::Transaction& tx, Live& live, absl::Time at) {
  for (domain::Unit& unit : live.units) {
    domain::UnitEvent event;
    event.unit_id = unit.unit_id;
    event.kind = domain::UnitEventKind::kDisposed;
    event.from_state = unit.state;
    event.to_state = unit.state = domain::UnitState::kDisposed;
    event.from_position = unit.position;
    unit.position.reset();
    event.at = at;
    event.by = live.qa;
    event.reason = "batch rejected: sterility positive";
    RETURN_IF_ERROR(tx.InsertUnitEvent(event));
    RETURN_IF_ERROR(Audit(tx, at, live.qa, domain::AuditAction::kUnitDispose,
                          absl::StrCat("units/", unit.unit_id), "", domain::ToJson(event),
                          event.reason));
  }
  return ChangeBatch(tx, live, at, live.qa, domain::BatchState::kDisposed,
                     live.batch->current_passage, true, "batch rejected: sterility positive");
}

absl::Status HistoryWriter::Release(store::Transaction& tx, Live& live, absl::Time at) {
  // The signature binds the record as cpcd would evaluate it: read it back.
  const domain::Batch& batch = *live.batch;
  ASSIGN_OR_RETURN(std::vector<domain::BatchRecord> records, tx.LoadRecords(batch.batch_id));
  const domain::BatchHistory history(std::move(records));
  ASSIGN_OR_RETURN(domain::Product product,
                   tx.GetProduct(batch.product_code, batch.product_version));
  domain::ReadinessFacts facts;
  facts.batch = &batch;
  facts.product = &product;
  facts.history = &history;
  ASSIGN_OR_RETURN(facts.samples, tx.LoadSamples(batch.batch_id));
  ASSIGN_OR_RETURN(facts.tests, tx.LoadTests(batch.batch_id));
  ASSIGN_OR_RETURN(facts.units, tx.LoadUnits(batch.batch_id));
  ASSIGN_OR_RETURN(facts.deviations, tx.LoadDeviations(batch.batch_id));
  domain::Release release;
  release.signer = live.qa;
  release.signed_at = at;
  release.record_hash = domain::BatchRecordHash(facts);
  RETURN_IF_ERROR(tx.InsertRelease(batch.batch_id, release));
  ++counts_.releases;
  const std::string resource =
      absl::StrCat("batches/", batch.batch_id.compact(), "/releases/", release.release_id);
  const std::string record = domain::ToJson(release);
  RETURN_IF_ERROR(Audit(tx, at, live.qa, domain::AuditAction::kBatchRelease, resource, "", record,
                        release.meaning));
  RETURN_IF_ERROR(Sign(tx, at, live.qa, static_cast<int>(domain::SignatureMeaning::kBatchReleased),
                       resource, record));
  return ChangeBatch(tx, live, at, live.qa, domain::BatchState::kReleased,
                     live.batch->current_passage, true, release.meaning);
}

}  // namespace cpctrack::bench
