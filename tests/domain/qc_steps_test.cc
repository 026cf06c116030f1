#include "domain/qc_steps.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/plausibility.h"
#include "domain/product.h"
#include "domain/qc.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const absl::TimeZone kUtc = absl::UTCTimeZone();
const absl::Time kDrawn = absl::FromCivil(absl::CivilSecond(2026, 3, 10, 9, 0, 0), kUtc);
const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2026, 3, 25, 12, 0, 0), kUtc);

Unit MakeUnit(int sequence, UnitState state,
              UnitState before = UnitState::kUnspecified) {
  Unit u;
  u.unit_id = "U-" + std::to_string(sequence);
  u.sequence = sequence;
  u.state = state;
  u.state_before_quarantine = before;
  return u;
}

class QcStepsTest : public ::testing::Test {
 protected:
  QcStepsTest() {
    sample_.sample_id = 10;
    sample_.batch_id = batch_.batch_id.compact();
    sample_.point = SamplePoint::kFinalHarvest;
    sample_.drawn_at = kDrawn;
    sample_.drawn_by = "tanaka";
  }

  QcTest Pending(QcTestType type, int64_t id = 100) const {
    QcTest t;
    t.test_id = id;
    t.sample_id = sample_.sample_id;
    t.type = type;
    t.method = "USP <71> 14-day culture";
    t.started_at = kDrawn;
    t.ordered_at = kDrawn;
    t.ordered_by = "tanaka";
    return t;
  }

  // Read once a compendial culture's 14 days have run, as a real lab would.
  static QcResult Result(QcValue value, absl::Time read_at = kDrawn + absl::Hours(14 * 24 + 2)) {
    QcResult r;
    r.read_at = read_at;
    r.value = std::move(value);
    return r;
  }

  // `test` with a stored result (ID `result_id`) performed by `by`.
  static QcTest WithResult(QcTest test, QcValue value, const std::string& by,
                           int64_t result_id = 1) {
    QcResult r = Result(std::move(value));
    r.result_id = result_id;
    r.performed_by = by;
    r.recorded_at = r.read_at + absl::Hours(1);
    test.results.push_back(r);
    return test;
  }

  static QcTest Reviewed(QcTest test, const std::string& by) {
    test.reviews.push_back(
        {test.results.back().result_id, test.results.back().recorded_at + absl::Hours(5), by});
    return test;
  }

  absl::StatusOr<QcOutcome> Record(const QcTest& test, QcValue value) {
    return DecideRecordResult(batch_, sample_, test, Result(std::move(value)), units_, product_,
                              ctx_);
  }

  Product product_ = DefaultProduct();
  Batch batch_{.batch_id = *Din::Create("A9999", 26, 1),
               .patient_id = "PT-0001",
               .product_code = "ADSC-STD",
               .product_version = 1,
               .state = BatchState::kInCulture};
  QcSample sample_;
  std::vector<Unit> units_;
  // The draw was two weeks before now: these steps are written down late,
  // and say why (the late-entry rule has its own tests below).
  StepContext ctx_{.now = kNow, .facility_zone = kUtc, .actor = "suzuki",
                   .late_entry_reason = "transcribed from the QC lab notebook"};
  // The tissue was received a day before the draw.
  BatchHistory history_{ReceivedAt(kDrawn - absl::Hours(24))};

  static std::vector<BatchRecord> ReceivedAt(absl::Time t) {
    TissueReceipt receipt;
    receipt.collection_time = t - absl::Hours(4);
    receipt.receipt_time = t;
    receipt.transport_temperature_c = 4;
    BatchRecord record;
    record.record_id = 1;
    record.recorded_at = t;
    record.recorded_by = "ito";
    record.data = receipt;
    return {record};
  }
};

DetectionResult Negative() { return {Detection::kNegative, ""}; }
DetectionResult Positive(std::string organism = "") {
  return {Detection::kPositive, std::move(organism)};
}

// --- Drawing samples ------------------------------------------------------------

TEST_F(QcStepsTest, DrawSampleFillsWhoWhenAndBatch) {
  QcSample s;
  s.point = SamplePoint::kPassage;
  s.point_detail = "P2";
  s.drawn_at = kDrawn;
  s.batch_id = "someone else's";
  absl::StatusOr<SampleDecision> drawn = DecideDrawSample(batch_, history_, s, product_, ctx_);
  ASSERT_TRUE(drawn.ok()) << drawn.status();
  EXPECT_EQ(drawn->sample.batch_id, batch_.batch_id.compact());
  EXPECT_EQ(drawn->sample.drawn_by, "suzuki");
  EXPECT_EQ(drawn->sample.recorded_at, kNow);
  EXPECT_EQ(drawn->sample.drawn_at, kDrawn);
  EXPECT_EQ(drawn->sample.point, SamplePoint::kPassage);
  EXPECT_EQ(drawn->sample.point_detail, "P2");
}

TEST_F(QcStepsTest, DrawSampleNeedsAPointAndAPastTime) {
  QcSample s;
  s.drawn_at = kDrawn;
  absl::Status status = DecideDrawSample(batch_, history_, s, product_, ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("sample_point"));

  s.point = SamplePoint::kFinalProduct;
  s.drawn_at = kNow + absl::Hours(1);
  status = DecideDrawSample(batch_, history_, s, product_, ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("drawn_at"));

  s.drawn_at = absl::InfinitePast();
  status = DecideDrawSample(batch_, history_, s, product_, ctx_).status();
  EXPECT_THAT(status.message(), HasSubstr("drawn_at: required"));
}

TEST_F(QcStepsTest, ASampleIsNotDrawnBeforeTheTissueWasReceivedAndBothTimesAreNamed) {
  QcSample s;
  s.point = SamplePoint::kAfterIsolation;
  s.drawn_at = kDrawn;
  const BatchHistory received_later(ReceivedAt(kDrawn + absl::Minutes(1)));
  absl::Status status = DecideDrawSample(batch_, received_later, s, product_, ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("drawn_at: 2026-03-10 09:00 UTC"));
  EXPECT_THAT(status.message(), HasSubstr("tissue receipt (2026-03-10 09:01 UTC)"));
  // Drawn the minute the tissue arrived is fine.
  const BatchHistory received_then(ReceivedAt(kDrawn));
  EXPECT_TRUE(DecideDrawSample(batch_, received_then, s, product_, ctx_).ok());
}

TEST_F(QcStepsTest, QcIsAllowedWhileQuarantinedOrCryopreservedButNotRejected) {
  QcSample s;
  s.point = SamplePoint::kFinalProduct;
  s.drawn_at = kDrawn;
  for (BatchState ok : {BatchState::kTissueReceived, BatchState::kInCulture,
                        BatchState::kCryopreserved, BatchState::kQuarantined}) {
    batch_.state = ok;
    EXPECT_TRUE(DecideDrawSample(batch_, history_, s, product_, ctx_).ok()) << BatchStateName(ok);
  }
  for (BatchState refused :
       {BatchState::kRegistered, BatchState::kRejected, BatchState::kDisposed}) {
    batch_.state = refused;
    absl::Status status = DecideDrawSample(batch_, history_, s, product_, ctx_).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << BatchStateName(refused);
    EXPECT_THAT(status.message(), HasSubstr(BatchStateName(refused)));
    EXPECT_THAT(status.message(), HasSubstr(batch_.batch_id.compact()));
  }
}

