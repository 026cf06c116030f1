// The cpctrack database: every read and write runs in one SQLite transaction,
// in terms of domain types. A write either commits whole or leaves nothing.
#ifndef CPCTRACK_STORE_STORE_H_
#define CPCTRACK_STORE_STORE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "domain/access.h"
#include "domain/audit.h"
#include "domain/audit_chain.h"
#include "domain/batch.h"
#include "domain/excursion.h"
#include "domain/followup.h"
#include "domain/inventory.h"
#include "domain/late_entry.h"
#include "domain/where_used.h"
#include "domain/patient.h"
#include "domain/product.h"
#include "domain/qualification.h"
#include "domain/qc.h"
#include "domain/readiness.h"
#include "domain/release_steps.h"
#include "domain/treatment_plan.h"
#include "domain/periodic_report.h"
#include "domain/signature.h"
#include "domain/storage.h"
#include "domain/tank_readings.h"
#include "domain/unit_steps.h"
#include "domain/units.h"
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
  // Its open positive-test deviations, "; "-joined: why it is quarantined.
  std::string quarantine_reason;
};

struct BatchFilter {
  std::optional<domain::BatchState> state;
  std::string patient_id;  // empty: any
};

// A QC test with its sample and batch, as the sterility export lists it.
struct QcTestRow {
  domain::QcSample sample;
  domain::QcTest test;
  std::string patient_id;
};

struct QcTestFilter {
  std::vector<domain::QcTestType> types;  // empty: any
  absl::Time started_from = absl::InfinitePast();  // inclusive
  absl::Time started_before = absl::InfiniteFuture();  // exclusive
  std::string batch_id;  // compact; empty: any
};

struct UnitFilter {
  std::string batch_id;    // compact; empty: any
  std::string patient_id;  // empty: any
  std::optional<domain::UnitState> state;
  // A tank, "TANK/RACK", a box "TANK/RACK/BOX" or a position; empty: any.
  std::string location;
};

struct DeviationFilter {
  std::string batch_id;  // compact; empty: any
  bool open_only = false;
};

// A deviation with the batch it belongs to.
struct DeviationRow {
  std::string batch_id;
  domain::Deviation deviation;
};

// A planned infusion with the plan it belongs to (the plan in force).
struct PlannedInfusionRow {
  domain::TreatmentPlan plan;  // with all its planned infusions
  domain::PlannedInfusion infusion;
};

// Which audit entries an export lists; empty fields match any.
struct AuditFilter {
  std::string batch_id;  // compact: the batch's own entries and those under it
  std::string actor;
  std::string action;
  absl::Time from = absl::InfinitePast();      // inclusive
  absl::Time before = absl::InfiniteFuture();  // exclusive
};

// An audit entry with its hash in the chain ("" when it has none).
struct AuditRow {
  domain::AuditEntry entry;
  std::string hash;
};

// The first answer to a client request ID (see Store::WriteOnce).
struct StoredResponse {
  std::string fingerprint;
  std::string response;
};

// A user with what signing in needs (user_queries.cc).
struct UserAccount {
  domain::User user;
  std::string password_hash;  // Argon2id, crypto_pwhash_str format
  std::string password_set_by;  // who chose it: the user, or an administrator
  int failed_logins = 0;      // since the last successful login
  absl::Time next_login_at = absl::InfinitePast();  // no attempt before this
};

struct SessionRow {
  std::string user_name;
  absl::Time created_at;
  absl::Time expires_at;
  bool revoked = false;
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
  // The clinic's identifiers of a patient, in the order added. Insert is
  // AlreadyExists when the value already names a patient.
  absl::Status InsertPatientIdentifier(const domain::PatientIdentifier& id);
  absl::StatusOr<std::vector<domain::PatientIdentifier>> LoadPatientIdentifiers(
      absl::string_view patient_id);
  absl::StatusOr<Page<domain::Patient>> ListPatients(absl::string_view after_key, int limit);

