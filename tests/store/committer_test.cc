// The store's committer thread: writes are queued, committed in groups, and
// each write's `done` is called once the group holding it is durable, with
// that write's own status.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "store/store.h"
#include "tests/store/test_db.h"

namespace cpctrack::store {
namespace {

using testing::RawConnection;
using testing::SamplePatient;
using testing::StoreTest;

// What happened, in order, across the committer and the test's threads.
class EventLog {
 public:
  void Add(std::string event) {
    absl::MutexLock lock(&mu_);
    events_.push_back(std::move(event));
  }
  std::vector<std::string> Events() {
    absl::MutexLock lock(&mu_);
    return events_;
  }
  int IndexOf(absl::string_view event) {
    absl::MutexLock lock(&mu_);
    for (size_t i = 0; i < events_.size(); ++i) {
      if (events_[i] == event) return static_cast<int>(i);
    }
    return -1;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> events_;
};

int PatientRows(const std::string& db_path, absl::string_view id) {
  RawConnection raw(db_path);
  return static_cast<int>(raw.QueryInt(
      absl::StrCat("SELECT count(*) FROM patients WHERE patient_id = '", id, "'")));
}

// Holds the committer inside a write until released, so that the writes
// queued meanwhile form the next group.
class HeldCommit {
 public:
  explicit HeldCommit(Store& store, EventLog& log) {
    store.Enqueue(
        [this, &log](Transaction& tx) -> absl::Status {
          log.Add("run hold");
          started_.Notify();
          release_.WaitForNotification();
          return tx.InsertPatient(SamplePatient("P-HOLD"));
        },
        [this, &log](absl::Status status) {
          log.Add("done hold");
          status_ = status;
          finished_.Notify();
        });
    started_.WaitForNotification();
  }
  void Release() { release_.Notify(); }
  absl::Status Wait() {
    finished_.WaitForNotification();
    return status_;
  }

