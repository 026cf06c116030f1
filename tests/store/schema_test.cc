// The schema: migrations and the constraints that hold even against a raw SQL
// connection that bypasses cpcd.
#include "store/schema.h"

#include <sqlite3.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/audit_chain.h"
#include "store/store.h"
#include "tests/store/test_db.h"

namespace cpctrack::store {
namespace {

using ::testing::HasSubstr;
using testing::RawConnection;
using testing::StoreTest;
using testing::T;
using testing::TempDir;

TEST(SchemaTest, NewFileIsMigratedToTheLatestVersion) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(dir.File("new.db"));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_GE(LatestSchemaVersion(), 1);
  EXPECT_EQ((*store)->schema_version(), LatestSchemaVersion());
  RawConnection raw(dir.File("new.db"));
  EXPECT_EQ(raw.QueryInt("PRAGMA user_version"), LatestSchemaVersion());
  EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'batch_records'"), 1);
}

TEST(SchemaTest, NewFileIsInWalModeWithFullSyncAndForeignKeys) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(dir.File("new.db"));
  ASSERT_TRUE(store.ok()) << store.status();
  // journal_mode=WAL is persistent in the file; a raw connection sees it.
  RawConnection raw(dir.File("new.db"));
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw.handle(), "PRAGMA journal_mode", -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))), "wal");
  sqlite3_finalize(stmt);
}

TEST(SchemaTest, MigrateReportsTheVersionAndIsANoOpTheSecondTime) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(dir.File("m.db"));
  ASSERT_TRUE(db.ok()) << db.status();
  absl::StatusOr<int> first = Migrate(**db);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, LatestSchemaVersion());
  CPC_ASSERT_OK((*db)->Exec(
      "INSERT INTO products VALUES ('X', 1, 'x', 3600, 5, 30.0, 0)"));
  // A second run must not re-apply migration 1 (CREATE TABLE would fail, and
  // a DROP/CREATE would lose the row).
  absl::StatusOr<int> second = Migrate(**db);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*second, LatestSchemaVersion());
  absl::StatusOr<Statement> q = (*db)->Prepare("SELECT count(*) FROM products");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(*q->Step());
  EXPECT_EQ(q->Int(0), 1);
}

TEST_F(StoreTest, ReopeningKeepsDataAndDoesNotRerunMigrations) {
  MustWrite([](Transaction& tx) { return tx.InsertPatient(testing::SamplePatient("P-KEEP")); });
  // A marker object that migration 1 knows nothing about: if migrations ran
  // again from scratch on reopen, they would fail or lose it.
  {
    RawConnection raw(db_path_);
    ASSERT_EQ(raw.Exec("CREATE TABLE marker (x INTEGER) STRICT; INSERT INTO marker VALUES (42)"),
              SQLITE_OK)
        << raw.last_error();
  }
  CPC_ASSERT_OK(Reopen());
  EXPECT_EQ(store_->schema_version(), LatestSchemaVersion());
  CPC_EXPECT_OK(store_->Read([](Transaction& tx) -> absl::Status {
    absl::StatusOr<domain::Patient> p = tx.GetPatient("P-KEEP");
    EXPECT_TRUE(p.ok()) << p.status();
    return absl::OkStatus();
  }));
  RawConnection raw(db_path_);
  EXPECT_EQ(raw.QueryInt("SELECT x FROM marker"), 42);
  EXPECT_EQ(raw.QueryInt("PRAGMA user_version"), LatestSchemaVersion());
}

TEST(SchemaTest, FileFromANewerBuildIsRefusedAndLeftAlone) {
  TempDir dir;
  const std::string path = dir.File("newer.db");
  {
    absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
  }
  const int newer = LatestSchemaVersion() + 1;
  {
    RawConnection raw(path);
    ASSERT_EQ(raw.Exec(absl::StrCat("PRAGMA user_version = ", newer)), SQLITE_OK);
  }
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition) << store.status();
  EXPECT_THAT(store.status().message(), HasSubstr(absl::StrCat(newer)));
  RawConnection raw(path);
  EXPECT_EQ(raw.QueryInt("PRAGMA user_version"), newer);
}

