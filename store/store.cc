#include "store/store.h"

#include <algorithm>
#include <optional>

#include "absl/synchronization/notification.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "store/schema.h"

namespace cpctrack::store {
namespace {

// Enough to absorb every client waiting behind one fsync; small enough that
// one transaction stays short.
constexpr size_t kMaxGroupSize = 128;

// Reader connections: more than the two CPUs cpcd usually has, so a slow
// read leaves others free; each holds up to an 8 MiB page cache.
constexpr int kReaders = 4;

// Runs `fn` between `begin` and COMMIT on `db`; rolls back if anything fails.
absl::Status RunTransaction(Database& db, absl::string_view begin,
                            absl::FunctionRef<absl::Status(Transaction&)> fn) {
  if (absl::Status s = db.Exec(begin); !s.ok()) return s;
  Transaction tx(db);
  absl::Status status = fn(tx);
  if (status.ok()) status = db.Exec("COMMIT");
  if (!status.ok()) (void)db.Exec("ROLLBACK");  // fails harmlessly if none is open
  return status;
}

}  // namespace

// A write waiting in Store::queue_, owned by the queue and then the group.
struct Store::PendingWrite {
  WriteFn fn;
  WriteDone done;
  bool record_read = false;  // runs even while writes are refused
  absl::Status status;
};

Store::Store(std::unique_ptr<Database> db, std::vector<std::unique_ptr<Database>> readers,
             int schema_version)
    : db_(std::move(db)), readers_(std::move(readers)), schema_version_(schema_version) {
  for (const std::unique_ptr<Database>& reader : readers_) idle_readers_.push_back(reader.get());
  committer_ = std::thread([this] { CommitLoop(); });
}

Store::~Store() {
  {
    absl::MutexLock lock(&queue_mu_);
    stopping_ = true;
  }
  committer_.join();
}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path);
  if (!db.ok()) return db.status();
  absl::StatusOr<int> version = Migrate(**db);
  if (!version.ok()) return version.status();
  // After the migration: readers see the schema they will read.
  std::vector<std::unique_ptr<Database>> readers;
  for (int i = 0; i < kReaders; ++i) {
    absl::StatusOr<std::unique_ptr<Database>> reader = Database::OpenReader(path);
    if (!reader.ok()) return reader.status();
    readers.push_back(*std::move(reader));
  }
  return std::unique_ptr<Store>(new Store(*std::move(db), std::move(readers), *version));
}

absl::Status Store::Read(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  Database* reader = nullptr;
  {
    absl::MutexLock lock(&readers_mu_);
    readers_mu_.Await(absl::Condition(
        +[](std::vector<Database*>* idle) { return !idle->empty(); }, &idle_readers_));
    reader = idle_readers_.back();
    idle_readers_.pop_back();
  }
  absl::Status status = RunTransaction(*reader, "BEGIN DEFERRED", fn);
  absl::MutexLock lock(&readers_mu_);
  idle_readers_.push_back(reader);
  return status;
}

void Store::CommitGroup(const std::vector<std::unique_ptr<PendingWrite>>& group) {
  bool any = false;
  for (const std::unique_ptr<PendingWrite>& w : group) {
    if (!write_refusal_.ok() && !w->record_read) {
      w->status = write_refusal_;
    } else {
      any = true;
    }
  }
  if (!any) return;
  if (absl::Status begin = db_->Exec("BEGIN IMMEDIATE"); !begin.ok()) {
    for (const std::unique_ptr<PendingWrite>& w : group) {
      if (w->status.ok()) w->status = begin;
    }
    return;
  }
  Transaction tx(*db_);
  absl::Status lost;  // why the whole transaction is gone, if it is
  for (const std::unique_ptr<PendingWrite>& w : group) {
    if (!w->status.ok()) continue;  // refused above
    if (!lost.ok()) {
      w->status = lost;
      continue;
    }
    if (absl::Status s = db_->Exec("SAVEPOINT write"); !s.ok()) {
      w->status = lost = s;
      continue;
    }
    w->status = w->fn(tx);
    if (w->status.ok()) w->status = db_->Exec("RELEASE write");
    if (!w->status.ok() && db_->InTransaction()) {
      // Undo this write alone; the ones before it stay.
      (void)db_->Exec("ROLLBACK TO write");
      (void)db_->Exec("RELEASE write");
    }
    // A full disk or an I/O error can make SQLite roll back the whole
    // transaction: then the writes before this one are gone too.
    if (!db_->InTransaction()) {
      lost = !w->status.ok() ? w->status
                             : absl::UnavailableError("database transaction was rolled back");
    }
  }
  const absl::Time commit_start = absl::Now();
  absl::Status commit = lost.ok() ? db_->Exec("COMMIT") : lost;
  if (commit_observer_ && commit.ok()) {
    commit_observer_(static_cast<int>(group.size()), absl::Now() - commit_start);
  }
  if (!commit.ok()) {
    if (db_->InTransaction()) (void)db_->Exec("ROLLBACK");
    for (const std::unique_ptr<PendingWrite>& w : group) {
      if (w->status.ok()) w->status = commit;
    }
  }
}

