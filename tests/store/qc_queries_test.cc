// Transaction::ListTests: the sterility export's pages, in (start time, ID)
// order, filtered by type, time range and batch.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "domain/product.h"
#include "store/store.h"
#include "tests/store/test_db.h"

namespace cpctrack::store {
namespace {

using domain::QcTestType;
using ::testing::ElementsAreArray;
using testing::StoreTest;
using testing::T;

class ListTestsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    SeedReferenceData();
    batches_ = {AddBatch(1, "P-001", domain::BatchState::kInCulture),
                AddBatch(2, "P-001", domain::BatchState::kInCulture)};
  }

  // Orders a test of `type` on a new sample of `batch` started at minute
  // `minutes`; returns its ID.
  int64_t Order(int batch, QcTestType type, int minutes) {
    int64_t id = 0;
    MustWrite([&](Transaction& tx) -> absl::Status {
      domain::QcSample sample;
      sample.batch_id = batches_[batch].batch_id.compact();
      sample.point = domain::SamplePoint::kFinalProduct;
      sample.drawn_at = sample.recorded_at = T(minutes);
      sample.drawn_by = "tech.ito";
      if (absl::Status s = tx.InsertSample(sample); !s.ok()) return s;
      domain::QcTest test;
      test.sample_id = sample.sample_id;
      test.type = type;
      test.method = "method";
      test.started_at = test.ordered_at = T(minutes);
      test.ordered_by = "tech.ito";
      if (absl::Status s = tx.InsertTest(test); !s.ok()) return s;
      id = test.test_id;
      return absl::OkStatus();
    });
    return id;
  }

  std::vector<int64_t> List(const QcTestFilter& filter, int page_size, int* pages) {
    std::vector<QcTestRow> rows = testing::CollectPages<QcTestRow>(
        *store_, page_size,
        [&](Transaction& tx, const std::string& key, int limit) {
          return tx.ListTests(filter, key, limit);
        },
        pages);
    std::vector<int64_t> ids;
    for (const QcTestRow& row : rows) ids.push_back(row.test.test_id);
    return ids;
  }

  std::vector<domain::Batch> batches_;
};

TEST_F(ListTestsTest, PagesHoldEveryMatchingTestInStartOrderThenIdOrder) {
  // Started out of ID order, several at the same minute, types mixed.
  std::vector<std::pair<int, int64_t>> expected;  // (minute, id) of sterility and mycoplasma
  const QcTestType types[] = {QcTestType::kSterility, QcTestType::kEndotoxin,
                              QcTestType::kMycoplasma, QcTestType::kViability};
  for (int i = 0; i < 40; ++i) {
    const int minute = 1000 - (i % 13) * 60;
    const QcTestType type = types[i % 4];
    const int64_t id = Order(i % 2, type, minute);
    if (type == QcTestType::kSterility || type == QcTestType::kMycoplasma) {
      expected.emplace_back(minute, id);
    }
  }
  std::sort(expected.begin(), expected.end());
  std::vector<int64_t> expected_ids;
  for (const auto& [minute, id] : expected) expected_ids.push_back(id);

  QcTestFilter filter;
  filter.types = {QcTestType::kSterility, QcTestType::kMycoplasma};
  int pages = 0;
  EXPECT_THAT(List(filter, 3, &pages), ElementsAreArray(expected_ids));
  EXPECT_EQ(pages, 7);  // 20 tests, 3 a page
}

TEST_F(ListTestsTest, TheRangeIsStartInclusiveEndExclusive) {
  const int64_t before = Order(0, QcTestType::kSterility, 99);
  const int64_t first = Order(0, QcTestType::kSterility, 100);
  const int64_t inside = Order(1, QcTestType::kSterility, 150);
  const int64_t at_end = Order(0, QcTestType::kSterility, 200);
  QcTestFilter filter;
  filter.started_from = T(100);
  filter.started_before = T(200);
  int pages = 0;
  EXPECT_THAT(List(filter, 1, &pages), ElementsAreArray({first, inside}));
  (void)before;
  (void)at_end;
}

TEST_F(ListTestsTest, AKeyFromBeforeTheRangeListsNothingBeforeIt) {
  Order(0, QcTestType::kSterility, 50);
  const int64_t inside = Order(0, QcTestType::kSterility, 150);
  QcTestFilter filter;
  filter.started_from = T(100);
  const absl::Status status = store_->Read([&](Transaction& tx) -> absl::Status {
    const std::string early_key = absl::StrCat(absl::ToUnixMicros(T(0)), ":0");
    absl::StatusOr<Page<QcTestRow>> page = tx.ListTests(filter, early_key, 10);
    if (!page.ok()) return page.status();
    EXPECT_EQ(page->items.size(), 1u);
    if (!page->items.empty()) {
      EXPECT_EQ(page->items[0].test.test_id, inside);
    }
    return absl::OkStatus();
  });
  CPC_EXPECT_OK(status);
}