TEST_F(QcStepsTest, RejectedBatchRefusesEveryQcStep) {
  const QcTest pending = Pending(QcTestType::kEndotoxin);
  const QcTest resulted = WithResult(pending, EndotoxinResult{0.1}, "tanaka");
  batch_.state = BatchState::kRejected;
  EXPECT_EQ(DecideOrderTests(batch_, sample_, {{.type = QcTestType::kEndotoxin}}, {}, product_, ctx_)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Record(pending, EndotoxinResult{0.1}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(DecideCorrectResult(batch_, sample_, resulted, Result(EndotoxinResult{0.2}), "typo",
                                units_, product_, ctx_)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(DecideReview(batch_, resulted, ctx_).status().code(),
            absl::StatusCode::kFailedPrecondition);
  absl::Status status = DecideInvalidate(batch_, resulted, "spilled", ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("REJECTED"));
}

// --- Ordering tests ---------------------------------------------------------------

TEST_F(QcStepsTest, OrderFillsWhoWhenAndStartsAtTheDraw) {
  const absl::Time later = kDrawn + absl::Hours(2);
  absl::StatusOr<std::vector<OrderedTest>> tests = DecideOrderTests(
      batch_, sample_,
      {{.type = QcTestType::kSterility, .method = "BacT/ALERT"},
       {.type = QcTestType::kEndotoxin, .started_at = later}},
      {}, product_, ctx_);
  ASSERT_TRUE(tests.ok()) << tests.status();
  ASSERT_THAT(*tests, SizeIs(2));
  EXPECT_EQ((*tests)[0].test.type, QcTestType::kSterility);
  EXPECT_EQ((*tests)[0].test.method, "BacT/ALERT");
  EXPECT_EQ((*tests)[0].test.sample_id, 10);
  EXPECT_EQ((*tests)[0].test.started_at, kDrawn);
  EXPECT_EQ((*tests)[0].test.ordered_by, "suzuki");
  EXPECT_EQ((*tests)[0].test.ordered_at, kNow);
  EXPECT_EQ((*tests)[0].test.retest_of, 0);
  EXPECT_EQ((*tests)[0].test.State(), QcTestState::kPending);
  EXPECT_EQ((*tests)[1].test.started_at, later);
  EXPECT_EQ((*tests)[1].test.method, "");
}

TEST_F(QcStepsTest, CultureTestsNeedAMethod) {
  for (QcTestType type : {QcTestType::kSterility, QcTestType::kMycoplasma}) {
    absl::Status status =
        DecideOrderTests(batch_, sample_, {{.type = type}}, {}, product_, ctx_).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << QcTestTypeName(type);
    EXPECT_THAT(status.message(), HasSubstr("tests.method"));
  }
  for (QcTestType type : {QcTestType::kEndotoxin, QcTestType::kGramStain,
                          QcTestType::kFlowCytometry, QcTestType::kViability}) {
    EXPECT_TRUE(DecideOrderTests(batch_, sample_, {{.type = type}}, {}, product_, ctx_).ok())
        << QcTestTypeName(type);
  }
}

TEST_F(QcStepsTest, OrderRefusesMissingTypeEmptyOrTooManyOrders) {
  absl::Status status = DecideOrderTests(batch_, sample_, {{}}, {}, product_, ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("tests.type"));

  status = DecideOrderTests(batch_, sample_, {}, {}, product_, ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("got 0"));

  std::vector<TestOrder> many(21, TestOrder{.type = QcTestType::kViability});
  status = DecideOrderTests(batch_, sample_, many, {}, product_, ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("got 21"));
  many.pop_back();
  EXPECT_TRUE(DecideOrderTests(batch_, sample_, many, {}, product_, ctx_).ok());
}

TEST_F(QcStepsTest, TestCannotStartBeforeTheDrawOrInTheFuture) {
  absl::Status status =
      DecideOrderTests(batch_, sample_,
                       {{.type = QcTestType::kEndotoxin, .started_at = kDrawn - absl::Hours(1)}},
                       {}, product_, ctx_)
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("tests.started_at"));
  EXPECT_THAT(status.message(), HasSubstr("sample draw"));

  status = DecideOrderTests(batch_, sample_,
                            {{.type = QcTestType::kEndotoxin, .started_at = kNow + absl::Hours(1)}},
                            {}, product_, ctx_)
               .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("future"));
}

TEST_F(QcStepsTest, RetestOfAnInvalidatedTestOfTheSameType) {
  QcTest spoiled = Pending(QcTestType::kEndotoxin, 7);
  spoiled.invalidation = QcInvalidation{kDrawn, "tanaka", "cartridge dropped"};
  absl::StatusOr<std::vector<OrderedTest>> tests = DecideOrderTests(
      batch_, sample_, {{.type = QcTestType::kEndotoxin, .retest_of = 7}}, {spoiled}, product_, ctx_);
  ASSERT_TRUE(tests.ok()) << tests.status();
  ASSERT_THAT(*tests, SizeIs(1));
  EXPECT_EQ((*tests)[0].test.retest_of, 7);
}

TEST_F(QcStepsTest, RetestMustBeOfAnInvalidatedTestOfTheBatch) {
  absl::Status status =
      DecideOrderTests(batch_, sample_, {{.type = QcTestType::kEndotoxin, .retest_of = 99}}, {},
                       product_, ctx_)
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("tests.retest_of"));
  EXPECT_THAT(status.message(), HasSubstr("99"));

  const QcTest resulted = WithResult(Pending(QcTestType::kEndotoxin, 7), EndotoxinResult{0.1},
                                     "tanaka");
  status = DecideOrderTests(batch_, sample_, {{.type = QcTestType::kEndotoxin, .retest_of = 7}},
                            {resulted}, product_, ctx_)
               .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("RESULTED"));
  EXPECT_THAT(status.message(), HasSubstr("invalidate"));

  QcTest spoiled = Pending(QcTestType::kEndotoxin, 7);
  spoiled.invalidation = QcInvalidation{kDrawn, "tanaka", "cartridge dropped"};
  status = DecideOrderTests(batch_, sample_, {{.type = QcTestType::kGramStain, .retest_of = 7}},
                            {spoiled}, product_, ctx_)
               .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("same type"));
  EXPECT_THAT(status.message(), HasSubstr("ENDOTOXIN"));
}

TEST_F(QcStepsTest, AnInvalidatedTestIsRetestedOnlyOnce) {
  QcTest spoiled = Pending(QcTestType::kEndotoxin, 7);
  spoiled.invalidation = QcInvalidation{kDrawn, "tanaka", "cartridge dropped"};
  QcTest retest = Pending(QcTestType::kEndotoxin, 8);
  retest.retest_of = 7;
  absl::Status status =
      DecideOrderTests(batch_, sample_, {{.type = QcTestType::kEndotoxin, .retest_of = 7}},
                       {spoiled, retest}, product_, ctx_)
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("already has a retest"));

  // Twice in one request.
  status = DecideOrderTests(batch_, sample_,
                            {{.type = QcTestType::kEndotoxin, .retest_of = 7},
                             {.type = QcTestType::kEndotoxin, .retest_of = 7}},
                            {spoiled}, product_, ctx_)
               .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("already has a retest"));
}

// --- Recording results -------------------------------------------------------------

