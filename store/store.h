// The cpctrack database: every read and write runs in one SQLite transaction,
// in terms of domain types. A write either commits whole or leaves nothing.
#ifndef CPCTRACK_STORE_STORE_H_
#define CPCTRACK_STORE_STORE_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "domain/audit.h"
#include "domain/batch.h"
#include "domain/inventory.h"
#include "domain/patient.h"
#include "domain/product.h"
#include "store/sqlite.h"

namespace cpctrack::store {

// One page of a list. `next_key` is empty on the last page; pass it back as
// `after_key` for the next one.
template <class T>
struct Page {
  std::vector<T> items;
  std::string next_key;
};

// A batch as lists show it.
struct BatchSummary {
  domain::Batch batch;
  int open_deviations = 0;
};

struct BatchFilter {
  std::optional<domain::BatchState> state;
  std::string patient_id;  // empty: any
};

// The first answer to a client request ID (see Store::WriteOnce).
struct StoredResponse {
  std::string fingerprint;
  std::string response;
};

// Queries and inserts inside one transaction. Obtained only from Store.
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) {}

  // Patients.
  // Registers the patient as revision 1. AlreadyExists for a known ID.
  absl::Status InsertPatient(const domain::Patient& patient);
  // Appends `patient.revision` with its updated_at/by and update_reason.
  absl::Status InsertPatientRevision(const domain::Patient& patient);
  // The latest revision.
  absl::StatusOr<domain::Patient> GetPatient(absl::string_view patient_id);  // NotFound
  absl::StatusOr<Page<domain::Patient>> ListPatients(absl::string_view after_key, int limit);

  // Reagent lots.
  absl::Status InsertReagentLot(const domain::ReagentLot& lot);
  absl::StatusOr<domain::ReagentLot> GetReagentLot(absl::string_view lot_number);
  absl::StatusOr<Page<domain::ReagentLot>> ListReagentLots(absl::string_view after_key,
                                                           int limit);

  // Equipment; its status is the latest status change.
  absl::Status InsertEquipment(const domain::Equipment& equipment);
  absl::Status InsertEquipmentStatus(absl::string_view equipment_id,
                                     domain::EquipmentStatus status, absl::string_view reason,
                                     absl::Time at, absl::string_view by);
  absl::StatusOr<domain::Equipment> GetEquipment(absl::string_view equipment_id);
  absl::StatusOr<Page<domain::Equipment>> ListEquipment(absl::string_view after_key,
                                                        int limit);

  // Products.
  absl::Status InsertProduct(const domain::Product& product, absl::Time at);
  absl::StatusOr<domain::Product> GetProduct(absl::string_view code, int version);
  absl::StatusOr<domain::Product> GetLatestProduct(absl::string_view code);
  absl::StatusOr<std::vector<domain::Product>> ListProducts();

  // Batches.
  // The highest DIN sequence used for the facility and year, 0 if none.
  absl::StatusOr<int> LastDinSequence(absl::string_view facility_code, int year);
  absl::Status InsertBatch(const domain::Batch& batch);
  absl::StatusOr<domain::Batch> GetBatch(const domain::Din& batch_id);
  absl::Status UpdateBatchSummary(const domain::Batch& batch);  // state, passage, updated_at
  absl::StatusOr<Page<BatchSummary>> ListBatches(const BatchFilter& filter,
                                                  absl::string_view after_key, int limit);

  // A batch's records in write order, and appending one (fills record_id).
  absl::StatusOr<std::vector<domain::BatchRecord>> LoadRecords(const domain::Din& batch_id);
  absl::Status InsertRecord(const domain::Din& batch_id, domain::BatchRecord& record);

  absl::StatusOr<std::vector<domain::Deviation>> LoadDeviations(const domain::Din& batch_id);
  absl::Status InsertDeviation(const domain::Din& batch_id, domain::Deviation& deviation);

  // Audit trail (fills sequence).
  absl::Status AppendAudit(domain::AuditEntry& entry);
  absl::StatusOr<std::vector<domain::AuditEntry>> AuditForResourcePrefix(
      absl::string_view prefix);

  // Idempotency keys.
  absl::StatusOr<std::optional<StoredResponse>> FindRequest(absl::string_view request_id);
  absl::Status SaveRequest(absl::string_view request_id, absl::string_view method,
                           const StoredResponse& response, absl::Time at);

 private:
  absl::StatusOr<int64_t> BatchSeq(const domain::Din& batch_id);
  absl::Status InsertRecordLots(int64_t record_id, const domain::RecordData& data);
  absl::Status LoadRecordDetails(std::vector<domain::BatchRecord>& records);

  Database& db_;
};

class Store {
 public:
  // Opens or creates the database file and migrates it to the latest schema.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& path);

  // Runs `fn` in one read transaction.
  absl::Status Read(absl::FunctionRef<absl::Status(Transaction&)> fn);

  // Runs `fn` in one write transaction; commits only if it returns OK.
  // Returns after the commit that holds the write is durable. Concurrent
  // writes may share that commit (group commit); each runs alone in its own
  // savepoint, so a write that fails leaves no trace and never fails another.
  // `fn` may run on another caller's thread (the one committing the group):
  // it must use only what it captures, and must not call Read or Write.
  absl::Status Write(absl::FunctionRef<absl::Status(Transaction&)> fn);

  // A write keyed by a client request ID. The first time, runs `fn` and
  // stores its answer with the request's fingerprint in the same
  // transaction; a retry with the same ID and fingerprint returns the stored
  // answer and writes nothing. The same ID with another fingerprint is
  // InvalidArgument.
  absl::StatusOr<std::string> WriteOnce(
      absl::string_view request_id, absl::string_view method, absl::string_view fingerprint,
      absl::FunctionRef<absl::StatusOr<std::string>(Transaction&)> fn);

  int schema_version() const { return schema_version_; }

 private:
  Store(std::unique_ptr<Database> db, int schema_version)
      : db_(std::move(db)), schema_version_(schema_version) {}

  struct PendingWrite;

  absl::Status InTransaction(absl::string_view begin,
                             absl::FunctionRef<absl::Status(Transaction&)> fn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Runs each write of `group` in its own savepoint of one transaction and
  // commits once; fills each write's status.
  void CommitGroup(const std::vector<PendingWrite*>& group) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // One connection, one transaction at a time. Writes queue in `queue_`; the
  // first in line leads: it takes every write waiting (up to a limit), commits
  // them together while new ones queue behind, then hands over to the next.
  // One fsync thus serves many writes (as LevelDB's DBImpl::Write does).
  absl::Mutex mu_;  // never held with queue_mu_
  std::unique_ptr<Database> db_ ABSL_GUARDED_BY(mu_);
  absl::Mutex queue_mu_;
  std::deque<PendingWrite*> queue_ ABSL_GUARDED_BY(queue_mu_);
  const int schema_version_;
};

}  // namespace cpctrack::store

#endif  // CPCTRACK_STORE_STORE_H_
