// The application layer's patient writes on a real SQLite file.
#include "app/patients.h"

#include <gtest/gtest.h>

#include "tests/app/app_test.h"

namespace cpctrack::app {
namespace {

using store::testing::T;

class PatientsTest : public testing::AppTest {
 protected:
  static domain::Patient Eligible(absl::string_view id) {
    domain::Patient p = store::testing::SamplePatient(id);
    const auto negative = domain::ScreeningResult::kNegative;
    p.screening = {negative, negative, negative, negative, negative};
    return p;
  }
};

TEST_F(PatientsTest, CreatePatientStoresThePatientWithItsAuditEntry) {
  absl::StatusOr<domain::Patient> created;
  CPC_ASSERT_OK(Write([&](store::Transaction& tx) {
    created = CreatePatient(tx, Context(T(5), "clerk.sato", "req-p"), Eligible("P-200"));
    return created.status();
  }));
  EXPECT_EQ(created->created_at, T(5));
  EXPECT_EQ(created->created_by, "clerk.sato");
  const std::vector<domain::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, Name(domain::AuditAction::kPatientCreate));
  EXPECT_EQ(audit[0].resource, "patients/P-200");
  EXPECT_EQ(audit[0].new_value, domain::ToJson(*created));
  EXPECT_EQ(audit[0].request_id, "req-p");
}

TEST_F(PatientsTest, AnImplausiblePatientIsRefusedAndNothingIsWritten) {
  domain::Patient p = Eligible("P-201");
  p.body_weight_kg = -3;
  const absl::Status refused = Write([&](store::Transaction& tx) {
    return CreatePatient(tx, Context(T(5), "clerk.sato", "req-p"), p).status();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument) << refused;
  EXPECT_TRUE(Audit().empty());
  CPC_EXPECT_OK(store_->Read([](store::Transaction& tx) {
    EXPECT_TRUE(absl::IsNotFound(tx.GetPatient("P-201").status()));
    return absl::OkStatus();
  }));
}

TEST_F(PatientsTest, ConsentWithdrawnPutsTheBatchInProcessUnderADeviation) {
  SeedReferenceData();
  CPC_ASSERT_OK(Write([&](store::Transaction& tx) {
    return CreatePatient(tx, Context(T(1), "clerk.sato", "req-p"), Eligible("P-300")).status();
  }));
  const domain::Batch batch = AddBatch(1, "P-300", domain::BatchState::kInCulture);
  domain::Patient withdrawn = Eligible("P-300");
  withdrawn.consent.given = false;
  absl::StatusOr<domain::Patient> next;
  CPC_ASSERT_OK(Write([&](store::Transaction& tx) {
    next = UpdatePatient(tx, Context(T(30), "clerk.sato", "req-u"), withdrawn, 1,
                         "consent withdrawn by phone");
    return next.status();
  }));
  EXPECT_EQ(next->revision, 2);
  std::vector<domain::Deviation> deviations;
  CPC_ASSERT_OK(store_->Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<domain::Deviation>> loaded = tx.LoadDeviations(batch.batch_id);
    if (loaded.ok()) deviations = *loaded;
    return loaded.status();
  }));
  ASSERT_EQ(deviations.size(), 1u);
  const std::vector<domain::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[1].action, Name(domain::AuditAction::kDeviationOpen));
  EXPECT_EQ(audit[2].action, Name(domain::AuditAction::kPatientUpdate));
  EXPECT_EQ(audit[2].reason, "consent withdrawn by phone");
}

}  // namespace
}  // namespace cpctrack::app