TEST_F(QcStepsTest, FirstResultOfAPendingTestIsByTheActor) {
  QcResult r = Result(Negative());
  r.performed_by = "somebody else";
  r.instrument_id = "BACT-1";
  r.kit_lot = "KIT-9";
  r.corrects_result_id = 5;  // ignored on a first result
  r.correction_reason = "ignored";
  absl::StatusOr<QcOutcome> outcome = DecideRecordResult(
      batch_, sample_, Pending(QcTestType::kSterility), r, units_, product_, ctx_);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->result.performed_by, "suzuki");
  EXPECT_EQ(outcome->result.recorded_at, kNow);
  EXPECT_EQ(outcome->result.instrument_id, "BACT-1");
  EXPECT_EQ(outcome->result.kit_lot, "KIT-9");
  EXPECT_EQ(outcome->result.corrects_result_id, 0);
  EXPECT_EQ(outcome->result.correction_reason, "");
  EXPECT_FALSE(outcome->effects.new_state.has_value());
  EXPECT_THAT(outcome->effects.deviations_to_open, IsEmpty());
  EXPECT_THAT(outcome->effects.unit_changes, IsEmpty());
}

TEST_F(QcStepsTest, ResultIsRefusedForATestThatIsNotPending) {
  const QcTest resulted = WithResult(Pending(QcTestType::kSterility), Negative(), "tanaka");
  absl::Status status = Record(resulted, Negative()).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("already has a result"));
  EXPECT_THAT(status.message(), HasSubstr("correction"));

  status = Record(Reviewed(resulted, "sato"), Negative()).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("already has a result"));

  QcTest spoiled = Pending(QcTestType::kSterility);
  spoiled.invalidation = QcInvalidation{kDrawn, "tanaka", "contaminated by the operator"};
  status = Record(spoiled, Negative()).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("invalidated"));
  EXPECT_THAT(status.message(), HasSubstr("retest_of 100"));
}

TEST_F(QcStepsTest, ResultMustBeOfTheTestsKind) {
  absl::Status status = Record(Pending(QcTestType::kSterility), EndotoxinResult{0.1}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("STERILITY"));
  EXPECT_THAT(status.message(), HasSubstr("detection"));

  status = Record(Pending(QcTestType::kViability), Negative()).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("VIABILITY"));

  EXPECT_TRUE(Record(Pending(QcTestType::kMycoplasma), Negative()).ok());
}

TEST_F(QcStepsTest, ResultValuesAreValidated) {
  struct Case {
    QcTestType type;
    QcValue value;
    const char* field;
  };
  const Case cases[] = {
      {QcTestType::kSterility, DetectionResult{}, "result.detection"},
      {QcTestType::kSterility, DetectionResult{Detection::kNegative, "E. coli"},
       "result.organism"},
      {QcTestType::kEndotoxin, EndotoxinResult{-0.1}, "result.endotoxin_eu_per_ml"},
      {QcTestType::kGramStain, GramStainResult{}, "result.gram_stain"},
      {QcTestType::kFlowCytometry, FlowResult{}, "result.markers"},
      {QcTestType::kFlowCytometry, FlowResult{{{"CD73", 101}}}, "result.markers[CD73]"},
      {QcTestType::kFlowCytometry, FlowResult{{{"CD73", 99}, {" cd73", 98}}}, "given twice"},
      {QcTestType::kFlowCytometry, FlowResult{{{"", 99}}}, "result.markers.marker"},
      {QcTestType::kViability, ViabilityResult{100.5}, "result.viability_percent"},
  };
  for (const Case& c : cases) {
    absl::Status status = Record(Pending(c.type), c.value).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_THAT(status.message(), HasSubstr(c.field));
  }
}

TEST_F(QcStepsTest, ReadTimeIsBetweenTheStartAndNow) {
  absl::Status status =
      DecideRecordResult(batch_, sample_, Pending(QcTestType::kEndotoxin),
                         Result(EndotoxinResult{0.1}, kDrawn - absl::Minutes(1)), units_, product_,
                         ctx_)
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("read_at"));
  EXPECT_THAT(status.message(), HasSubstr("start"));

  status = DecideRecordResult(batch_, sample_, Pending(QcTestType::kEndotoxin),
                              Result(EndotoxinResult{0.1}, kNow + absl::Hours(1)), units_,
                              product_, ctx_)
               .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("read_at"));
  EXPECT_THAT(status.message(), HasSubstr("future"));
}

// --- Positive results -----------------------------------------------------------------

TEST_F(QcStepsTest, PositiveSterilityQuarantinesBatchAndUsableUnitsAndOpensDeviation) {
  batch_.state = BatchState::kCryopreserved;
  units_ = {MakeUnit(1, UnitState::kStored), MakeUnit(2, UnitState::kThawed),
            MakeUnit(3, UnitState::kInfused), MakeUnit(4, UnitState::kDisposed)};
  absl::StatusOr<QcOutcome> outcome =
      Record(Pending(QcTestType::kSterility), Positive("S. epidermidis"));
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  const BatchEffects& e = outcome->effects;
  ASSERT_TRUE(e.new_state.has_value());
  EXPECT_EQ(*e.new_state, BatchState::kQuarantined);
  ASSERT_THAT(e.unit_changes, SizeIs(2));
  EXPECT_EQ(e.unit_changes[0].unit_id, "U-1");
  EXPECT_EQ(e.unit_changes[0].event, UnitEventKind::kQuarantined);
  EXPECT_EQ(e.unit_changes[0].from, UnitState::kStored);
  EXPECT_EQ(e.unit_changes[0].to, UnitState::kQuarantined);
  EXPECT_EQ(e.unit_changes[1].unit_id, "U-2");
  EXPECT_EQ(e.unit_changes[1].from, UnitState::kThawed);
  EXPECT_EQ(e.unit_changes[1].to, UnitState::kQuarantined);
  ASSERT_THAT(e.deviations_to_open, SizeIs(1));
  const Deviation& d = e.deviations_to_open[0];
  EXPECT_EQ(d.kind, DeviationKind::kPositiveTest);
  EXPECT_EQ(d.state, DeviationState::kOpen);
  EXPECT_EQ(d.qc_test_id, 100);
  EXPECT_EQ(d.opened_by, "suzuki");
  EXPECT_EQ(d.opened_at, kNow);
  EXPECT_THAT(d.description, HasSubstr("STERILITY test 100 POSITIVE"));
  EXPECT_THAT(d.description, HasSubstr("S. epidermidis"));
  EXPECT_THAT(d.description, HasSubstr("FINAL_HARVEST"));
  EXPECT_THAT(d.description, HasSubstr("quarantined"));
}

TEST_F(QcStepsTest, PositiveMycoplasmaQuarantinesAnActiveBatch) {
  for (BatchState s :
       {BatchState::kTissueReceived, BatchState::kInCulture, BatchState::kCryopreserved}) {
    batch_.state = s;
    absl::StatusOr<QcOutcome> outcome = Record(Pending(QcTestType::kMycoplasma), Positive());
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    ASSERT_TRUE(outcome->effects.new_state.has_value()) << BatchStateName(s);
    EXPECT_EQ(*outcome->effects.new_state, BatchState::kQuarantined);
    ASSERT_THAT(outcome->effects.deviations_to_open, SizeIs(1));
    EXPECT_EQ(outcome->effects.deviations_to_open[0].kind, DeviationKind::kPositiveTest);
    EXPECT_THAT(outcome->effects.deviations_to_open[0].description,
                HasSubstr("MYCOPLASMA test 100 POSITIVE"));
  }
}

