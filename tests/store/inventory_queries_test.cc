// Transaction: reagent lots, equipment and products.
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "domain/product.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/store.h"
#include "tests/store/test_db.h"

namespace cpctrack::store {
namespace {

using domain::EquipmentKind;
using domain::EquipmentStatus;
using ::testing::HasSubstr;
using testing::SampleEquipment;
using testing::SampleLot;
using testing::RawConnection;
using testing::StoreTest;
using testing::T;

TEST_F(StoreTest, ReagentLotRoundTripsWithItsExpiryDate) {
  domain::ReagentLot lot = SampleLot("MEM-2026-04");
  lot.expiry_day = absl::CivilDay(2028, 2, 29);
  MustWrite([&](Transaction& tx) { return tx.InsertReagentLot(lot); });
  CPC_ASSERT_OK(Reopen());
  CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<domain::ReagentLot> got = tx.GetReagentLot("MEM-2026-04");
    if (!got.ok()) return got.status();
    EXPECT_EQ(got->lot_number, lot.lot_number);
    EXPECT_EQ(got->name, lot.name);
    EXPECT_EQ(got->manufacturer, lot.manufacturer);
    EXPECT_EQ(got->expiry_day, absl::CivilDay(2028, 2, 29));
    EXPECT_EQ(got->created_at, lot.created_at);
    EXPECT_EQ(got->created_by, lot.created_by);
    return absl::OkStatus();
  }));
  RawConnection raw(db_path_);
  EXPECT_EQ(raw.QueryInt("SELECT expiry_date = '2028-02-29' FROM reagent_lots"), 1);
}

TEST_F(StoreTest, DuplicateReagentLotIsAlreadyExistsNamingTheLot) {
  MustWrite([](Transaction& tx) { return tx.InsertReagentLot(SampleLot("LOT-DUP")); });
  const absl::Status status =
      store_->Write([](Transaction& tx) { return tx.InsertReagentLot(SampleLot("LOT-DUP")); });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
  EXPECT_THAT(status.message(), HasSubstr("LOT-DUP"));
}

TEST_F(StoreTest, UnknownReagentLotIsNotFound) {
  const absl::Status status =
      store_->Read([](Transaction& tx) { return tx.GetReagentLot("LOT-GHOST").status(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("LOT-GHOST"));
}

TEST_F(StoreTest, ListReagentLotsPagesThroughEveryLotOnce) {
  constexpr int kLots = 17;
  MustWrite([](Transaction& tx) -> absl::Status {
    for (int i = kLots - 1; i >= 0; --i) {
      domain::ReagentLot lot = SampleLot(absl::StrFormat("LOT-%02d", i));
      lot.expiry_day = absl::CivilDay(2027, 1, 1) + i;
      if (absl::Status s = tx.InsertReagentLot(lot); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
  for (int limit : {1, 4, 17, 100}) {
    SCOPED_TRACE(limit);
    int pages = 0;
    std::vector<domain::ReagentLot> lots = testing::CollectPages<domain::ReagentLot>(
        *store_, limit,
        [](Transaction& tx, absl::string_view key, int n) { return tx.ListReagentLots(key, n); },
        &pages);
    ASSERT_EQ(static_cast<int>(lots.size()), kLots);
    for (int i = 0; i < kLots; ++i) {
      EXPECT_EQ(lots[i].lot_number, absl::StrFormat("LOT-%02d", i));
      EXPECT_EQ(lots[i].expiry_day, absl::CivilDay(2027, 1, 1) + i);
    }
    EXPECT_EQ(pages, (kLots + limit - 1) / limit);
  }
}

TEST_F(StoreTest, EquipmentRoundTripsWithItsInitialStatus) {
  domain::Equipment equipment = SampleEquipment("CRF-01", EquipmentKind::kControlledRateFreezer);
  equipment.status = EquipmentStatus::kOutOfService;
  equipment.status_reason = "awaiting qualification";
  MustWrite([&](Transaction& tx) { return tx.InsertEquipment(equipment); });
  CPC_ASSERT_OK(Reopen());
  CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<domain::Equipment> got = tx.GetEquipment("CRF-01");
    if (!got.ok()) return got.status();
    EXPECT_EQ(got->equipment_id, "CRF-01");
    EXPECT_EQ(got->kind, EquipmentKind::kControlledRateFreezer);
    EXPECT_EQ(got->name, equipment.name);
    EXPECT_EQ(got->status, EquipmentStatus::kOutOfService);
    EXPECT_EQ(got->status_reason, "awaiting qualification");
    EXPECT_EQ(got->created_at, equipment.created_at);
    EXPECT_EQ(got->created_by, equipment.created_by);
    return absl::OkStatus();
  }));
}

TEST_F(StoreTest, EquipmentStatusIsTheLatestChange) {
  MustWrite([](Transaction& tx) {
    return tx.InsertEquipment(SampleEquipment("INC-07", EquipmentKind::kIncubator));
  });
  MustWrite([](Transaction& tx) {
    return tx.InsertEquipmentStatus("INC-07", EquipmentStatus::kOutOfService, "CO2 alarm", T(1),
                                    "eng.kato");
  });
  auto status_of = [&](absl::string_view id) {
    domain::Equipment out;
    CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
      absl::StatusOr<domain::Equipment> got = tx.GetEquipment(id);
      if (!got.ok()) return got.status();
      out = *got;
      return absl::OkStatus();
    }));
    return out;
  };
  EXPECT_EQ(status_of("INC-07").status, EquipmentStatus::kOutOfService);
  EXPECT_EQ(status_of("INC-07").status_reason, "CO2 alarm");
  // The change time is not what orders changes: a back-dated change written
  // later is still the latest.
  MustWrite([](Transaction& tx) {
    return tx.InsertEquipmentStatus("INC-07", EquipmentStatus::kInService, "sensor replaced",
                                    T(0), "eng.kato");
  });
  EXPECT_EQ(status_of("INC-07").status, EquipmentStatus::kInService);
  EXPECT_EQ(status_of("INC-07").status_reason, "sensor replaced");
  // The history is kept.
  RawConnection raw(db_path_);
  EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM equipment_status_changes "
                         "WHERE equipment_id = 'INC-07'"),
            3);
}