// The last line of defence: a raw connection, as someone with the sqlite3
// shell would have. Each refusal must be a constraint error, not a typo.
class SchemaDefenceTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    SeedReferenceData();
    batch_ = AddBatch(1, "P-001");
    domain::BatchRecord record;
    record.recorded_at = T(5);
    record.recorded_by = "tech.ito";
    domain::Passage passage;
    passage.passage_time = T(5);
    passage.total_cells = 2000000;
    passage.viable_cells = 1800000;
    passage.viability_percent = 90;
    passage.counting_method = domain::CountingMethod::kAutomatedAoPi;
    passage.cells_reseeded = 1000000;
    passage.medium_lot = "MED-1";
    passage.incubator_id = "INC-01";
    passage.passage_number = 1;
    record.data = passage;
    MustWrite([&](Transaction& tx) { return tx.InsertRecord(batch_.batch_id, record); });
    record_id_ = record.record_id;
    domain::AuditEntry entry{.at = T(5), .actor = "tech.ito", .action = "batch.record_passage",
                             .resource = "batches/x", .new_value = "{}", .request_id = "r1"};
    MustWrite([&](Transaction& tx) { return tx.AppendAudit(entry); });
    raw_ = std::make_unique<RawConnection>(db_path_);
    ASSERT_EQ(raw_->Exec("PRAGMA foreign_keys = ON"), SQLITE_OK);
  }

  // Runs `sql` on the raw connection and expects a constraint violation whose
  // message contains `why`.
  void ExpectRefused(const std::string& sql, absl::string_view why) {
    const int rc = raw_->Exec(sql);
    EXPECT_EQ(rc & 0xff, SQLITE_CONSTRAINT) << sql << ": " << rc << " " << raw_->last_error();
    EXPECT_THAT(raw_->last_error(), HasSubstr(why)) << sql;
  }

  domain::Batch batch_{.batch_id = testing::SampleDin(1)};
  int64_t record_id_ = 0;
  std::unique_ptr<RawConnection> raw_;
};

TEST_F(SchemaDefenceTest, BatchRecordsCannotBeUpdatedOrDeleted) {
  ExpectRefused(absl::StrCat("UPDATE batch_records SET recorded_by = 'mallory' WHERE record_id = ",
                             record_id_),
                "append-only");
  ExpectRefused(absl::StrCat("DELETE FROM batch_records WHERE record_id = ", record_id_),
                "append-only");
  EXPECT_EQ(raw_->QueryInt("SELECT count(*) FROM batch_records WHERE recorded_by = 'tech.ito'"),
            1);
}

TEST_F(SchemaDefenceTest, AuditLogCannotBeUpdatedOrDeleted) {
  ExpectRefused("UPDATE audit_log SET actor = 'mallory'", "append-only");
  ExpectRefused("DELETE FROM audit_log", "append-only");
  EXPECT_EQ(raw_->QueryInt("SELECT count(*) FROM audit_log WHERE actor = 'tech.ito'"), 1);
}

TEST_F(SchemaDefenceTest, EveryRecordTableRefusesUpdateAndDelete) {
  // Each of these holds at least one row after SetUp; a trigger must refuse
  // changing or removing it.
  domain::Deviation deviation{.kind = domain::DeviationKind::kOther, .description = "x",
                              .opened_at = T(6), .opened_by = "tech.ito"};
  MustWrite([&](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.InsertDeviation(batch_.batch_id, deviation); !s.ok()) return s;
    return tx.SaveRequest("r-1", "RecordPassage", StoredResponse{"f", "answer"}, T(6));
  });
  for (const char* table : {"patients", "patient_revisions", "reagent_lots", "equipment",
                            "equipment_status_changes", "products", "batch_records", "passages",
                            "record_lots", "deviations", "audit_log", "requests"}) {
    ASSERT_GT(raw_->QueryInt(absl::StrCat("SELECT count(*) FROM ", table)), 0) << table;
    ExpectRefused(absl::StrCat("UPDATE ", table, " SET rowid = rowid"), "append-only");
    ExpectRefused(absl::StrCat("DELETE FROM ", table), "append-only");
  }
}

