#include "domain/batch_steps.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/audit.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;

const absl::TimeZone kUtc = absl::UTCTimeZone();
// Collection of the tissue; every event below is dated from it.
const absl::Time kCollected = absl::FromCivil(absl::CivilSecond(2026, 3, 1, 8, 0, 0), kUtc);
const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2026, 3, 15, 12, 0, 0), kUtc);

absl::Time At(absl::Duration after_collection) { return kCollected + after_collection; }
// How long after a step it is written down when it is written down at once.
constexpr absl::Duration kEntryLag = absl::Minutes(30);

TissueReceipt Receipt() {
  return {.collection_time = kCollected, .receipt_time = At(absl::Hours(2)),
          .collection_site = "abdomen", .volume_ml = 20, .transport_temperature_c = 4,
          .collected_by = "Dr. Sato"};
}

Seeding P0Seeding(absl::Time at) {
  return {.seeding_time = at, .cells_seeded = 1'000'000, .vessel_type = "T175",
          .vessel_count = 2, .surface_area_cm2 = 350, .medium_lot = "MED-001",
          .reagent_lots = {"COL-01"}, .incubator_id = "INC-01", .cabinet_id = ""};
}

Passage Harvest(absl::Time at) {
  return {.passage_time = at, .total_cells = 10'000'000, .viable_cells = 9'000'000,
          .counting_method = CountingMethod::kAutomatedAoPi, .cells_reseeded = 2'000'000,
          .medium_lot = "MED-001", .reagent_lots = {"TRY-01"}, .incubator_id = "INC-01",
          .counter_id = "NC-01"};
}

Observation Look(absl::Time at) { return {at, 60, "spindle-shaped"}; }

MediumChange Feed(absl::Time at) { return {at, "MED-001", {}, 15}; }

Patient EligiblePatient() {
  Patient p;
  p.patient_id = "PT-0001";
  p.body_weight_kg = 60;
  p.screening = {ScreeningResult::kNegative, ScreeningResult::kNegative,
                 ScreeningResult::kNegative, ScreeningResult::kNegative,
                 ScreeningResult::kNegative};
  p.consent.given = true;
  p.consent.consent_time = kCollected - absl::Hours(48);
  return p;
}

ReagentLot Lot(const std::string& number, absl::CivilDay expiry) {
  ReagentLot lot;
  lot.lot_number = number;
  lot.name = number;
  lot.expiry_day = expiry;
  lot.status = LotStatus::kAccepted;
  return lot;
}

Equipment Machine(const std::string& id, EquipmentKind kind,
                  EquipmentStatus status = EquipmentStatus::kInService) {
  Equipment e;
  e.equipment_id = id;
  e.kind = kind;
  e.name = id;
  e.status = status;
  e.status_reason = status == EquipmentStatus::kOutOfService ? "CO2 alarm" : "";
  return e;
}

// A batch and what is on record for it, advanced only through the decisions
// under test, as the store would: each decision is committed as the next record.
class BatchStepsTest : public ::testing::Test {
 protected:
  BatchStepsTest() {
    const absl::CivilDay far(2027, 12, 31);
    for (const char* n : {"MED-001", "COL-01", "TRY-01", "MED-002"}) {
      resources_.lots[n] = Lot(n, far);
    }
    // Expired on the day of collection, so usable only on 2026-03-01.
    resources_.lots["MED-OLD"] = Lot("MED-OLD", absl::CivilDay(2026, 3, 1));
    resources_.equipment["INC-01"] = Machine("INC-01", EquipmentKind::kIncubator);
    resources_.equipment["INC-02"] = Machine("INC-02", EquipmentKind::kIncubator);
    resources_.equipment["INC-BROKEN"] =
        Machine("INC-BROKEN", EquipmentKind::kIncubator, EquipmentStatus::kOutOfService);
    resources_.equipment["BSC-01"] = Machine("BSC-01", EquipmentKind::kBiosafetyCabinet);
    resources_.equipment["NC-01"] = Machine("NC-01", EquipmentKind::kCellCounter);
  }

  BatchHistory History() const { return BatchHistory(records_); }

  // Steps are written down as they happen, as at a bench: `kEntryLag` after
  // the time they describe, unless a test pins the clock (pinned_now_).
  StepContext Ctx(const RecordData& data) const {
    StepContext ctx = ctx_;
    ctx.now = pinned_now_.value_or(EventTime(data) + kEntryLag);
    return ctx;
  }

  absl::StatusOr<StepDecision> Append(RecordData data) {
    const StepContext ctx = Ctx(data);
    return DecideAppend(batch_, History(), deviations_, std::move(data), resources_, product_,
                        ctx);
  }

  absl::StatusOr<StepDecision> Correct(int64_t record_id, std::string reason,
                                       RecordData data) {
    const StepContext ctx = Ctx(data);
    return DecideCorrection(batch_, History(), deviations_, record_id, std::move(reason),
                            std::move(data), resources_, product_, ctx);
  }

  // Stores the decision; returns the new record's ID.
  int64_t Commit(const StepDecision& decision) {
    BatchRecord record = decision.record;
    record.record_id = static_cast<int64_t>(records_.size()) + 1;
    records_.push_back(record);
    batch_.state = decision.new_state;
    for (Deviation d : decision.deviations_to_open) {
      d.deviation_id = static_cast<int64_t>(deviations_.size()) + 1;
      d.record_id = record.record_id;
      deviations_.push_back(d);
    }
    return record.record_id;
  }

  int64_t AppendOk(RecordData data) {
    absl::StatusOr<StepDecision> decision = Append(std::move(data));
    EXPECT_TRUE(decision.ok()) << decision.status();
    return decision.ok() ? Commit(*decision) : 0;
  }

  // Receipt (record 1) and P0 seeding 6 h after collection (record 2).
  void StartCulture() {
    ASSERT_EQ(AppendOk(Receipt()), 1);
    ASSERT_EQ(AppendOk(P0Seeding(At(absl::Hours(6)))), 2);
    ASSERT_EQ(batch_.state, BatchState::kInCulture);
  }