TEST_F(QcStepsTest, SecondPositiveOnAQuarantinedBatchOpensAnotherDeviation) {
  batch_.state = BatchState::kQuarantined;
  units_ = {MakeUnit(1, UnitState::kQuarantined, UnitState::kStored)};
  absl::StatusOr<QcOutcome> outcome = Record(Pending(QcTestType::kSterility), Positive());
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  ASSERT_TRUE(outcome->effects.new_state.has_value());
  EXPECT_EQ(*outcome->effects.new_state, BatchState::kQuarantined);
  EXPECT_THAT(outcome->effects.unit_changes, IsEmpty());  // already held
  ASSERT_THAT(outcome->effects.deviations_to_open, SizeIs(1));
  EXPECT_EQ(outcome->effects.deviations_to_open[0].kind, DeviationKind::kPositiveTest);
}

// --- Incubation: a final NEGATIVE culture exists once its method has run ------

TEST_F(QcStepsTest, FinalNegativeSterilityOneMinuteBeforeTheIncubationEndsIsRefused) {
  const QcTest test = Pending(QcTestType::kSterility);
  const absl::Time ends = kDrawn + absl::Hours(14 * 24);  // USP <71>
  absl::Status status =
      DecideRecordResult(batch_, sample_, test, Result(Negative(), ends - absl::Minutes(1)),
                         units_, product_, ctx_)
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("read_at"));
  EXPECT_THAT(status.message(), HasSubstr("14 days"));
  EXPECT_THAT(status.message(), HasSubstr("it can be read from 2026-03-24 09:00 UTC"));
  EXPECT_THAT(status.message(), HasSubstr("interim"));

  EXPECT_TRUE(DecideRecordResult(batch_, sample_, test, Result(Negative(), ends), units_,
                                 product_, ctx_)
                  .ok());
  EXPECT_TRUE(DecideRecordResult(batch_, sample_, test,
                                 Result(Negative(), ends + absl::Minutes(1)), units_, product_,
                                 ctx_)
                  .ok());
}

TEST_F(QcStepsTest, APositiveCultureIsReportedTheMomentGrowthIsSeen) {
  const absl::StatusOr<QcOutcome> outcome =
      DecideRecordResult(batch_, sample_, Pending(QcTestType::kSterility),
                         Result(Positive("E. coli"), kDrawn + absl::Hours(30)), units_,
                         product_, ctx_);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(*outcome->effects.new_state, BatchState::kQuarantined);
}

