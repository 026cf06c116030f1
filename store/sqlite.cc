#include "store/sqlite.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace cpctrack::store {
namespace {

// Each connection's page cache, 8 MiB (SQLite's default is 2 MiB): enough
// for the pages of the recent weeks' batches (what readiness, the board and
// batch show read) and the upper levels of the big tables' B-trees. With
// 2 MiB they stopped fitting once the file outgrew the cache, and the 14-day
// board took 1.26 times as long on 10,000 batches as on 100; with 8 MiB,
// 1.05 times (bench/RESULTS.md, reads). The cache fills only as pages are read.
constexpr char kCacheSize[] = "PRAGMA cache_size = -8192;";

}  // namespace

absl::Status SqliteError(int code, absl::string_view what, sqlite3* db) {
  const absl::string_view detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  const std::string message = what == detail ? std::string(detail) : absl::StrCat(what, ": ", detail);
  switch (code & 0xff) {
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(absl::StrCat("database disk is full: ", message));
    case SQLITE_IOERR:
      return absl::UnavailableError(absl::StrCat(
          "database cannot be written (is its disk full, read-only or failing?): ", message));
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_PERM:
      return absl::UnavailableError(absl::StrCat("database cannot be written: ", message));
    case SQLITE_CONSTRAINT:
      return absl::FailedPreconditionError(
          absl::StrCat("database constraint refused the write: ", message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(absl::StrCat("database is damaged: ", message));
    default:
      return absl::InternalError(message);
  }
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(other.stmt_),
      owner_(other.owner_),
      bind_error_(std::move(other.bind_error_)) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  if (owner_ != nullptr) {
    owner_->Recycle(stmt_);
  } else {
    sqlite3_finalize(stmt_);
  }
}

namespace {
void Note(absl::Status& first_error, int rc, sqlite3* db) {
  if (rc != SQLITE_OK && first_error.ok()) first_error = SqliteError(rc, "bind", db);
}
}  // namespace

Statement& Statement::Bind(int index, int64_t value) {
  Note(bind_error_, sqlite3_bind_int64(stmt_, index, value), db_);
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  Note(bind_error_, sqlite3_bind_double(stmt_, index, value), db_);
  return *this;
}

namespace {
// SQLite binds a null pointer as SQL NULL, but an empty absl::string_view may
// have a null data(): it means "", so bind "".
const char* NonNull(absl::string_view value) {
  return value.data() != nullptr ? value.data() : "";
}
}  // namespace

Statement& Statement::Bind(int index, absl::string_view value) {
  Note(bind_error_,
       sqlite3_bind_text(stmt_, index, NonNull(value), static_cast<int>(value.size()),
                         SQLITE_TRANSIENT),
       db_);
  return *this;
}

Statement& Statement::Bind(int index, absl::Time value) {
  return Bind(index, absl::ToUnixMicros(value));
}

Statement& Statement::BindNull(int index) {
  Note(bind_error_, sqlite3_bind_null(stmt_, index), db_);
  return *this;
}

Statement& Statement::BindBlob(int index, absl::string_view bytes) {
  Note(bind_error_,
       sqlite3_bind_blob(stmt_, index, NonNull(bytes), static_cast<int>(bytes.size()),
                         SQLITE_TRANSIENT),
       db_);
  return *this;
}

absl::StatusOr<bool> Statement::Step() {
  if (!bind_error_.ok()) return bind_error_;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(rc, sqlite3_sql(stmt_), db_);
}

absl::Status Statement::Run() {
  absl::StatusOr<bool> row = Step();
  if (!row.ok()) return row.status();
  return absl::OkStatus();
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::Double(int column) const { return sqlite3_column_double(stmt_, column); }
bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string Statement::Text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string Statement::Blob(int column) const {
  const void* bytes = sqlite3_column_blob(stmt_, column);
  if (bytes == nullptr) return "";
  return std::string(static_cast<const char*>(bytes),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

absl::Time Statement::Time(int column) const {
  return absl::FromUnixMicros(sqlite3_column_int64(stmt_, column));
}

absl::Status CreatePrivateFile(const std::string& path) {
  // In-memory databases and URIs ("file:...?mode=ro") are SQLite's to open.
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) {
    return absl::OkStatus();
  }
  const int fd = open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd >= 0) {
    close(fd);
    return absl::OkStatus();
  }
  if (errno == EEXIST) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat("create ", path, ": ", std::strerror(errno)));
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const std::string& path) {
  if (absl::Status created = CreatePrivateFile(path); !created.ok()) return created;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                     SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteError(rc, absl::StrCat("open ", path), db);
    sqlite3_close(db);
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  auto database = std::unique_ptr<Database>(new Database(db));
  // WAL lets readers work beside the writer; FULL syncs the WAL on every
  // commit, so an acknowledged write is on disk. Temporary files (the
  // statement journals that let one write of a group commit roll back
  // alone) stay in memory: they matter only until the commit.
  absl::Status status = database->Exec(
      "PRAGMA journal_mode = WAL;"
      "PRAGMA synchronous = FULL;"
      "PRAGMA temp_store = MEMORY;"
      "PRAGMA foreign_keys = ON;"
      "PRAGMA busy_timeout = 5000;");
  if (status.ok()) status = database->Exec(kCacheSize);
  if (!status.ok()) return status;
  absl::StatusOr<Statement> mode = database->Prepare("PRAGMA journal_mode");
  if (!mode.ok()) return mode.status();
  if (absl::StatusOr<bool> row = mode->Step(); !row.ok() || !*row || mode->Text(0) != "wal") {
    return absl::FailedPreconditionError(
        absl::StrCat("database ", path, ": cannot switch to WAL mode"));
  }
  return database;
}

absl::StatusOr<std::unique_ptr<Database>> Database::OpenReadOnly(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = (rc & 0xff) == SQLITE_CANTOPEN
                              ? absl::NotFoundError(absl::StrCat("no database at ", path))
                              : SqliteError(rc, absl::StrCat("open ", path), db);
    sqlite3_close(db);
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  auto database = std::unique_ptr<Database>(new Database(db));
  if (absl::Status s = database->Exec("PRAGMA busy_timeout = 5000;"); !s.ok()) return s;
  return database;
}

absl::StatusOr<std::unique_ptr<Database>> Database::OpenReader(const std::string& path) {
  sqlite3* db = nullptr;
  // Read-write, not SQLITE_OPEN_READONLY: a WAL reader must be able to use
  // the -shm index as the writer does. query_only refuses writes instead.
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteError(rc, absl::StrCat("open ", path, " for reading"), db);
    sqlite3_close(db);
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  auto database = std::unique_ptr<Database>(new Database(db));
  absl::Status status = database->Exec(
      "PRAGMA query_only = ON;"
      "PRAGMA temp_store = MEMORY;"
      "PRAGMA busy_timeout = 5000;");
  if (status.ok()) status = database->Exec(kCacheSize);
  if (!status.ok()) return status;
  return database;
}

Database::~Database() {
  for (auto& [sql, stmt] : idle_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

absl::StatusOr<Statement> Database::Prepare(absl::string_view sql) {
  if (auto it = idle_.find(sql); it != idle_.end()) {
    sqlite3_stmt* stmt = it->second;
    idle_.erase(it);
    return Statement(db_, stmt, this);
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(rc, absl::StrCat("prepare ", sql), db_);
  return Statement(db_, stmt, this);
}

void Database::Recycle(sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  const char* sql = sqlite3_sql(stmt);
  if (sql == nullptr || !idle_.try_emplace(sql, stmt).second) sqlite3_finalize(stmt);
}

absl::Status Database::Exec(absl::string_view sql) {
  const std::string text(sql);
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteError(rc, error != nullptr ? error : "exec", nullptr);
    sqlite3_free(error);
    return status;
  }
  return absl::OkStatus();
}

int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

bool Database::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

int Database::Changes() const { return sqlite3_changes(db_); }

}  // namespace cpctrack::store
