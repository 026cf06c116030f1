#include "store/schema.h"

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace cpctrack::store {
namespace {

// BEFORE UPDATE and BEFORE DELETE triggers that refuse any change to the
// rows of `tables`: records are append-only even for someone with a SQL
// shell and no cpcd.
std::string AppendOnly(std::initializer_list<const char*> tables) {
  std::string sql;
  for (const char* table : tables) {
    for (const char* verb : {"UPDATE", "DELETE"}) {
      absl::StrAppend(&sql, "CREATE TRIGGER ", table, "_no_", absl::AsciiStrToLower(verb),
                      " BEFORE ", verb, " ON ", table, " BEGIN SELECT RAISE(ABORT, '", table,
                      " rows are append-only'); END;\n");
    }
  }
  return sql;
}

// 1: the batch record foundation.
constexpr char kSchemaV1[] = R"sql(
CREATE TABLE products (
  product_code TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  name TEXT NOT NULL,
  max_processing_delay_s INTEGER NOT NULL CHECK (max_processing_delay_s > 0),
  max_passage INTEGER NOT NULL CHECK (max_passage >= 0),
  max_cumulative_pd REAL NOT NULL CHECK (max_cumulative_pd > 0),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (product_code, version)
) STRICT;

-- A patient's identity; its values are in revisions, the latest in force.
CREATE TABLE patients (
  patient_id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
) STRICT;

CREATE TABLE patient_revisions (
  patient_id TEXT NOT NULL REFERENCES patients (patient_id),
  revision INTEGER NOT NULL CHECK (revision >= 1),
  body_weight_kg REAL NOT NULL CHECK (body_weight_kg > 0 AND body_weight_kg <= 400),
  hbv INTEGER NOT NULL CHECK (hbv BETWEEN 1 AND 3),
  hcv INTEGER NOT NULL CHECK (hcv BETWEEN 1 AND 3),
  hiv INTEGER NOT NULL CHECK (hiv BETWEEN 1 AND 3),
  htlv1 INTEGER NOT NULL CHECK (htlv1 BETWEEN 1 AND 3),
  syphilis INTEGER NOT NULL CHECK (syphilis BETWEEN 1 AND 3),
  consent_given INTEGER NOT NULL CHECK (consent_given IN (0, 1)),
  consent_time INTEGER,
  consent_ref TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  recorded_by TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (patient_id, revision)
) STRICT;

CREATE TABLE reagent_lots (
  lot_number TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  manufacturer TEXT NOT NULL,
  expiry_date TEXT NOT NULL CHECK (expiry_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
) STRICT;

CREATE TABLE equipment (
  equipment_id TEXT PRIMARY KEY,
  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 7),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
) STRICT;

-- Status is the latest change; registration writes the first one.
CREATE TABLE equipment_status_changes (
  change_id INTEGER PRIMARY KEY,
  equipment_id TEXT NOT NULL REFERENCES equipment (equipment_id),
  status INTEGER NOT NULL CHECK (status IN (1, 2)),
  reason TEXT NOT NULL,
  changed_at INTEGER NOT NULL,
  changed_by TEXT NOT NULL
) STRICT;
CREATE INDEX equipment_status_by_equipment ON equipment_status_changes (equipment_id, change_id);

CREATE TABLE batches (
  batch_seq INTEGER PRIMARY KEY,
  batch_id TEXT NOT NULL UNIQUE,
  facility_code TEXT NOT NULL,
  din_year INTEGER NOT NULL,
  din_sequence INTEGER NOT NULL CHECK (din_sequence BETWEEN 1 AND 999999),
  patient_id TEXT NOT NULL REFERENCES patients (patient_id),
  product_code TEXT NOT NULL,
  product_version INTEGER NOT NULL,
  -- state and current_passage summarise the records, for lists and filters.
  state INTEGER NOT NULL,
  current_passage INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  FOREIGN KEY (product_code, product_version) REFERENCES products (product_code, version),
  UNIQUE (facility_code, din_year, din_sequence)
) STRICT;
CREATE INDEX batches_by_patient ON batches (patient_id, batch_seq);
CREATE INDEX batches_by_state ON batches (state, batch_seq);

CREATE TABLE batch_records (
  record_id INTEGER PRIMARY KEY,
  batch_seq INTEGER NOT NULL REFERENCES batches (batch_seq),
  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 6),
  event_time INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  recorded_by TEXT NOT NULL,
  -- UNIQUE: a record is superseded at most once; later fixes correct the fix.
  corrects_record_id INTEGER UNIQUE REFERENCES batch_records (record_id),
  correction_reason TEXT,
  CHECK ((corrects_record_id IS NULL) = (correction_reason IS NULL))
) STRICT;
CREATE INDEX batch_records_by_batch ON batch_records (batch_seq, record_id);

CREATE TABLE tissue_receipts (
  record_id INTEGER PRIMARY KEY REFERENCES batch_records (record_id),
  collection_time INTEGER NOT NULL,
  receipt_time INTEGER NOT NULL CHECK (receipt_time >= collection_time),
  collection_site TEXT NOT NULL,
  volume_ml REAL NOT NULL CHECK (volume_ml > 0),
  transport_temperature_c REAL NOT NULL,
  collected_by TEXT NOT NULL
) STRICT;

CREATE TABLE seedings (
  record_id INTEGER PRIMARY KEY REFERENCES batch_records (record_id),
  seeding_time INTEGER NOT NULL,
  cells_seeded INTEGER NOT NULL CHECK (cells_seeded > 0),
  vessel_type TEXT NOT NULL,
  vessel_count INTEGER NOT NULL CHECK (vessel_count > 0),
  surface_area_cm2 REAL NOT NULL CHECK (surface_area_cm2 > 0),
  incubator_id TEXT NOT NULL REFERENCES equipment (equipment_id),
  cabinet_id TEXT REFERENCES equipment (equipment_id)
) STRICT;

CREATE TABLE observations (
  record_id INTEGER PRIMARY KEY REFERENCES batch_records (record_id),
  observation_time INTEGER NOT NULL,
  confluence_percent REAL NOT NULL CHECK (confluence_percent BETWEEN 0 AND 100),
  morphology TEXT NOT NULL
) STRICT;

CREATE TABLE medium_changes (
  record_id INTEGER PRIMARY KEY REFERENCES batch_records (record_id),
  change_time INTEGER NOT NULL,
  volume_ml REAL NOT NULL CHECK (volume_ml >= 0)
) STRICT;

CREATE TABLE passages (
  record_id INTEGER PRIMARY KEY REFERENCES batch_records (record_id),
  passage_number INTEGER NOT NULL CHECK (passage_number >= 1),
  passage_time INTEGER NOT NULL,
  total_cells INTEGER NOT NULL CHECK (total_cells > 0),
  viable_cells INTEGER NOT NULL CHECK (viable_cells > 0 AND viable_cells <= total_cells),
  viability_percent REAL NOT NULL CHECK (viability_percent BETWEEN 0 AND 100),
  counting_method INTEGER NOT NULL CHECK (counting_method BETWEEN 1 AND 5),
  cells_reseeded INTEGER NOT NULL CHECK (cells_reseeded > 0 AND cells_reseeded <= viable_cells),
  vessel_count INTEGER NOT NULL CHECK (vessel_count >= 0),
  surface_area_cm2 REAL NOT NULL CHECK (surface_area_cm2 >= 0),
  incubator_id TEXT NOT NULL REFERENCES equipment (equipment_id)
) STRICT;

-- Which lots each record used: also answers "which batches used lot X?".
CREATE TABLE record_lots (
  record_id INTEGER NOT NULL REFERENCES batch_records (record_id),
  position INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('medium', 'reagent')),
  lot_number TEXT NOT NULL REFERENCES reagent_lots (lot_number),
  PRIMARY KEY (record_id, position)
) STRICT;
CREATE INDEX record_lots_by_lot ON record_lots (lot_number);

