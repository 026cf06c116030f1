// QC's writes on a real SQLite file: a sample drawn with its test, the
// result and its signed review stored with their audit entries; a draw by
// someone unqualified writes nothing.
#include "app/qc.h"

#include <gtest/gtest.h>

#include "tests/app/app_test.h"

namespace cpctrack::app {
namespace {

using store::testing::T;

class QcTest : public testing::AppTest {
 protected:
  // A batch whose tissue was received (a sample is drawn after that).
  void SetUp() override {
    AppTest::SetUp();
    SeedReferenceData();
    AddStaff();
    batch_ = AddBatch(1, "P-001", domain::BatchState::kTissueReceived);
    domain::BatchRecord record;
    record.recorded_at = T(60);
    record.recorded_by = "tech.ito";
    record.data = Receipt();
    MustWrite([&](store::Transaction& tx) { return tx.InsertRecord(batch_.batch_id, record); });
  }

  absl::Status Draw(absl::StatusOr<SampleTests>& drawn) {
    domain::QcSample sample;
    sample.point = domain::SamplePoint::kAfterIsolation;
    sample.drawn_at = T(110);
    domain::TestOrder viability;
    viability.type = domain::QcTestType::kViability;
    return store_->Write([&](store::Transaction& tx) -> absl::Status {
      drawn = DrawSample(tx, Context(T(120), "tech.ito", "req-draw"), batch_.batch_id, sample,
                         {viability});
      return drawn.status();
    });
  }

  domain::Batch batch_{.batch_id = store::testing::SampleDin(1)};
};

TEST_F(QcTest, ASampleItsTestAndTheSignedReviewOfItsResultAreStoredWithTheirAuditEntries) {
  Qualify("tech.ito", domain::Procedure::kQcTesting);
  absl::StatusOr<SampleTests> drawn;
  CPC_ASSERT_OK(Draw(drawn));
  EXPECT_GT(drawn->sample.sample_id, 0);
  EXPECT_EQ(drawn->sample.drawn_by, "tech.ito");
  ASSERT_EQ(drawn->tests.size(), 1u);
  const int64_t test_id = drawn->tests[0].test_id;
  EXPECT_GT(test_id, 0);

  domain::QcResult result;
  result.read_at = T(190);
  result.value = domain::ViabilityResult{95};
  absl::StatusOr<QcWrite> recorded;
  MustWrite([&](store::Transaction& tx) -> absl::Status {
    recorded = RecordResult(tx, Context(T(200), "tech.ito", "req-result"), test_id, result);
    return recorded.status();
  });
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  ASSERT_NE(recorded->test.Current(), nullptr);
  EXPECT_EQ(recorded->test.Current()->performed_by, "tech.ito");
  EXPECT_TRUE(recorded->opened_deviations.empty());

  absl::StatusOr<QcWrite> reviewed;
  MustWrite([&](store::Transaction& tx) -> absl::Status {
    reviewed = ReviewResult(tx, Context(T(300), "qa.tanaka", "req-review"), test_id);
    return reviewed.status();
  });
  ASSERT_TRUE(reviewed.ok()) << reviewed.status();
  ASSERT_TRUE(reviewed->signature.has_value());
  EXPECT_EQ(reviewed->signature->signer, "qa.tanaka");
  EXPECT_EQ(reviewed->signature->meaning, domain::SignatureMeaning::kResultReviewed);
  EXPECT_EQ(reviewed->signature->signed_at, T(300));
  EXPECT_EQ(reviewed->test.State(), domain::QcTestState::kReviewed);

  const std::vector<domain::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 5u);
  const std::string test = absl::StrCat("batches/", batch_.batch_id.compact(), "/qc_tests/",
                                        test_id);
  EXPECT_EQ(audit[0].action, "qc.draw_sample");
  EXPECT_EQ(audit[0].request_id, "req-draw");
  EXPECT_EQ(audit[1].action, "qc.order_test");
  EXPECT_EQ(audit[1].resource, test);
  EXPECT_EQ(audit[2].action, "qc.record_result");
  EXPECT_EQ(audit[2].at, T(200));
  EXPECT_EQ(audit[3].action, "qc.review_result");
  EXPECT_EQ(audit[3].actor, "qa.tanaka");
  EXPECT_EQ(audit[4].action, "signature.sign");
  EXPECT_EQ(audit[4].resource,
            absl::StrCat(test, "/results/", recorded->test.Current()->result_id));
  EXPECT_EQ(audit[4].request_id, "req-review");
}

TEST_F(QcTest, ADrawBySomeoneUnqualifiedIsRefusedAndWritesNothing) {
  absl::StatusOr<SampleTests> drawn;
  const absl::Status refused = Draw(drawn);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_NE(refused.message().find("tech.ito"), std::string::npos) << refused;
  EXPECT_TRUE(Audit().empty());
  CPC_EXPECT_OK(store_->Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<domain::QcSample>> samples = tx.LoadSamples(batch_.batch_id);
    if (!samples.ok()) return samples.status();
    EXPECT_TRUE(samples->empty());
    return absl::OkStatus();
  }));
}

TEST_F(QcTest, InvalidatingATestKeepsItOnRecordWithItsReason) {
  Qualify("tech.ito", domain::Procedure::kQcTesting);
  absl::StatusOr<SampleTests> drawn;
  CPC_ASSERT_OK(Draw(drawn));
  absl::StatusOr<QcWrite> invalidated;
  MustWrite([&](store::Transaction& tx) -> absl::Status {
    invalidated = InvalidateTest(tx, Context(T(130), "tech.ito", "req-invalidate"),
                                 drawn->tests[0].test_id, "sample spilled");
    return invalidated.status();
  });
  ASSERT_TRUE(invalidated.ok()) << invalidated.status();
  EXPECT_EQ(invalidated->test.State(), domain::QcTestState::kInvalidated);
  const std::vector<domain::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[2].action, "qc.invalidate_test");
  EXPECT_EQ(audit[2].reason, "sample spilled");
}

}  // namespace
}  // namespace cpctrack::app
