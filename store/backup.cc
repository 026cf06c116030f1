#include "store/backup.h"

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/match.h"
#include "domain/status_macros.h"
#include "store/audit_chain.h"
#include "store/schema.h"
#include "store/sqlite.h"

namespace cpctrack::store {
namespace {

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, Closer>;

absl::StatusOr<Connection> OpenFile(const std::string& path, int flags) {
  if ((flags & SQLITE_OPEN_CREATE) != 0) {
    // A backup holds the same records and hashes as the database: 0600.
    RETURN_IF_ERROR(CreatePrivateFile(path));
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Connection db(raw);
  if (rc != SQLITE_OK) return SqliteError(rc, absl::StrCat("open ", path), db.get());
  sqlite3_busy_timeout(db.get(), 5000);
  return db;
}

absl::StatusOr<Statement> Query(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(rc, sql, db);
  return Statement(db, stmt);
}

// The first column of the first row of a query that returns one.
absl::StatusOr<int64_t> QueryInt(sqlite3* db, const char* sql) {
  ASSIGN_OR_RETURN(Statement stmt, Query(db, sql));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;
}

// Every row's first column, as text (at most `limit`).
absl::StatusOr<std::vector<std::string>> QueryTexts(sqlite3* db, const char* sql, int limit) {
  ASSIGN_OR_RETURN(Statement stmt, Query(db, sql));
  std::vector<std::string> texts;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row || static_cast<int>(texts.size()) == limit) break;
    texts.push_back(stmt.Text(0));
  }
  return texts;
}

absl::StatusOr<BackupCheck> CheckIntegrity(sqlite3* db) {
  ASSIGN_OR_RETURN(std::vector<std::string> rows, QueryTexts(db, "PRAGMA integrity_check", 10));
  const bool ok = rows.size() == 1 && rows[0] == "ok";
  return BackupCheck{"integrity", ok, ok ? "ok" : absl::StrJoin(rows, "; ")};
}

absl::StatusOr<BackupCheck> CheckForeignKeys(sqlite3* db) {
  // Columns: table, rowid, parent table, foreign key index.
  ASSIGN_OR_RETURN(std::vector<std::string> tables,
                   QueryTexts(db, "PRAGMA foreign_key_check", 10));
  return BackupCheck{"foreign keys", tables.empty(),
                     tables.empty() ? "ok"
                                    : absl::StrCat("rows with a missing parent in: ",
                                                   absl::StrJoin(tables, ", "))};
}

absl::StatusOr<BackupCheck> CheckSchemaVersion(sqlite3* db, int version) {
  const int latest = LatestSchemaVersion();
  return BackupCheck{"schema", version == latest,
                     absl::StrFormat("v%d (this build: v%d)%s", version, latest,
                                     version == latest ? ""
                                     : version < latest
                                         ? "; cpcd migrates it when it opens the file"
                                         : "; written by a newer cpcd: restore with that one")};
}

absl::StatusOr<BackupCheck> CheckAuditSequence(sqlite3* db) {
  ASSIGN_OR_RETURN(int64_t count, QueryInt(db, "SELECT COUNT(*) FROM audit_log"));
  if (count == 0) return BackupCheck{"audit trail", true, "empty"};
  ASSIGN_OR_RETURN(int64_t first, QueryInt(db, "SELECT MIN(sequence) FROM audit_log"));
  ASSIGN_OR_RETURN(int64_t last, QueryInt(db, "SELECT MAX(sequence) FROM audit_log"));
  if (first == 1 && last == count) {
    return BackupCheck{"audit trail", true,
                       absl::StrFormat("%d entries, sequence 1-%d without gaps", count, last)};
  }
  ASSIGN_OR_RETURN(int64_t gap,
                   QueryInt(db, "SELECT MIN(a.sequence) + 1 FROM audit_log a WHERE NOT EXISTS "
                                "(SELECT 1 FROM audit_log b WHERE b.sequence = a.sequence + 1) "
                                "AND a.sequence < (SELECT MAX(sequence) FROM audit_log)"));
  return BackupCheck{"audit trail", false,
                     first != 1 ? absl::StrFormat("starts at sequence %d, not 1", first)
                                : absl::StrFormat("%d entries up to sequence %d: entry %d is "
                                                  "missing",
                                                  count, last, gap)};
}

// The audit hash chain, by the verifier cpcd and verify-audit use.
absl::StatusOr<BackupCheck> CheckAuditChain(const std::string& path, int version) {
  if (version < 3) {
    return BackupCheck{"audit chain", true, absl::StrFormat("not present in schema v%d", version)};
  }
  ASSIGN_OR_RETURN(domain::AuditVerification v, VerifyAuditFile(path));
  if (const domain::AuditBreak* b = v.FirstUnacknowledged(); b != nullptr) {
    return BackupCheck{"audit chain", false, b->Describe()};
  }
  return BackupCheck{"audit chain", true, domain::SummarizeVerification(v)};
}

}  // namespace

