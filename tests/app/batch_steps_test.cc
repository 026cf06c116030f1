// The application layer's batch writes on a real SQLite file: what the
// domain decides is stored with its audit entries, and a refusal writes
// nothing.
#include "app/batch_steps.h"

#include <gtest/gtest.h>

#include "domain/qualification.h"
#include "tests/app/app_test.h"

namespace cpctrack::app {
namespace {

using store::testing::T;

class BatchStepsTest : public testing::AppTest {
 protected:
  // The reference data, the staff and P-100, screened negative and
  // consented: a patient a batch may be made for.
  void SetUp() override {
    AppTest::SetUp();
    SeedReferenceData();
    AddStaff();
    domain::Patient p = store::testing::SamplePatient("P-100");
    const auto negative = domain::ScreeningResult::kNegative;
    p.screening = {negative, negative, negative, negative, negative};
    p.consent = {true, T(0), "CF-100"};
    MustWrite([&](store::Transaction& tx) { return tx.InsertPatient(p); });
  }

  domain::Batch Create() {
    absl::StatusOr<domain::Batch> created;
    MustWrite([&](store::Transaction& tx) -> absl::Status {
      created = CreateBatch(tx, Context(T(10), "tech.ito", "req-create"),
                            {"P-100", "ADSC-STD", "W1234"});
      return created.status();
    });
    EXPECT_TRUE(created.ok()) << created.status();
    return *created;
  }
};

TEST_F(BatchStepsTest, CreateBatchStoresTheDomainsBatchWithItsAuditEntry) {
  const domain::Batch batch = Create();
  EXPECT_EQ(batch.batch_id.compact().substr(0, 5), "W1234");
  EXPECT_EQ(batch.state, domain::BatchState::kRegistered);
  const std::vector<domain::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "batch.create");
  EXPECT_EQ(audit[0].actor, "tech.ito");
  EXPECT_EQ(audit[0].request_id, "req-create");
  EXPECT_EQ(audit[0].resource, "batches/" + batch.batch_id.compact());
}

TEST_F(BatchStepsTest, AStepByAnUnqualifiedPersonIsRefusedAndWritesNothing) {
  const domain::Batch batch = Create();
  const absl::Status refused = store_->Write([&](store::Transaction& tx) -> absl::Status {
    return AppendStep(tx, Context(T(70), "tech.ito", "req-receive"), batch.batch_id,
                      domain::AuditAction::kBatchReceiveTissue, Receipt())
        .status();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_NE(refused.message().find("tech.ito"), std::string::npos) << refused;
  EXPECT_EQ(Audit().size(), 1u);  // the batch's creation only
}

TEST_F(BatchStepsTest, AQualifiedStepIsStoredWithTheBatchsNewState) {
  const domain::Batch batch = Create();
  Qualify("tech.ito", domain::Procedure::kAsepticProcessing);
  absl::StatusOr<StepOutcome> out;
  MustWrite([&](store::Transaction& tx) -> absl::Status {
    out = AppendStep(tx, Context(T(70), "tech.ito", "req-receive"), batch.batch_id,
                     domain::AuditAction::kBatchReceiveTissue, Receipt());
    return out.status();
  });
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_GT(out->record.record_id, 0);
  EXPECT_EQ(out->batch.batch.state, domain::BatchState::kTissueReceived);
  EXPECT_EQ(out->batch.open_deviations, 0);
  const std::vector<domain::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 3u);  // create, the record, the batch's new state
  EXPECT_EQ(audit[1].action, "batch.receive_tissue");
  EXPECT_EQ(audit[1].request_id, "req-receive");
  EXPECT_EQ(audit[2].action, "batch.update");
}

}  // namespace
}  // namespace cpctrack::app