TEST_F(QcStepsTest, TheIncubationIsTheProductsRequiredTests) {
  // A validated rapid sterility method, and mycoplasma by NAT.
  product_.required_tests = {{QcTestType::kSterility, "BacT/ALERT", absl::Hours(7 * 24)},
                             {QcTestType::kMycoplasma, "NAT", absl::Hours(24)}};
  const absl::Time week = kDrawn + absl::Hours(7 * 24);
  EXPECT_EQ(DecideRecordResult(batch_, sample_, Pending(QcTestType::kSterility),
                               Result(Negative(), week - absl::Minutes(1)), units_, product_,
                               ctx_)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(DecideRecordResult(batch_, sample_, Pending(QcTestType::kSterility),
                                 Result(Negative(), week), units_, product_, ctx_)
                  .ok());
  const absl::Status early =
      DecideRecordResult(batch_, sample_, Pending(QcTestType::kMycoplasma),
                         Result(Negative(), kDrawn + absl::Hours(23)), units_, product_, ctx_)
          .status();
  EXPECT_EQ(early.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(early.message(), HasSubstr("MYCOPLASMA"));
  EXPECT_THAT(early.message(), HasSubstr("24 h"));
  EXPECT_TRUE(DecideRecordResult(batch_, sample_, Pending(QcTestType::kMycoplasma),
                                 Result(Negative(), kDrawn + absl::Hours(24)), units_, product_,
                                 ctx_)
                  .ok());
  // A correction to NEGATIVE is a final NEGATIVE too.
  const QcTest resulted = WithResult(Pending(QcTestType::kSterility), Negative(), "tanaka");
  EXPECT_EQ(DecideCorrectResult(batch_, sample_, resulted,
                                Result(Negative(), kDrawn + absl::Hours(48)), "typo", units_,
                                product_, ctx_)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(QcStepsTest, RapidTestsHaveNoIncubationToWaitFor) {
  EXPECT_TRUE(DecideRecordResult(batch_, sample_, Pending(QcTestType::kGramStain),
                                 Result(GramStainResult{GramFinding::kNoOrganismsSeen, ""},
                                        kDrawn + absl::Minutes(30)),
                                 units_, product_, ctx_)
                  .ok());
}

TEST_F(QcStepsTest, InterimReadingsAreRecordedAnyTimeAndNeverAResult) {
  const QcTest test = Pending(QcTestType::kSterility);
  absl::StatusOr<InterimReading> reading = DecideInterimReading(
      batch_, test, Result(Negative(), kDrawn + absl::Hours(72)), "no growth at 72 h", ctx_);
  ASSERT_TRUE(reading.ok()) << reading.status();
  EXPECT_EQ(reading->read_at, kDrawn + absl::Hours(72));
  EXPECT_EQ(reading->note, "no growth at 72 h");
  EXPECT_EQ(reading->performed_by, "suzuki");
  EXPECT_EQ(reading->recorded_at, kNow);

  QcTest with_reading = test;
  with_reading.interim_readings.push_back(*reading);
  EXPECT_EQ(with_reading.State(), QcTestState::kPending);
  EXPECT_EQ(with_reading.Current(), nullptr);
}

TEST_F(QcStepsTest, InterimReadingsAreRefusedWhereTheyMeanNothing) {
  // Growth is a final POSITIVE, at once.
  absl::Status status = DecideInterimReading(batch_, Pending(QcTestType::kSterility),
                                             Result(Positive()), "turbid", ctx_)
                            .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("final POSITIVE"));
  // No incubation, no interim.
  status = DecideInterimReading(batch_, Pending(QcTestType::kEndotoxin),
                                Result(EndotoxinResult{0.1}), "", ctx_)
               .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  // Before the test started.
  status = DecideInterimReading(batch_, Pending(QcTestType::kSterility),
                                Result(Negative(), kDrawn - absl::Hours(1)), "", ctx_)
               .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("before the test's start"));
  // Once the final result is in.
  status = DecideInterimReading(batch_,
                                WithResult(Pending(QcTestType::kSterility), Negative(), "tanaka"),
                                Result(Negative()), "", ctx_)
               .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(QcStepsTest, NegativeCultureChangesNothing) {
  batch_.state = BatchState::kCryopreserved;
  units_ = {MakeUnit(1, UnitState::kStored)};
  absl::StatusOr<QcOutcome> outcome = Record(Pending(QcTestType::kSterility), Negative());
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_FALSE(outcome->effects.new_state.has_value());
  EXPECT_THAT(outcome->effects.unit_changes, IsEmpty());
  EXPECT_THAT(outcome->effects.deviations_to_open, IsEmpty());
}

// --- Out of specification --------------------------------------------------------------

TEST_F(QcStepsTest, EndotoxinAboveTheLimitOpensAnOosDeviation) {
  absl::StatusOr<QcOutcome> outcome = Record(Pending(QcTestType::kEndotoxin), EndotoxinResult{1.5});
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_FALSE(outcome->effects.new_state.has_value());
  EXPECT_THAT(outcome->effects.unit_changes, IsEmpty());
  ASSERT_THAT(outcome->effects.deviations_to_open, SizeIs(1));
  const Deviation& d = outcome->effects.deviations_to_open[0];
  EXPECT_EQ(d.kind, DeviationKind::kOutOfSpecification);
  EXPECT_EQ(d.qc_test_id, 100);
  EXPECT_THAT(d.description, HasSubstr("ENDOTOXIN test 100 out of specification"));
  EXPECT_THAT(d.description, HasSubstr("endotoxin 1.5 EU/mL is above the limit 1 EU/mL"));

  outcome = Record(Pending(QcTestType::kEndotoxin), EndotoxinResult{1.0});  // at the limit
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_THAT(outcome->effects.deviations_to_open, IsEmpty());
}

TEST_F(QcStepsTest, GramOrganismsSeenHoldsTheBatchLikeAPositiveCulture) {
  units_ = {MakeUnit(1, UnitState::kStored), MakeUnit(2, UnitState::kThawed)};
  absl::StatusOr<QcOutcome> outcome = Record(
      Pending(QcTestType::kGramStain),
      GramStainResult{GramFinding::kOrganismsSeen, "Gram-positive cocci"});
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  ASSERT_TRUE(outcome->effects.new_state.has_value());
  EXPECT_EQ(*outcome->effects.new_state, BatchState::kQuarantined);
  ASSERT_THAT(outcome->effects.unit_changes, SizeIs(2));
  EXPECT_EQ(outcome->effects.unit_changes[0].to, UnitState::kQuarantined);
  EXPECT_EQ(outcome->effects.unit_changes[1].from, UnitState::kThawed);
  EXPECT_EQ(outcome->effects.unit_changes[1].to, UnitState::kQuarantined);
  ASSERT_THAT(outcome->effects.deviations_to_open, SizeIs(1));
  EXPECT_EQ(outcome->effects.deviations_to_open[0].kind, DeviationKind::kPositiveTest);
  EXPECT_THAT(outcome->effects.deviations_to_open[0].description,
              HasSubstr("GRAM_STAIN test 100 ORGANISMS_SEEN (Gram-positive cocci)"));
  EXPECT_THAT(outcome->effects.deviations_to_open[0].description, HasSubstr("quarantined"));

  // Like a positive culture, it is never corrected away.
  const QcTest seen = WithResult(Pending(QcTestType::kGramStain),
                                 GramStainResult{GramFinding::kOrganismsSeen, ""}, "tanaka");
  const absl::Status status =
      DecideCorrectResult(batch_, sample_, seen,
                          Result(GramStainResult{GramFinding::kNoOrganismsSeen, ""}),
                          "misread", units_, product_, ctx_)
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);

  outcome = Record(Pending(QcTestType::kGramStain), GramStainResult{GramFinding::kNoOrganismsSeen});
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_THAT(outcome->effects.deviations_to_open, IsEmpty());
}

TEST_F(QcStepsTest, ViabilityBelowTheMinimumIsOutOfSpecification) {
  absl::StatusOr<QcOutcome> outcome = Record(Pending(QcTestType::kViability), ViabilityResult{65});
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  ASSERT_THAT(outcome->effects.deviations_to_open, SizeIs(1));
  EXPECT_EQ(outcome->effects.deviations_to_open[0].kind, DeviationKind::kOutOfSpecification);
  EXPECT_THAT(outcome->effects.deviations_to_open[0].description,
              HasSubstr("viability 65% is below the minimum 70%"));

  outcome = Record(Pending(QcTestType::kViability), ViabilityResult{70});
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_THAT(outcome->effects.deviations_to_open, IsEmpty());
}

TEST_F(QcStepsTest, PostThawSamplesUseThePostThawMinimum) {
  product_.qc.min_viability_percent = 60;
  product_.qc.min_post_thaw_viability_percent = 80;
  absl::StatusOr<QcOutcome> outcome = Record(Pending(QcTestType::kViability), ViabilityResult{75});
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_THAT(outcome->effects.deviations_to_open, IsEmpty());  // FINAL_HARVEST: min 60

  sample_.point = SamplePoint::kPostThaw;
  outcome = Record(Pending(QcTestType::kViability), ViabilityResult{75});
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  ASSERT_THAT(outcome->effects.deviations_to_open, SizeIs(1));
  EXPECT_THAT(outcome->effects.deviations_to_open[0].description,
              HasSubstr("below the minimum 80%"));
  EXPECT_THAT(outcome->effects.deviations_to_open[0].description, HasSubstr("POST_THAW"));
}

TEST_F(QcStepsTest, AdscMarkersOutsideTheirLimitsAreOutOfSpecification) {
  // IFATS/ISCT 2013 (the default product): CD34 is recorded, never judged.
  absl::StatusOr<QcOutcome> outcome = Record(
      Pending(QcTestType::kFlowCytometry),
      FlowResult{{{"CD73", 79}, {"cd90", 99}, {"CD44", 80}, {"CD31", 5}, {"CD34", 40},
                  {"CD200", 1}}});
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  // Stored under canonical names, CD34 among them.
  const auto& markers = std::get<FlowResult>(outcome->result.value).markers;
  ASSERT_THAT(markers, SizeIs(6));
  EXPECT_EQ(markers[1].marker, "CD90");
  EXPECT_EQ(markers[4].marker, "CD34");
  ASSERT_THAT(outcome->effects.deviations_to_open, SizeIs(1));
  const std::string& why = outcome->effects.deviations_to_open[0].description;
  EXPECT_THAT(why, HasSubstr("CD73 79% is below 80%"));
  EXPECT_THAT(why, HasSubstr("CD31 5% is above 2%"));
  EXPECT_THAT(why, ::testing::Not(HasSubstr("CD44")));   // 80 % is enough
  EXPECT_THAT(why, ::testing::Not(HasSubstr("CD34")));   // varies in culture
  EXPECT_THAT(why, ::testing::Not(HasSubstr("CD200")));  // not in the specification

  outcome = Record(Pending(QcTestType::kFlowCytometry),
                   FlowResult{{{"CD73", 85}, {"CD90", 92}, {"CD105", 81}, {"CD44", 97},
                               {"CD45", 1.5}, {"CD31", 0.4}, {"CD235a", 2}, {"CD34", 12}}});
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_THAT(outcome->effects.deviations_to_open, IsEmpty());
}

TEST_F(QcStepsTest, AVersionUnderIsct2006KeepsItsStricterLimits) {
  product_.qc.markers = IsctMarkerLimits();
  absl::StatusOr<QcOutcome> outcome =
      Record(Pending(QcTestType::kFlowCytometry),
             FlowResult{{{"CD73", 90}, {"CD79α", 5}, {"CD34", 12}}});
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  ASSERT_THAT(outcome->effects.deviations_to_open, SizeIs(1));
  const std::string& why = outcome->effects.deviations_to_open[0].description;
  EXPECT_THAT(why, HasSubstr("CD73 90% is below 95%"));
  EXPECT_THAT(why, HasSubstr("CD79A 5% is above 2%"));
  EXPECT_THAT(why, HasSubstr("CD34 12% is above 2%"));
}

TEST(OutOfSpecificationTest, PositiveDetectionIsNotOutOfSpecification) {
  const QcSpecification spec = DefaultProduct().qc;
  EXPECT_FALSE(
      OutOfSpecification(DetectionResult{Detection::kPositive, ""}, SamplePoint::kFinalProduct,
                         spec)
          .has_value());
  EXPECT_FALSE(OutOfSpecification(EndotoxinResult{0.5}, SamplePoint::kFinalProduct, spec)
                   .has_value());
  std::optional<std::string> why =
      OutOfSpecification(ViabilityResult{69.9}, SamplePoint::kPostThaw, spec);
  ASSERT_TRUE(why.has_value());
  EXPECT_THAT(*why, HasSubstr("69.9%"));
}

// --- Corrections --------------------------------------------------------------------

TEST_F(QcStepsTest, CorrectionSupersedesTheCurrentResultWithAReason) {
  QcTest test = WithResult(Pending(QcTestType::kEndotoxin), EndotoxinResult{0.1}, "tanaka", 41);
  test = Reviewed(test, "sato");  // changed after review: only by a correction
  absl::StatusOr<QcOutcome> outcome =
      DecideCorrectResult(batch_, sample_, test, Result(EndotoxinResult{0.2}),
                          "transcription error", units_, product_, ctx_);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->result.corrects_result_id, 41);
  EXPECT_EQ(outcome->result.correction_reason, "transcription error");
  EXPECT_EQ(outcome->result.performed_by, "suzuki");
  EXPECT_EQ(std::get<EndotoxinResult>(outcome->result.value).eu_per_ml, 0.2);
  EXPECT_THAT(outcome->effects.deviations_to_open, IsEmpty());
}

TEST_F(QcStepsTest, CorrectionNeedsAReasonAndAResult) {
  const QcTest test = WithResult(Pending(QcTestType::kEndotoxin), EndotoxinResult{0.1}, "tanaka");
  absl::Status status = DecideCorrectResult(batch_, sample_, test, Result(EndotoxinResult{0.2}),
                                            "", units_, product_, ctx_)
                            .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("reason: required"));

  status = DecideCorrectResult(batch_, sample_, Pending(QcTestType::kEndotoxin),
                               Result(EndotoxinResult{0.2}), "typo", units_, product_, ctx_)
               .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("no result to correct"));

  QcTest spoiled = test;
  spoiled.invalidation = QcInvalidation{kNow, "sato", "wrong dilution"};
  status = DecideCorrectResult(batch_, sample_, spoiled, Result(EndotoxinResult{0.2}), "typo",
                               units_, product_, ctx_)
               .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("invalidated"));
}