absl::StatusOr<BackupSummary> BackupDatabase(const std::string& source,
                                             const std::string& destination) {
  std::error_code error;
  if (std::filesystem::exists(destination, error)) {
    return absl::FailedPreconditionError(
        absl::StrCat(destination, " exists: a backup never overwrites a file"));
  }
  if (!std::filesystem::exists(source, error)) {
    return absl::NotFoundError(absl::StrCat("no database at ", source));
  }
  ASSIGN_OR_RETURN(Connection from, OpenFile(source, SQLITE_OPEN_READWRITE));
  const std::string partial = absl::StrCat(destination, ".partial");
  std::filesystem::remove(partial, error);
  ASSIGN_OR_RETURN(Connection to,
                   OpenFile(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));

  sqlite3_backup* backup = sqlite3_backup_init(to.get(), "main", from.get(), "main");
  if (backup == nullptr) return SqliteError(sqlite3_errcode(to.get()), "backup", to.get());
  // All pages in one step, so one read transaction: a copy in several steps
  // restarts whenever cpcd commits in between, and may never finish under load.
  int rc = sqlite3_backup_step(backup, -1);
  while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    sqlite3_sleep(50);
    rc = sqlite3_backup_step(backup, -1);
  }
  BackupSummary summary;
  summary.pages = sqlite3_backup_pagecount(backup);
  const int finish = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return SqliteError(rc, "backup step", to.get());
  if (finish != SQLITE_OK) return SqliteError(finish, "backup finish", to.get());

  // One self-contained file: no -wal beside it to lose on the way to storage.
  char* message = nullptr;
  rc = sqlite3_exec(to.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK) return SqliteError(rc, "journal_mode", to.get());
  ASSIGN_OR_RETURN(int64_t version, QueryInt(to.get(), "PRAGMA user_version"));
  summary.schema_version = static_cast<int>(version);
  ASSIGN_OR_RETURN(summary.last_audit_sequence,
                   QueryInt(to.get(), "SELECT COALESCE(MAX(sequence), 0) FROM audit_log"));
  to.reset();
  std::filesystem::rename(partial, destination, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot rename ", partial, " to ", destination, ": ", error.message()));
  }
  return summary;
}

absl::StatusOr<std::vector<BackupCheck>> VerifyBackup(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return absl::NotFoundError(absl::StrCat("no file at ", path));
  }
  ASSIGN_OR_RETURN(Connection db, OpenFile(path, SQLITE_OPEN_READONLY));
  std::vector<BackupCheck> checks;
  ASSIGN_OR_RETURN(BackupCheck integrity, CheckIntegrity(db.get()));
  checks.push_back(integrity);
  if (!integrity.ok) return checks;  // the rest would read a damaged file
  ASSIGN_OR_RETURN(int64_t version, QueryInt(db.get(), "PRAGMA user_version"));
  ASSIGN_OR_RETURN(BackupCheck foreign_keys, CheckForeignKeys(db.get()));
  checks.push_back(foreign_keys);
  ASSIGN_OR_RETURN(BackupCheck schema, CheckSchemaVersion(db.get(), static_cast<int>(version)));
  checks.push_back(schema);
  ASSIGN_OR_RETURN(BackupCheck sequence, CheckAuditSequence(db.get()));
  checks.push_back(sequence);
  ASSIGN_OR_RETURN(BackupCheck chain, CheckAuditChain(path, static_cast<int>(version)));
  checks.push_back(chain);
  return checks;
}

}  // namespace cpctrack::store
