// The application layer's storage writes on a real SQLite file: tanks,
// racks, boxes and readings (the first out of limits opens an excursion).
#include "app/storage.h"

#include <gtest/gtest.h>

#include "domain/excursion.h"
#include "tests/app/app_test.h"

namespace cpctrack::app {
namespace {

using store::testing::T;

class StorageTest : public testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    CPC_ASSERT_OK(Write([&](store::Transaction& tx) -> absl::Status {
      RETURN_IF_ERROR(CreateTank(tx, Context(T(0), "lab.manager", "req-tank"),
                                 {"LN2-A", "Vapour tank A", domain::TemperatureClass::kLn2Vapour})
                          .status());
      RETURN_IF_ERROR(AddRack(tx, Context(T(0), "lab.manager", "req-rack"), "LN2-A", "R1"));
      return AddBox(tx, Context(T(0), "lab.manager", "req-box"),
                    {.tank_id = "LN2-A", .rack = "R1", .name = "B1", .rows = 9, .columns = 9})
          .status();
    }));
  }

  static NewReading Reading(absl::Time at, double temperature_c, std::string where) {
    NewReading r;
    r.reading.tank_id = "LN2-A";
    r.reading.at = at;
    r.reading.temperature_c = temperature_c;
    r.where = std::move(where);
    return r;
  }
};

TEST_F(StorageTest, TheTankItsRackAndBoxAreStoredWithAuditEntries) {
  const std::vector<domain::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].action, Name(domain::AuditAction::kStorageCreateTank));
  EXPECT_EQ(audit[0].resource, "tanks/LN2-A");
  EXPECT_EQ(audit[1].resource, "tanks/LN2-A/racks/R1");
  EXPECT_EQ(audit[2].resource, "boxes/LN2-A/R1/B1");
  EXPECT_EQ(audit[2].actor, "lab.manager");
}

TEST_F(StorageTest, TheFirstReadingOutOfLimitsOpensTheTanksExcursionInTimeOrder) {
  absl::StatusOr<RecordedReadings> out;
  CPC_ASSERT_OK(Write([&](store::Transaction& tx) {
    // Given out of order: the warm reading comes after the cold one in time.
    out = RecordTankReadings(tx, Context(T(30), "lab.tech1", "req-r"),
                             {Reading(T(20), -120, "readings[0]"),
                              Reading(T(10), -180, "readings[1]"),
                              Reading(T(25), -110, "readings[2]")});
    return out.status();
  }));
  ASSERT_EQ(out->readings.size(), 3u);
  EXPECT_FALSE(out->readings[0].reading.in_limits);
  EXPECT_TRUE(out->readings[1].reading.in_limits);
  EXPECT_NE(out->readings[0].excursion_id, 0);
  EXPECT_EQ(out->readings[2].excursion_id, 0);  // the same excursion goes on
  EXPECT_EQ(out->excursion_ids, std::vector<int64_t>{out->readings[0].excursion_id});
  EXPECT_EQ(out->readings[0].temperature_class, domain::TemperatureClass::kLn2Vapour);
  int readings_audited = 0;
  for (const domain::AuditEntry& e : Audit()) {
    if (e.action == Name(domain::AuditAction::kStorageRecordReading)) ++readings_audited;
  }
  EXPECT_EQ(readings_audited, 3);
}

TEST_F(StorageTest, AReadingOfAnUnknownTankIsRefusedByWhereItIsAndNothingIsWritten) {
  NewReading unknown = Reading(T(20), -180, "line 7");
  unknown.reading.tank_id = "LN2-Z";
  const size_t before = Audit().size();
  const absl::Status refused = Write([&](store::Transaction& tx) {
    return RecordTankReadings(tx, Context(T(30), "lab.tech1", "req-r"),
                              {Reading(T(10), -180, "line 6"), unknown})
        .status();
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kNotFound) << refused;
  EXPECT_TRUE(absl::StartsWith(refused.message(), "line 7: ")) << refused;
  EXPECT_EQ(Audit().size(), before);
  CPC_EXPECT_OK(store_->Read([](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<domain::TankReading>> readings =
        tx.ListTankReadings("LN2-A", absl::InfinitePast(), absl::InfiniteFuture(), 10);
    EXPECT_TRUE(readings->empty());
    return readings.status();
  }));
}

}  // namespace
}  // namespace cpctrack::app