// Issue 13's migration rebuilt signatures (a wider CHECK for the follow-up
// signatures): its rows stay append-only, as do the release bases.
TEST_F(SchemaDefenceTest, ReleaseBasesAndTheRebuiltSignaturesAreAppendOnly) {
  MustWrite([](Transaction& tx) { return tx.InsertProduct(domain::FreshProduct(), T(7)); });
  for (const char* table : {"product_required_test_bases", "product_required_test_points"}) {
    ASSERT_GT(raw_->QueryInt(absl::StrCat("SELECT count(*) FROM ", table)), 0) << table;
    ExpectRefused(absl::StrCat("UPDATE ", table, " SET rowid = rowid"), "append-only");
    ExpectRefused(absl::StrCat("DELETE FROM ", table), "append-only");
  }
  EXPECT_EQ(raw_->QueryInt("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name "
                           "IN ('signatures_no_update', 'signatures_no_delete')"),
            2);
  ExpectRefused("INSERT INTO user_roles VALUES ('tech.ito', 7)", "CHECK");
}

TEST_F(SchemaDefenceTest, ABatchKeepsItsPatientAndIsNeverDeleted) {
  ASSERT_EQ(raw_->Exec("INSERT INTO patients (patient_id, created_at, created_by) "
                       "VALUES ('P-OTHER', 0, 'x')"),
            SQLITE_OK)
      << raw_->last_error();
  ExpectRefused("UPDATE batches SET patient_id = 'P-OTHER'", "never change");
  ExpectRefused("UPDATE batches SET batch_id = 'A999926000099X'", "never change");
  ExpectRefused("DELETE FROM batches", "never deleted");
  EXPECT_EQ(raw_->QueryInt("SELECT count(*) FROM batches WHERE patient_id = 'P-001'"), 1);
  // The summary columns stay writable: that is how cpcd keeps lists current.
  EXPECT_EQ(raw_->Exec("UPDATE batches SET state = 3, current_passage = 0"), SQLITE_OK)
      << raw_->last_error();
}

TEST_F(SchemaDefenceTest, PassageWithMoreViableThanTotalCellsIsRefused) {
  ASSERT_EQ(raw_->Exec(absl::StrCat("INSERT INTO batch_records (batch_seq, kind, event_time, "
                                    "recorded_at, recorded_by) SELECT batch_seq, 5, 0, 0, 'x' "
                                    "FROM batches")),
            SQLITE_OK)
      << raw_->last_error();
  const int64_t id = sqlite3_last_insert_rowid(raw_->handle());
  ExpectRefused(absl::StrCat("INSERT INTO passages VALUES (", id,
                             ", 2, 0, 1000, 1001, 50, 1, 100, 1, 25, 'INC-01', 0, NULL)"),
                "CHECK");
  // The same row with viable == total is accepted, so the refusal above was
  // the viable/total rule and nothing else.
  EXPECT_EQ(raw_->Exec(absl::StrCat("INSERT INTO passages VALUES (", id,
                                    ", 2, 0, 1000, 1000, 50, 1, 100, 1, 25, 'INC-01', 0, NULL)")),
            SQLITE_OK)
      << raw_->last_error();
}

TEST_F(SchemaDefenceTest, RecordLotNamingAnUnknownLotIsRefused) {
  ExpectRefused(absl::StrCat("INSERT INTO record_lots VALUES (", record_id_,
                             ", 7, 'reagent', 'NO-SUCH-LOT')"),
                "FOREIGN KEY");
  EXPECT_EQ(raw_->Exec(absl::StrCat("INSERT INTO record_lots VALUES (", record_id_,
                                    ", 7, 'reagent', 'COL-7')")),
            SQLITE_OK)
      << raw_->last_error();
}