  // Reagent lots.
  absl::Status InsertReagentLot(const domain::ReagentLot& lot);
  // With QA's latest decision: a lot without one is in QUARANTINE.
  absl::StatusOr<domain::ReagentLot> GetReagentLot(absl::string_view lot_number);
  // Appends QA's decision (accepted or rejected) on a lot.
  absl::Status InsertLotDecision(const domain::LotDecision& decision);
  absl::StatusOr<Page<domain::ReagentLot>> ListReagentLots(absl::string_view after_key,
                                                           int limit);

  // Equipment; its status is the latest status change.
  absl::Status InsertEquipment(const domain::Equipment& equipment);
  absl::Status InsertEquipmentStatus(absl::string_view equipment_id,
                                     domain::EquipmentStatus status, absl::string_view reason,
                                     absl::Time at, absl::string_view by);
  absl::StatusOr<domain::Equipment> GetEquipment(absl::string_view equipment_id);
  // Appends a calibration or maintenance record; sets its record_id.
  absl::Status InsertUpkeepRecord(domain::UpkeepRecord& record);
  absl::StatusOr<Page<domain::Equipment>> ListEquipment(absl::string_view after_key,
                                                        int limit);

  // Qualifications of people for procedures (qualification_queries.cc):
  // appended, never changed; a renewal is a new one. Sets qualification_id.
  absl::Status InsertQualification(domain::Qualification& qualification);
  // All of `user`'s, in the order recorded.
  absl::StatusOr<std::vector<domain::Qualification>> LoadQualifications(absl::string_view user);

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
  // Only the records of `kinds` (e.g. domain::KindsReadByRules()): a step's
  // decision on an old batch then reads a few rows, not its whole history.
  absl::StatusOr<std::vector<domain::BatchRecord>> LoadRecords(
      const domain::Din& batch_id, const std::vector<domain::RecordKind>& kinds);
  absl::Status InsertRecord(const domain::Din& batch_id, domain::BatchRecord& record);
  // Where-used (domain/where_used.h). Direct uses of a lot; uses of a piece
  // of equipment at a moment in [from, to] (cabinet, freezer, instrument);
  // the batches whose culture was put in an incubator in [from, to]; the
  // units and infusions of a batch; what a user did in [from, to], newest
  // first, at most `limit`.
  absl::StatusOr<std::vector<domain::Use>> LotUses(absl::string_view lot_number);
  absl::StatusOr<std::vector<domain::Use>> EquipmentMomentUses(absl::string_view equipment_id,
                                                               absl::Time from, absl::Time to);
  absl::StatusOr<std::vector<std::string>> BatchesInIncubator(absl::string_view equipment_id,
                                                              absl::Time from, absl::Time to);
  absl::StatusOr<std::vector<domain::Use>> BatchDownstream(const domain::Din& batch_id);
  absl::StatusOr<std::vector<domain::Use>> UserActions(absl::string_view user, absl::Time from,
                                                       absl::Time to, int limit);
  // Steps recorded late (late_entry.h), in write order.
  absl::Status InsertLateEntry(const domain::Din& batch_id, const domain::LateEntry& entry);
  absl::StatusOr<std::vector<domain::LateEntry>> LoadLateEntries(const domain::Din& batch_id);

  absl::StatusOr<std::vector<domain::Deviation>> LoadDeviations(const domain::Din& batch_id);
  absl::Status InsertDeviation(const domain::Din& batch_id, domain::Deviation& deviation);
  // The batch a deviation belongs to (compact ID); NotFound naming the ID.
  absl::StatusOr<std::string> DeviationBatch(int64_t deviation_id);
  absl::Status InsertDeviationNote(int64_t deviation_id, domain::DeviationNote& note);
  absl::Status InsertDeviationClosure(int64_t deviation_id, const domain::DeviationClosure& c);
  absl::StatusOr<Page<DeviationRow>> ListDeviations(const DeviationFilter& filter,
                                                     absl::string_view after_key, int limit);

  // State changes made by QC, deviations, freezing and disposal.
  absl::Status InsertStateChange(const domain::Din& batch_id, domain::BatchState from,
                                 domain::BatchState to, absl::Time at, absl::string_view by,
                                 absl::string_view reason);
  absl::StatusOr<std::vector<domain::BatchStateChange>> LoadStateChanges(
      const domain::Din& batch_id);
  // The state the batch left when it was last quarantined; nullopt if never.
  absl::StatusOr<std::optional<domain::BatchState>> StateBeforeQuarantine(
      const domain::Din& batch_id);

