// Transaction: batches and their deviations.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/store.h"
#include "tests/store/test_db.h"

namespace cpctrack::store {
namespace {

using domain::BatchState;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::SampleDin;
using testing::SamplePatient;
using testing::StoreTest;
using testing::T;

BatchFilter ByState(domain::BatchState state) { return BatchFilter{state, ""}; }
BatchFilter ByPatient(std::string patient_id) { return BatchFilter{std::nullopt, patient_id}; }

class BatchQueriesTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    SeedReferenceData();
  }

  domain::Batch MustGetBatch(const domain::Din& din) {
    domain::Batch out{.batch_id = din};
    CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
      absl::StatusOr<domain::Batch> got = tx.GetBatch(din);
      if (!got.ok()) return got.status();
      out = *got;
      return absl::OkStatus();
    }));
    return out;
  }

  std::vector<BatchSummary> AllBatches(const BatchFilter& filter, int limit, int* pages) {
    return testing::CollectPages<BatchSummary>(
        *store_, limit,
        [&](Transaction& tx, absl::string_view key, int n) {
          return tx.ListBatches(filter, key, n);
        },
        pages);
  }

  static std::vector<int> Sequences(const std::vector<BatchSummary>& batches) {
    std::vector<int> out;
    for (const BatchSummary& b : batches) out.push_back(b.batch.batch_id.sequence());
    return out;
  }
};

TEST_F(BatchQueriesTest, BatchRoundTrips) {
  const domain::Batch batch = AddBatch(42, "P-001", BatchState::kTissueReceived);
  CPC_ASSERT_OK(Reopen());
  const domain::Batch got = MustGetBatch(SampleDin(42));
  EXPECT_EQ(got.batch_id, batch.batch_id);
  EXPECT_EQ(got.batch_id.compact(), batch.batch_id.compact());
  EXPECT_EQ(got.patient_id, "P-001");
  EXPECT_EQ(got.product_code, "ADSC-STD");
  EXPECT_EQ(got.product_version, 1);
  EXPECT_EQ(got.state, BatchState::kTissueReceived);
  EXPECT_EQ(got.created_at, batch.created_at);
  EXPECT_EQ(got.created_by, "tech.ito");
  EXPECT_EQ(got.updated_at, batch.updated_at);
  EXPECT_EQ(got.current_passage, -1);
}