TEST_F(QcStepsTest, CorrectionIsValidatedLikeAResult) {
  const QcTest test = WithResult(Pending(QcTestType::kEndotoxin), EndotoxinResult{0.1}, "tanaka");
  absl::Status status = DecideCorrectResult(batch_, sample_, test, Result(ViabilityResult{80}),
                                            "typo", units_, product_, ctx_)
                            .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("ENDOTOXIN"));
}

TEST_F(QcStepsTest, PositiveResultCannotBeCorrected) {
  const QcTest test = WithResult(Pending(QcTestType::kSterility), Positive("E. coli"), "tanaka");
  absl::Status status = DecideCorrectResult(batch_, sample_, test, Result(Negative()),
                                            "wrong tube", units_, product_, ctx_)
                            .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("POSITIVE"));
  EXPECT_THAT(status.message(), HasSubstr("cannot be corrected"));
  EXPECT_THAT(status.message(), HasSubstr("deviation"));
}

TEST_F(QcStepsTest, CorrectingANegativeToPositiveQuarantines) {
  batch_.state = BatchState::kCryopreserved;
  units_ = {MakeUnit(1, UnitState::kStored)};
  const QcTest test = WithResult(Pending(QcTestType::kSterility), Negative(), "tanaka");
  absl::StatusOr<QcOutcome> outcome = DecideCorrectResult(
      batch_, sample_, test, Result(Positive()), "read the wrong bottle", units_, product_, ctx_);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  ASSERT_TRUE(outcome->effects.new_state.has_value());
  EXPECT_EQ(*outcome->effects.new_state, BatchState::kQuarantined);
  ASSERT_THAT(outcome->effects.unit_changes, SizeIs(1));
  ASSERT_THAT(outcome->effects.deviations_to_open, SizeIs(1));
  EXPECT_EQ(outcome->effects.deviations_to_open[0].kind, DeviationKind::kPositiveTest);
}

TEST_F(QcStepsTest, CorrectingToAnOutOfSpecValueOpensADeviation) {
  const QcTest test = WithResult(Pending(QcTestType::kViability), ViabilityResult{90}, "tanaka");
  absl::StatusOr<QcOutcome> outcome = DecideCorrectResult(
      batch_, sample_, test, Result(ViabilityResult{50}), "digits swapped", units_, product_, ctx_);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  ASSERT_THAT(outcome->effects.deviations_to_open, SizeIs(1));
  EXPECT_EQ(outcome->effects.deviations_to_open[0].kind, DeviationKind::kOutOfSpecification);
}

// --- Review ---------------------------------------------------------------------------

TEST_F(QcStepsTest, ReviewBySecondPerson) {
  const QcTest test = WithResult(Pending(QcTestType::kSterility), Negative(), "tanaka", 55);
  absl::StatusOr<QcReview> review = DecideReview(batch_, test, ctx_);
  ASSERT_TRUE(review.ok()) << review.status();
  EXPECT_EQ(review->result_id, 55);
  EXPECT_EQ(review->reviewed_by, "suzuki");
  EXPECT_EQ(review->reviewed_at, kNow);
}

