// The database schema as numbered, append-only migrations, applied in one
// transaction at start-up and recorded in PRAGMA user_version.
#ifndef CPCTRACK_STORE_SCHEMA_H_
#define CPCTRACK_STORE_SCHEMA_H_

#include "absl/status/statusor.h"
#include "store/sqlite.h"

namespace cpctrack::store {

// The schema version this build writes.
int LatestSchemaVersion();

// Brings the database to LatestSchemaVersion(); returns the version it is
// at. FailedPrecondition if the file is newer than this build.
absl::StatusOr<int> Migrate(Database& db);

// Brings the database to `version` (1..LatestSchemaVersion()), no further:
// for tests that need a file as an earlier build left it.
absl::StatusOr<int> MigrateTo(Database& db, int version);

}  // namespace cpctrack::store

#endif  // CPCTRACK_STORE_SCHEMA_H_