TEST_F(BatchQueriesTest, UnknownBatchIsNotFoundNamingTheDin) {
  const domain::Din din = SampleDin(777);
  const absl::Status status = store_->Read([&](Transaction& tx) { return tx.GetBatch(din).status(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr(din.compact()));
  for (auto load : {0, 1}) {
    const absl::Status s = store_->Read([&](Transaction& tx) {
      return load == 0 ? tx.LoadRecords(din).status() : tx.LoadDeviations(din).status();
    });
    EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  }
}

TEST_F(BatchQueriesTest, UpdateBatchSummaryChangesOnlyStatePassageAndTime) {
  domain::Batch batch = AddBatch(3, "P-001");
  batch.state = BatchState::kInCulture;
  batch.current_passage = 2;
  batch.updated_at = T(500);
  // Fields outside the summary must not be written, even if the caller
  // changed them.
  batch.created_by = "someone.else";
  MustWrite([&](Transaction& tx) { return tx.UpdateBatchSummary(batch); });
  const domain::Batch got = MustGetBatch(SampleDin(3));
  EXPECT_EQ(got.state, BatchState::kInCulture);
  EXPECT_EQ(got.current_passage, 2);
  EXPECT_EQ(got.updated_at, T(500));
  EXPECT_EQ(got.created_at, T(3));
  EXPECT_EQ(got.created_by, "tech.ito");
}

TEST_F(BatchQueriesTest, LastDinSequenceIsPerFacilityAndYear) {
  CPC_EXPECT_OK(store_->Read([](Transaction& tx) -> absl::Status {
    absl::StatusOr<int> last = tx.LastDinSequence("A9999", 26);
    if (!last.ok()) return last.status();
    EXPECT_EQ(*last, 0);
    return absl::OkStatus();
  }));
  AddBatch(5, "P-001");
  AddBatch(12, "P-001");
  AddBatch(7, "P-001");
  absl::StatusOr<domain::Din> other_year = domain::Din::Create("A9999", 25, 900);
  absl::StatusOr<domain::Din> other_facility = domain::Din::Create("B1234", 26, 800);
  ASSERT_TRUE(other_year.ok() && other_facility.ok());
  MustWrite([&](Transaction& tx) -> absl::Status {
    for (const domain::Din& din : {*other_year, *other_facility}) {
      domain::Batch b{.batch_id = din, .patient_id = "P-001", .product_code = "ADSC-STD",
                      .product_version = 1, .created_at = T(0), .created_by = "x",
                      .updated_at = T(0)};
      if (absl::Status s = tx.InsertBatch(b); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
  CPC_EXPECT_OK(store_->Read([](Transaction& tx) -> absl::Status {
    absl::StatusOr<int> last = tx.LastDinSequence("A9999", 26);
    if (!last.ok()) return last.status();
    EXPECT_EQ(*last, 12);
    absl::StatusOr<int> y25 = tx.LastDinSequence("A9999", 25);
    EXPECT_TRUE(y25.ok() && *y25 == 900);
    absl::StatusOr<int> b = tx.LastDinSequence("B1234", 26);
    EXPECT_TRUE(b.ok() && *b == 800);
    return absl::OkStatus();
  }));
}

TEST_F(BatchQueriesTest, SameDinTwiceIsRefused) {
  AddBatch(9, "P-001");
  domain::Batch again{.batch_id = SampleDin(9), .patient_id = "P-001",
                      .product_code = "ADSC-STD", .product_version = 1,
                      .created_at = T(0), .created_by = "x", .updated_at = T(0)};
  const absl::Status status = store_->Write([&](Transaction& tx) { return tx.InsertBatch(again); });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
}

TEST_F(BatchQueriesTest, BatchOfUnknownPatientOrProductIsRefused) {
  domain::Batch orphan{.batch_id = SampleDin(10), .patient_id = "P-GHOST",
                       .product_code = "ADSC-STD", .product_version = 1,
                       .created_at = T(0), .created_by = "x", .updated_at = T(0)};
  EXPECT_EQ(store_->Write([&](Transaction& tx) { return tx.InsertBatch(orphan); }).code(),
            absl::StatusCode::kFailedPrecondition);
  orphan.patient_id = "P-001";
  orphan.product_version = 2;
  EXPECT_EQ(store_->Write([&](Transaction& tx) { return tx.InsertBatch(orphan); }).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(BatchQueriesTest, ListBatchesIsNewestFirstAndPagesWithoutGapsOrDuplicates) {
  constexpr int kBatches = 13;
  for (int i = 1; i <= kBatches; ++i) AddBatch(i, "P-001");
  std::vector<int> expected;
  for (int i = kBatches; i >= 1; --i) expected.push_back(i);
  for (int limit : {1, 4, 13, 20}) {
    SCOPED_TRACE(limit);
    int pages = 0;
    std::vector<BatchSummary> batches = AllBatches(BatchFilter{}, limit, &pages);
    EXPECT_EQ(Sequences(batches), expected);
    EXPECT_EQ(pages, (kBatches + limit - 1) / limit);
  }
}

TEST_F(BatchQueriesTest, ListBatchesFiltersByStateAndPatient) {
  MustWrite([](Transaction& tx) { return tx.InsertPatient(SamplePatient("P-002")); });
  AddBatch(1, "P-001", BatchState::kRegistered);
  AddBatch(2, "P-002", BatchState::kInCulture);
  AddBatch(3, "P-001", BatchState::kInCulture);
  AddBatch(4, "P-002", BatchState::kQuarantined);
  AddBatch(5, "P-001", BatchState::kInCulture);
  AddBatch(6, "P-002", BatchState::kInCulture);
  int pages = 0;
  EXPECT_THAT(Sequences(AllBatches(ByState(BatchState::kInCulture), 2, &pages)),
              ElementsAre(6, 5, 3, 2));
  EXPECT_THAT(Sequences(AllBatches(ByPatient("P-002"), 1, &pages)), ElementsAre(6, 4, 2));
  EXPECT_THAT(
      Sequences(AllBatches(BatchFilter{BatchState::kInCulture, "P-001"}, 1, &pages)),
      ElementsAre(5, 3));
  EXPECT_THAT(Sequences(AllBatches(ByState(BatchState::kRejected), 3, &pages)),
              ::testing::IsEmpty());
  EXPECT_THAT(Sequences(AllBatches(ByPatient("P-404"), 3, &pages)), ::testing::IsEmpty());
  // A state change moves a batch between filtered lists.
  domain::Batch b1 = MustGetBatch(SampleDin(1));
  b1.state = BatchState::kInCulture;
  MustWrite([&](Transaction& tx) { return tx.UpdateBatchSummary(b1); });
  EXPECT_THAT(Sequences(AllBatches(ByState(BatchState::kInCulture), 10, &pages)),
              ElementsAre(6, 5, 3, 2, 1));
}

TEST_F(BatchQueriesTest, ListBatchesRefusesAForeignPageToken) {
  AddBatch(1, "P-001");
  const absl::Status status = store_->Read([](Transaction& tx) {
    return tx.ListBatches(BatchFilter{}, "P-001", 10).status();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BatchQueriesTest, DeviationsRoundTripAndAreCountedOpen) {
  const domain::Batch b1 = AddBatch(1, "P-001");
  const domain::Batch b2 = AddBatch(2, "P-001");
  domain::Deviation late{.kind = domain::DeviationKind::kLateProcessing,
                         .description = "seeded 52 h after collection (limit 48 h)",
                         .state = domain::DeviationState::kOpen,
                         .opened_at = T(10),
                         .opened_by = "tech.ito"};
  domain::Deviation closed{.kind = domain::DeviationKind::kOther,
                           .description = "label reprinted",
                           .state = domain::DeviationState::kClosed,
                           .opened_at = T(11),
                           .opened_by = "qa.abe"};
  domain::Deviation other{.kind = domain::DeviationKind::kOther,
                          .description = "incubator door left open",
                          .state = domain::DeviationState::kOpen,
                          .opened_at = T(12),
                          .opened_by = "tech.ito"};
  MustWrite([&](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.InsertDeviation(b2.batch_id, late); !s.ok()) return s;
    if (absl::Status s = tx.InsertDeviation(b2.batch_id, closed); !s.ok()) return s;
    return tx.InsertDeviation(b2.batch_id, other);
  });
  EXPECT_NE(late.deviation_id, 0);
  EXPECT_GT(closed.deviation_id, late.deviation_id);
  EXPECT_GT(other.deviation_id, closed.deviation_id);

  CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<domain::Deviation>> got = tx.LoadDeviations(b2.batch_id);
    if (!got.ok()) return got.status();
    EXPECT_EQ(got->size(), 3u);
    if (got->size() != 3) return absl::OkStatus();
    const domain::Deviation& d = (*got)[0];
    EXPECT_EQ(d.deviation_id, late.deviation_id);
    EXPECT_EQ(d.kind, domain::DeviationKind::kLateProcessing);
    EXPECT_EQ(d.description, late.description);
    EXPECT_EQ(d.state, domain::DeviationState::kOpen);
    EXPECT_EQ(d.opened_at, T(10));
    EXPECT_EQ(d.opened_by, "tech.ito");
    EXPECT_EQ(d.record_id, 0);
    // Every deviation reads as open until dispositions (QC issue) can close one.
    EXPECT_EQ((*got)[1].state, domain::DeviationState::kOpen);
    EXPECT_EQ((*got)[2].description, other.description);
    absl::StatusOr<std::vector<domain::Deviation>> none = tx.LoadDeviations(b1.batch_id);
    EXPECT_TRUE(none.ok() && none->empty());
    return absl::OkStatus();
  }));

  int pages = 0;
  std::vector<BatchSummary> batches = AllBatches(BatchFilter{}, 10, &pages);
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].batch.batch_id, b2.batch_id);
  EXPECT_EQ(batches[0].open_deviations, 3);
  EXPECT_EQ(batches[1].open_deviations, 0);
}

TEST_F(BatchQueriesTest, DeviationKeepsTheRecordThatRaisedIt) {
  const domain::Batch batch = AddBatch(1, "P-001");
  domain::BatchRecord record;
  record.recorded_at = T(1);
  record.recorded_by = "tech.ito";
  record.data = domain::Observation{T(1), 40, "spindle"};
  MustWrite([&](Transaction& tx) { return tx.InsertRecord(batch.batch_id, record); });
  domain::Deviation d{.description = "odd morphology", .opened_at = T(2), .opened_by = "qa",
                      .record_id = record.record_id};
  MustWrite([&](Transaction& tx) { return tx.InsertDeviation(batch.batch_id, d); });
  CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<domain::Deviation>> got = tx.LoadDeviations(batch.batch_id);
    if (!got.ok()) return got.status();
    EXPECT_EQ(got->size(), 1u);
    if (!got->empty()) {
      EXPECT_EQ((*got)[0].record_id, record.record_id);
    }
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace cpctrack::store