TEST_F(ListTestsTest, OneBatchsTestsOnly) {
  const int64_t a1 = Order(0, QcTestType::kSterility, 300);
  Order(1, QcTestType::kSterility, 200);
  const int64_t a2 = Order(0, QcTestType::kEndotoxin, 100);
  QcTestFilter filter;
  filter.batch_id = batches_[0].batch_id.compact();
  int pages = 0;
  EXPECT_THAT(List(filter, 1, &pages), ElementsAreArray({a2, a1}));
  filter.batch_id = testing::SampleDin(99).compact();  // registered nowhere
  EXPECT_TRUE(List(filter, 5, &pages).empty());
}

TEST_F(ListTestsTest, AKeyThatIsNotOursIsRefused) {
  const absl::Status status = store_->Read([&](Transaction& tx) -> absl::Status {
    return tx.ListTests(QcTestFilter{}, "not-a-key", 10).status();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cpctrack::store

namespace cpctrack::store {
namespace {

using testing::T;

// Migration 8's last line of defence and its new rows (issue 12).
class IncubationStoreTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    SeedReferenceData();  // the default product: sterility 14 days
    batch_ = AddBatch(1, "P-001", domain::BatchState::kInCulture);
    MustWrite([&](Transaction& tx) -> absl::Status {
      domain::QcSample sample;
      sample.batch_id = batch_.batch_id.compact();
      sample.point = domain::SamplePoint::kFinalHarvest;
      sample.drawn_at = sample.recorded_at = T(0);
      sample.drawn_by = "tech.ito";
      if (absl::Status s = tx.InsertSample(sample); !s.ok()) return s;
      domain::QcTest test;
      test.sample_id = sample.sample_id;
      test.type = domain::QcTestType::kSterility;
      test.method = "USP <71> culture";
      test.started_at = test.ordered_at = T(0);
      test.ordered_by = "tech.ito";
      if (absl::Status s = tx.InsertTest(test); !s.ok()) return s;
      test_id_ = test.test_id;
      return absl::OkStatus();
    });
  }

  absl::Status InsertNegative(absl::Time read_at) {
    return store_->Write([&](Transaction& tx) {
      domain::QcResult result;
      result.read_at = result.recorded_at = read_at;
      result.performed_by = "tech.ito";
      result.value = domain::DetectionResult{domain::Detection::kNegative, ""};
      return tx.InsertResult(test_id_, result);
    });
  }

  domain::Batch batch_{.batch_id = testing::SampleDin(1)};
  int64_t test_id_ = 0;
};

constexpr int kFourteenDays = 14 * 24 * 60;  // minutes

TEST_F(IncubationStoreTest, AFinalNegativeBeforeTheIncubationIsRefusedByATrigger) {
  const absl::Status early = InsertNegative(T(kFourteenDays - 1));
  EXPECT_FALSE(early.ok());
  EXPECT_THAT(early.message(), ::testing::HasSubstr("minimum incubation"));
  EXPECT_TRUE(InsertNegative(T(kFourteenDays)).ok());
}

TEST_F(IncubationStoreTest, InterimReadingsAndTheProductsRulesRoundTrip) {
  MustWrite([&](Transaction& tx) {
    domain::InterimReading reading{.read_at = T(72 * 60), .note = "no growth at 72 h",
                                   .performed_by = "tech.ito", .recorded_at = T(72 * 60 + 5)};
    return tx.InsertInterimReading(test_id_, reading);
  });
  MustWrite([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<domain::QcTest> test = tx.GetTest(test_id_);
    if (!test.ok()) return test.status();
    EXPECT_EQ(test->State(), domain::QcTestState::kPending);
    EXPECT_EQ(test->interim_readings.size(), 1u);
    EXPECT_EQ(test->interim_readings[0].note, "no growth at 72 h");
    EXPECT_EQ(test->interim_readings[0].read_at, T(72 * 60));
    absl::StatusOr<domain::Product> product = tx.GetProduct("ADSC-STD", 1);
    if (!product.ok()) return product.status();
    const domain::RequiredTest* sterility =
        domain::FindRequiredTest(*product, domain::QcTestType::kSterility);
    EXPECT_NE(sterility, nullptr);
    if (sterility != nullptr) {
      EXPECT_EQ(sterility->method, "USP <71> culture");
      EXPECT_EQ(sterility->min_incubation, absl::Hours(14 * 24));
    }
    EXPECT_EQ(product->frozen_shelf_life, absl::Hours(365 * 24));
    EXPECT_EQ(product->max_thaw_to_infusion, absl::Hours(4));
    EXPECT_EQ(product->max_transport_temperature_c, 8);
    return absl::OkStatus();
  });
}

}  // namespace
}  // namespace cpctrack::store
