// Follow-up cases on a real SQLite file: opened with their audit entry,
// QA's assessment stored and signed, and an acknowledgement by the
// assessment's own signer refused without writing anything.
#include "app/followups.h"

#include <gtest/gtest.h>

#include "domain/qc.h"
#include "tests/app/app_test.h"
#include "tests/store/test_db.h"

namespace cpctrack::app {
namespace {

using store::testing::T;
using testing::AuditEntries;

class FollowUpsTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    SeedReferenceData();
    AddBatch(1, "P-001", domain::BatchState::kQuarantined);
    // Signers are users on record.
    for (const auto& [name, role] : {std::pair{"qa.tanaka", domain::Role::kReviewer},
                                     std::pair{"dr.sato", domain::Role::kPhysician}}) {
      const domain::User user{name, name, {role}, false, T(0), "admin"};
      MustWrite([&](store::Transaction& tx) {
        return tx.InsertUser(user, "$argon2id$v=19$m=8,t=1,p=1$no-login", "admin");
      });
    }
    // A final-product sterility test and the deviation its positive opened.
    MustWrite([&](store::Transaction& tx) -> absl::Status {
      domain::QcSample sample;
      sample.batch_id = din_.compact();
      sample.point = domain::SamplePoint::kFinalProduct;
      sample.drawn_at = sample.recorded_at = T(1);
      sample.drawn_by = "tech.ito";
      if (absl::Status s = tx.InsertSample(sample); !s.ok()) return s;
      domain::QcTest test;
      test.sample_id = sample.sample_id;
      test.type = domain::QcTestType::kSterility;
      test.method = "USP <71>";
      test.started_at = test.ordered_at = T(1);
      test.ordered_by = "tech.ito";
      if (absl::Status s = tx.InsertTest(test); !s.ok()) return s;
      domain::Deviation deviation;
      deviation.kind = domain::DeviationKind::kPositiveTest;
      deviation.description = "STERILITY test POSITIVE";
      deviation.opened_at = T(2);
      deviation.opened_by = "tech.ito";
      deviation.qc_test_id = test.test_id;
      if (absl::Status s = tx.InsertDeviation(din_, deviation); !s.ok()) return s;
      follow_up_.batch_id = din_.compact();
      follow_up_.patient_id = "P-001";
      follow_up_.qc_test_id = test.test_id;
      follow_up_.deviation_id = deviation.deviation_id;
      follow_up_.finding = "STERILITY test POSITIVE (S. aureus)";
      follow_up_.opened_at = T(2);
      follow_up_.opened_by = "tech.ito";
      return absl::OkStatus();
    });
  }

  WriteContext Context(absl::string_view user, absl::string_view request_id, int minutes) {
    return WriteContext{.now = T(minutes),
                        .zone = absl::UTCTimeZone(),
                        .user = std::string(user),
                        .full_name = std::string(user),
                        .request_id = std::string(request_id)};
  }

  const domain::Din din_ = store::testing::SampleDin(1);
  domain::FollowUp follow_up_;
};

TEST_F(FollowUpsTest, OpenedThenAssessedWithTheAssessorsSignatureAndTheAuditEntries) {
  MustWrite([&](store::Transaction& tx) {
    return StoreFollowUp(tx, Context("tech.ito", "req-result", 2), follow_up_);
  });
  ASSERT_GT(follow_up_.follow_up_id, 0);
  const std::string resource = "followups/" + std::to_string(follow_up_.follow_up_id);

  absl::StatusOr<FollowUpState> assessed;
  MustWrite([&](store::Transaction& tx) -> absl::Status {
    assessed = AssessFollowUp(tx, Context("qa.tanaka", "req-assess", 30), follow_up_.follow_up_id,
                              "no unit was infused; lot quarantined", false);
    return assessed.status();
  });
  ASSERT_TRUE(assessed.ok()) << assessed.status();
  ASSERT_TRUE(assessed->follow_up.assessment.has_value());
  EXPECT_EQ(assessed->follow_up.assessment->signer, "qa.tanaka");
  EXPECT_EQ(assessed->follow_up.assessment->signed_at, T(30));
  ASSERT_EQ(assessed->signatures.size(), 1u);
  EXPECT_EQ(assessed->signatures[0].meaning, domain::SignatureMeaning::kFollowUpAssessed);
  EXPECT_EQ(assessed->signatures[0].signer, "qa.tanaka");
  EXPECT_EQ(assessed->signatures[0].resource, resource);

  const std::vector<domain::AuditEntry> audit = AuditEntries(*store_);
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].action, "followup.open");
  EXPECT_EQ(audit[0].actor, "tech.ito");
  EXPECT_EQ(audit[0].reason, "positive after release");
  EXPECT_EQ(audit[0].request_id, "req-result");
  EXPECT_EQ(audit[1].action, "followup.assess");
  EXPECT_EQ(audit[1].actor, "qa.tanaka");
  EXPECT_EQ(audit[1].resource, resource);
  EXPECT_EQ(audit[1].old_value, audit[0].new_value);  // the case as it was
  EXPECT_EQ(audit[1].reason, "no unit was infused; lot quarantined");
  EXPECT_EQ(audit[2].action, "signature.sign");
  EXPECT_EQ(audit[2].resource, resource);
  EXPECT_EQ(audit[2].request_id, "req-assess");
}

TEST_F(FollowUpsTest, AnAcknowledgementByTheAssessmentsSignerIsRefusedAndWritesNothing) {
  MustWrite([&](store::Transaction& tx) {
    return StoreFollowUp(tx, Context("tech.ito", "req-result", 2), follow_up_);
  });
  MustWrite([&](store::Transaction& tx) {
    return AssessFollowUp(tx, Context("qa.tanaka", "req-assess", 30), follow_up_.follow_up_id,
                          "no unit was infused", false)
        .status();
  });
  const size_t before = AuditEntries(*store_).size();
  const absl::Status refused = store_->Write([&](store::Transaction& tx) -> absl::Status {
    return AcknowledgeFollowUp(tx, Context("qa.tanaka", "req-ack", 40), follow_up_.follow_up_id,
                               "seen", std::nullopt)
        .status();
  });
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("qa.tanaka"), std::string::npos) << refused;
  EXPECT_EQ(AuditEntries(*store_).size(), before);
  CPC_EXPECT_OK(store_->Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<FollowUpState> state = LoadFollowUp(tx, follow_up_.follow_up_id);
    if (!state.ok()) return state.status();
    EXPECT_FALSE(state->follow_up.acknowledgement.has_value());
    EXPECT_EQ(state->signatures.size(), 1u);
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace cpctrack::app
