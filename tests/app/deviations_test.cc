// Deviations' writes on a real SQLite file: a deviation opened and closed
// with QA's signed disposition, with its audit entries; a refused closure
// writes nothing.
#include "app/deviations.h"

#include <gtest/gtest.h>

#include "tests/app/app_test.h"

namespace cpctrack::app {
namespace {

using store::testing::T;

class DeviationsTest : public testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    SeedReferenceData();
    AddStaff();
    batch_ = AddBatch(1, "P-001", domain::BatchState::kInCulture);
  }

  domain::Deviation Open() {
    absl::StatusOr<domain::Deviation> opened;
    MustWrite([&](store::Transaction& tx) -> absl::Status {
      opened = OpenDeviation(tx, Context(T(100), "tech.ito", "req-open"), batch_.batch_id,
                             domain::DeviationKind::kOther, "incubator door left ajar");
      return opened.status();
    });
    EXPECT_TRUE(opened.ok()) << opened.status();
    return *opened;
  }

  domain::Batch batch_{.batch_id = store::testing::SampleDin(1)};
};

TEST_F(DeviationsTest, ADeviationClosedWithASignedDispositionIsStoredWithItsAuditEntries) {
  const domain::Deviation opened = Open();
  EXPECT_GT(opened.deviation_id, 0);
  absl::StatusOr<ClosedDeviation> closed;
  MustWrite([&](store::Transaction& tx) -> absl::Status {
    closed = CloseDeviation(tx, Context(T(200), "qa.tanaka", "req-close"), opened.deviation_id,
                            {domain::Disposition::kContinue, "door closed within a minute", ""},
                            std::nullopt);
    return closed.status();
  });
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->after.deviation.state, domain::DeviationState::kClosed);
  EXPECT_EQ(closed->after.batch.state, domain::BatchState::kInCulture);
  EXPECT_EQ(closed->signature.signer, "qa.tanaka");
  EXPECT_EQ(closed->signature.meaning, domain::SignatureMeaning::kDeviationDisposition);
  EXPECT_FALSE(closed->physician_signature.has_value());

  const std::string resource = DeviationResource(batch_.batch_id, opened.deviation_id);
  const std::vector<domain::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].action, "deviation.open");
  EXPECT_EQ(audit[0].resource, resource);
  EXPECT_EQ(audit[0].reason, "incubator door left ajar");
  EXPECT_EQ(audit[1].action, "deviation.close");
  EXPECT_EQ(audit[1].actor, "qa.tanaka");
  EXPECT_EQ(audit[1].reason, "door closed within a minute");
  EXPECT_EQ(audit[2].action, "signature.sign");
  EXPECT_EQ(audit[2].resource, resource);
  EXPECT_EQ(audit[2].request_id, "req-close");
}

TEST_F(DeviationsTest, AClosureWithoutAReasonIsRefusedAndWritesNothing) {
  const domain::Deviation opened = Open();
  const absl::Status refused = store_->Write([&](store::Transaction& tx) -> absl::Status {
    return CloseDeviation(tx, Context(T(200), "qa.tanaka", "req-close"), opened.deviation_id,
                          {domain::Disposition::kContinue, "", ""}, std::nullopt)
        .status();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument) << refused;
  EXPECT_EQ(Audit().size(), 1u);  // the opening only
  CPC_EXPECT_OK(store_->Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<DeviationFacts> facts = LoadDeviationFacts(tx, opened.deviation_id);
    if (!facts.ok()) return facts.status();
    EXPECT_EQ(facts->deviation.state, domain::DeviationState::kOpen);
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace cpctrack::app