// The latest calibration and maintenance by when they were performed set the
// due dates: a record of an older calibration written later does not move the
// due date back. Records are append-only.
TEST_F(StoreTest, DueDatesAreTheLatestPerformedRecordOfEachKind) {
  domain::Equipment incubator = SampleEquipment("INC-09", EquipmentKind::kIncubator);
  incubator.calibration_required = true;
  MustWrite([&](Transaction& tx) { return tx.InsertEquipment(incubator); });
  auto record = [&](domain::UpkeepKind kind, absl::Time performed, absl::CivilDay due) {
    MustWrite([=](Transaction& tx) {
      domain::UpkeepRecord r{.equipment_id = "INC-09", .kind = kind, .performed_at = performed,
                             .next_due = due, .certificate = "CAL-1", .recorded_at = T(9),
                             .recorded_by = "admin.kato"};
      return tx.InsertUpkeepRecord(r);
    });
  };
  auto load = [&] {
    domain::Equipment out;
    CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
      absl::StatusOr<domain::Equipment> got = tx.GetEquipment("INC-09");
      if (!got.ok()) return got.status();
      out = *got;
      return absl::OkStatus();
    }));
    return out;
  };
  EXPECT_TRUE(load().calibration_required);
  EXPECT_FALSE(load().calibration_due.has_value());
  record(domain::UpkeepKind::kCalibration, T(2), absl::CivilDay(2027, 3, 1));
  record(domain::UpkeepKind::kCalibration, T(1), absl::CivilDay(2026, 9, 1));  // older, later
  record(domain::UpkeepKind::kMaintenance, T(1), absl::CivilDay(2026, 12, 1));
  EXPECT_EQ(load().calibration_due, absl::CivilDay(2027, 3, 1));
  EXPECT_EQ(load().maintenance_due, absl::CivilDay(2026, 12, 1));
  CPC_ASSERT_OK(Reopen());
  EXPECT_EQ(load().calibration_due, absl::CivilDay(2027, 3, 1));
  RawConnection raw(db_path_);
  EXPECT_NE(raw.Exec("UPDATE equipment_upkeep SET next_due = '2099-01-01'"), SQLITE_OK);
  EXPECT_THAT(raw.last_error(), HasSubstr("append-only"));
}

