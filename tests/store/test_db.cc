#include "tests/store/test_db.h"

#include <stdlib.h>

#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/product.h"

namespace cpctrack::store::testing {

absl::Time T(int minutes) {
  return absl::FromUnixSeconds(1767225600) + absl::Minutes(minutes) +
         absl::Microseconds(123457);
}

TempDir::TempDir() {
  std::string pattern = absl::StrCat(::testing::TempDir(), "/cpctrack_store_XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp " << pattern << " failed";
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::File(absl::string_view name) const { return absl::StrCat(path_, "/", name); }

void StoreTest::SetUp() {
  db_path_ = dir_.File("cpctrack.db");
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(db_path_);
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = *std::move(store);
}

void StoreTest::TearDown() { store_.reset(); }

absl::Status StoreTest::Reopen() {
  store_.reset();
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(db_path_);
  if (!store.ok()) return store.status();
  store_ = *std::move(store);
  return absl::OkStatus();
}

void StoreTest::MustWrite(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  const absl::Status status = store_->Write(fn);
  ASSERT_TRUE(status.ok()) << status;
}

void StoreTest::SeedReferenceData() {
  MustWrite([](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.InsertProduct(domain::DefaultProduct(), T(0)); !s.ok()) return s;
    if (absl::Status s = tx.InsertPatient(SamplePatient("P-001")); !s.ok()) return s;
    if (absl::Status s = tx.InsertReagentLot(SampleLot("MED-1")); !s.ok()) return s;
    if (absl::Status s = tx.InsertReagentLot(SampleLot("COL-7")); !s.ok()) return s;
    if (absl::Status s = tx.InsertReagentLot(SampleLot("TRY-3")); !s.ok()) return s;
    if (absl::Status s = tx.InsertEquipment(
            SampleEquipment("INC-01", domain::EquipmentKind::kIncubator));
        !s.ok()) {
      return s;
    }
    return tx.InsertEquipment(SampleEquipment("BSC-01", domain::EquipmentKind::kBiosafetyCabinet));
  });
}

domain::Batch StoreTest::AddBatch(int sequence, absl::string_view patient_id,
                                  domain::BatchState state) {
  domain::Batch batch{.batch_id = SampleDin(sequence),
                      .patient_id = std::string(patient_id),
                      .product_code = "ADSC-STD",
                      .product_version = 1,
                      .state = state,
                      .created_at = T(sequence),
                      .created_by = "tech.ito",
                      .updated_at = T(sequence),
                      .current_passage = -1};
  const absl::Status status =
      store_->Write([&](Transaction& tx) { return tx.InsertBatch(batch); });
  EXPECT_TRUE(status.ok()) << status;
  return batch;
}

domain::Patient SamplePatient(absl::string_view patient_id) {
  domain::Patient p;
  p.patient_id = std::string(patient_id);
  p.body_weight_kg = 61.75;
  p.screening.hbv = domain::ScreeningResult::kNegative;
  p.screening.hcv = domain::ScreeningResult::kNegative;
  p.screening.hiv = domain::ScreeningResult::kNegative;
  p.screening.htlv1 = domain::ScreeningResult::kPending;
  p.screening.syphilis = domain::ScreeningResult::kPositive;
  p.consent.given = true;
  p.consent.consent_time = T(-60);
  p.consent.document_ref = "IC-2026-014";
  p.created_at = T(-30);
  p.created_by = "clerk.sato";
  return p;
}

domain::ReagentLot SampleLot(absl::string_view lot_number) {
  domain::ReagentLot lot;
  lot.lot_number = std::string(lot_number);
  lot.name = "Collagenase type I";
  lot.manufacturer = "Worthington";
  lot.expiry_day = absl::CivilDay(2027, 2, 28);
  lot.created_at = T(-20);
  lot.created_by = "qc.mori";
  return lot;
}

domain::Equipment SampleEquipment(absl::string_view equipment_id, domain::EquipmentKind kind) {
  domain::Equipment e;
  e.equipment_id = std::string(equipment_id);
  e.kind = kind;
  e.name = "CO2 incubator, room 2";
  e.status = domain::EquipmentStatus::kInService;
  e.status_reason = "installed and qualified";
  e.created_at = T(-10);
  e.created_by = "eng.kato";
  return e;
}

domain::Din SampleDin(int sequence) {
  absl::StatusOr<domain::Din> din = domain::Din::Create("A9999", 26, sequence);
  EXPECT_TRUE(din.ok()) << din.status();
  return *std::move(din);
}

RawConnection::RawConnection(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "sqlite3_open_v2 " << path << ": " << sqlite3_errmsg(db_);
  }
  sqlite3_busy_timeout(db_, 5000);
}

RawConnection::~RawConnection() { sqlite3_close_v2(db_); }

int RawConnection::Exec(const std::string& sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  last_error_ = error != nullptr ? error : "";
  sqlite3_free(error);
  return rc;
}

int64_t RawConnection::QueryInt(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "prepare " << sql << ": " << sqlite3_errmsg(db_);
    return -1;
  }
  int64_t value = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    value = sqlite3_column_int64(stmt, 0);
  } else {
    ADD_FAILURE() << "no row from " << sql << ": " << sqlite3_errmsg(db_);
  }
  sqlite3_finalize(stmt);
  return value;
}

}  // namespace cpctrack::store::testing