-- A deviation is open until a QA disposition closes it; dispositions will be
-- their own append-only records, so this row never changes.
CREATE TABLE deviations (
  deviation_id INTEGER PRIMARY KEY,
  batch_seq INTEGER NOT NULL REFERENCES batches (batch_seq),
  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 6),
  description TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  opened_by TEXT NOT NULL,
  record_id INTEGER REFERENCES batch_records (record_id)
) STRICT;
CREATE INDEX deviations_by_batch ON deviations (batch_seq, deviation_id);

CREATE TABLE audit_log (
  sequence INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  resource TEXT NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  reason TEXT NOT NULL,
  request_id TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_by_resource ON audit_log (resource, sequence);

-- Idempotency: the first answer to each client request ID.
CREATE TABLE requests (
  request_id TEXT PRIMARY KEY,
  method TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  response BLOB NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

-- A batch's state and passage summarise its records; who it is never changes.
CREATE TRIGGER batches_identity_fixed BEFORE UPDATE OF
  batch_id, facility_code, din_year, din_sequence, patient_id, product_code,
  product_version, created_at, created_by ON batches
  BEGIN SELECT RAISE(ABORT, 'a batch''s identity and patient never change'); END;
CREATE TRIGGER batches_no_delete BEFORE DELETE ON batches
  BEGIN SELECT RAISE(ABORT, 'batches are never deleted'); END;
)sql";

// Migration N brings the schema from version N-1 to N. Never edit one that
// has shipped: append a new one.
const std::vector<std::string>& Migrations() {
  static const auto* migrations = new std::vector<std::string>{
      absl::StrCat(kSchemaV1,
                   AppendOnly({"products", "patients", "patient_revisions", "reagent_lots",
                               "equipment", "equipment_status_changes", "batch_records",
                               "tissue_receipts", "seedings", "observations", "medium_changes",
                               "passages", "record_lots", "deviations", "audit_log",
                               "requests"})),
  };
  return *migrations;
}

absl::StatusOr<int> UserVersion(Database& db) {
  absl::StatusOr<Statement> stmt = db.Prepare("PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(stmt->Int(0));
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

absl::StatusOr<int> Migrate(Database& db) {
  if (absl::Status s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  absl::StatusOr<int> version = UserVersion(db);
  absl::Status status = version.status();
  if (status.ok() && *version > LatestSchemaVersion()) {
    status = absl::FailedPreconditionError(absl::StrCat(
        "database schema version ", *version, " is newer than this cpcd (",
        LatestSchemaVersion(), "); upgrade cpcd"));
  }
  for (int v = status.ok() ? *version : LatestSchemaVersion(); v < LatestSchemaVersion() && status.ok();
       ++v) {
    status = db.Exec(Migrations()[v]);
    if (status.ok()) status = db.Exec(absl::StrCat("PRAGMA user_version = ", v + 1));
  }
  if (!status.ok()) {
    (void)db.Exec("ROLLBACK");
    return status;
  }
  if (absl::Status s = db.Exec("COMMIT"); !s.ok()) return s;
  return LatestSchemaVersion();
}

}  // namespace cpctrack::store