  // QC (qc_queries.cc). Inserts fill the new ID.
  absl::Status InsertSample(domain::QcSample& sample);
  absl::StatusOr<domain::QcSample> GetSample(int64_t sample_id);  // NotFound
  absl::Status InsertTest(domain::QcTest& test);
  // The batch (compact ID) a test belongs to; NotFound naming the test.
  absl::StatusOr<std::string> TestBatch(int64_t test_id);
  absl::StatusOr<domain::QcTest> GetTest(int64_t test_id);  // with results and reviews
  absl::StatusOr<std::vector<domain::QcSample>> LoadSamples(const domain::Din& batch_id);
  absl::StatusOr<std::vector<domain::QcTest>> LoadTests(const domain::Din& batch_id);
  absl::Status InsertResult(int64_t test_id, domain::QcResult& result);
  absl::Status InsertReview(int64_t test_id, domain::QcReview& review);
  absl::Status InsertInterimReading(int64_t test_id, domain::InterimReading& reading);
  absl::Status InsertInvalidation(int64_t test_id, const domain::QcInvalidation& invalidation);
  // Tests in order of start time, then ID.
  absl::StatusOr<Page<QcTestRow>> ListTests(const QcTestFilter& filter,
                                            absl::string_view after_key, int limit);

  // Storage and units (unit_queries.cc).
  absl::Status InsertTank(const domain::Tank& tank);  // AlreadyExists
  absl::Status InsertRack(absl::string_view tank_id, absl::string_view rack, absl::Time at,
                          absl::string_view by);
  absl::Status InsertBox(const domain::Box& box);
  absl::StatusOr<domain::Tank> GetTank(absl::string_view tank_id);  // NotFound
  absl::StatusOr<std::vector<domain::Tank>> ListTanks();
  absl::StatusOr<std::vector<std::string>> ListRacks(absl::string_view tank_id);
  absl::StatusOr<std::vector<domain::Box>> ListBoxes(absl::string_view tank_id);
  // The boxes and tanks of `positions` and which of those positions are taken.
  absl::StatusOr<domain::StorageFacts> LoadStorageFacts(
      const std::vector<domain::Position>& positions);
  // Stores a new unit and its FROZEN event.
  absl::Status InsertUnit(const domain::Unit& unit);
  // Appends an event and brings the unit's state and position up to date.
  absl::Status InsertUnitEvent(const domain::UnitEvent& event);
  absl::Status InsertThaw(absl::string_view unit_id, const domain::ThawResult& thaw);
  absl::StatusOr<domain::Unit> GetUnit(absl::string_view unit_id);  // NotFound
  absl::StatusOr<std::vector<domain::Unit>> LoadUnits(const domain::Din& batch_id);
  absl::StatusOr<Page<domain::Unit>> ListUnits(const UnitFilter& filter,
                                               absl::string_view after_key, int limit);
  absl::StatusOr<std::vector<domain::UnitEvent>> LoadUnitEvents(absl::string_view unit_id);

  // Excursions and tank readings (excursion_queries.cc). Inserts fill the ID.
  absl::Status InsertExcursion(domain::Excursion& excursion);
  absl::StatusOr<domain::Excursion> GetExcursion(int64_t excursion_id);  // NotFound, with closure
  // The deviations an excursion opened, with their batches, in ID order.
  absl::StatusOr<std::vector<DeviationRow>> ExcursionChildren(int64_t excursion_id);
  absl::Status InsertExcursionClosure(int64_t excursion_id, const domain::ExcursionClosure& c);
  // Every unit that ever had a position in the tank, by ID: the candidates
  // whose histories say whether they were there at a given time.
  absl::StatusOr<std::vector<std::string>> UnitsEverInTank(absl::string_view tank_id);
  // AlreadyExists when the tank has a reading at that time.
  absl::Status InsertTankReading(domain::TankReading& reading);
  // The tank's latest reading before `at` (only those in limits when
  // `in_limits_only`); nullopt when none.
  absl::StatusOr<std::optional<domain::TankReading>> TankReadingBefore(absl::string_view tank_id,
                                                                      absl::Time at,
                                                                      bool in_limits_only);
  // Readings in [from, to], oldest first, at most `limit`.
  absl::StatusOr<std::vector<domain::TankReading>> ListTankReadings(absl::string_view tank_id,
                                                                    absl::Time from,
                                                                    absl::Time to, int limit);

