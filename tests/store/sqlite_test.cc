// The SQLite wrapper: connection settings, binding, and error mapping.
#include "store/sqlite.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/store/test_db.h"

namespace cpctrack::store {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

std::unique_ptr<Database> MustOpen(const std::string& path) {
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path);
  EXPECT_TRUE(db.ok()) << db.status();
  return db.ok() ? *std::move(db) : nullptr;
}

int64_t PragmaInt(Database& db, absl::string_view pragma) {
  absl::StatusOr<Statement> q = db.Prepare(absl::StrCat("PRAGMA ", pragma));
  EXPECT_TRUE(q.ok()) << q.status();
  absl::StatusOr<bool> row = q->Step();
  EXPECT_TRUE(row.ok() && *row);
  return q->Int(0);
}

// A database holds patients' records and password hashes: its file and its
// WAL are its owner's alone, whatever the umask.
TEST(DatabaseTest, TheFileAndItsWalAreReadableByTheOwnerOnly) {
  TempDir dir;
  const std::string path = dir.File("private.db");
  const mode_t saved = umask(022);
  std::unique_ptr<Database> db = MustOpen(path);
  umask(saved);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);").ok());
  for (const std::string& file : {path, path + "-wal"}) {
    struct stat st {};
    ASSERT_EQ(stat(file.c_str(), &st), 0) << file;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << file;
  }
}

TEST(SqliteErrorTest, FullDiskIsResourceExhausted) {
  const absl::Status status = SqliteError(SQLITE_FULL, "insert", nullptr);
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(status.message(), HasSubstr("insert"));
}

