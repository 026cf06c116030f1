// Shared fixtures for the store tests: a fresh database file per test, removed
// afterwards, and sample domain values that pass the schema's CHECKs.
#ifndef CPCTRACK_TESTS_STORE_TEST_DB_H_
#define CPCTRACK_TESTS_STORE_TEST_DB_H_

#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/batch.h"
#include "domain/inventory.h"
#include "domain/patient.h"
#include "gtest/gtest.h"
#include "store/store.h"

#define CPC_ASSERT_OK(expr)                                \
  do {                                                     \
    const absl::Status cpc_test_status_ = (expr);          \
    ASSERT_TRUE(cpc_test_status_.ok()) << cpc_test_status_; \
  } while (0)
#define CPC_EXPECT_OK(expr)                                \
  do {                                                     \
    const absl::Status cpc_test_status_ = (expr);          \
    EXPECT_TRUE(cpc_test_status_.ok()) << cpc_test_status_; \
  } while (0)

namespace cpctrack::store::testing {

// 2026-01-01T00:00:00Z plus a sub-second part, so that a store that kept only
// seconds would be caught.
absl::Time T(int minutes);

// A directory of its own under ::testing::TempDir(), removed with everything
// in it (database, -wal, -shm) when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(absl::string_view name) const;

 private:
  std::string path_;
};

// A test with an open Store on a new file.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Reopens the same file (closing the current Store first).
  absl::Status Reopen();
  // Runs `fn` in a write transaction and fails the test if it does not commit.
  void MustWrite(absl::FunctionRef<absl::Status(Transaction&)> fn);

  // Registers the default product, patient P-001 and two lots and an
  // incubator and a cabinet, as a batch needs them.
  void SeedReferenceData();
  // Inserts a batch of patient `patient_id` with DIN sequence `sequence`.
  domain::Batch AddBatch(int sequence, absl::string_view patient_id,
                         domain::BatchState state = domain::BatchState::kRegistered);

  TempDir dir_;
  std::string db_path_;
  std::unique_ptr<Store> store_;
};

domain::Patient SamplePatient(absl::string_view patient_id);
domain::ReagentLot SampleLot(absl::string_view lot_number);
domain::Equipment SampleEquipment(absl::string_view equipment_id, domain::EquipmentKind kind);
domain::Din SampleDin(int sequence);

// Reads every page of a list with page size `limit`, checking each page's
// shape: at most `limit` items, and exactly `limit` when another follows.
// `pages` receives the number of pages read.
template <class T, class ListFn>
std::vector<T> CollectPages(Store& store, int limit, ListFn list, int* pages) {
  std::vector<T> all;
  std::string key;
  *pages = 0;
  do {
    if (++*pages > 1000) {
      ADD_FAILURE() << "pagination does not end";
      break;
    }
    const absl::Status status = store.Read([&](Transaction& tx) -> absl::Status {
      absl::StatusOr<Page<T>> page = list(tx, key, limit);
      if (!page.ok()) return page.status();
      EXPECT_LE(static_cast<int>(page->items.size()), limit);
      if (!page->next_key.empty()) {
        EXPECT_EQ(static_cast<int>(page->items.size()), limit) << "short page before the end";
        EXPECT_NE(page->next_key, key) << "next_key does not advance";
      }
      for (T& item : page->items) all.push_back(std::move(item));
      key = page->next_key;
      return absl::OkStatus();
    });
    if (!status.ok()) {
      ADD_FAILURE() << status;
      break;
    }
  } while (!key.empty());
  return all;
}

// A raw connection to the same file, for what cpcd never does.
class RawConnection {
 public:
  explicit RawConnection(const std::string& path);
  ~RawConnection();
  // The result code of running `sql` (SQLITE_OK, SQLITE_CONSTRAINT, ...),
  // with the error message left in `last_error()`.
  int Exec(const std::string& sql);
  // The first column of the first row of `sql` as an integer.
  int64_t QueryInt(const std::string& sql);
  const std::string& last_error() const { return last_error_; }
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::string last_error_;
};

}  // namespace cpctrack::store::testing

#endif  // CPCTRACK_TESTS_STORE_TEST_DB_H_