TEST_F(StoreTest, StatusChangeOfUnknownEquipmentIsRefused) {
  const absl::Status status = store_->Write([](Transaction& tx) {
    return tx.InsertEquipmentStatus("GHOST", EquipmentStatus::kOutOfService, "x", T(0), "a");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
}

// absl::string_view{} is an empty string, not SQL NULL (which NOT NULL would
// refuse).
TEST_F(StoreTest, StatusChangeWithADefaultConstructedReasonStoresAnEmptyReason) {
  MustWrite([](Transaction& tx) {
    return tx.InsertEquipment(SampleEquipment("INC-08", EquipmentKind::kIncubator));
  });
  MustWrite([](Transaction& tx) {
    return tx.InsertEquipmentStatus("INC-08", EquipmentStatus::kOutOfService,
                                    absl::string_view(), T(1), "eng.kato");
  });
  CPC_EXPECT_OK(store_->Read([](Transaction& tx) -> absl::Status {
    absl::StatusOr<domain::Equipment> got = tx.GetEquipment("INC-08");
    if (!got.ok()) return got.status();
    EXPECT_EQ(got->status, EquipmentStatus::kOutOfService);
    EXPECT_EQ(got->status_reason, "");
    return absl::OkStatus();
  }));
}

TEST_F(StoreTest, DuplicateEquipmentIsAlreadyExistsNamingTheId) {
  MustWrite([](Transaction& tx) {
    return tx.InsertEquipment(SampleEquipment("BSC-02", EquipmentKind::kBiosafetyCabinet));
  });
  const absl::Status status = store_->Write([](Transaction& tx) {
    return tx.InsertEquipment(SampleEquipment("BSC-02", EquipmentKind::kCentrifuge));
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
  EXPECT_THAT(status.message(), HasSubstr("BSC-02"));
  CPC_EXPECT_OK(store_->Read([](Transaction& tx) -> absl::Status {
    absl::StatusOr<domain::Equipment> got = tx.GetEquipment("BSC-02");
    if (!got.ok()) return got.status();
    EXPECT_EQ(got->kind, EquipmentKind::kBiosafetyCabinet);
    return absl::OkStatus();
  }));
}

TEST_F(StoreTest, UnknownEquipmentIsNotFound) {
  const absl::Status status =
      store_->Read([](Transaction& tx) { return tx.GetEquipment("EQ-GHOST").status(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("EQ-GHOST"));
}

TEST_F(StoreTest, ListEquipmentPagesThroughEveryItemOnceWithCurrentStatus) {
  constexpr int kItems = 11;
  MustWrite([](Transaction& tx) -> absl::Status {
    for (int i = 0; i < kItems; ++i) {
      const std::string id = absl::StrFormat("EQ-%02d", i);
      if (absl::Status s = tx.InsertEquipment(SampleEquipment(id, EquipmentKind::kIncubator));
          !s.ok()) {
        return s;
      }
      // Several status changes per item must not repeat the item in a list.
      if (i % 2 == 0) {
        if (absl::Status s = tx.InsertEquipmentStatus(id, EquipmentStatus::kOutOfService,
                                                      "maintenance", T(i), "eng");
            !s.ok()) {
          return s;
        }
      }
    }
    return absl::OkStatus();
  });
  for (int limit : {1, 3, 11, 12}) {
    SCOPED_TRACE(limit);
    int pages = 0;
    std::vector<domain::Equipment> items = testing::CollectPages<domain::Equipment>(
        *store_, limit,
        [](Transaction& tx, absl::string_view key, int n) { return tx.ListEquipment(key, n); },
        &pages);
    ASSERT_EQ(static_cast<int>(items.size()), kItems);
    for (int i = 0; i < kItems; ++i) {
      EXPECT_EQ(items[i].equipment_id, absl::StrFormat("EQ-%02d", i));
      EXPECT_EQ(items[i].status,
                i % 2 == 0 ? EquipmentStatus::kOutOfService : EquipmentStatus::kInService);
    }
    EXPECT_EQ(pages, (kItems + limit - 1) / limit);
  }
}

TEST_F(StoreTest, DefaultProductRoundTrips) {
  const domain::Product product = domain::DefaultProduct();
  MustWrite([&](Transaction& tx) { return tx.InsertProduct(product, T(0)); });
  CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<domain::Product> got = tx.GetProduct(product.product_code, product.version);
    if (!got.ok()) return got.status();
    EXPECT_EQ(got->product_code, "ADSC-STD");
    EXPECT_EQ(got->version, 1);
    EXPECT_EQ(got->name, product.name);
    EXPECT_EQ(got->max_processing_delay, absl::Hours(48));
    EXPECT_EQ(got->max_passage, 5);
    EXPECT_EQ(got->max_cumulative_population_doublings, 30);
    return absl::OkStatus();
  }));
}

// Issue 13: what each required test's release rests on and which sample
// points count, kept per requirement.
TEST_F(StoreTest, FreshProductRoundTripsItsReleaseBasesAndSamplePoints) {
  const domain::Product product = domain::FreshProduct();
  MustWrite([&](Transaction& tx) { return tx.InsertProduct(product, T(0)); });
  CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<domain::Product> got = tx.GetProduct("ADSC-FRESH", 1);
    if (!got.ok()) return got.status();
    EXPECT_EQ(got->required_tests.size(), product.required_tests.size());
    for (size_t i = 0; i < got->required_tests.size(); ++i) {
      const domain::RequiredTest& want = product.required_tests[i];
      const domain::RequiredTest& t = got->required_tests[i];
      EXPECT_EQ(t.type, want.type);
      EXPECT_EQ(t.basis, want.basis) << i;
      EXPECT_EQ(t.min_interim, want.min_interim) << i;
      EXPECT_EQ(t.sample_points, want.sample_points) << i;
      EXPECT_EQ(t.follow_up_points, want.follow_up_points) << i;
    }
    EXPECT_EQ(got->required_tests[0].basis, domain::ReleaseBasis::kInterimReading);
    // A product without any (the default) keeps the defaults.
    absl::StatusOr<domain::Product> standard = tx.GetProduct("ADSC-STD", 1);
    if (standard.ok()) {
      EXPECT_EQ(standard->required_tests[0].basis, domain::ReleaseBasis::kFinalResult);
      EXPECT_TRUE(standard->required_tests[0].sample_points.empty());
    }
    return absl::OkStatus();
  }));
}