  // Plans, releases and infusions (plan_queries.cc).
  absl::Status InsertPlan(domain::TreatmentPlan& plan);  // fills plan and infusion IDs
  // The plan in force for the batch (its latest); nullopt if none.
  absl::StatusOr<std::optional<domain::TreatmentPlan>> PlanForBatch(const domain::Din& batch_id);
  absl::StatusOr<PlannedInfusionRow> GetPlannedInfusion(int64_t infusion_id);  // NotFound
  // Planned infusions of plans in force, dated from..to inclusive, by date.
  absl::StatusOr<std::vector<PlannedInfusionRow>> ListPlannedInfusions(absl::CivilDay from,
                                                                       absl::CivilDay to);
  absl::Status InsertRelease(const domain::Din& batch_id, domain::Release& release);
  absl::StatusOr<std::optional<domain::Release>> LatestRelease(const domain::Din& batch_id);
  // Every release of the batch, oldest first (a revoked one stays).
  absl::StatusOr<std::vector<domain::Release>> LoadReleases(const domain::Din& batch_id);
  // The batches (compact IDs) whose plan in force has this regulatory number.
  absl::StatusOr<std::vector<std::string>> BatchesUnderPlan(absl::string_view plan_number);
  absl::Status InsertBedsideCheck(int64_t planned_infusion_id, absl::string_view unit_id,
                                  absl::string_view scanned_unit_id,
                                  absl::string_view scanned_patient_id, bool matched,
                                  absl::string_view reason, absl::Time at, absl::string_view by);
  absl::Status InsertInfusion(domain::Infusion& infusion);
  // Infusions of the batch's units, in the order recorded.
  absl::StatusOr<std::vector<domain::Infusion>> LoadInfusions(const domain::Din& batch_id);

  // Follow-up cases (followup_queries.cc). Inserting fills the ID.
  absl::StatusOr<std::vector<domain::InfusionOnRecord>> InfusionsOnRecord(
      const domain::Din& batch_id);
  absl::Status InsertFollowUp(domain::FollowUp& follow_up);
  absl::StatusOr<domain::FollowUp> GetFollowUp(int64_t follow_up_id);  // NotFound
  absl::StatusOr<std::vector<domain::FollowUp>> LoadFollowUps(const domain::Din& batch_id);
  // Every follow-up, newest first; only the open ones when `open_only`.
  absl::StatusOr<std::vector<domain::FollowUp>> ListFollowUps(bool open_only);
  absl::Status InsertAssessment(int64_t follow_up_id, const domain::FollowUpAssessment& a);
  absl::Status InsertAcknowledgement(int64_t follow_up_id,
                                     const domain::FollowUpAcknowledgement& a);

  // Audit trail. Appending fills the sequence and links the entry into the
  // hash chain (audit_chain.h).
  absl::Status AppendAudit(domain::AuditEntry& entry);
  absl::StatusOr<domain::AuditHead> AuditHead();
  absl::StatusOr<std::optional<AuditRow>> GetAuditEntry(int64_t sequence);
  // Entries matching `filter` with after < sequence <= through, in sequence
  // order; next_key is the last sequence listed.
  absl::StatusOr<Page<AuditRow>> ListAudit(const AuditFilter& filter, int64_t after,
                                           int64_t through, int limit);
  absl::StatusOr<domain::AuditVerification> VerifyAuditChain(
      std::optional<domain::AuditHead> expect = std::nullopt);
  // Only what follows a trusted checkpoint's head (see audit_chain.h).
  absl::StatusOr<domain::AuditVerification> VerifyAuditChainAfter(
      const domain::AuditHead& trusted);
  absl::StatusOr<std::vector<domain::AuditEntry>> AuditForResourcePrefix(
      absl::string_view prefix);

