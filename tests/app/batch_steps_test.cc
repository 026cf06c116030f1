// The application layer's batch writes on a real SQLite file: what the
// domain decides is stored with its audit entries, and a refusal writes
// nothing.
#include "app/batch_steps.h"

#include <gtest/gtest.h>

#include "domain/qualification.h"
#include "tests/store/test_db.h"

namespace cpctrack::app {
namespace {

using store::testing::T;

class BatchStepsTest : public store::testing::StoreTest {
 protected:
  // The reference data and P-100, screened negative and consented: a patient
  // a batch may be made for.
  void SetUp() override {
    StoreTest::SetUp();
    SeedReferenceData();
      domain::Patient p = store::testing::SamplePatient("P-100");
    const auto negative = domain::ScreeningResult::kNegative;
    p.screening = {negative, negative, negative, negative, negative};
    p.consent = {true, T(0), "CF-100"};
    MustWrite([&](store::Transaction& tx) { return tx.InsertPatient(p); });
    for (const auto& [name, role] : {std::pair{"tech.ito", domain::Role::kTechnician},
                                     std::pair{"qa.tanaka", domain::Role::kReviewer}}) {
      const domain::User user{name, name, {role}, false, T(0), "admin"};
      MustWrite([&](store::Transaction& tx) { return tx.InsertUser(user, "$argon2id$v=19$m=8,t=1,p=1$no-login", "admin"); });
    }
  }

  WriteContext Context(absl::Time at, absl::string_view request_id) {
    return WriteContext{.now = at,
                        .zone = absl::UTCTimeZone(),
                        .user = "tech.ito",
                        .full_name = "Ito Sora",
                        .request_id = std::string(request_id)};
  }

  domain::Batch Create() {
    absl::StatusOr<domain::Batch> created;
    MustWrite([&](store::Transaction& tx) -> absl::Status {
      created = CreateBatch(tx, Context(T(10), "req-create"), {"P-100", "ADSC-STD", "W1234"});
      return created.status();
    });
    EXPECT_TRUE(created.ok()) << created.status();
    return *created;
  }

  domain::TissueReceipt Receipt() {
    domain::TissueReceipt r;
    r.collection_time = T(20);
    r.receipt_time = T(60);
    r.collection_site = "abdominal subcutaneous fat";
    r.volume_ml = 20;
    r.transport_temperature_c = 4;
    r.collected_by = "Dr. Sato";
    return r;
  }

  std::vector<domain::AuditEntry> Audit() {
    std::vector<domain::AuditEntry> entries;
    CPC_EXPECT_OK(store_->Read([&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<store::Page<store::AuditRow>> page =
          tx.ListAudit({}, 0, std::numeric_limits<int64_t>::max(), 500);
      if (!page.ok()) return page.status();
      for (const store::AuditRow& row : page->items) entries.push_back(row.entry);
      return absl::OkStatus();
    }));
    return entries;
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
    return AppendStep(tx, Context(T(70), "req-receive"), batch.batch_id,
                      domain::AuditAction::kBatchReceiveTissue, Receipt())
        .status();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_NE(refused.message().find("tech.ito"), std::string::npos) << refused;
  EXPECT_EQ(Audit().size(), 1u);  // the batch's creation only
}

TEST_F(BatchStepsTest, AQualifiedStepIsStoredWithTheBatchsNewState) {
  const domain::Batch batch = Create();
  MustWrite([](store::Transaction& tx) {
    domain::Qualification q;
    q.user_name = "tech.ito";
    q.procedure = domain::Procedure::kAsepticProcessing;
    q.qualified_on = absl::CivilDay(2025, 6, 1);
    q.expires_on = absl::CivilDay(2027, 6, 1);
    q.evidence = "TR-7";
    q.recorded_at = T(0);
    q.recorded_by = "qa.tanaka";
    return tx.InsertQualification(q);
  });
  absl::StatusOr<StepOutcome> out;
  MustWrite([&](store::Transaction& tx) -> absl::Status {
    out = AppendStep(tx, Context(T(70), "req-receive"), batch.batch_id,
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