 private:
  absl::Notification started_, release_, finished_;
  absl::Status status_;
};

// One group of many writes, some failing in different ways: every write's
// `done` gets its own status, only after the whole group ran (so after its
// one commit), and the failures leave nothing while the rest are stored.
TEST_F(StoreTest, TheCommitterFinishesEveryWriteOfAGroupWithItsOwnStatus) {
  EventLog log;
  HeldCommit hold(*store_, log);
  constexpr int kWrites = 40;
  std::vector<absl::Status> statuses(kWrites, absl::UnknownError("done not called"));
  std::atomic<int> done_calls{0};
  absl::Notification all_done;
  for (int i = 0; i < kWrites; ++i) {
    const std::string id = absl::StrCat("P-", i);
    store_->Enqueue(
        [&log, id, i](Transaction& tx) -> absl::Status {
          log.Add(absl::StrCat("run ", i));
          if (absl::Status s = tx.InsertPatient(SamplePatient(id)); !s.ok()) return s;
          if (i % 4 == 1) return tx.InsertPatient(SamplePatient(id));  // a duplicate
          if (i % 4 == 3) return absl::FailedPreconditionError(absl::StrCat("refused ", i));
          return absl::OkStatus();
        },
        [&, i](absl::Status status) {
          log.Add(absl::StrCat("done ", i));
          statuses[i] = status;
          if (++done_calls == kWrites) all_done.Notify();
        });
  }
  hold.Release();
  CPC_EXPECT_OK(hold.Wait());
  all_done.WaitForNotification();
  EXPECT_EQ(done_calls, kWrites);

  // One group: every write ran before any of them was answered.
  int last_run = -1, first_done = 1 << 30;
  for (int i = 0; i < kWrites; ++i) {
    last_run = std::max(last_run, log.IndexOf(absl::StrCat("run ", i)));
    first_done = std::min(first_done, log.IndexOf(absl::StrCat("done ", i)));
  }
  EXPECT_LT(last_run, first_done);
  EXPECT_LT(log.IndexOf("done hold"), log.IndexOf("run 0"));

  for (int i = 0; i < kWrites; ++i) {
    const std::string id = absl::StrCat("P-", i);
    if (i % 4 == 1) {
      EXPECT_TRUE(absl::IsAlreadyExists(statuses[i])) << i << ": " << statuses[i];
      EXPECT_EQ(PatientRows(db_path_, id), 0) << i;
    } else if (i % 4 == 3) {
      EXPECT_EQ(statuses[i], absl::FailedPreconditionError(absl::StrCat("refused ", i))) << i;
      EXPECT_EQ(PatientRows(db_path_, id), 0) << i;
    } else {
      CPC_EXPECT_OK(statuses[i]);
      EXPECT_EQ(PatientRows(db_path_, id), 1) << i;
    }
  }
}

// A write queued while a commit is in progress is not part of it: it waits
// for the next group, and is answered after the first one.
TEST_F(StoreTest, AWriteArrivingDuringACommitJoinsTheNextGroup) {
  EventLog log;
  HeldCommit hold(*store_, log);
  absl::Notification late_done;
  absl::Status late_status = absl::UnknownError("done not called");
  store_->Enqueue(
      [&](Transaction& tx) {
        log.Add("run late");
        return tx.InsertPatient(SamplePatient("P-LATE"));
      },
      [&](absl::Status status) {
        log.Add("done late");
        late_status = status;
        late_done.Notify();
      });
  EXPECT_FALSE(late_done.HasBeenNotified());
  hold.Release();
  CPC_EXPECT_OK(hold.Wait());
  late_done.WaitForNotification();
  CPC_EXPECT_OK(late_status);
  EXPECT_EQ(log.Events(), (std::vector<std::string>{"run hold", "done hold", "run late",
                                                     "done late"}));
  EXPECT_EQ(PatientRows(db_path_, "P-HOLD"), 1);
  EXPECT_EQ(PatientRows(db_path_, "P-LATE"), 1);
}

// A `done` may queue the next write of a chain (as a handler does for a
// second step); it joins a later group.
TEST_F(StoreTest, ADoneCanQueueTheNextWrite) {
  absl::Notification second_done;
  absl::Status second = absl::UnknownError("done not called");
  store_->Enqueue([](Transaction& tx) { return tx.InsertPatient(SamplePatient("P-1")); },
                  [&](absl::Status first) {
                    ASSERT_TRUE(first.ok()) << first;
                    store_->Enqueue(
                        [](Transaction& tx) { return tx.InsertPatient(SamplePatient("P-2")); },
                        [&](absl::Status status) {
                          second = status;
                          second_done.Notify();
                        });
                  });
  second_done.WaitForNotification();
  CPC_EXPECT_OK(second);
  // A blocking write from the committer would wait for itself: refused.
  absl::Notification refused;
  absl::Status blocking;
  store_->Enqueue([](Transaction&) { return absl::OkStatus(); },
                  [&](absl::Status) {
                    blocking = store_->Write([](Transaction&) { return absl::OkStatus(); });
                    refused.Notify();
                  });
  refused.WaitForNotification();
  EXPECT_TRUE(absl::IsInternal(blocking)) << blocking;
}

// Closing the store while writers keep queueing: every write is answered
// exactly once, either committed (and then on disk after reopening) or
// refused as UNAVAILABLE (and then absent); none is lost or half-written.
TEST_F(StoreTest, ShutdownWithWritesInFlightAnswersEveryWrite) {
  constexpr int kThreads = 8;
  constexpr int kWritesEach = 200;
  struct Outcome {
    std::atomic<int> done_calls{0};
    absl::Status status;
  };
  std::vector<std::unique_ptr<Outcome>> outcomes;
  for (int i = 0; i < kThreads * kWritesEach; ++i) outcomes.push_back(std::make_unique<Outcome>());
  std::atomic<int> answered{0};
  absl::Notification some_committed;
  std::vector<std::thread> writers;
  Store* store = store_.get();
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kWritesEach; ++i) {
        const int n = t * kWritesEach + i;
        store->Enqueue(
            [n](Transaction& tx) { return tx.InsertPatient(SamplePatient(absl::StrCat("P-", n))); },
            [&, n](absl::Status status) {
              outcomes[n]->status = status;
              ++outcomes[n]->done_calls;
              if (status.ok() && !some_committed.HasBeenNotified()) some_committed.Notify();
              ++answered;
            });
      }
    });
  }
  some_committed.WaitForNotification();
  store_.reset();  // while the writers are still queueing
  for (std::thread& t : writers) t.join();
  EXPECT_EQ(answered, kThreads * kWritesEach);

  RawConnection raw(db_path_);
  int committed = 0, refused = 0;
  for (int n = 0; n < kThreads * kWritesEach; ++n) {
    const Outcome& o = *outcomes[n];
    ASSERT_EQ(o.done_calls, 1) << n;
    const int64_t rows =
        raw.QueryInt(absl::StrCat("SELECT count(*) FROM patients WHERE patient_id = 'P-", n, "'"));
    if (o.status.ok()) {
      ++committed;
      EXPECT_EQ(rows, 1) << n;
    } else {
      ++refused;
      EXPECT_TRUE(absl::IsUnavailable(o.status)) << n << ": " << o.status;
      EXPECT_EQ(rows, 0) << n;
    }
  }
  EXPECT_GT(committed, 0);
  RecordProperty("committed", committed);
  RecordProperty("refused", refused);
}

}  // namespace
}  // namespace cpctrack::store