TEST_F(StoreTest, LatestProductIsTheHighestVersion) {
  MustWrite([](Transaction& tx) -> absl::Status {
    // Versions written out of order; 10 must beat 9 numerically.
    for (int version : {2, 10, 1, 9}) {
      domain::Product p = domain::DefaultProduct();
      p.version = version;
      p.max_passage = version;
      p.max_processing_delay = absl::Hours(24 + version);
      if (absl::Status s = tx.InsertProduct(p, T(version)); !s.ok()) return s;
    }
    domain::Product other = domain::DefaultProduct();
    other.product_code = "ADSC-ZZZ";
    other.version = 99;
    return tx.InsertProduct(other, T(0));
  });
  CPC_EXPECT_OK(store_->Read([](Transaction& tx) -> absl::Status {
    absl::StatusOr<domain::Product> latest = tx.GetLatestProduct("ADSC-STD");
    if (!latest.ok()) return latest.status();
    EXPECT_EQ(latest->version, 10);
    EXPECT_EQ(latest->max_passage, 10);
    EXPECT_EQ(latest->max_processing_delay, absl::Hours(34));
    absl::StatusOr<domain::Product> v9 = tx.GetProduct("ADSC-STD", 9);
    if (!v9.ok()) return v9.status();
    EXPECT_EQ(v9->max_passage, 9);
    EXPECT_EQ(tx.GetLatestProduct("NOPE").status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(tx.GetProduct("ADSC-STD", 3).status().code(), absl::StatusCode::kNotFound);
    absl::StatusOr<std::vector<domain::Product>> all = tx.ListProducts();
    if (!all.ok()) return all.status();
    std::vector<std::pair<std::string, int>> keys;
    for (const domain::Product& p : *all) keys.emplace_back(p.product_code, p.version);
    EXPECT_THAT(keys, ::testing::ElementsAre(std::pair<std::string, int>("ADSC-STD", 1),
                                             std::pair<std::string, int>("ADSC-STD", 2),
                                             std::pair<std::string, int>("ADSC-STD", 9),
                                             std::pair<std::string, int>("ADSC-STD", 10),
                                             std::pair<std::string, int>("ADSC-ZZZ", 99)));
    return absl::OkStatus();
  }));
}

TEST_F(StoreTest, DuplicateProductVersionIsRefused) {
  MustWrite([](Transaction& tx) { return tx.InsertProduct(domain::DefaultProduct(), T(0)); });
  const absl::Status status = store_->Write(
      [](Transaction& tx) { return tx.InsertProduct(domain::DefaultProduct(), T(1)); });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
}

}  // namespace
}  // namespace cpctrack::store