  Product product_ = DefaultProduct();
  Batch batch_{.batch_id = *Din::Create("A9999", 26, 1),
               .patient_id = "PT-0001",
               .product_code = product_.product_code,
               .product_version = product_.version,
               .state = BatchState::kRegistered,
               .created_at = kCollected - absl::Hours(72),
               .created_by = "sato"};
  std::vector<BatchRecord> records_;
  std::vector<Deviation> deviations_;
  StepResources resources_;
  StepContext ctx_{.now = kNow, .facility_zone = kUtc, .actor = "tanaka"};
  std::optional<absl::Time> pinned_now_;
};

// --- DecideCreateBatch -------------------------------------------------------

TEST_F(BatchStepsTest, EligiblePatientGetsARegisteredBatchOfTheFacilityAndYear) {
  absl::StatusOr<Batch> batch =
      DecideCreateBatch(EligiblePatient(), product_, "G1234", 42, ctx_);
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(batch->batch_id.facility_code(), "G1234");
  EXPECT_EQ(batch->batch_id.year(), 26);
  EXPECT_EQ(batch->batch_id.sequence(), 42);
  EXPECT_TRUE(Din::Parse(batch->batch_id.compact()).ok());  // carries a valid check
  EXPECT_EQ(batch->state, BatchState::kRegistered);
  EXPECT_EQ(batch->patient_id, "PT-0001");
  EXPECT_EQ(batch->product_code, "ADSC-STD");
  EXPECT_EQ(batch->product_version, 1);
  EXPECT_EQ(batch->created_by, "tanaka");
  EXPECT_EQ(batch->created_at, kNow);
  EXPECT_EQ(batch->current_passage, -1);
}

TEST_F(BatchStepsTest, DinYearIsTheYearInTheFacilitysZone) {
  // 2026-12-31 20:00 UTC is already 2027 in Tokyo.
  const absl::Time new_years_eve =
      absl::FromCivil(absl::CivilSecond(2026, 12, 31, 20, 0, 0), kUtc);
  const absl::TimeZone tokyo = absl::FixedTimeZone(9 * 3600);
  EXPECT_EQ(DinYear(new_years_eve, kUtc), 26);
  EXPECT_EQ(DinYear(new_years_eve, tokyo), 27);
  ctx_.now = new_years_eve;
  ctx_.facility_zone = tokyo;
  absl::StatusOr<Batch> batch = DecideCreateBatch(EligiblePatient(), product_, "G1234", 1, ctx_);
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(batch->batch_id.year(), 27);
}

TEST_F(BatchStepsTest, IneligiblePatientGetsNoBatch) {
  Patient p = EligiblePatient();
  p.screening.hcv = ScreeningResult::kPending;
  absl::StatusOr<Batch> batch = DecideCreateBatch(p, product_, "G1234", 1, ctx_);
  EXPECT_EQ(batch.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(batch.status().message(), HasSubstr("hcv PENDING"));
}

TEST_F(BatchStepsTest, SequenceOverflowIsResourceExhausted) {
  EXPECT_TRUE(DecideCreateBatch(EligiblePatient(), product_, "G1234", 999999, ctx_).ok());
  absl::StatusOr<Batch> batch =
      DecideCreateBatch(EligiblePatient(), product_, "G1234", 1000000, ctx_);
  EXPECT_EQ(batch.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(batch.status().message(), HasSubstr("G1234"));
}

TEST_F(BatchStepsTest, BadFacilityCodeIsInvalidArgument) {
  EXPECT_EQ(DecideCreateBatch(EligiblePatient(), product_, "O1234", 1, ctx_).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// --- DecideAppend: states ------------------------------------------------------

TEST_F(BatchStepsTest, ReceiptMovesRegisteredBatchToTissueReceived) {
  absl::StatusOr<StepDecision> d = Append(Receipt());
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->new_state, BatchState::kTissueReceived);
  EXPECT_EQ(d->record.recorded_by, "tanaka");
  EXPECT_EQ(d->record.recorded_at, Receipt().receipt_time + kEntryLag);
  EXPECT_EQ(d->record.corrects_record_id, 0);
  EXPECT_TRUE(std::holds_alternative<TissueReceipt>(d->record.data));
  EXPECT_TRUE(d->deviations_to_open.empty());
}

TEST_F(BatchStepsTest, SecondReceiptIsRefusedNamingTheState) {
  AppendOk(Receipt());
  absl::StatusOr<StepDecision> d = Append(Receipt());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(), HasSubstr(batch_.batch_id.compact()));
  EXPECT_THAT(d.status().message(), HasSubstr("TISSUE_RECEIVED"));
  EXPECT_THAT(d.status().message(), HasSubstr("allowed only when it is REGISTERED"));
}

TEST_F(BatchStepsTest, SeedingNeedsReceivedTissue) {
  absl::StatusOr<StepDecision> d = Append(P0Seeding(At(absl::Hours(6))));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(), HasSubstr("REGISTERED"));
}

TEST_F(BatchStepsTest, SeedingMovesTheBatchIntoCulture) {
  AppendOk(Receipt());
  absl::StatusOr<StepDecision> d = Append(P0Seeding(At(absl::Hours(6))));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->new_state, BatchState::kInCulture);
  EXPECT_TRUE(d->deviations_to_open.empty());
}

TEST_F(BatchStepsTest, CultureStepsBeforeSeedingAreRefused) {
  AppendOk(Receipt());
  for (RecordData data : {RecordData(Look(At(absl::Hours(30)))),
                          RecordData(Feed(At(absl::Hours(30)))),
                          RecordData(Harvest(At(absl::Hours(30))))}) {
    absl::StatusOr<StepDecision> d = Append(data);
    EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition)
        << RecordKindName(KindOf(data));
    EXPECT_THAT(d.status().message(), HasSubstr("allowed only when it is IN_CULTURE"));
  }
}