TEST_F(QcStepsTest, PerformerCannotReviewOwnResult) {
  const QcTest test = WithResult(Pending(QcTestType::kSterility), Negative(), "suzuki");
  absl::Status status = DecideReview(batch_, test, ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(status.message(), HasSubstr("suzuki"));
  EXPECT_THAT(status.message(), HasSubstr("second person"));
}

TEST_F(QcStepsTest, OnlyAResultAwaitingReviewIsReviewed) {
  absl::Status status = DecideReview(batch_, Pending(QcTestType::kSterility), ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("PENDING"));

  const QcTest reviewed =
      Reviewed(WithResult(Pending(QcTestType::kSterility), Negative(), "tanaka"), "sato");
  status = DecideReview(batch_, reviewed, ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("REVIEWED"));

  QcTest spoiled = WithResult(Pending(QcTestType::kSterility), Negative(), "tanaka");
  spoiled.invalidation = QcInvalidation{kNow, "sato", "broken bottle"};
  status = DecideReview(batch_, spoiled, ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("INVALIDATED"));
}

TEST_F(QcStepsTest, CorrectedResultNeedsItsOwnReviewByAnotherThanItsPerformer) {
  QcTest test = Reviewed(
      WithResult(Pending(QcTestType::kEndotoxin), EndotoxinResult{0.1}, "tanaka", 1), "suzuki");
  // The correction by suzuki is in effect: the first result stays on record.
  QcResult correction = Result(EndotoxinResult{0.3});
  correction.result_id = 2;
  correction.performed_by = "suzuki";
  correction.corrects_result_id = 1;
  correction.correction_reason = "typo";
  test.results.push_back(correction);
  EXPECT_EQ(test.State(), QcTestState::kResulted);
  EXPECT_EQ(test.Current()->result_id, 2);
  EXPECT_EQ(test.results.front().result_id, 1);
  EXPECT_EQ(test.CurrentReview(), nullptr);

  EXPECT_EQ(DecideReview(batch_, test, ctx_).status().code(),
            absl::StatusCode::kPermissionDenied);
  ctx_.actor = "tanaka";
  absl::StatusOr<QcReview> review = DecideReview(batch_, test, ctx_);
  ASSERT_TRUE(review.ok()) << review.status();
  EXPECT_EQ(review->result_id, 2);
}

// --- Invalidation ----------------------------------------------------------------------

TEST_F(QcStepsTest, InvalidationRecordsWhoWhenAndWhy) {
  for (const QcTest& test :
       {Pending(QcTestType::kEndotoxin),
        WithResult(Pending(QcTestType::kEndotoxin), EndotoxinResult{3}, "tanaka"),
        Reviewed(WithResult(Pending(QcTestType::kEndotoxin), EndotoxinResult{3}, "tanaka"),
                 "sato")}) {
    absl::StatusOr<QcInvalidation> inv =
        DecideInvalidate(batch_, test, "sample haemolysed", ctx_);
    ASSERT_TRUE(inv.ok()) << inv.status();
    EXPECT_EQ(inv->invalidated_by, "suzuki");
    EXPECT_EQ(inv->invalidated_at, kNow);
    EXPECT_EQ(inv->reason, "sample haemolysed");
  }
}

TEST_F(QcStepsTest, InvalidationNeedsAReasonAndHappensOnce) {
  QcTest test = Pending(QcTestType::kEndotoxin);
  absl::Status status = DecideInvalidate(batch_, test, "", ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("reason"));

  test.invalidation = QcInvalidation{kNow, "sato", "dropped"};
  status = DecideInvalidate(batch_, test, "again", ctx_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("already invalidated"));
}

TEST_F(QcStepsTest, PositiveResultCannotBeInvalidated) {
  for (QcTestType type : {QcTestType::kSterility, QcTestType::kMycoplasma}) {
    const QcTest test = WithResult(Pending(type), Positive(), "tanaka");
    absl::Status status = DecideInvalidate(batch_, test, "probably contamination", ctx_).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << QcTestTypeName(type);
    EXPECT_THAT(status.message(), HasSubstr("cannot be invalidated"));
    EXPECT_THAT(status.message(), HasSubstr("deviation"));
  }
}

// --- The QC model ------------------------------------------------------------------------

TEST(QcModelTest, TestStateFollowsResultsReviewsAndInvalidation) {
  QcTest t;
  t.type = QcTestType::kSterility;
  EXPECT_EQ(t.State(), QcTestState::kPending);
  EXPECT_EQ(t.Current(), nullptr);
  EXPECT_EQ(t.CurrentReview(), nullptr);
  t.results.push_back({.result_id = 1, .value = DetectionResult{Detection::kNegative, ""}});
  EXPECT_EQ(t.State(), QcTestState::kResulted);
  t.reviews.push_back({1, kNow, "sato"});
  EXPECT_EQ(t.State(), QcTestState::kReviewed);
  ASSERT_NE(t.CurrentReview(), nullptr);
  EXPECT_EQ(t.CurrentReview()->reviewed_by, "sato");
  t.invalidation = QcInvalidation{kNow, "sato", "x"};
  EXPECT_EQ(t.State(), QcTestState::kInvalidated);
  EXPECT_EQ(QcTestStateName(t.State()), "INVALIDATED");
}

TEST(QcModelTest, ValuesMatchTheirTestTypes) {
  const DetectionResult detection{Detection::kNegative, ""};
  EXPECT_TRUE(CheckValueMatches(QcTestType::kSterility, detection).ok());
  EXPECT_TRUE(CheckValueMatches(QcTestType::kMycoplasma, detection).ok());
  EXPECT_TRUE(CheckValueMatches(QcTestType::kEndotoxin, EndotoxinResult{1}).ok());
  EXPECT_TRUE(CheckValueMatches(QcTestType::kGramStain, GramStainResult{}).ok());
  EXPECT_TRUE(CheckValueMatches(QcTestType::kFlowCytometry, FlowResult{}).ok());
  EXPECT_TRUE(CheckValueMatches(QcTestType::kViability, ViabilityResult{}).ok());
  absl::Status status = CheckValueMatches(QcTestType::kEndotoxin, detection);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("EU/mL"));
  EXPECT_THAT(status.message(), HasSubstr("NEGATIVE"));
  EXPECT_FALSE(CheckValueMatches(QcTestType::kUnspecified, detection).ok());
}

TEST(QcModelTest, DescribeValue) {
  EXPECT_EQ(DescribeValue(DetectionResult{Detection::kPositive, "S. aureus"}),
            "POSITIVE (S. aureus)");
  EXPECT_EQ(DescribeValue(DetectionResult{Detection::kNegative, ""}), "NEGATIVE");
  EXPECT_EQ(DescribeValue(EndotoxinResult{0.25}), "0.25 EU/mL");
  EXPECT_EQ(DescribeValue(GramStainResult{GramFinding::kNoOrganismsSeen, ""}),
            "NO_ORGANISMS_SEEN");
  EXPECT_EQ(DescribeValue(FlowResult{{{"CD73", 98.5}, {"CD45", 1}}}), "CD73 98.5%, CD45 1%");
  EXPECT_EQ(DescribeValue(ViabilityResult{85}), "85% viable");
}

TEST(QcModelTest, PositiveCulturesAndOrganismsSeenAreContamination) {
  EXPECT_TRUE(IsContamination(DetectionResult{Detection::kPositive, ""}));
  EXPECT_FALSE(IsContamination(DetectionResult{Detection::kNegative, ""}));
  EXPECT_TRUE(IsContamination(GramStainResult{GramFinding::kOrganismsSeen, ""}));
  EXPECT_FALSE(IsContamination(GramStainResult{GramFinding::kNoOrganismsSeen, ""}));
  EXPECT_FALSE(IsContamination(EndotoxinResult{100}));
}

TEST(ProductQcTest, CanonicalMarkerNames) {
  EXPECT_EQ(CanonicalMarker("cd79α"), "CD79A");
  EXPECT_EQ(CanonicalMarker("CD79Α"), "CD79A");  // capital alpha
  EXPECT_EQ(CanonicalMarker(" hla-dr "), "HLA-DR");
  EXPECT_EQ(CanonicalMarker("CD105"), "CD105");
}

TEST(ProductQcTest, IsctLimitsAndDefaults) {
  const std::vector<MarkerLimit> limits = IsctMarkerLimits();
  ASSERT_THAT(limits, SizeIs(10));
  int positive = 0, negative = 0;
  for (const MarkerLimit& l : limits) {
    if (l.min_percent == 95 && l.max_percent == 100) ++positive;
    if (l.min_percent == 0 && l.max_percent == 2) ++negative;
    EXPECT_EQ(CanonicalMarker(l.marker), l.marker);
  }
  EXPECT_EQ(positive, 3);
  EXPECT_EQ(negative, 7);
  const Product p = DefaultProduct();
  EXPECT_EQ(p.qc.min_viability_percent, 70);
  EXPECT_EQ(p.qc.min_post_thaw_viability_percent, 70);
  EXPECT_EQ(DescribeMarkerLimits(p.qc.markers),
            "CD73 80-100%, CD90 80-100%, CD105 80-100%, CD44 80-100%, CD45 0-2%, CD31 0-2%, "
            "CD235A 0-2%");
  EXPECT_EQ(p.frozen_shelf_life, absl::Hours(365 * 24));
  EXPECT_EQ(p.max_thaw_to_infusion, absl::Hours(4));
  EXPECT_EQ(p.max_entry_delay, absl::Hours(24));
  ASSERT_NE(FindRequiredTest(p, QcTestType::kSterility), nullptr);
  EXPECT_EQ(FindRequiredTest(p, QcTestType::kSterility)->min_incubation, absl::Hours(14 * 24));
  EXPECT_EQ(FindRequiredTest(p, QcTestType::kSterility)->method, "USP <71> culture");
  EXPECT_TRUE(ValidateProduct(p).ok());
}