TEST(SqliteErrorTest, ReadOnlyIsUnavailable) {
  EXPECT_EQ(SqliteError(SQLITE_READONLY, "insert", nullptr).code(),
            absl::StatusCode::kUnavailable);
  // Extended codes carry the primary code in the low byte.
  EXPECT_EQ(SqliteError(SQLITE_READONLY_DBMOVED, "insert", nullptr).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(SqliteError(SQLITE_BUSY, "insert", nullptr).code(), absl::StatusCode::kUnavailable);
}

TEST(SqliteErrorTest, ConstraintIsFailedPrecondition) {
  EXPECT_EQ(SqliteError(SQLITE_CONSTRAINT, "insert", nullptr).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(SqliteError(SQLITE_CONSTRAINT_FOREIGNKEY, "insert", nullptr).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(SqliteError(SQLITE_CONSTRAINT_TRIGGER, "insert", nullptr).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(SqliteErrorTest, CorruptionIsDataLossAndTheRestInternal) {
  EXPECT_EQ(SqliteError(SQLITE_CORRUPT, "read", nullptr).code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(SqliteError(SQLITE_NOTADB, "open", nullptr).code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(SqliteError(SQLITE_MISUSE, "step", nullptr).code(), absl::StatusCode::kInternal);
}

TEST(DatabaseTest, OpenSetsWalFullSyncAndForeignKeys) {
  TempDir dir;
  std::unique_ptr<Database> db = MustOpen(dir.File("a.db"));
  ASSERT_NE(db, nullptr);
  absl::StatusOr<Statement> mode = db->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  ASSERT_TRUE(*mode->Step());
  EXPECT_EQ(mode->Text(0), "wal");
  EXPECT_EQ(PragmaInt(*db, "synchronous"), 2);  // FULL
  EXPECT_EQ(PragmaInt(*db, "foreign_keys"), 1);
}

TEST(DatabaseTest, OpenRefusesAFileThatIsNotADatabase) {
  TempDir dir;
  const std::string path = dir.File("junk.db");
  FILE* f = fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fputs("this is not an SQLite database, just a text file that is long enough to matter\n", f);
  fclose(f);
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kDataLoss) << db.status();
}

TEST(DatabaseTest, OpenInAMissingDirectoryIsUnavailable) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(dir.File("no/such/dir/a.db"));
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kUnavailable) << db.status();
}

TEST(StatementTest, TextAndBlobKeepEmbeddedNulBytes) {
  TempDir dir;
  std::unique_ptr<Database> db = MustOpen(dir.File("a.db"));
  ASSERT_NE(db, nullptr);
  const std::string bytes("a\0b\xff\0", 5);
  absl::StatusOr<Statement> q = db->Prepare("SELECT ?, ?, length(CAST(?2 AS BLOB))");
  ASSERT_TRUE(q.ok());
  q->Bind(1, bytes).BindBlob(2, bytes);
  ASSERT_TRUE(*q->Step());
  EXPECT_EQ(q->Text(0), bytes);
  EXPECT_EQ(q->Blob(1), bytes);
  EXPECT_EQ(q->Int(2), 5);
}

TEST(StatementTest, TimeKeepsMicroseconds) {
  TempDir dir;
  std::unique_ptr<Database> db = MustOpen(dir.File("a.db"));
  ASSERT_NE(db, nullptr);
  const absl::Time t = testing::T(3);
  absl::StatusOr<Statement> q = db->Prepare("SELECT ?");
  ASSERT_TRUE(q.ok());
  q->Bind(1, t);
  ASSERT_TRUE(*q->Step());
  EXPECT_EQ(q->Time(0), t);
  EXPECT_EQ(q->Int(0), absl::ToUnixMicros(t));
}

// An empty absl::string_view may have a null data() pointer; SQLite binds a
// null pointer as SQL NULL, which is not the empty string the caller passed.
TEST(StatementTest, EmptyStringViewWithNullDataBindsEmptyTextNotNull) {
  TempDir dir;
  std::unique_ptr<Database> db = MustOpen(dir.File("a.db"));
  ASSERT_NE(db, nullptr);
  absl::StatusOr<Statement> q = db->Prepare("SELECT ? IS NULL, ? IS NULL, typeof(?), typeof(?)");
  ASSERT_TRUE(q.ok());
  q->Bind(1, absl::string_view()).BindBlob(2, absl::string_view());
  q->Bind(3, absl::string_view()).BindBlob(4, absl::string_view());
  ASSERT_TRUE(*q->Step());
  EXPECT_EQ(q->Int(0), 0);
  EXPECT_EQ(q->Int(1), 0);
  EXPECT_EQ(q->Text(2), "text");
  EXPECT_EQ(q->Text(3), "blob");
}

TEST(StatementTest, BindingAParameterThatDoesNotExistFailsTheStep) {
  TempDir dir;
  std::unique_ptr<Database> db = MustOpen(dir.File("a.db"));
  ASSERT_NE(db, nullptr);
  absl::StatusOr<Statement> q = db->Prepare("SELECT ?");
  ASSERT_TRUE(q.ok());
  q->Bind(1, 7).Bind(2, 8);  // SQLITE_RANGE
  absl::StatusOr<bool> row = q->Step();
  EXPECT_FALSE(row.ok());
}

TEST(DatabaseTest, PrepareOfBadSqlFails) {
  TempDir dir;
  std::unique_ptr<Database> db = MustOpen(dir.File("a.db"));
  ASSERT_NE(db, nullptr);
  absl::StatusOr<Statement> q = db->Prepare("SELEC 1");
  ASSERT_FALSE(q.ok());
  EXPECT_THAT(q.status().message(), HasSubstr("SELEC 1"));
}

TEST(DatabaseTest, WriteOnAQueryOnlyConnectionIsUnavailable) {
  TempDir dir;
  std::unique_ptr<Database> db = MustOpen(dir.File("a.db"));
  ASSERT_NE(db, nullptr);
  CPC_ASSERT_OK(db->Exec("CREATE TABLE t (x INTEGER) STRICT"));
  CPC_ASSERT_OK(db->Exec("PRAGMA query_only = ON"));
  const absl::Status exec = db->Exec("INSERT INTO t VALUES (1)");
  EXPECT_EQ(exec.code(), absl::StatusCode::kUnavailable) << exec;
  absl::StatusOr<Statement> insert = db->Prepare("INSERT INTO t VALUES (?)");
  ASSERT_TRUE(insert.ok());
  insert->Bind(1, 2);
  const absl::Status run = insert->Run();
  EXPECT_EQ(run.code(), absl::StatusCode::kUnavailable) << run;
}

}  // namespace
}  // namespace cpctrack::store
