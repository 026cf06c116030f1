// QA's release on a real SQLite file: a batch not yet formulated is refused
// naming its state, and nothing is written. (A release stored with its
// signature, effects and audit entries is driven end to end through cpc in
// tests/e2e/release_infusion_api_test.cc, on a batch grown, tested and
// formulated as the domain requires.)
#include "app/release.h"

#include <gtest/gtest.h>

#include "app/readiness.h"
#include "domain/readiness.h"
#include "tests/app/app_test.h"
#include "tests/store/test_db.h"

namespace cpctrack::app {
namespace {

using store::testing::T;
using testing::AuditEntries;

class ReleaseTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    SeedReferenceData();
    AddBatch(1, "P-001", domain::BatchState::kInCulture);
  }

  WriteContext Context() {
    return WriteContext{.now = T(10),
                        .zone = absl::UTCTimeZone(),
                        .user = "qa.tanaka",
                        .full_name = "Tanaka Yui",
                        .request_id = "req-release"};
  }

  const domain::Din din_ = store::testing::SampleDin(1);
};

TEST_F(ReleaseTest, ABatchStillInCultureIsRefusedNamingItsStateAndNothingIsWritten) {
  const absl::Status refused = store_->Write([&](store::Transaction& tx) -> absl::Status {
    return ReleaseBatch(tx, Context(), din_).status();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_NE(refused.message().find("the batch is IN_CULTURE"), std::string::npos) << refused;
  EXPECT_TRUE(AuditEntries(*store_).empty());
  CPC_EXPECT_OK(store_->Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::unique_ptr<BatchReadiness>> loaded =
        LoadReadiness(tx, din_, T(10), absl::UTCTimeZone());
    if (!loaded.ok()) return loaded.status();
    EXPECT_FALSE((*loaded)->facts.release.has_value());
    EXPECT_FALSE((*loaded)->release_signature.has_value());
    EXPECT_EQ((*loaded)->batch.batch.state, domain::BatchState::kInCulture);
    EXPECT_FALSE(domain::EvaluateReadiness((*loaded)->facts).ready);
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace cpctrack::app