void Store::CommitLoop() {
  for (;;) {
    std::vector<std::unique_ptr<PendingWrite>> group;
    {
      absl::MutexLock lock(&queue_mu_);
      queue_mu_.Await(absl::Condition(
          +[](Store* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->queue_mu_) {
            return !s->queue_.empty() || s->stopping_;
          },
          this));
      if (queue_.empty()) {  // stopping, and nothing is left
        stopped_ = true;
        return;
      }
      // Everyone waiting now; whoever arrives during the commit waits for
      // the next one.
      const size_t n = std::min(queue_.size(), kMaxGroupSize);
      for (size_t i = 0; i < n; ++i) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    {
      absl::MutexLock lock(&mu_);
      CommitGroup(group);
    }
    // Durable (or not) now: answer each write with its own status. A `done`
    // may queue a further write; it joins the next group.
    for (std::unique_ptr<PendingWrite>& w : group) std::move(w->done)(std::move(w->status));
  }
}

void Store::Push(std::unique_ptr<PendingWrite> write) {
  {
    absl::MutexLock lock(&queue_mu_);
    if (!stopped_) {
      queue_.push_back(std::move(write));
      return;
    }
  }
  std::move(write->done)(absl::UnavailableError("the server is shutting down; write refused"));
}

void Store::Enqueue(WriteFn fn, WriteDone done) {
  auto w = std::make_unique<PendingWrite>();
  w->fn = std::move(fn);
  w->done = std::move(done);
  Push(std::move(w));
}

void Store::EnqueueRecordRead(WriteFn fn, WriteDone done) {
  auto w = std::make_unique<PendingWrite>();
  w->fn = std::move(fn);
  w->done = std::move(done);
  w->record_read = true;
  Push(std::move(w));
}

absl::Status Store::BlockingWrite(absl::FunctionRef<absl::Status(Transaction&)> fn,
                                  bool record_read) {
  if (std::this_thread::get_id() == committer_.get_id()) {
    return absl::InternalError("a blocking write on the committer thread would wait forever");
  }
  absl::Notification finished;
  absl::Status result;
  WriteFn run = [fn](Transaction& tx) { return fn(tx); };
  WriteDone done = [&](absl::Status status) {
    result = std::move(status);
    finished.Notify();
  };
  if (record_read) {
    EnqueueRecordRead(std::move(run), std::move(done));
  } else {
    Enqueue(std::move(run), std::move(done));
  }
  finished.WaitForNotification();
  return result;
}

absl::Status Store::Write(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  return BlockingWrite(fn, /*record_read=*/false);
}

void Store::RefuseWrites(absl::Status why) {
  absl::MutexLock lock(&mu_);
  write_refusal_ = std::move(why);
}

absl::Status Store::RecordRead(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  return BlockingWrite(fn, /*record_read=*/true);
}

namespace {

// The savepoint of a write keyed by a request ID: the request row is written
// in the same savepoint as the request's own writes, so both commit or
// neither.
absl::Status AnswerOnce(Transaction& tx, absl::string_view request_id, absl::string_view method,
                        absl::string_view fingerprint,
                        absl::FunctionRef<absl::StatusOr<std::string>(Transaction&)> fn,
                        std::string& answer) {
  absl::StatusOr<std::optional<StoredResponse>> earlier = tx.FindRequest(request_id);
  if (!earlier.ok()) return earlier.status();
  if (earlier->has_value()) {
    if ((*earlier)->fingerprint != fingerprint) {
      return absl::InvalidArgumentError(absl::StrCat(
          "request_id \"", request_id,
          "\" was already used for a different request; use a new request ID"));
    }
    answer = std::move((*earlier)->response);
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> response = fn(tx);
  if (!response.ok()) return response.status();
  answer = *std::move(response);
  return tx.SaveRequest(request_id, method, StoredResponse{std::string(fingerprint), answer},
                        absl::Now());
}

}  // namespace

void Store::EnqueueOnce(std::string request_id, std::string method, std::string fingerprint,
                        AnswerFn fn, AnswerDone done) {
  // The answer lives with the write until its `done`.
  auto answer = std::make_shared<std::string>();
  Enqueue(
      [request_id = std::move(request_id), method = std::move(method),
       fingerprint = std::move(fingerprint), fn = std::move(fn),
       answer](Transaction& tx) mutable -> absl::Status {
        return AnswerOnce(
            tx, request_id, method, fingerprint,
            [&fn](Transaction& t) -> absl::StatusOr<std::string> { return fn(t); }, *answer);
      },
      [answer, done = std::move(done)](absl::Status status) mutable {
        if (!status.ok()) return std::move(done)(status);
        std::move(done)(std::move(*answer));
      });
}

absl::StatusOr<std::string> Store::WriteOnce(
    absl::string_view request_id, absl::string_view method, absl::string_view fingerprint,
    absl::FunctionRef<absl::StatusOr<std::string>(Transaction&)> fn) {
  std::string answer;
  absl::Status status = Write([&](Transaction& tx) {
    return AnswerOnce(tx, request_id, method, fingerprint, fn, answer);
  });
  if (!status.ok()) return status;
  return answer;
}

}  // namespace cpctrack::store