  // Users, sessions and signatures (user_queries.cc). Sessions are keyed by
  // the SHA-256 of their token, never the token.
  // The password was set by `user.created_by` (the user themself only for the
  // bootstrap administrator, whose creator is "bootstrap").
  absl::Status InsertUser(const domain::User& user, absl::string_view password_hash,
                          absl::string_view password_set_by);
  absl::StatusOr<UserAccount> GetUser(absl::string_view user_name);  // NotFound
  absl::StatusOr<std::vector<domain::User>> ListUsers();
  absl::Status SetUserDisabled(absl::string_view user_name, bool disabled);
  absl::Status SetUserRoles(absl::string_view user_name, const std::vector<domain::Role>& roles);
  absl::Status SetPasswordHash(absl::string_view user_name, absl::string_view password_hash,
                               absl::string_view set_by);
  absl::Status SetLoginFailures(absl::string_view user_name, int failed_logins,
                                absl::Time next_login_at);
  // Enabled users holding the administrator role.
  absl::StatusOr<int> CountAdministrators();
  absl::Status InsertSession(absl::string_view token_sha256, const SessionRow& session);
  absl::StatusOr<std::optional<SessionRow>> FindSession(absl::string_view token_sha256);
  absl::Status RevokeSession(absl::string_view token_sha256);
  absl::Status RevokeSessionsOf(absl::string_view user_name);
  // Sessions neither revoked nor expired at `now` (metrics).
  absl::StatusOr<int64_t> CountOpenSessions(absl::Time now);
  // Fills signature_id. AlreadyExists when the record already carries a
  // signature with this meaning.
  absl::Status InsertSignature(domain::Signature& signature);
  absl::StatusOr<std::vector<domain::Signature>> SignaturesFor(absl::string_view resource);

  // Idempotency keys.
  absl::StatusOr<std::optional<StoredResponse>> FindRequest(absl::string_view request_id);
  absl::Status SaveRequest(absl::string_view request_id, absl::string_view method,
                           const StoredResponse& response, absl::Time at);

 private:
  absl::StatusOr<int64_t> BatchSeq(const domain::Din& batch_id);
  absl::Status InsertRecordLots(int64_t record_id, const domain::RecordData& data);
  absl::Status LoadRecordDetails(std::vector<domain::BatchRecord>& records);
  absl::Status LoadSpecification(domain::Product& product);
  absl::Status InsertReleaseBasis(const domain::Product& product, int requirement,
                                  const domain::RequiredTest& test);
  absl::Status LoadReleaseBases(domain::Product& product);
  absl::StatusOr<std::vector<domain::FollowUp>> FollowUpsWhere(absl::string_view where,
                                                               absl::string_view key);
  absl::Status LoadPlanInfusions(domain::TreatmentPlan& plan);
  absl::Status LoadDeviationDetails(domain::Deviation& deviation);
  absl::Status LoadTestDetails(domain::QcTest& test);
  absl::StatusOr<domain::Unit> LoadUnitDetails(const Statement& row);
  absl::StatusOr<std::vector<domain::Role>> LoadRoles(absl::string_view user_name);

  Database& db_;
};

class Store {
 public:
  // Opens or creates the database file and migrates it to the latest schema.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& path);

  // Runs `fn` in one read transaction on a reader connection of its own: it
  // sees every write committed before it began and never waits for a commit
  // in progress (or its fsync). `fn` must not write. Safe on any thread.
  absl::Status Read(absl::FunctionRef<absl::Status(Transaction&)> fn);

  // A write: runs in its own savepoint of a transaction it may share with
  // other writes (group commit); a write that fails leaves no trace and never
  // fails another.
  using WriteFn = absl::AnyInvocable<absl::Status(Transaction&)>;
  // What the committer calls once the write's fate is known: OK only after
  // the commit holding it is durable (fsync'd), else why it was not written.
  using WriteDone = absl::AnyInvocable<void(absl::Status) &&>;

  // Queues `fn` for the committer thread and returns at once; `done` is
  // called exactly once, on the committer thread, when the group holding the
  // write is durable (or failed, or the write was refused). `fn` and `done`
  // run on the committer thread: they must not call the blocking Write,
  // WriteOnce or RecordRead (they may call Enqueue). Once the store is being
  // destroyed, a new write is refused at once (UNAVAILABLE, `done` called on
  // the caller's thread); writes already queued are committed first.
  void Enqueue(WriteFn fn, WriteDone done);