TEST_F(BatchStepsTest, CultureStepsKeepTheBatchInCulture) {
  StartCulture();
  for (RecordData data : {RecordData(Look(At(absl::Hours(30)))),
                          RecordData(Feed(At(absl::Hours(50)))),
                          RecordData(Harvest(At(absl::Hours(78))))}) {
    absl::StatusOr<StepDecision> d = Append(data);
    ASSERT_TRUE(d.ok()) << RecordKindName(KindOf(data)) << ": " << d.status();
    EXPECT_EQ(d->new_state, BatchState::kInCulture);
    Commit(*d);
  }
}

TEST_F(BatchStepsTest, SecondSeedingIsRefused) {
  StartCulture();
  EXPECT_EQ(Append(P0Seeding(At(absl::Hours(8)))).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(BatchStepsTest, QuarantinedOrRejectedBatchTakesNoNewRecords) {
  StartCulture();
  for (BatchState state : {BatchState::kQuarantined, BatchState::kRejected}) {
    batch_.state = state;
    for (RecordData data : {RecordData(Receipt()), RecordData(P0Seeding(At(absl::Hours(6)))),
                            RecordData(Look(At(absl::Hours(30)))),
                            RecordData(Feed(At(absl::Hours(30)))),
                            RecordData(Harvest(At(absl::Hours(78))))}) {
      absl::StatusOr<StepDecision> d = Append(data);
      EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition)
          << BatchStateName(state) << " " << RecordKindName(KindOf(data));
      EXPECT_THAT(d.status().message(), HasSubstr(BatchStateName(state)));
    }
  }
}

TEST_F(BatchStepsTest, ImplausibleRecordIsInvalidArgument) {
  StartCulture();
  Observation o = Look(At(absl::Hours(30)));
  o.confluence_percent = 120;
  absl::StatusOr<StepDecision> d = Append(o);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr("confluence_percent"));
}

// --- DecideAppend: lots and equipment -----------------------------------------

TEST_F(BatchStepsTest, UnknownMediumLotIsNotFoundNamingTheField) {
  AppendOk(Receipt());
  Seeding s = P0Seeding(At(absl::Hours(6)));
  s.medium_lot = "MED-999";
  absl::StatusOr<StepDecision> d = Append(s);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(d.status().message(), HasSubstr("medium_lot: reagent lot \"MED-999\""));
}

TEST_F(BatchStepsTest, UnknownReagentLotIsNotFoundNamingItsIndex) {
  AppendOk(Receipt());
  Seeding s = P0Seeding(At(absl::Hours(6)));
  s.reagent_lots = {"COL-01", "ENZ-404"};
  absl::StatusOr<StepDecision> d = Append(s);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(d.status().message(), HasSubstr("reagent_lots[1]"));
  EXPECT_THAT(d.status().message(), HasSubstr("ENZ-404"));
}

TEST_F(BatchStepsTest, UnknownIncubatorIsNotFound) {
  AppendOk(Receipt());
  Seeding s = P0Seeding(At(absl::Hours(6)));
  s.incubator_id = "INC-404";
  absl::StatusOr<StepDecision> d = Append(s);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(d.status().message(), HasSubstr("incubator_id"));
}

TEST_F(BatchStepsTest, LotIsUsableOnItsExpiryDay) {
  AppendOk(Receipt());
  Seeding s = P0Seeding(At(absl::Hours(6)));  // 2026-03-01 14:00
  s.medium_lot = "MED-OLD";                   // expires 2026-03-01
  EXPECT_TRUE(Append(s).ok());
}

TEST_F(BatchStepsTest, ExpiredLotIsFailedPrecondition) {
  StartCulture();
  MediumChange m = Feed(At(absl::Hours(30)));  // 2026-03-02
  m.medium_lot = "MED-OLD";
  absl::StatusOr<StepDecision> d = Append(m);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(), HasSubstr("medium_lot"));
  EXPECT_THAT(d.status().message(), HasSubstr("expired on 2026-03-01"));
}

TEST_F(BatchStepsTest, ExpiryDayIsADayInTheFacilitysZone) {
  // 2026-03-01 16:00 UTC is already 2026-03-02 01:00 in Tokyo.
  ctx_.facility_zone = absl::FixedTimeZone(9 * 3600);
  AppendOk(Receipt());
  Seeding s = P0Seeding(At(absl::Hours(8)));
  s.medium_lot = "MED-OLD";
  EXPECT_EQ(Append(s).status().code(), absl::StatusCode::kFailedPrecondition);
  ctx_.facility_zone = kUtc;
  EXPECT_TRUE(Append(s).ok());
}

TEST_F(BatchStepsTest, OutOfServiceIncubatorIsFailedPrecondition) {
  AppendOk(Receipt());
  Seeding s = P0Seeding(At(absl::Hours(6)));
  s.incubator_id = "INC-BROKEN";
  absl::StatusOr<StepDecision> d = Append(s);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(), HasSubstr("INC-BROKEN is out of service (CO2 alarm)"));
}

TEST_F(BatchStepsTest, PassageIntoOutOfServiceIncubatorIsRefused) {
  StartCulture();
  Passage p = Harvest(At(absl::Hours(78)));
  p.incubator_id = "INC-BROKEN";
  EXPECT_EQ(Append(p).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(BatchStepsTest, SeedingWithAQuarantinedLotIsRefusedLikeAnExpiredOne) {
  AppendOk(Receipt());
  resources_.lots["COL-01"].status = LotStatus::kQuarantine;
  absl::StatusOr<StepDecision> d = Append(P0Seeding(At(absl::Hours(6))));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(),
              HasSubstr("reagent_lots[0]: reagent lot COL-01 (COL-01) is in QUARANTINE"));
}

// Calibration: the day of the step against the due day of the equipment.
TEST_F(BatchStepsTest, PassageIntoAnIncubatorWhoseCalibrationLapsedIsRefusedNamingTheDate) {
  StartCulture();
  const absl::Time passage_time = At(absl::Hours(78));  // 2026-03-04 14:00 UTC
  resources_.equipment["INC-01"].calibration_required = true;
  resources_.equipment["INC-01"].calibration_due = absl::CivilDay(2026, 3, 3);
  absl::StatusOr<StepDecision> d = Append(Harvest(passage_time));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(),
              HasSubstr("incubator_id: INC-01 is out of calibration: its calibration was due on "
                        "2026-03-03; it cannot be used on 2026-03-04"));
  // Due on the day of the passage: usable through that day.
  resources_.equipment["INC-01"].calibration_due = absl::CivilDay(2026, 3, 4);
  EXPECT_TRUE(Append(Harvest(passage_time)).ok());
}

