// Store: opening files, and transactions that commit whole or not at all.
#include "store/store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "domain/product.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/store/test_db.h"

namespace cpctrack::store {
namespace {

using ::testing::HasSubstr;
using testing::RawConnection;
using testing::SampleEquipment;
using testing::SampleLot;
using testing::SamplePatient;
using testing::StoreTest;
using testing::TempDir;

TEST_F(StoreTest, WriteCommitsWhenTheFunctionSucceeds) {
  MustWrite([](Transaction& tx) { return tx.InsertPatient(SamplePatient("P-1")); });
  CPC_ASSERT_OK(Reopen());
  CPC_EXPECT_OK(store_->Read([](Transaction& tx) { return tx.GetPatient("P-1").status(); }));
}

TEST_F(StoreTest, WriteRollsBackEverythingWhenTheFunctionFails) {
  const absl::Status status = store_->Write([](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.InsertPatient(SamplePatient("P-1")); !s.ok()) return s;
    if (absl::Status s = tx.InsertReagentLot(SampleLot("LOT-1")); !s.ok()) return s;
    if (absl::Status s = tx.InsertEquipment(
            SampleEquipment("INC-1", domain::EquipmentKind::kIncubator));
        !s.ok()) {
      return s;
    }
    domain::AuditEntry entry{.at = testing::T(0), .actor = "a", .action = "x", .resource = "r"};
    if (absl::Status s = tx.AppendAudit(entry); !s.ok()) return s;
    return absl::FailedPreconditionError("step refused after the inserts");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "step refused after the inserts");

  CPC_EXPECT_OK(store_->Read([](Transaction& tx) -> absl::Status {
    EXPECT_EQ(tx.GetPatient("P-1").status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(tx.GetReagentLot("LOT-1").status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(tx.GetEquipment("INC-1").status().code(), absl::StatusCode::kNotFound);
    absl::StatusOr<std::vector<domain::AuditEntry>> audit = tx.AuditForResourcePrefix("");
    EXPECT_TRUE(audit.ok());
    EXPECT_THAT(*audit, ::testing::IsEmpty());
    return absl::OkStatus();
  }));
  // Not even the equipment's status change survived.
  RawConnection raw(db_path_);
  EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM equipment_status_changes"), 0);
}

TEST_F(StoreTest, WriteRollsBackWhenTheDatabaseRefusesALaterStatement) {
  const absl::Status status = store_->Write([](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.InsertPatient(SamplePatient("P-1")); !s.ok()) return s;
    if (absl::Status s = tx.InsertReagentLot(SampleLot("LOT-1")); !s.ok()) return s;
    // A product with version 0 violates CHECK (version >= 1).
    domain::Product product = domain::DefaultProduct();
    product.version = 0;
    return tx.InsertProduct(product, testing::T(0));
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  CPC_EXPECT_OK(store_->Read([](Transaction& tx) -> absl::Status {
    EXPECT_EQ(tx.GetPatient("P-1").status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(tx.GetReagentLot("LOT-1").status().code(), absl::StatusCode::kNotFound);
    return absl::OkStatus();
  }));
}

TEST_F(StoreTest, StoreIsUsableAfterAFailedWrite) {
  EXPECT_FALSE(store_->Write([](Transaction&) { return absl::InternalError("x"); }).ok());
  MustWrite([](Transaction& tx) { return tx.InsertPatient(SamplePatient("P-2")); });
  CPC_EXPECT_OK(store_->Read([](Transaction& tx) { return tx.GetPatient("P-2").status(); }));
}

TEST_F(StoreTest, ReadReturnsTheFunctionsError) {
  const absl::Status status =
      store_->Read([](Transaction& tx) { return tx.GetPatient("P-none").status(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
}

TEST_F(StoreTest, ACommittedWriteIsVisibleToAnotherConnection) {
  MustWrite([](Transaction& tx) { return tx.InsertPatient(SamplePatient("P-3")); });
  RawConnection raw(db_path_);
  EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM patients WHERE patient_id = 'P-3'"), 1);
}

// A database file cpcd cannot write: reads still work, and every write is
// UNAVAILABLE ("cannot be written"), which tells the operator to fix the file
// rather than the request. Root ignores file permissions (chmod 0444 would not
// stop it), so as root the same situation is made with a read-only URI.
TEST(StoreOpenTest, WriteToAReadOnlyDatabaseIsUnavailable) {
  TempDir dir;
  const std::string path = dir.File("ro.db");
  {
    absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    CPC_ASSERT_OK((*store)->Write(
        [](Transaction& tx) { return tx.InsertPatient(SamplePatient("P-RO")); }));
  }
  std::string open_path = path;
  if (geteuid() == 0) {
    open_path = absl::StrCat("file:", path, "?mode=ro");
  } else {
    ASSERT_EQ(chmod(path.c_str(), 0444), 0);
  }
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(open_path);
  ASSERT_TRUE(store.ok()) << store.status();
  CPC_EXPECT_OK((*store)->Read([](Transaction& tx) { return tx.GetPatient("P-RO").status(); }));
  const absl::Status write = (*store)->Write(
      [](Transaction& tx) { return tx.InsertPatient(SamplePatient("P-NEW")); });
  EXPECT_EQ(write.code(), absl::StatusCode::kUnavailable) << write;
  EXPECT_THAT(write.message(), HasSubstr("cannot be written"));
  chmod(path.c_str(), 0644);
}

// Writes from many threads share commits (group commit); each still commits
// or rolls back alone: one that fails, even after inserting, or that breaks a
// constraint, leaves nothing and does not fail the writes around it.
TEST_F(StoreTest, ConcurrentWritesEachCommitOrFailAlone) {
  constexpr int kThreads = 16;
  constexpr int kWritesEach = 20;
  std::vector<std::vector<absl::Status>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesEach; ++i) {
        const std::string id = absl::StrCat("P-", t, "-", i);
        results[t].push_back(store_->Write([&](Transaction& tx) -> absl::Status {
          if (absl::Status s = tx.InsertPatient(SamplePatient(id)); !s.ok()) return s;
          if (i % 5 == 1) return tx.InsertPatient(SamplePatient(id));  // a duplicate
          if (i % 5 == 3) return absl::FailedPreconditionError("refused after the insert");
          return absl::OkStatus();
        }));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  RawConnection raw(db_path_);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kWritesEach; ++i) {
      const absl::Status& status = results[t][i];
      const int rows = raw.QueryInt(absl::StrCat(
          "SELECT count(*) FROM patients WHERE patient_id = 'P-", t, "-", i, "'"));
      if (i % 5 == 1 || i % 5 == 3) {
        EXPECT_FALSE(status.ok()) << t << "-" << i;
        EXPECT_EQ(rows, 0) << t << "-" << i;
      } else {
        CPC_EXPECT_OK(status);
        EXPECT_EQ(rows, 1) << t << "-" << i;
      }
    }
  }
}

TEST_F(StoreTest, ConcurrentRetriesOfOneRequestIdRunItOnce) {
  std::atomic<int> runs{0};
  std::vector<absl::StatusOr<std::string>> answers(8, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      answers[t] = store_->WriteOnce("req-1", "CreatePatient", "fp",
                                     [&](Transaction& tx) -> absl::StatusOr<std::string> {
                                       ++runs;
                                       if (absl::Status s = tx.InsertPatient(SamplePatient("P-1"));
                                           !s.ok()) {
                                         return s;
                                       }
                                       return std::string("answer");
                                     });
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(runs, 1);
  for (const absl::StatusOr<std::string>& answer : answers) {
    ASSERT_TRUE(answer.ok()) << answer.status();
    EXPECT_EQ(*answer, "answer");
  }
}

}  // namespace
}  // namespace cpctrack::store
