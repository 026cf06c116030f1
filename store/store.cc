#include "store/store.h"

#include <algorithm>

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

// A write waiting in Store::queue_. Lives on its caller's stack until `done`.
struct Store::PendingWrite {
  absl::FunctionRef<absl::Status(Transaction&)> fn;
  absl::Status status;
  bool done = false;
};

Store::Store(std::unique_ptr<Database> db, std::vector<std::unique_ptr<Database>> readers,
             int schema_version)
    : db_(std::move(db)), readers_(std::move(readers)), schema_version_(schema_version) {
  for (const std::unique_ptr<Database>& reader : readers_) idle_readers_.push_back(reader.get());
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

void Store::CommitGroup(const std::vector<PendingWrite*>& group) {
  if (!write_refusal_.ok()) {
    for (PendingWrite* w : group) w->status = write_refusal_;
    return;
  }
  if (absl::Status begin = db_->Exec("BEGIN IMMEDIATE"); !begin.ok()) {
    for (PendingWrite* w : group) w->status = begin;
    return;
  }
  Transaction tx(*db_);
  absl::Status lost;  // why the whole transaction is gone, if it is
  for (PendingWrite* w : group) {
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
    for (PendingWrite* w : group) {
      if (w->status.ok()) w->status = commit;
    }
  }
}

absl::Status Store::Write(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  PendingWrite self{fn, absl::OkStatus(), false};
  queue_mu_.Lock();
  queue_.push_back(&self);
  auto my_turn = [this, &self]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue_mu_) {
    return self.done || queue_.front() == &self;
  };
  queue_mu_.Await(absl::Condition(&my_turn));
  if (self.done) {  // a leader committed it
    queue_mu_.Unlock();
    return self.status;
  }
  // Lead: take everyone waiting now; whoever arrives during the commit waits
  // for the next one.
  const size_t n = std::min(queue_.size(), kMaxGroupSize);
  const std::vector<PendingWrite*> group(queue_.begin(), queue_.begin() + n);
  queue_mu_.Unlock();
  {
    absl::MutexLock lock(&mu_);
    CommitGroup(group);
  }
  absl::MutexLock lock(&queue_mu_);
  for (size_t i = 0; i < n; ++i) {
    queue_.front()->done = true;
    queue_.pop_front();
  }
  return self.status;
}

void Store::RefuseWrites(absl::Status why) {
  absl::MutexLock lock(&mu_);
  write_refusal_ = std::move(why);
}

absl::Status Store::RecordRead(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  absl::MutexLock lock(&mu_);
  return RunTransaction(*db_, "BEGIN IMMEDIATE", fn);
}

absl::StatusOr<std::string> Store::WriteOnce(
    absl::string_view request_id, absl::string_view method, absl::string_view fingerprint,
    absl::FunctionRef<absl::StatusOr<std::string>(Transaction&)> fn) {
  std::string answer;
  // The request row is written in the same savepoint as the request's own
  // writes: both commit, or neither.
  absl::Status status = Write([&](Transaction& tx) -> absl::Status {
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
    return tx.SaveRequest(request_id, method,
                          StoredResponse{std::string(fingerprint), answer}, absl::Now());
  });
  if (!status.ok()) return status;
  return answer;
}

}  // namespace cpctrack::store