TEST_F(BatchStepsTest, PassageNamesACalibratedCellCounter) {
  StartCulture();
  Passage p = Harvest(At(absl::Hours(78)));
  p.counter_id = "";
  EXPECT_THAT(Append(p).status().message(), HasSubstr("counter_id: required"));
  p.counter_id = "INC-02";
  EXPECT_THAT(Append(p).status().message(), HasSubstr("counter_id: INC-02 is a INCUBATOR, not a "
                                                      "CELL_COUNTER"));
  p.counter_id = "NC-01";
  resources_.equipment["NC-01"].calibration_required = true;
  absl::StatusOr<StepDecision> d = Append(p);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(), HasSubstr("counter_id: NC-01 has no calibration on record"));
  resources_.equipment["NC-01"].calibration_due = absl::CivilDay(2027, 3, 1);
  EXPECT_TRUE(Append(p).ok());
}

TEST_F(BatchStepsTest, CabinetMustBeABiosafetyCabinetAndIncubatorAnIncubator) {
  AppendOk(Receipt());
  Seeding s = P0Seeding(At(absl::Hours(6)));
  s.cabinet_id = "INC-02";
  absl::StatusOr<StepDecision> d = Append(s);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(), HasSubstr("cabinet_id"));
  s.cabinet_id = "BSC-01";
  EXPECT_TRUE(Append(s).ok());
  s.incubator_id = "BSC-01";
  EXPECT_THAT(Append(s).status().message(), HasSubstr("not a INCUBATOR"));
}

// --- DecideAppend: passages and timeline --------------------------------------

TEST_F(BatchStepsTest, PassageNumbersAdvanceOneTwoThree) {
  StartCulture();
  for (int n = 1; n <= 3; ++n) {
    absl::StatusOr<StepDecision> d = Append(Harvest(At(absl::Hours(6 + 72 * n))));
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(std::get<Passage>(d->record.data).passage_number, n);
    Commit(*d);
    EXPECT_EQ(History().CurrentPassage(), n);
  }
}

TEST_F(BatchStepsTest, TypedPassageNumberIsIgnored) {
  StartCulture();
  Passage p = Harvest(At(absl::Hours(78)));
  p.passage_number = 4;
  absl::StatusOr<StepDecision> d = Append(p);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(std::get<Passage>(d->record.data).passage_number, 1);
}

TEST_F(BatchStepsTest, PassageRecordGetsItsComputedViability) {
  StartCulture();
  absl::StatusOr<StepDecision> d = Append(Harvest(At(absl::Hours(78))));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_DOUBLE_EQ(std::get<Passage>(d->record.data).viability_percent, 90.0);
}

TEST_F(BatchStepsTest, SeedingBeforeReceiptIsRefused) {
  AppendOk(Receipt());  // received 2 h after collection
  absl::StatusOr<StepDecision> d = Append(P0Seeding(At(absl::Hours(1))));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr("before tissue receipt"));
}

TEST_F(BatchStepsTest, ObservationBeforeSeedingIsRefused) {
  StartCulture();  // seeded 6 h after collection
  absl::StatusOr<StepDecision> d = Append(Look(At(absl::Hours(5))));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr("before the P0 seeding"));
}

TEST_F(BatchStepsTest, PassageBeforeThePreviousPassageIsRefused) {
  StartCulture();
  AppendOk(Harvest(At(absl::Hours(78))));
  absl::StatusOr<StepDecision> d = Append(Harvest(At(absl::Hours(60))));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr("(passage 2) must be after passage 1"));
}

// --- Late processing -----------------------------------------------------------

TEST_F(BatchStepsTest, SeedingWithin48HoursOpensNoDeviation) {
  AppendOk(Receipt());
  absl::StatusOr<StepDecision> d = Append(P0Seeding(At(absl::Hours(48))));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_TRUE(d->deviations_to_open.empty());
}

TEST_F(BatchStepsTest, LateSeedingOpensOneLateProcessingDeviation) {
  AppendOk(Receipt());
  absl::StatusOr<StepDecision> d = Append(P0Seeding(At(absl::Hours(49))));
  ASSERT_TRUE(d.ok()) << d.status();  // recorded, not refused
  EXPECT_EQ(d->new_state, BatchState::kInCulture);
  ASSERT_EQ(d->deviations_to_open.size(), 1u);
  const Deviation& dev = d->deviations_to_open[0];
  EXPECT_EQ(dev.kind, DeviationKind::kLateProcessing);
  EXPECT_EQ(dev.state, DeviationState::kOpen);
  EXPECT_EQ(dev.opened_by, "tanaka");
  EXPECT_EQ(dev.opened_at, At(absl::Hours(49)) + kEntryLag);
  EXPECT_THAT(dev.description, HasSubstr("49.0 h after collection"));
  EXPECT_THAT(dev.description, HasSubstr("allows 48 h"));
}

TEST_F(BatchStepsTest, ProductSetsTheProcessingLimit) {
  product_.max_processing_delay = absl::Hours(24);
  AppendOk(Receipt());
  absl::StatusOr<StepDecision> d = Append(P0Seeding(At(absl::Hours(30))));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->deviations_to_open.size(), 1u);
}

TEST_F(BatchStepsTest, LaterStepsDoNotOpenASecondLateDeviation) {
  AppendOk(Receipt());
  AppendOk(P0Seeding(At(absl::Hours(49))));
  ASSERT_EQ(deviations_.size(), 1u);
  absl::StatusOr<StepDecision> d = Append(Look(At(absl::Hours(60))));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_TRUE(d->deviations_to_open.empty());
}