TEST_F(SchemaDefenceTest, RecordReferencingUnknownEquipmentIsRefused) {
  ASSERT_EQ(raw_->Exec("INSERT INTO batch_records (batch_seq, kind, event_time, recorded_at, "
                       "recorded_by) SELECT batch_seq, 2, 0, 0, 'x' FROM batches"),
            SQLITE_OK)
      << raw_->last_error();
  const int64_t id = sqlite3_last_insert_rowid(raw_->handle());
  ExpectRefused(absl::StrCat("INSERT INTO seedings VALUES (", id,
                             ", 0, 100, 'T75', 1, 75, 'NO-SUCH-INCUBATOR', NULL)"),
                "FOREIGN KEY");
}

TEST_F(SchemaDefenceTest, ARecordIsCorrectedAtMostOnce) {
  auto insert_correction = [&](const std::string& reason) {
    return raw_->Exec(absl::StrCat(
        "INSERT INTO batch_records (batch_seq, kind, event_time, recorded_at, recorded_by, "
        "corrects_record_id, correction_reason) SELECT batch_seq, 5, 0, 0, 'x', ",
        record_id_, ", '", reason, "' FROM batches"));
  };
  ASSERT_EQ(insert_correction("typo"), SQLITE_OK) << raw_->last_error();
  const int64_t correction_id = sqlite3_last_insert_rowid(raw_->handle());
  ExpectRefused(absl::StrCat(
                    "INSERT INTO batch_records (batch_seq, kind, event_time, recorded_at, "
                    "recorded_by, corrects_record_id, correction_reason) SELECT batch_seq, 5, 0, "
                    "0, 'x', ",
                    record_id_, ", 'again' FROM batches"),
                "UNIQUE");
  // A correction without a reason is refused too.
  ExpectRefused("INSERT INTO batch_records (batch_seq, kind, event_time, recorded_at, "
                "recorded_by, corrects_record_id) SELECT batch_seq, 5, 0, 0, 'x', " +
                    std::to_string(correction_id) + " FROM batches",
                "CHECK");
}


// The schema version that added `table`, found by migrating a scratch file
// one step at a time (so renumbering migrations never breaks these tests).
int SchemaVersionAdding(const TempDir& dir, const std::string& table) {
  absl::StatusOr<std::unique_ptr<Database>> db =
      Database::Open(dir.File(absl::StrCat("probe-", table, ".db")));
  EXPECT_TRUE(db.ok()) << db.status();
  for (int v = 1; v <= LatestSchemaVersion(); ++v) {
    EXPECT_TRUE(MigrateTo(**db, v).ok());
    absl::StatusOr<Statement> q = (*db)->Prepare(
        absl::StrCat("SELECT count(*) FROM sqlite_master WHERE name = '", table, "'"));
    if (q.ok() && q->Step().value_or(false) && q->Int(0) == 1) return v;
  }
  return 0;
}

// The version that added final harvests and late entries.
int FinalHarvestSchemaVersion(const TempDir& dir) {
  return SchemaVersionAdding(dir, "late_entries");
}

// A database at `version` - 1 holding what `sql` writes (its audit entries
// chained, as cpcd would have): what a migration to `version` finds.
absl::Status WriteBefore(const std::string& path, int version, const std::string& sql) {
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path);
  if (!db.ok()) return db.status();
  if (absl::StatusOr<int> migrated = MigrateTo(**db, version - 1); !migrated.ok()) {
    return migrated.status();
  }
  if (absl::Status s = (*db)->Exec(sql); !s.ok()) return s;
  return LinkAuditEntriesAfter(**db, 0);
}

// The audit chain of `path` holds, with `entries` entries.
void ExpectChainHolds(const std::string& path, int64_t entries) {
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path);
  ASSERT_TRUE(db.ok()) << db.status();
  absl::StatusOr<domain::AuditVerification> verified = VerifyAuditChain(**db);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->ok());
  EXPECT_EQ(verified->entries, entries);
}