  // Enqueue, keyed by a client request ID. The first time, runs `fn` and
  // stores its answer with the request's fingerprint in the same savepoint;
  // a retry with the same ID and fingerprint gets the stored answer and
  // writes nothing. The same ID with another fingerprint is InvalidArgument.
  using AnswerFn = absl::AnyInvocable<absl::StatusOr<std::string>(Transaction&)>;
  using AnswerDone = absl::AnyInvocable<void(absl::StatusOr<std::string>) &&>;
  void EnqueueOnce(std::string request_id, std::string method, std::string fingerprint,
                   AnswerFn fn, AnswerDone done);

  // An Enqueue that runs even while writes are refused: only for the entry
  // that records a read (an audit export), so that looking into a broken
  // trail is itself on record.
  void EnqueueRecordRead(WriteFn fn, WriteDone done);

  // Blocking forms of the above, for start-up, tools and tests: they return
  // once the write is durable. Never call them on the committer thread (a
  // `done`): they would wait for themselves; they refuse instead.
  absl::Status Write(absl::FunctionRef<absl::Status(Transaction&)> fn);
  absl::StatusOr<std::string> WriteOnce(
      absl::string_view request_id, absl::string_view method, absl::string_view fingerprint,
      absl::FunctionRef<absl::StatusOr<std::string>(Transaction&)> fn);
  absl::Status RecordRead(absl::FunctionRef<absl::Status(Transaction&)> fn);

  // From now on writes are answered with `why` without running: cpcd's
  // answer to a broken audit chain. Reads go on.
  void RefuseWrites(absl::Status why);

  // Commits every write queued, then stops the committer.
  ~Store();

  int schema_version() const { return schema_version_; }

  // Called after each group commit with the writes it held and how long the
  // COMMIT (its fsync) took; for metrics. Set before serving.
  using CommitObserver = std::function<void(int writes, absl::Duration commit)>;
  void SetCommitObserver(CommitObserver observer) { commit_observer_ = std::move(observer); }

 private:
  CommitObserver commit_observer_;
  Store(std::unique_ptr<Database> db, std::vector<std::unique_ptr<Database>> readers,
        int schema_version);

  struct PendingWrite;
  void Push(std::unique_ptr<PendingWrite> write);
  // The committer thread: takes every write waiting (up to a limit), commits
  // them as one group, calls their `done`s, and again, until destroyed.
  void CommitLoop();
  // Runs each write of `group` in its own savepoint of one transaction and
  // commits once; fills each write's status.
  void CommitGroup(const std::vector<std::unique_ptr<PendingWrite>>& group)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status BlockingWrite(absl::FunctionRef<absl::Status(Transaction&)> fn,
                             bool record_read);

  // The writer: one connection, used only by the committer thread. Writes
  // queue in `queue_` while a group commits; the next group takes them all,
  // so one fsync serves many writes (as LevelDB's DBImpl::Write does), and
  // no caller's thread waits for it.
  absl::Mutex mu_;  // never held with queue_mu_
  std::unique_ptr<Database> db_ ABSL_GUARDED_BY(mu_);
  absl::Status write_refusal_ ABSL_GUARDED_BY(mu_);
  absl::Mutex queue_mu_;
  std::deque<std::unique_ptr<PendingWrite>> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;  // committer drains, then exits
  bool stopped_ ABSL_GUARDED_BY(queue_mu_) = false;   // new writes are refused
  std::thread committer_;
  // Reads have connections of their own (WAL lets them work beside the
  // writer and each other); a read takes an idle one, or waits for one.
  // A few are enough: a long read (a board, an export page) then does not
  // hold up every request's session check.
  const std::vector<std::unique_ptr<Database>> readers_;
  absl::Mutex readers_mu_;  // never held with mu_ or queue_mu_
  std::vector<Database*> idle_readers_ ABSL_GUARDED_BY(readers_mu_);
  const int schema_version_;
};

}  // namespace cpctrack::store

#endif  // CPCTRACK_STORE_STORE_H_