TEST_F(BatchStepsTest, ClosedLateDeviationIsNotReopenedByLaterSteps) {
  // QA closed the deviation after its disposition; the delay is the same fact.
  AppendOk(Receipt());
  AppendOk(P0Seeding(At(absl::Hours(49))));
  ASSERT_EQ(deviations_.size(), 1u);
  deviations_[0].state = DeviationState::kClosed;
  for (RecordData data : {RecordData(Look(At(absl::Hours(60)))),
                          RecordData(Feed(At(absl::Hours(70)))),
                          RecordData(Harvest(At(absl::Hours(120))))}) {
    absl::StatusOr<StepDecision> d = Append(data);
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_TRUE(d->deviations_to_open.empty()) << RecordKindName(KindOf(data));
    Commit(*d);
  }
}

TEST_F(BatchStepsTest, CountCorrectionOfALateSeedingDoesNotReopenTheDeviation) {
  AppendOk(Receipt());
  const int64_t seeding = AppendOk(P0Seeding(At(absl::Hours(49))));
  deviations_[0].state = DeviationState::kClosed;
  Seeding s = P0Seeding(At(absl::Hours(49)));
  s.cells_seeded = 1'100'000;
  absl::StatusOr<StepDecision> d = Correct(seeding, "count misread", s);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_TRUE(d->deviations_to_open.empty());
}

TEST_F(BatchStepsTest, CorrectionChangingALateDelayOpensAFreshDeviation) {
  // QA dispositioned 49 h; the record now says 60 h: QA must look again.
  AppendOk(Receipt());
  const int64_t seeding = AppendOk(P0Seeding(At(absl::Hours(49))));
  deviations_[0].state = DeviationState::kClosed;
  absl::StatusOr<StepDecision> d = Correct(seeding, "date typo", P0Seeding(At(absl::Hours(60))));
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->deviations_to_open.size(), 1u);
  EXPECT_THAT(d->deviations_to_open[0].description, HasSubstr("60.0 h"));
}

TEST_F(BatchStepsTest, CorrectionChangingADelayRecordsTheTrueFigureEvenWhileOneIsOpen) {
  AppendOk(Receipt());
  const int64_t seeding = AppendOk(P0Seeding(At(absl::Hours(49))));
  ASSERT_EQ(deviations_.size(), 1u);  // still open
  absl::StatusOr<StepDecision> d = Correct(seeding, "date typo", P0Seeding(At(absl::Hours(60))));
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->deviations_to_open.size(), 1u);
  EXPECT_THAT(d->deviations_to_open[0].description, HasSubstr("60.0 h after collection"));
  EXPECT_THAT(d->deviations_to_open[0].description, HasSubstr("(corrected; was 49.0 h)"));
}

TEST_F(BatchStepsTest, LaterStepWhileALateDeviationIsOpenOpensNoSecond) {
  AppendOk(Receipt());
  AppendOk(P0Seeding(At(absl::Hours(49))));
  ASSERT_EQ(deviations_.size(), 1u);
  absl::StatusOr<StepDecision> d = Append(Feed(At(absl::Hours(70))));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_TRUE(d->deviations_to_open.empty());
}

TEST_F(BatchStepsTest, TissueReceivedTooLateOpensADeviationAtReceipt) {
  TissueReceipt r = Receipt();
  r.receipt_time = r.collection_time + absl::Hours(50);
  absl::StatusOr<StepDecision> d = Append(r);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->deviations_to_open.size(), 1u);
  EXPECT_EQ(d->deviations_to_open[0].kind, DeviationKind::kLateProcessing);
  EXPECT_THAT(d->deviations_to_open[0].description, HasSubstr("tissue received 50.0 h"));
}

TEST_F(BatchStepsTest, ReceiptCorrectionThatMakesProcessingLateOpensADeviation) {
  StartCulture();  // collected at 0 h, seeded at 6 h
  TissueReceipt r = Receipt();
  r.collection_time = At(-absl::Hours(50));
  absl::StatusOr<StepDecision> d = Correct(1, "collection date typo", r);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->deviations_to_open.size(), 1u);
}

TEST_F(BatchStepsTest, AnOtherKindOfOpenDeviationDoesNotHideLateness) {
  AppendOk(Receipt());
  Deviation other;
  other.kind = DeviationKind::kOther;
  other.state = DeviationState::kOpen;
  deviations_.push_back(other);
  absl::StatusOr<StepDecision> d = Append(P0Seeding(At(absl::Hours(49))));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->deviations_to_open.size(), 1u);
}

// --- DecideCorrection ------------------------------------------------------------

TEST_F(BatchStepsTest, CorrectionNamesTheRecordAndReason) {
  StartCulture();
  Seeding s = P0Seeding(At(absl::Hours(6)));
  s.cells_seeded = 1'200'000;
  absl::StatusOr<StepDecision> d = Correct(2, "count misread", s);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->record.corrects_record_id, 2);
  EXPECT_EQ(d->record.correction_reason, "count misread");
  EXPECT_EQ(d->record.recorded_by, "tanaka");
  EXPECT_EQ(d->new_state, BatchState::kInCulture);
  EXPECT_EQ(std::get<Seeding>(d->record.data).cells_seeded, 1'200'000);
}

TEST_F(BatchStepsTest, CorrectionNeedsAReason) {
  StartCulture();
  absl::StatusOr<StepDecision> d = Correct(2, "", P0Seeding(At(absl::Hours(6))));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr("reason: required"));
}

TEST_F(BatchStepsTest, CorrectingAnUnknownRecordIsNotFound) {
  StartCulture();
  absl::StatusOr<StepDecision> d = Correct(99, "typo", Look(At(absl::Hours(30))));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(d.status().message(), HasSubstr("no record 99"));
}