// `passages` is rebuilt by that migration: every passage written before it
// must come through unchanged, as an ordinary (not final) passage.
TEST(SchemaTest, FinalHarvestMigrationKeepsEveryPassage) {
  TempDir dir;
  const int version = FinalHarvestSchemaVersion(dir);
  ASSERT_GT(version, 1);
  const std::string path = dir.File("before.db");
  CPC_ASSERT_OK(WriteBefore(path, version, absl::StrCat(R"sql(
      INSERT INTO products (product_code, version, name, max_processing_delay_s, max_passage,
                            max_cumulative_pd, created_at)
        VALUES ('ADSC-STD', 1, 'ADSC', 172800, 5, 30.0, 0);
      INSERT INTO patients (patient_id, created_at, created_by) VALUES ('P-001', 0, 'x');
      INSERT INTO equipment (equipment_id, kind, name, created_at, created_by)
        VALUES ('INC-01', 1, 'incubator', 0, 'x');
      INSERT INTO batches (batch_seq, batch_id, facility_code, din_year, din_sequence,
                           patient_id, product_code, product_version, state, current_passage,
                           created_at, created_by, updated_at)
        VALUES (1, ')sql", testing::SampleDin(1).compact(), R"sql(', 'A9999', 26, 1, 'P-001',
                'ADSC-STD', 1, 3, 1, 0, 'x', 0);
      INSERT INTO batch_records (record_id, batch_seq, kind, event_time, recorded_at, recorded_by)
        VALUES (41, 1, 5, 100, 100, 'x');
      INSERT INTO passages VALUES (41, 1, 100, 2000000, 1800000, 90.0, 3, 1000000, 2, 50.0,
                                   'INC-01');
    )sql")));
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  CPC_ASSERT_OK((*store)->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<domain::BatchRecord>> records =
        tx.LoadRecords(testing::SampleDin(1));
    if (!records.ok()) return records.status();
    EXPECT_EQ(records->size(), 1u);
    if (records->empty()) return absl::OkStatus();
    const auto& p = std::get<domain::Passage>(records->at(0).data);
    EXPECT_EQ(records->at(0).record_id, 41);
    EXPECT_EQ(p.viable_cells, 1800000);
    EXPECT_EQ(p.cells_reseeded, 1000000);
    EXPECT_EQ(p.vessel_count, 2);
    EXPECT_EQ(p.incubator_id, "INC-01");
    EXPECT_FALSE(p.final_harvest);
    return absl::OkStatus();
  }));
  store->reset();
  RawConnection raw(path);
  // Still append-only after the rebuild.
  EXPECT_NE(raw.Exec("DELETE FROM passages"), SQLITE_OK);
  EXPECT_THAT(raw.last_error(), HasSubstr("append-only"));
  EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM pragma_foreign_key_check"), 0);
}

// Material acceptance (issue 17 item 3): a lot registered before it stays
// usable, accepted by the migration, and the audit trail says so; the entry
// is chained like every other (the trail still verifies).
TEST(SchemaTest, MaterialAcceptanceMigrationAcceptsTheLotsRegisteredBefore) {
  TempDir dir;
  const int version = SchemaVersionAdding(dir, "lot_decisions");
  ASSERT_GT(version, 4);
  const std::string path = dir.File("before.db");
  CPC_ASSERT_OK(WriteBefore(path, version, R"sql(
      INSERT INTO reagent_lots (lot_number, name, manufacturer, expiry_date, created_at,
                                created_by)
        VALUES ('MEM-2611', 'alpha-MEM', '', '2099-06-30', 0, 'admin.kato');
    )sql"));
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  CPC_ASSERT_OK((*store)->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<domain::ReagentLot> lot = tx.GetReagentLot("MEM-2611");
    if (!lot.ok()) return lot.status();
    EXPECT_EQ(lot->status, domain::LotStatus::kAccepted);
    EXPECT_EQ(lot->decided_by, "cpcd");
    EXPECT_THAT(lot->status_reason, HasSubstr("registered before material acceptance"));
    return absl::OkStatus();
  }));
  store->reset();
  {
    RawConnection raw(path);
    EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM audit_log WHERE action = 'lot.accept' AND "
                           "resource = 'lots/MEM-2611' AND actor = 'cpcd' AND reason LIKE "
                           "'registered before material acceptance was required%'"),
              1);
    EXPECT_NE(raw.Exec("DELETE FROM lot_decisions"), SQLITE_OK);
    EXPECT_THAT(raw.last_error(), HasSubstr("append-only"));
  }
  ExpectChainHolds(path, 1);
}

