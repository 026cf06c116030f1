// Store::Read on its own connections: reads beside a write in progress,
// never writing, many at once.
#include <memory>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/store.h"
#include "tests/store/test_db.h"

namespace cpctrack::store {
namespace {

using ::testing::HasSubstr;
using testing::SamplePatient;
using testing::StoreTest;

// Every request's session check is a read: it must not wait for a commit
// (and its fsync) to finish. A read started while a write is open answers at
// once, from what was committed before.
TEST_F(StoreTest, AReadDoesNotWaitForAWriteInProgress) {
  MustWrite([](Transaction& tx) { return tx.InsertPatient(SamplePatient("P-OLD")); });
  absl::Notification read_done;
  std::unique_ptr<std::thread> reader;
  MustWrite([&](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.InsertPatient(SamplePatient("P-NEW")); !s.ok()) return s;
    reader = std::make_unique<std::thread>([&] {
      CPC_EXPECT_OK(store_->Read([](Transaction& rx) -> absl::Status {
        EXPECT_TRUE(rx.GetPatient("P-OLD").ok());
        EXPECT_EQ(rx.GetPatient("P-NEW").status().code(), absl::StatusCode::kNotFound)
            << "a read saw a write before its commit";
        return absl::OkStatus();
      }));
      read_done.Notify();
    });
    EXPECT_TRUE(read_done.WaitForNotificationWithTimeout(absl::Seconds(10)))
        << "the read waited for the write to commit";
    return absl::OkStatus();
  });
  reader->join();
  CPC_EXPECT_OK(store_->Read([](Transaction& tx) { return tx.GetPatient("P-NEW").status(); }));
}

TEST_F(StoreTest, AReadCannotWrite) {
  const absl::Status status = store_->Read(
      [](Transaction& tx) { return tx.InsertPatient(SamplePatient("P-SNEAK")); });
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_THAT(status.message(), HasSubstr("cannot be written"));
  MustWrite([](Transaction& tx) { return tx.InsertPatient(SamplePatient("P-1")); });
  CPC_EXPECT_OK(store_->Read([](Transaction& tx) -> absl::Status {
    EXPECT_EQ(tx.GetPatient("P-SNEAK").status().code(), absl::StatusCode::kNotFound);
    return tx.GetPatient("P-1").status();
  }));
}

// More reads at once than there are reader connections: each waits its turn
// and sees the same committed data.
TEST_F(StoreTest, ManyConcurrentReadsAllAnswer) {
  MustWrite([](Transaction& tx) { return tx.InsertPatient(SamplePatient("P-1")); });
  constexpr int kThreads = 24;
  std::vector<std::thread> threads;
  std::vector<absl::Status> results(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int n = 0; n < 20 && results[i].ok(); ++n) {
        results[i] = store_->Read([](Transaction& tx) { return tx.GetPatient("P-1").status(); });
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const absl::Status& s : results) CPC_EXPECT_OK(s);
}

}  // namespace
}  // namespace cpctrack::store
