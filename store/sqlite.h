// A thin RAII layer over the SQLite C API: one connection, prepared
// statements with bound parameters, and SQLite result codes mapped to
// absl::Status. Nothing here knows the schema.
#ifndef CPCTRACK_STORE_SQLITE_H_
#define CPCTRACK_STORE_SQLITE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cpctrack::store {

// Maps a SQLite result code to a canonical status: a full disk is
// RESOURCE_EXHAUSTED, an unwritable or locked file UNAVAILABLE, a violated
// constraint FAILED_PRECONDITION (the code is expected to have refused first).
absl::Status SqliteError(int code, absl::string_view what, sqlite3* db);

class Database;

// Creates `path` empty, readable and writable by its owner only (0600), if it
// does not exist; an existing file is left as it is. A database holds
// patients' records and password hashes: SQLite gives its -wal and -shm files
// the database file's mode, so they are private too. Call before SQLite
// creates a file (the database, a backup).
absl::Status CreatePrivateFile(const std::string& path);

class Statement {
 public:
  // `owner`, if given, takes the statement back for reuse when this is destroyed.
  Statement(sqlite3* db, sqlite3_stmt* stmt, Database* owner = nullptr)
      : db_(db), stmt_(stmt), owner_(owner) {}
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite.
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, int64_t{value}); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, absl::string_view value);
  Statement& Bind(int index, const char* value) { return Bind(index, absl::string_view(value)); }
  Statement& Bind(int index, const std::string& value) {
    return Bind(index, absl::string_view(value));
  }
  Statement& Bind(int index, absl::Time value);  // microseconds since the epoch
  Statement& BindNull(int index);
  Statement& BindBlob(int index, absl::string_view bytes);

  // True while a row is available; false when done.
  absl::StatusOr<bool> Step();
  // Steps a statement that returns no rows.
  absl::Status Run();

  int64_t Int(int column) const;
  double Double(int column) const;
  std::string Text(int column) const;
  std::string Blob(int column) const;
  absl::Time Time(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  Database* owner_;
  absl::Status bind_error_;
};

class Database {
 public:
  // Opens (creating if needed, mode 0600) the file with WAL, synchronous=FULL
  // and foreign keys on: an acknowledged commit survives a power cut.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& path);
  // Opens an existing file for reading only (offline checks); NotFound when
  // there is none.
  static absl::StatusOr<std::unique_ptr<Database>> OpenReadOnly(const std::string& path);
  // Another connection to a file that Open() has set up, for reads beside
  // the writer (WAL): any statement that would write fails.
  static absl::StatusOr<std::unique_ptr<Database>> OpenReader(const std::string& path);
  ~Database();

  // A prepared statement for `sql`: one prepared before and since finished,
  // reset, when there is one. REQUIRES: the Statement dies before the Database.
  absl::StatusOr<Statement> Prepare(absl::string_view sql);
  // Runs one or more statements without parameters (schema, pragmas).
  absl::Status Exec(absl::string_view sql);
  int64_t LastInsertRowId() const;
  // True between BEGIN and COMMIT/ROLLBACK; false after SQLite rolled the
  // transaction back by itself (on some I/O errors and a full disk).
  bool InTransaction() const;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int Changes() const;
  sqlite3* handle() const { return db_; }

 private:
  friend class Statement;
  explicit Database(sqlite3* db) : db_(db) {}
  // Takes back a finished statement: reset, unbound, kept for the next
  // Prepare of the same SQL (preparing costs more than running most queries).
  void Recycle(sqlite3_stmt* stmt);

  sqlite3* db_;
  absl::flat_hash_map<std::string, sqlite3_stmt*> idle_;
};

}  // namespace cpctrack::store

#endif  // CPCTRACK_STORE_SQLITE_H_