// Qualified operators (issue 17 item 4): a person who already recorded steps
// of a procedure is qualified for it by the migration, for a year, and the
// audit trail says so; a person who only reviewed is qualified for nothing.
TEST(SchemaTest, QualificationMigrationQualifiesThoseWhoRecordedSteps) {
  TempDir dir;
  const int version = SchemaVersionAdding(dir, "qualifications");
  ASSERT_GT(version, 4);
  const std::string path = dir.File("before.db");
  // 2026-01-01 00:00 UTC in microseconds.
  CPC_ASSERT_OK(WriteBefore(path, version, R"sql(
      INSERT INTO users (user_name, full_name, password_hash, created_at, created_by)
        VALUES ('tech.kato', 'Kato Mei', '$argon2id$x', 1767225600000000, 'admin.kato'),
               ('qa.mori', 'Mori Aoi', '$argon2id$x', 1767225600000000, 'admin.kato');
      INSERT INTO audit_log (at, actor, action, resource, old_value, new_value, reason,
                             request_id)
        VALUES (1767225700000000, 'tech.kato', 'unit.freeze', 'units/X-01', '', '{}', '', ''),
               (1767225800000000, 'tech.kato', 'unit.thaw', 'units/X-01', '', '{}', '', ''),
               (1767225900000000, 'qa.mori', 'qc.review_result', 'qc/tests/1', '', '{}', '',
                '');
    )sql"));
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  CPC_ASSERT_OK((*store)->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<domain::Qualification>> kato = tx.LoadQualifications("tech.kato");
    if (!kato.ok()) return kato.status();
    EXPECT_EQ(kato->size(), 1u);
    if (kato->size() == 1) {
      const domain::Qualification& q = kato->front();
      EXPECT_EQ(q.procedure, domain::Procedure::kFreezing);
      EXPECT_EQ(q.qualified_on, absl::CivilDay(2026, 1, 1));
      EXPECT_EQ(q.evidence, "recorded before qualifications were tracked");
      EXPECT_EQ(q.recorded_by, "cpcd");
      const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
      EXPECT_EQ(q.expires_on, absl::CivilDay(today.year() + 1, today.month(), today.day()));
    }
    absl::StatusOr<std::vector<domain::Qualification>> mori = tx.LoadQualifications("qa.mori");
    if (!mori.ok()) return mori.status();
    EXPECT_TRUE(mori->empty());
    return absl::OkStatus();
  }));
  store->reset();
  {
    RawConnection raw(path);
    EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM audit_log WHERE action = 'user.qualify' AND "
                           "resource LIKE 'users/tech.kato/qualifications/%' AND actor = 'cpcd' "
                           "AND new_value LIKE '%\"procedure\":\"freezing\"%' AND reason LIKE "
                           "'recorded before qualifications were tracked%'"),
              1);
    EXPECT_NE(raw.Exec("UPDATE qualifications SET expires_on = '2099-01-01'"), SQLITE_OK);
    EXPECT_THAT(raw.last_error(), HasSubstr("append-only"));
    EXPECT_NE(raw.Exec("DELETE FROM qualifications"), SQLITE_OK);
    EXPECT_THAT(raw.last_error(), HasSubstr("append-only"));
  }
  ExpectChainHolds(path, 4);
}

}  // namespace
}  // namespace cpctrack::store