TEST(ProductQcTest, ARequiredTestIsGivenOnceWithAPlausibleIncubation) {
  Product p = DefaultProduct();
  p.required_tests.push_back({QcTestType::kSterility, "BacT/ALERT", absl::Hours(7 * 24)});
  absl::Status status = ValidateProduct(p);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("required_tests[STERILITY]: given twice"));
  p = DefaultProduct();
  p.required_tests[0].min_incubation = absl::ZeroDuration();
  status = ValidateProduct(p);
  EXPECT_THAT(status.message(), HasSubstr("required_tests[STERILITY].min_incubation_hours: 0"));
  // Not required: the incubation DOMAIN.md gives the type.
  p.required_tests.clear();
  EXPECT_EQ(MinIncubation(p, QcTestType::kSterility), absl::Hours(14 * 24));
  EXPECT_EQ(MinIncubation(p, QcTestType::kMycoplasma), absl::Hours(24));
}

// --- Late entries ----------------------------------------------------------------
// A QC record written down more than the product's max_entry_delay (24 h)
// after the time it describes needs a reason; exactly 24 h is on time.

class LateQcEntryTest : public QcStepsTest {
 protected:
  LateQcEntryTest() { ctx_.late_entry_reason.clear(); }
  QcSample Drawn(absl::Time at) const {
    QcSample s;
    s.point = SamplePoint::kPassage;
    s.drawn_at = at;
    return s;
  }
};

TEST_F(LateQcEntryTest, SampleDrawnExactly24hAgoNeedsNoReason) {
  absl::StatusOr<SampleDecision> d =
      DecideDrawSample(batch_, history_, Drawn(kNow - absl::Hours(24)), product_, ctx_);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_FALSE(d->late_entry.has_value());
}

TEST_F(LateQcEntryTest, SampleDrawnOneMinuteMoreIsRefusedWithoutAReasonNamingBothTimes) {
  const absl::Time drawn = kNow - absl::Hours(24) - absl::Minutes(1);
  absl::Status s = DecideDrawSample(batch_, history_, Drawn(drawn), product_, ctx_).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("late_entry_reason: required"));
  EXPECT_THAT(s.message(), HasSubstr("drawn_at " + FormatUtc(drawn)));
  EXPECT_THAT(s.message(), HasSubstr("recorded at " + FormatUtc(kNow)));

  ctx_.late_entry_reason = "sample log transcribed after the LIMS outage";
  absl::StatusOr<SampleDecision> d =
      DecideDrawSample(batch_, history_, Drawn(drawn), product_, ctx_);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_TRUE(d->late_entry.has_value());
  EXPECT_EQ(d->late_entry->field, "drawn_at");
  EXPECT_EQ(d->late_entry->event_time, drawn);
  EXPECT_EQ(d->late_entry->recorded_at, kNow);
  EXPECT_EQ(d->late_entry->recorded_by, "suzuki");
  EXPECT_EQ(d->late_entry->reason, "sample log transcribed after the LIMS outage");
}

TEST_F(LateQcEntryTest, ATestStartedLongAgoNeedsAReasonEachLateStartItsEntry) {
  sample_.drawn_at = kNow - absl::Hours(30);
  const std::vector<TestOrder> orders = {
      {.type = QcTestType::kEndotoxin},  // starts at the draw: 30 h ago
      {.type = QcTestType::kGramStain, .started_at = kNow - absl::Hours(24)}};
  absl::Status s = DecideOrderTests(batch_, sample_, orders, {}, product_, ctx_).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("late_entry_reason: required: started_at " +
                                     FormatUtc(kNow - absl::Hours(30))));

  ctx_.late_entry_reason = "ordered on paper during the LIMS outage";
  absl::StatusOr<std::vector<OrderedTest>> tests =
      DecideOrderTests(batch_, sample_, orders, {}, product_, ctx_);
  ASSERT_TRUE(tests.ok()) << tests.status();
  ASSERT_THAT(*tests, SizeIs(2));
  ASSERT_TRUE((*tests)[0].late_entry.has_value());
  EXPECT_EQ((*tests)[0].late_entry->field, "started_at");
  EXPECT_EQ((*tests)[0].late_entry->event_time, kNow - absl::Hours(30));
  EXPECT_FALSE((*tests)[1].late_entry.has_value());  // exactly 24 h: on time
}

TEST_F(LateQcEntryTest, AResultReadExactly24hAgoIsOnTimeOneMinuteMoreNeedsAReason) {
  const QcTest test = Pending(QcTestType::kEndotoxin);
  absl::StatusOr<QcOutcome> on_time =
      DecideRecordResult(batch_, sample_, test, Result(EndotoxinResult{0.1}, kNow - absl::Hours(24)),
                         units_, product_, ctx_);
  ASSERT_TRUE(on_time.ok()) << on_time.status();
  EXPECT_FALSE(on_time->late_entry.has_value());

  const absl::Time read = kNow - absl::Hours(24) - absl::Minutes(1);
  absl::Status s = DecideRecordResult(batch_, sample_, test, Result(EndotoxinResult{0.1}, read),
                                      units_, product_, ctx_)
                       .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("late_entry_reason: required: read_at " + FormatUtc(read) +
                                     " is recorded at " + FormatUtc(kNow)));

  ctx_.late_entry_reason = "reader printout entered after the weekend";
  absl::StatusOr<QcOutcome> late = DecideRecordResult(
      batch_, sample_, test, Result(EndotoxinResult{0.1}, read), units_, product_, ctx_);
  ASSERT_TRUE(late.ok()) << late.status();
  ASSERT_TRUE(late->late_entry.has_value());
  EXPECT_EQ(late->late_entry->field, "read_at");
  EXPECT_EQ(late->late_entry->event_time, read);
  EXPECT_EQ(late->late_entry->reason, "reader printout entered after the weekend");
}

TEST_F(LateQcEntryTest, TheLimitIsTheProducts) {
  product_.max_entry_delay = absl::Hours(4);
  const absl::Time read = kNow - absl::Hours(5);
  absl::Status s = DecideRecordResult(batch_, sample_, Pending(QcTestType::kEndotoxin),
                                      Result(EndotoxinResult{0.1}, read), units_, product_, ctx_)
                       .status();
  EXPECT_THAT(s.message(), HasSubstr("late_entry_reason: required"));
  EXPECT_THAT(s.message(), HasSubstr("4 h"));
}

TEST_F(LateQcEntryTest, InterimReadingsAndCorrectionsNeedNoLateReason) {
  // An interim look is recorded at any time; a correction says why in its reason.
  QcTest culture = Pending(QcTestType::kSterility);
  QcResult look = Result(DetectionResult{Detection::kNegative}, kDrawn + absl::Hours(72));
  EXPECT_TRUE(DecideInterimReading(batch_, culture, look, "no growth at 72 h", ctx_).ok());

  const QcTest resulted = WithResult(Pending(QcTestType::kEndotoxin), EndotoxinResult{0.1}, "tanaka");
  absl::StatusOr<QcOutcome> corrected = DecideCorrectResult(
      batch_, sample_, resulted, Result(EndotoxinResult{0.2}, kDrawn + absl::Hours(3)),
      "transposed digits", units_, product_, ctx_);
  ASSERT_TRUE(corrected.ok()) << corrected.status();
  EXPECT_FALSE(corrected->late_entry.has_value());
}

}  // namespace
}  // namespace cpctrack::domain