TEST_F(BatchStepsTest, CorrectingAnAlreadyCorrectedRecordNamesTheCorrection) {
  StartCulture();
  const int64_t look = AppendOk(Look(At(absl::Hours(30))));
  Observation fixed = Look(At(absl::Hours(30)));
  fixed.confluence_percent = 70;
  absl::StatusOr<StepDecision> first = Correct(look, "wrong flask", fixed);
  ASSERT_TRUE(first.ok()) << first.status();
  const int64_t correction = Commit(*first);
  absl::StatusOr<StepDecision> again = Correct(look, "still wrong", fixed);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.status().message(),
              HasSubstr(absl::StrCat("already corrected by record ", correction)));
  // The correction itself is the one to correct.
  EXPECT_TRUE(Correct(correction, "still wrong", fixed).ok());
}

TEST_F(BatchStepsTest, CorrectionOfAnotherKindIsInvalidArgument) {
  StartCulture();
  absl::StatusOr<StepDecision> d = Correct(2, "typo", Look(At(absl::Hours(30))));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr("record 2 is a P0 seeding"));
}

TEST_F(BatchStepsTest, CorrectionThatBreaksTheTimelineIsRefused) {
  StartCulture();
  AppendOk(Harvest(At(absl::Hours(78))));  // record 3
  // Moving the seeding after passage 1 would make passage 1 precede it.
  absl::StatusOr<StepDecision> d = Correct(2, "time typo", P0Seeding(At(absl::Hours(80))));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  // Moving the receipt after the seeding likewise.
  TissueReceipt r = Receipt();
  r.receipt_time = At(absl::Hours(7));
  EXPECT_EQ(Correct(1, "time typo", r).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BatchStepsTest, CorrectionReplacesTheRecordInTheTimeline) {
  // Passage 1 at 78 h corrected to 70 h: checked as if 78 h had never been.
  StartCulture();
  const int64_t p1 = AppendOk(Harvest(At(absl::Hours(78))));
  absl::StatusOr<StepDecision> d = Correct(p1, "time typo", Harvest(At(absl::Hours(70))));
  EXPECT_TRUE(d.ok()) << d.status();
}

TEST_F(BatchStepsTest, CorrectedPassageKeepsItsPassageNumber) {
  StartCulture();
  const int64_t p1 = AppendOk(Harvest(At(absl::Hours(78))));
  AppendOk(Harvest(At(absl::Hours(150))));
  Passage fixed = Harvest(At(absl::Hours(78)));
  fixed.viable_cells = 8'500'000;
  absl::StatusOr<StepDecision> d = Correct(p1, "recount", fixed);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(std::get<Passage>(d->record.data).passage_number, 1);
  Commit(*d);
  EXPECT_EQ(History().CurrentPassage(), 2);
  // The next passage is still the third.
  absl::StatusOr<StepDecision> next = Append(Harvest(At(absl::Hours(222))));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(std::get<Passage>(next->record.data).passage_number, 3);
}

TEST_F(BatchStepsTest, CorrectionKeepingALotExpiredSinceIsAccepted) {
  AppendOk(Receipt());
  Seeding s = P0Seeding(At(absl::Hours(6)));  // 2026-03-01, MED-OLD's last day
  s.medium_lot = "MED-OLD";
  const int64_t seeding = AppendOk(s);
  ASSERT_NE(seeding, 0);
  s.cells_seeded = 1'100'000;  // now (2026-03-15) MED-OLD has long expired
  absl::StatusOr<StepDecision> d = Correct(seeding, "count misread", s);
  EXPECT_TRUE(d.ok()) << d.status();
}

TEST_F(BatchStepsTest, CorrectionMovingAKeptLotPastItsExpiryOpensADeviation) {
  // A correction records what happened: it is not refused, but the use of
  // an expired lot it reveals must not pass unnoticed.
  AppendOk(Receipt());
  Seeding s = P0Seeding(At(absl::Hours(6)));  // 2026-03-01
  s.medium_lot = "MED-OLD";
  const int64_t seeding = AppendOk(s);
  ASSERT_NE(seeding, 0);
  s.seeding_time = At(absl::Hours(20));  // 2026-03-02
  absl::StatusOr<StepDecision> d = Correct(seeding, "date typo", s);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->deviations_to_open.size(), 1u);
  EXPECT_EQ(d->deviations_to_open[0].kind, DeviationKind::kExpiredMaterial);
  EXPECT_THAT(d->deviations_to_open[0].description, HasSubstr("MED-OLD"));
}

TEST_F(BatchStepsTest, CorrectionNamingANewExpiredLotOpensADeviation) {
  StartCulture();
  const int64_t feed = AppendOk(Feed(At(absl::Hours(30))));  // 2026-03-02
  MediumChange m = Feed(At(absl::Hours(30)));
  m.medium_lot = "MED-OLD";  // expired 2026-03-01
  absl::StatusOr<StepDecision> d = Correct(feed, "wrong bottle", m);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->deviations_to_open.size(), 1u);
  EXPECT_EQ(d->deviations_to_open[0].kind, DeviationKind::kExpiredMaterial);
  EXPECT_THAT(d->deviations_to_open[0].description, HasSubstr("expired"));
  m.medium_lot = "MED-002";
  d = Correct(feed, "wrong bottle", m);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->deviations_to_open.empty());
}

