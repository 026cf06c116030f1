// Excursions' writes on a real SQLite file: an excursion opened and closed
// with QA's signature, with its audit entries; one of an unknown lot writes
// nothing.
#include "app/excursions.h"

#include <gtest/gtest.h>

#include "tests/app/app_test.h"

namespace cpctrack::app {
namespace {

using store::testing::T;

class ExcursionsTest : public testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    SeedReferenceData();
    AddStaff();
  }
};

TEST_F(ExcursionsTest, AnExcursionIsOpenedAndClosedWithASignature) {
  domain::Excursion request;
  request.scope = domain::ExcursionScope::kLot;
  request.subject = "MED-1";
  request.description = "stored at room temperature overnight";
  absl::StatusOr<domain::Excursion> opened;
  MustWrite([&](store::Transaction& tx) -> absl::Status {
    opened = OpenExcursion(tx, Context(T(100), "tech.ito", "req-excursion"), request);
    return opened.status();
  });
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_GT(opened->excursion_id, 0);
  EXPECT_EQ(opened->opened_by, "tech.ito");

  absl::StatusOr<ClosedExcursion> closed;
  MustWrite([&](store::Transaction& tx) -> absl::Status {
    closed = CloseExcursion(tx, Context(T(200), "qa.tanaka", "req-close"), opened->excursion_id,
                            "no batch used the lot");
    return closed.status();
  });
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->closure.closed_by, "qa.tanaka");
  EXPECT_EQ(closed->signature.signer, "qa.tanaka");

  const std::vector<domain::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].action, "excursion.open");
  EXPECT_EQ(audit[0].resource, ExcursionResource(opened->excursion_id));
  EXPECT_EQ(audit[1].action, "excursion.close");
  EXPECT_EQ(audit[2].action, "signature.sign");
}

TEST_F(ExcursionsTest, AnExcursionOfAnUnknownLotIsRefusedAndWritesNothing) {
  domain::Excursion request;
  request.scope = domain::ExcursionScope::kLot;
  request.subject = "NO-SUCH-LOT";
  request.description = "dropped";
  const absl::Status refused = store_->Write([&](store::Transaction& tx) -> absl::Status {
    return OpenExcursion(tx, Context(T(100), "tech.ito", "req-excursion"), request).status();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kNotFound) << refused;
  EXPECT_TRUE(Audit().empty());
}

}  // namespace
}  // namespace cpctrack::app
