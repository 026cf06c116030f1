#include "store/store.h"

#include "absl/strings/str_cat.h"
#include "store/schema.h"

namespace cpctrack::store {

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path);
  if (!db.ok()) return db.status();
  absl::StatusOr<int> version = Migrate(**db);
  if (!version.ok()) return version.status();
  return std::unique_ptr<Store>(new Store(*std::move(db), *version));
}

absl::Status Store::InTransaction(absl::string_view begin,
                                  absl::FunctionRef<absl::Status(Transaction&)> fn) {
  if (absl::Status s = db_->Exec(begin); !s.ok()) return s;
  Transaction tx(*db_);
  absl::Status status = fn(tx);
  if (status.ok()) status = db_->Exec("COMMIT");
  if (!status.ok()) (void)db_->Exec("ROLLBACK");  // fails harmlessly if none is open
  return status;
}

absl::Status Store::Read(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  absl::MutexLock lock(&mu_);
  return InTransaction("BEGIN DEFERRED", fn);
}

absl::Status Store::Write(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  absl::MutexLock lock(&mu_);
  if (!write_refusal_.ok()) return write_refusal_;
  return InTransaction("BEGIN IMMEDIATE", fn);
}

void Store::RefuseWrites(absl::Status why) {
  absl::MutexLock lock(&mu_);
  write_refusal_ = std::move(why);
}

absl::Status Store::RecordRead(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  absl::MutexLock lock(&mu_);
  return InTransaction("BEGIN IMMEDIATE", fn);
}

absl::StatusOr<std::string> Store::WriteOnce(
    absl::string_view request_id, absl::string_view method, absl::string_view fingerprint,
    absl::FunctionRef<absl::StatusOr<std::string>(Transaction&)> fn) {
  std::string answer;
  absl::MutexLock lock(&mu_);
  if (!write_refusal_.ok()) return write_refusal_;
  absl::Status status = InTransaction("BEGIN IMMEDIATE", [&](Transaction& tx) -> absl::Status {
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