TEST_F(BatchStepsTest, NewRecordWithAnExpiredLotIsStillRefused) {
  StartCulture();
  MediumChange m = Feed(At(absl::Hours(30)));  // 2026-03-02
  m.medium_lot = "MED-OLD";
  absl::StatusOr<StepDecision> d = Append(m);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(BatchStepsTest, CorrectionKeepingAnIncubatorNowOutOfServiceIsAccepted) {
  StartCulture();  // seeded into INC-01
  resources_.equipment["INC-01"].status = EquipmentStatus::kOutOfService;
  Seeding s = P0Seeding(At(absl::Hours(6)));
  s.cells_seeded = 1'100'000;
  EXPECT_TRUE(Correct(2, "count misread", s).ok());
  s.incubator_id = "INC-BROKEN";
  EXPECT_EQ(Correct(2, "wrong incubator", s).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(BatchStepsTest, CorrectionNamingAnUnknownLotIsNotFound) {
  StartCulture();
  Seeding s = P0Seeding(At(absl::Hours(6)));
  s.medium_lot = "MED-404";
  EXPECT_EQ(Correct(2, "wrong bottle", s).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(BatchStepsTest, CorrectionIsAllowedInQuarantine) {
  StartCulture();
  batch_.state = BatchState::kQuarantined;
  absl::StatusOr<StepDecision> d = Correct(2, "count misread", P0Seeding(At(absl::Hours(6))));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->new_state, BatchState::kQuarantined);
}

TEST_F(BatchStepsTest, CorrectionIsValidatedLikeANewRecord) {
  StartCulture();
  Seeding s = P0Seeding(At(absl::Hours(6)));
  s.cells_seeded = 0;
  EXPECT_EQ(Correct(2, "typo", s).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BatchStepsTest, CorrectionThatMakesSeedingLateOpensADeviation) {
  StartCulture();
  absl::StatusOr<StepDecision> d = Correct(2, "date typo", P0Seeding(At(absl::Hours(50))));
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->deviations_to_open.size(), 1u);
  EXPECT_EQ(d->deviations_to_open[0].kind, DeviationKind::kLateProcessing);
}


// --- Late entries ------------------------------------------------------------
namespace late_entries {

class LateEntryTest : public BatchStepsTest {};

TEST_F(LateEntryTest, StepWithinTheLimitNeedsNoReasonAndMakesNoLateEntry) {
  StartCulture();
  pinned_now_ = At(absl::Hours(30)) + product_.max_entry_delay;  // exactly at the limit
  absl::StatusOr<StepDecision> d = Append(Look(At(absl::Hours(30))));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_FALSE(d->late_entry.has_value());
}

TEST_F(LateEntryTest, StepOneMinutePastTheLimitWithoutReasonIsRefusedNamingBothTimes) {
  StartCulture();
  pinned_now_ = At(absl::Hours(30)) + product_.max_entry_delay + absl::Minutes(1);
  absl::StatusOr<StepDecision> d = Append(Look(At(absl::Hours(30))));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr("late_entry_reason: required"));
  EXPECT_THAT(d.status().message(), HasSubstr("observation_time 2026-03-02 14:00 UTC"));
  EXPECT_THAT(d.status().message(), HasSubstr("recorded at 2026-03-03 14:01 UTC"));
  EXPECT_THAT(d.status().message(), HasSubstr("24 h"));
}

TEST_F(LateEntryTest, LateStepWithReasonKeepsTheReasonAndBothTimes) {
  StartCulture();
  pinned_now_ = At(absl::Hours(80));
  ctx_.late_entry_reason = "paper log transcribed after the LIMS outage";
  absl::StatusOr<StepDecision> d = Append(Harvest(At(absl::Hours(30))));
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_TRUE(d->late_entry.has_value());
  EXPECT_EQ(d->late_entry->field, "passage_time");
  EXPECT_EQ(d->late_entry->event_time, At(absl::Hours(30)));
  EXPECT_EQ(d->late_entry->recorded_at, At(absl::Hours(80)));
  EXPECT_EQ(d->late_entry->recorded_by, "tanaka");
  EXPECT_EQ(d->late_entry->reason, "paper log transcribed after the LIMS outage");
  EXPECT_EQ(d->late_entry->delay(), absl::Hours(50));
}

TEST_F(LateEntryTest, ReasonGivenForAStepOnTimeIsNotKept) {
  StartCulture();
  pinned_now_ = At(absl::Hours(31));
  ctx_.late_entry_reason = "one reason for a whole import";
  absl::StatusOr<StepDecision> d = Append(Look(At(absl::Hours(30))));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_FALSE(d->late_entry.has_value());
}

TEST_F(LateEntryTest, ProductLimitIsTheProducts) {
  product_.max_entry_delay = absl::Hours(4);
  StartCulture();
  pinned_now_ = At(absl::Hours(35));
  absl::StatusOr<StepDecision> d = Append(Look(At(absl::Hours(30))));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr("4 h"));
}

TEST_F(LateEntryTest, CorrectionOfAnOldRecordSaysWhyInItsOwnReason) {
  StartCulture();
  pinned_now_ = At(absl::Hours(24 * 10));
  Seeding fixed = P0Seeding(At(absl::Hours(6)));
  fixed.cells_seeded = 1'200'000;
  absl::StatusOr<StepDecision> d = Correct(2, "count transcribed wrongly", fixed);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_FALSE(d->late_entry.has_value());
}

TEST_F(LateEntryTest, OverlongReasonIsRefused) {
  StartCulture();
  pinned_now_ = At(absl::Hours(80));
  ctx_.late_entry_reason = std::string(kMaxLateEntryReason + 1, 'x');
  absl::StatusOr<StepDecision> d = Append(Look(At(absl::Hours(30))));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr("late_entry_reason"));
}

}  // namespace late_entries

// --- The final harvest -------------------------------------------------------
namespace final_harvest {

Passage FinalHarvest(absl::Time at) {
  Passage p = Harvest(at);
  p.final_harvest = true;
  p.cells_reseeded = 0;
  return p;
}

class FinalHarvestTest : public BatchStepsTest {};

TEST_F(FinalHarvestTest, FinalHarvestReseedsNothingAndKeepsTheBatchInCulture) {
  StartCulture();
  absl::StatusOr<StepDecision> d = Append(FinalHarvest(At(absl::Hours(78))));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->new_state, BatchState::kInCulture);
  EXPECT_TRUE(std::get<Passage>(d->record.data).final_harvest);
  EXPECT_EQ(std::get<Passage>(d->record.data).passage_number, 1);
}

TEST_F(FinalHarvestTest, PassageThatReseedsNothingIsRefusedPointingToTheFinalHarvest) {
  StartCulture();
  Passage p = Harvest(At(absl::Hours(78)));
  p.cells_reseeded = 0;
  absl::StatusOr<StepDecision> d = Append(p);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr("cells_reseeded: 0"));
  EXPECT_THAT(d.status().message(), HasSubstr("final harvest"));
}

TEST_F(FinalHarvestTest, FinalHarvestThatReseedsIsRefused) {
  StartCulture();
  Passage p = FinalHarvest(At(absl::Hours(78)));
  p.cells_reseeded = 1'000'000;
  absl::StatusOr<StepDecision> d = Append(p);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr("must be 0 for the final harvest"));
}

TEST_F(FinalHarvestTest, NoCultureStepIsAcceptedAfterTheFinalHarvest) {
  StartCulture();
  Commit(*Append(FinalHarvest(At(absl::Hours(78)))));
  for (RecordData step : std::vector<RecordData>{Look(At(absl::Hours(80))),
                                                 Feed(At(absl::Hours(80))),
                                                 Harvest(At(absl::Hours(150))),
                                                 Look(At(absl::Hours(70)))}) {
    absl::StatusOr<StepDecision> d = Append(step);
    EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition)
        << RecordKindName(KindOf(step));
    EXPECT_THAT(d.status().message(), HasSubstr("the culture ended with the final harvest at "
                                                "2026-03-04 14:00 UTC"));
  }
}

TEST_F(FinalHarvestTest, CorrectingAnEarlierStepToAfterTheFinalHarvestIsRefused) {
  StartCulture();
  const int64_t look = AppendOk(Look(At(absl::Hours(30))));
  Commit(*Append(FinalHarvest(At(absl::Hours(78)))));
  absl::StatusOr<StepDecision> d = Correct(look, "wrong day", Look(At(absl::Hours(90))));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr("is not before the final harvest"));
}

TEST_F(FinalHarvestTest, FinalHarvestCanBeCorrected) {
  StartCulture();
  const int64_t harvest = AppendOk(FinalHarvest(At(absl::Hours(78))));
  Passage fixed = FinalHarvest(At(absl::Hours(78)));
  fixed.viable_cells = 8'500'000;
  absl::StatusOr<StepDecision> d = Correct(harvest, "recount", fixed);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_TRUE(std::get<Passage>(d->record.data).final_harvest);
}


// --- What a decision reads back ----------------------------------------------
// The store loads only KindsReadByRules() for an append (the write path's
// cost must not grow with a batch's history): every decision must be the
// same on those records as on the whole history.
class ReadBackTest : public FinalHarvestTest {
 protected:
  BatchHistory ReadByRules() const {
    const std::vector<RecordKind> kinds = KindsReadByRules();
    std::vector<BatchRecord> kept;
    for (const BatchRecord& r : records_) {
      if (std::find(kinds.begin(), kinds.end(), KindOf(r.data)) != kinds.end()) kept.push_back(r);
    }
    return BatchHistory(kept);
  }

  // Decides `data` on both histories and expects one answer; returns it.
  absl::StatusOr<StepDecision> Both(RecordData data) {
    const StepContext ctx = Ctx(data);
    absl::StatusOr<StepDecision> whole =
        DecideAppend(batch_, History(), deviations_, data, resources_, product_, ctx);
    absl::StatusOr<StepDecision> part =
        DecideAppend(batch_, ReadByRules(), deviations_, data, resources_, product_, ctx);
    EXPECT_EQ(whole.status(), part.status());
    if (whole.ok() && part.ok()) {
      EXPECT_EQ(whole->new_state, part->new_state);
      EXPECT_EQ(domain::ToJson(whole->record), domain::ToJson(part->record));
      EXPECT_EQ(whole->deviations_to_open.size(), part->deviations_to_open.size());
      for (size_t i = 0; i < std::min(whole->deviations_to_open.size(),
                                      part->deviations_to_open.size()); ++i) {
        EXPECT_EQ(whole->deviations_to_open[i].description,
                  part->deviations_to_open[i].description);
      }
    }
    return whole;
  }

  // Decides on both, expects acceptance, and commits.
  void Accept(RecordData data) {
    absl::StatusOr<StepDecision> d = Both(std::move(data));
    ASSERT_TRUE(d.ok()) << d.status();
    Commit(*d);
  }

  void Grow(int days) {
    for (int day = 1; day <= days; ++day) {
      const absl::Time morning = At(absl::Hours(6 + 24 * day));
      Accept(Look(morning));
      if (day % 3 == 0) Accept(Feed(morning + absl::Hours(1)));
    }
  }
};

TEST_F(ReadBackTest, ObservationsAndMediumChangesAreNotReadBack) {
  const std::vector<RecordKind> kinds = KindsReadByRules();
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), RecordKind::kObservation), 0);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), RecordKind::kMediumChange), 0);
}

TEST_F(ReadBackTest, EveryDecisionOfALongCultureIsTheSameOnTheRecordsReadBack) {
  StartCulture();
  Grow(4);
  Accept(Harvest(At(absl::Hours(6 + 24 * 4 + 2))));
  // Refusals are the same too: before the seeding, before the last passage.
  EXPECT_FALSE(Both(Look(At(absl::Hours(5)))).ok());
  EXPECT_FALSE(Both(Harvest(At(absl::Hours(50)))).ok());
  // Growth past the product's limits opens the same deviations.
  for (int n = 2; n <= product_.max_passage + 1; ++n) {
    Accept(Harvest(At(absl::Hours(6 + 24 * 4 + 2 + 72 * (n - 1)))));
  }
  EXPECT_FALSE(deviations_.empty());
  const absl::Time end = At(absl::Hours(6 + 24 * 4 + 2 + 72 * product_.max_passage + 24));
  Accept(Look(end));
  Accept(FinalHarvest(end + absl::Hours(2)));
  // After the final harvest nothing is accepted, on either history.
  EXPECT_FALSE(Both(Look(end + absl::Hours(3))).ok());
  EXPECT_FALSE(Both(Feed(end + absl::Hours(3))).ok());
}

}  // namespace final_harvest

}  // namespace
}  // namespace cpctrack::domain
