#include "store/schema.h"

#include <algorithm>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "store/audit_chain.h"

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

// 2: QC, deviation handling, cryopreservation storage and units.
constexpr char kSchemaV2[] = R"sql(
-- QC acceptance criteria, per product version. Existing products get
-- DOMAIN.md's defaults.
CREATE TABLE product_qc_specs (
  product_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  min_viability_percent REAL NOT NULL CHECK (min_viability_percent BETWEEN 0 AND 100),
  min_post_thaw_viability_percent REAL NOT NULL
    CHECK (min_post_thaw_viability_percent BETWEEN 0 AND 100),
  max_endotoxin_eu_per_ml REAL NOT NULL CHECK (max_endotoxin_eu_per_ml > 0),
  PRIMARY KEY (product_code, version),
  FOREIGN KEY (product_code, version) REFERENCES products (product_code, version)
) STRICT;
CREATE TABLE product_marker_limits (
  product_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  marker TEXT NOT NULL,
  min_percent REAL NOT NULL,
  max_percent REAL NOT NULL,
  CHECK (0 <= min_percent AND min_percent <= max_percent AND max_percent <= 100),
  PRIMARY KEY (product_code, version, marker),
  FOREIGN KEY (product_code, version) REFERENCES products (product_code, version)
) STRICT;
INSERT INTO product_qc_specs SELECT product_code, version, 70, 70, 1.0 FROM products;
INSERT INTO product_marker_limits
  SELECT p.product_code, p.version, m.marker, m.lo, m.hi FROM products p CROSS JOIN (
    SELECT 'CD73' AS marker, 95.0 AS lo, 100.0 AS hi UNION ALL SELECT 'CD90', 95, 100
    UNION ALL SELECT 'CD105', 95, 100 UNION ALL SELECT 'CD45', 0, 2
    UNION ALL SELECT 'CD34', 0, 2 UNION ALL SELECT 'CD14', 0, 2
    UNION ALL SELECT 'CD11B', 0, 2 UNION ALL SELECT 'CD79A', 0, 2
    UNION ALL SELECT 'CD19', 0, 2 UNION ALL SELECT 'HLA-DR', 0, 2) m;

-- Every change of a batch's state made by QC, deviations, freezing or
-- disposal: where a lifted quarantine returns to.
CREATE TABLE batch_state_changes (
  change_id INTEGER PRIMARY KEY,
  batch_seq INTEGER NOT NULL REFERENCES batches (batch_seq),
  from_state INTEGER NOT NULL,
  to_state INTEGER NOT NULL,
  changed_at INTEGER NOT NULL,
  changed_by TEXT NOT NULL,
  reason TEXT NOT NULL
) STRICT;
CREATE INDEX batch_state_changes_by_batch ON batch_state_changes (batch_seq, change_id);

CREATE TABLE qc_samples (
  sample_id INTEGER PRIMARY KEY,
  batch_seq INTEGER NOT NULL REFERENCES batches (batch_seq),
  sample_point INTEGER NOT NULL CHECK (sample_point BETWEEN 1 AND 6),
  point_detail TEXT NOT NULL,
  drawn_at INTEGER NOT NULL,
  drawn_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL
) STRICT;
CREATE INDEX qc_samples_by_batch ON qc_samples (batch_seq, sample_id);

CREATE TABLE qc_tests (
  test_id INTEGER PRIMARY KEY,
  sample_id INTEGER NOT NULL REFERENCES qc_samples (sample_id),
  batch_seq INTEGER NOT NULL REFERENCES batches (batch_seq),
  test_type INTEGER NOT NULL CHECK (test_type BETWEEN 1 AND 6),
  method TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ordered_at INTEGER NOT NULL,
  ordered_by TEXT NOT NULL,
  -- UNIQUE: an invalidated test is retested once.
  retest_of INTEGER UNIQUE REFERENCES qc_tests (test_id)
) STRICT;
CREATE INDEX qc_tests_by_batch ON qc_tests (batch_seq, test_id);
CREATE INDEX qc_tests_by_type ON qc_tests (test_type, started_at, test_id);

-- The typed value lives in the columns of its test type; the rest are NULL.
CREATE TABLE qc_results (
  result_id INTEGER PRIMARY KEY,
  test_id INTEGER NOT NULL REFERENCES qc_tests (test_id),
  read_at INTEGER NOT NULL,
  performed_by TEXT NOT NULL,
  instrument_id TEXT NOT NULL,
  kit_lot TEXT NOT NULL,
  detection INTEGER CHECK (detection IN (1, 2)),
  organism TEXT,
  endotoxin_eu_per_ml REAL CHECK (endotoxin_eu_per_ml >= 0),
  gram_finding INTEGER CHECK (gram_finding IN (1, 2)),
  gram_description TEXT,
  viability_percent REAL CHECK (viability_percent BETWEEN 0 AND 100),
  recorded_at INTEGER NOT NULL,
  -- UNIQUE: a result is superseded at most once; later fixes correct the fix.
  corrects_result_id INTEGER UNIQUE REFERENCES qc_results (result_id),
  correction_reason TEXT,
  CHECK ((corrects_result_id IS NULL) = (correction_reason IS NULL))
) STRICT;
CREATE INDEX qc_results_by_test ON qc_results (test_id, result_id);

CREATE TABLE qc_result_markers (
  result_id INTEGER NOT NULL REFERENCES qc_results (result_id),
  marker TEXT NOT NULL,
  percent_positive REAL NOT NULL CHECK (percent_positive BETWEEN 0 AND 100),
  PRIMARY KEY (result_id, marker)
) STRICT;

CREATE TABLE qc_reviews (
  review_id INTEGER PRIMARY KEY,
  test_id INTEGER NOT NULL REFERENCES qc_tests (test_id),
  result_id INTEGER NOT NULL UNIQUE REFERENCES qc_results (result_id),
  reviewed_at INTEGER NOT NULL,
  reviewed_by TEXT NOT NULL
) STRICT;
CREATE INDEX qc_reviews_by_test ON qc_reviews (test_id);

CREATE TABLE qc_invalidations (
  test_id INTEGER PRIMARY KEY REFERENCES qc_tests (test_id),
  invalidated_at INTEGER NOT NULL,
  invalidated_by TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason <> '')
) STRICT;

CREATE TABLE storage_tanks (
  tank_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  temperature_class INTEGER NOT NULL CHECK (temperature_class BETWEEN 1 AND 4),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
) STRICT;

CREATE TABLE storage_racks (
  tank_id TEXT NOT NULL REFERENCES storage_tanks (tank_id),
  rack TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (tank_id, rack)
) STRICT;

CREATE TABLE storage_boxes (
  box_id TEXT PRIMARY KEY,
  tank_id TEXT NOT NULL,
  rack TEXT NOT NULL,
  name TEXT NOT NULL,
  rows INTEGER NOT NULL CHECK (rows BETWEEN 1 AND 26),
  columns INTEGER NOT NULL CHECK (columns BETWEEN 1 AND 26),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  FOREIGN KEY (tank_id, rack) REFERENCES storage_racks (tank_id, rack),
  UNIQUE (tank_id, rack, name)
) STRICT;

-- A unit's identity never changes; state and position summarise its
-- events, for lists, occupancy and filters.
CREATE TABLE units (
  unit_id TEXT PRIMARY KEY,
  batch_seq INTEGER NOT NULL REFERENCES batches (batch_seq),
  sequence INTEGER NOT NULL CHECK (sequence >= 1),
  patient_id TEXT NOT NULL REFERENCES patients (patient_id),
  kind INTEGER NOT NULL CHECK (kind IN (1, 2)),
  cells INTEGER NOT NULL CHECK (cells > 0),
  volume_ml REAL NOT NULL CHECK (volume_ml > 0),
  freezing_medium TEXT NOT NULL,
  medium_lot TEXT NOT NULL REFERENCES reagent_lots (lot_number),
  freezer_program TEXT NOT NULL,
  freezer_id TEXT REFERENCES equipment (equipment_id),
  frozen_at INTEGER NOT NULL,
  frozen_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 5),
  box_id TEXT REFERENCES storage_boxes (box_id),
  position TEXT,
  CHECK ((box_id IS NULL) = (position IS NULL)),
  UNIQUE (batch_seq, sequence)
) STRICT;
-- One position holds one unit.
CREATE UNIQUE INDEX units_by_position ON units (position) WHERE position IS NOT NULL;
CREATE INDEX units_by_box ON units (box_id) WHERE box_id IS NOT NULL;
CREATE INDEX units_by_patient ON units (patient_id, unit_id);
CREATE TRIGGER units_identity_fixed BEFORE UPDATE OF
  unit_id, batch_seq, sequence, patient_id, kind, cells, volume_ml, freezing_medium,
  medium_lot, freezer_program, freezer_id, frozen_at, frozen_by, recorded_at ON units
  BEGIN SELECT RAISE(ABORT, 'a unit''s identity, batch and patient never change'); END;
CREATE TRIGGER units_no_delete BEFORE DELETE ON units
  BEGIN SELECT RAISE(ABORT, 'units are never deleted'); END;

CREATE TABLE unit_events (
  event_id INTEGER PRIMARY KEY,
  unit_id TEXT NOT NULL REFERENCES units (unit_id),
  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 7),
  from_state INTEGER NOT NULL,
  to_state INTEGER NOT NULL CHECK (to_state BETWEEN 1 AND 5),
  from_position TEXT,
  to_position TEXT,
  at INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  recorded_by TEXT NOT NULL,
  reason TEXT NOT NULL
) STRICT;
CREATE INDEX unit_events_by_unit ON unit_events (unit_id, event_id);

CREATE TABLE unit_thaws (
  unit_id TEXT PRIMARY KEY REFERENCES units (unit_id),
  event_id INTEGER NOT NULL REFERENCES unit_events (event_id),
  thawed_at INTEGER NOT NULL,
  total_cells INTEGER NOT NULL CHECK (total_cells > 0),
  viable_cells INTEGER NOT NULL CHECK (viable_cells > 0 AND viable_cells <= total_cells),
  viability_percent REAL NOT NULL CHECK (viability_percent BETWEEN 0 AND 100)
) STRICT;

-- Deviations gain kinds 7-9 and links to the QC test or unit that raised
-- them: the table is rebuilt (SQLite cannot alter a CHECK), rows kept as
-- they were.
DROP TRIGGER deviations_no_update;
DROP TRIGGER deviations_no_delete;
CREATE TABLE deviations_v2 (
  deviation_id INTEGER PRIMARY KEY,
  batch_seq INTEGER NOT NULL REFERENCES batches (batch_seq),
  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 9),
  description TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  opened_by TEXT NOT NULL,
  record_id INTEGER REFERENCES batch_records (record_id),
  qc_test_id INTEGER REFERENCES qc_tests (test_id),
  unit_id TEXT REFERENCES units (unit_id)
) STRICT;
INSERT INTO deviations_v2 (deviation_id, batch_seq, kind, description, opened_at, opened_by,
                           record_id)
  SELECT deviation_id, batch_seq, kind, description, opened_at, opened_by, record_id
  FROM deviations;
DROP TABLE deviations;
ALTER TABLE deviations_v2 RENAME TO deviations;
CREATE INDEX deviations_by_batch ON deviations (batch_seq, deviation_id);

CREATE TABLE deviation_notes (
  note_id INTEGER PRIMARY KEY,
  deviation_id INTEGER NOT NULL REFERENCES deviations (deviation_id),
  added_at INTEGER NOT NULL,
  added_by TEXT NOT NULL,
  text TEXT NOT NULL CHECK (text <> '')
) STRICT;
CREATE INDEX deviation_notes_by_deviation ON deviation_notes (deviation_id, note_id);

-- A deviation is closed once, by QA's disposition.
CREATE TABLE deviation_closures (
  deviation_id INTEGER PRIMARY KEY REFERENCES deviations (deviation_id),
  disposition INTEGER NOT NULL CHECK (disposition BETWEEN 1 AND 3),
  reason TEXT NOT NULL CHECK (reason <> ''),
  closed_at INTEGER NOT NULL,
  closed_by TEXT NOT NULL
) STRICT;
)sql";

// 3: release specifications, treatment plans, releases and infusions.
constexpr char kSchemaV3[] = R"sql(
CREATE TABLE product_release_specs (
  product_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  min_viable_cells_per_dose INTEGER NOT NULL CHECK (min_viable_cells_per_dose > 0),
  fresh_shelf_life_s INTEGER NOT NULL CHECK (fresh_shelf_life_s > 0),
  PRIMARY KEY (product_code, version),
  FOREIGN KEY (product_code, version) REFERENCES products (product_code, version)
) STRICT;
CREATE TABLE product_required_tests (
  product_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  test_type INTEGER NOT NULL CHECK (test_type BETWEEN 1 AND 6),
  turnaround_s INTEGER NOT NULL CHECK (turnaround_s > 0),
  PRIMARY KEY (product_code, version, test_type),
  FOREIGN KEY (product_code, version) REFERENCES products (product_code, version)
) STRICT;
-- Products already defined get DOMAIN.md's defaults.
INSERT INTO product_release_specs SELECT product_code, version, 10000000, 172800 FROM products;
INSERT INTO product_required_tests
  SELECT p.product_code, p.version, t.test_type, t.turnaround_s FROM products p CROSS JOIN (
    SELECT 1 AS test_type, 1209600 AS turnaround_s UNION ALL SELECT 2, 86400
    UNION ALL SELECT 3, 86400 UNION ALL SELECT 4, 7200 UNION ALL SELECT 5, 172800
    UNION ALL SELECT 6, 3600) t;

-- The latest plan of a batch is in force; earlier ones stay on record.
CREATE TABLE treatment_plans (
  plan_id INTEGER PRIMARY KEY,
  patient_id TEXT NOT NULL REFERENCES patients (patient_id),
  batch_seq INTEGER NOT NULL REFERENCES batches (batch_seq),
  plan_number TEXT NOT NULL,
  fixed_cells REAL CHECK (fixed_cells > 0),
  cells_per_kg REAL CHECK (cells_per_kg > 0),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  CHECK ((fixed_cells IS NULL) <> (cells_per_kg IS NULL))
) STRICT;
CREATE INDEX treatment_plans_by_batch ON treatment_plans (batch_seq, plan_id);

CREATE TABLE planned_infusions (
  infusion_id INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES treatment_plans (plan_id),
  sequence INTEGER NOT NULL CHECK (sequence >= 1),
  planned_date TEXT NOT NULL
    CHECK (planned_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  UNIQUE (plan_id, sequence)
) STRICT;
CREATE INDEX planned_infusions_by_date ON planned_infusions (planned_date, infusion_id);

CREATE TABLE releases (
  release_id INTEGER PRIMARY KEY,
  batch_seq INTEGER NOT NULL REFERENCES batches (batch_seq),
  signer TEXT NOT NULL,
  meaning TEXT NOT NULL,
  signed_at INTEGER NOT NULL,
  record_hash TEXT NOT NULL CHECK (length(record_hash) = 64)
) STRICT;
CREATE INDEX releases_by_batch ON releases (batch_seq, release_id);

-- Every bedside check, the refused ones included.
CREATE TABLE bedside_checks (
  check_id INTEGER PRIMARY KEY,
  planned_infusion_id INTEGER NOT NULL REFERENCES planned_infusions (infusion_id),
  unit_id TEXT NOT NULL REFERENCES units (unit_id),
  scanned_unit_id TEXT NOT NULL,
  scanned_patient_id TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('matched', 'refused')),
  reason TEXT NOT NULL,
  checked_at INTEGER NOT NULL,
  checked_by TEXT NOT NULL
) STRICT;

CREATE TABLE infusions (
  infusion_record_id INTEGER PRIMARY KEY,
  planned_infusion_id INTEGER NOT NULL REFERENCES planned_infusions (infusion_id),
  unit_id TEXT NOT NULL UNIQUE REFERENCES units (unit_id),
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  viable_cells_given INTEGER NOT NULL CHECK (viable_cells_given > 0),
  adverse_events TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  recorded_by TEXT NOT NULL
) STRICT;
CREATE INDEX infusions_by_planned ON infusions (planned_infusion_id);
)sql";

// 4: the audit trail's hash chain (domain/audit_chain.h): one link per
// audit_log entry, written in the same transaction as the entry. The
// migration's C++ step (LinkAuditEntriesAfter) links the entries already
// there.
constexpr char kSchemaV4[] = R"sql(
CREATE TABLE audit_chain (
  sequence INTEGER PRIMARY KEY REFERENCES audit_log (sequence),
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash TEXT NOT NULL CHECK (length(hash) = 64)
) STRICT;
)sql";

// The steps SQL cannot do, run right after migration `version`'s SQL in the
// same transaction. `audit_before` is the last audit_log sequence before that
// SQL ran: from the chain's start (4) on, the entries a migration wrote itself
// are linked here, whatever its position (and only those: an entry someone
// slipped in unlinked stays unlinked, for verification to find).
absl::Status AfterMigration(Database& db, int version, int64_t audit_before) {
  if (version >= 4) return LinkAuditEntriesAfter(db, audit_before);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> LastAuditSequence(Database& db) {
  absl::StatusOr<Statement> q = db.Prepare("SELECT COALESCE(MAX(sequence), 0) FROM audit_log");
  if (!q.ok()) return q.status();
  absl::StatusOr<bool> row = q->Step();
  if (!row.ok()) return row.status();
  return q->Int(0);
}

// 5: users, roles, sessions, login throttling and electronic signatures.
// Users and sessions change (disable, roles, password, revocation): each
// change is in the audit trail. Signatures are append-only.
constexpr char kSchemaV5[] = R"sql(
CREATE TABLE users (
  user_name TEXT PRIMARY KEY,
  full_name TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
  -- Argon2id in libsodium's crypto_pwhash_str format (salt and limits inside).
  password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  next_login_at INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
) STRICT;

CREATE TABLE user_roles (
  user_name TEXT NOT NULL REFERENCES users (user_name),
  role INTEGER NOT NULL CHECK (role BETWEEN 1 AND 5),
  PRIMARY KEY (user_name, role)
) STRICT;

-- Only the SHA-256 of a session token is kept.
CREATE TABLE sessions (
  token_sha256 BLOB PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES users (user_name),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_name);

CREATE TABLE signatures (
  signature_id INTEGER PRIMARY KEY,
  signer TEXT NOT NULL REFERENCES users (user_name),
  full_name TEXT NOT NULL,
  meaning INTEGER NOT NULL CHECK (meaning BETWEEN 1 AND 3),
  signed_at INTEGER NOT NULL,
  resource TEXT NOT NULL,
  content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
  UNIQUE (resource, meaning)
) STRICT;
)sql";

// 6: fresh product. A fresh unit is a bag formulated at the final harvest for
// infusion within its product's fresh shelf life, held at 2-8 °C, never frozen
// and never in a position: its units row has the formulation's time and user
// in frozen_at/frozen_by, its medium in freezing_medium, an empty
// freezer_program, and its expiry in expires_at (NULL for frozen units). Its
// first event is FORMULATED (8): unit_events is rebuilt for the wider CHECK
// (SQLite cannot alter one), rows and IDs kept. Foreign keys are deferred to
// the commit: unit_thaws points at the events, which the re-insert restores.
constexpr char kSchemaV6[] = R"sql(
ALTER TABLE units ADD COLUMN expires_at INTEGER CHECK (expires_at IS NULL OR expires_at > frozen_at);
CREATE TRIGGER units_expiry_fixed BEFORE UPDATE OF expires_at ON units
  BEGIN SELECT RAISE(ABORT, 'a unit''s identity, batch and patient never change'); END;

PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE unit_events_v5 AS SELECT * FROM unit_events;
DROP TABLE unit_events;
CREATE TABLE unit_events (
  event_id INTEGER PRIMARY KEY,
  unit_id TEXT NOT NULL REFERENCES units (unit_id),
  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 8),
  from_state INTEGER NOT NULL,
  to_state INTEGER NOT NULL CHECK (to_state BETWEEN 1 AND 5),
  from_position TEXT,
  to_position TEXT,
  at INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  recorded_by TEXT NOT NULL,
  reason TEXT NOT NULL
) STRICT;
INSERT INTO unit_events SELECT * FROM temp.unit_events_v5 ORDER BY event_id;
DROP TABLE temp.unit_events_v5;
CREATE INDEX unit_events_by_unit ON unit_events (unit_id, event_id);
)sql";

// 7: reads that cost what they answer. The sterility export pages through
// tests in (started_at, test_id) order: with only qc_tests_by_type every page
// read and sorted all the tests left in the range, so an export's cost grew
// with the square of its length. This index serves each page in order from
// where the last one ended; test_type rides along so the type filter needs
// no table row.
constexpr char kSchemaV7[] = R"sql(
CREATE INDEX qc_tests_by_start ON qc_tests (started_at, test_id, test_type);
)sql";

// 8: release rules a CPC can live by (issue 12). A required test names its
// method and minimum incubation, one row per requirement keyed by its place in
// the specification, so later per-requirement settings can hang off that key
// (the table is rebuilt: SQLite cannot change a primary key; rows kept, their
// turnaround becoming the incubation, method left open as it was). Interim
// readings of a culture are kept apart from results, so no query can mistake
// one for a final result. A final NEGATIVE culture read before its incubation
// has run is refused here too, as a last line of defence.
constexpr char kSchemaV8[] = R"sql(
CREATE TEMP TABLE product_required_tests_v3 AS SELECT * FROM product_required_tests;
DROP TABLE product_required_tests;
CREATE TABLE product_required_tests (
  product_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  requirement INTEGER NOT NULL CHECK (requirement >= 1),
  test_type INTEGER NOT NULL CHECK (test_type BETWEEN 1 AND 6),
  method TEXT NOT NULL,
  min_incubation_s INTEGER NOT NULL CHECK (min_incubation_s > 0),
  PRIMARY KEY (product_code, version, requirement),
  FOREIGN KEY (product_code, version) REFERENCES products (product_code, version)
) STRICT;
CREATE UNIQUE INDEX product_required_tests_by_type
  ON product_required_tests (product_code, version, test_type);
INSERT INTO product_required_tests
  SELECT product_code, version,
         row_number() OVER (PARTITION BY product_code, version ORDER BY test_type),
         test_type, '', turnaround_s
  FROM temp.product_required_tests_v3;
DROP TABLE temp.product_required_tests_v3;

-- Units and records: per product version, with DOMAIN.md's defaults for the
-- versions already defined.
CREATE TABLE product_handling_specs (
  product_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  frozen_shelf_life_s INTEGER NOT NULL CHECK (frozen_shelf_life_s > 0),
  max_thaw_to_infusion_s INTEGER NOT NULL CHECK (max_thaw_to_infusion_s > 0),
  max_entry_delay_s INTEGER NOT NULL CHECK (max_entry_delay_s > 0),
  min_transport_temperature_c REAL NOT NULL,
  max_transport_temperature_c REAL NOT NULL
    CHECK (max_transport_temperature_c >= min_transport_temperature_c),
  PRIMARY KEY (product_code, version),
  FOREIGN KEY (product_code, version) REFERENCES products (product_code, version)
) STRICT;
INSERT INTO product_handling_specs
  SELECT product_code, version, 31536000, 14400, 86400, 2, 8 FROM products;

CREATE TABLE qc_interim_readings (
  reading_id INTEGER PRIMARY KEY,
  test_id INTEGER NOT NULL REFERENCES qc_tests (test_id),
  read_at INTEGER NOT NULL,
  note TEXT NOT NULL,
  performed_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL
) STRICT;
CREATE INDEX qc_interim_readings_by_test ON qc_interim_readings (test_id, reading_id);

CREATE TRIGGER qc_results_incubation_run BEFORE INSERT ON qc_results
  WHEN NEW.detection = 1 AND NEW.read_at < (
    SELECT t.started_at + 1000000 * r.min_incubation_s
    FROM qc_tests t JOIN batches b USING (batch_seq)
    JOIN product_required_tests r
      ON r.product_code = b.product_code AND r.version = b.product_version
         AND r.test_type = t.test_type
    WHERE t.test_id = NEW.test_id AND t.test_type IN (1, 2))
  BEGIN SELECT RAISE(ABORT, 'a final NEGATIVE culture is read only after its minimum incubation'); END;
)sql";

// The last passage can end the culture (a final harvest reseeds nothing),
// and a step recorded long after the time it describes keeps its late-entry
// reason. `passages` is rebuilt because SQLite cannot change a CHECK.
constexpr char kSchemaFinalHarvestLateEntries[] = R"sql(
CREATE TEMP TABLE passages_v1 AS SELECT * FROM passages;
DROP TABLE passages;
CREATE TABLE passages (
  record_id INTEGER PRIMARY KEY REFERENCES batch_records (record_id),
  passage_number INTEGER NOT NULL CHECK (passage_number >= 1),
  passage_time INTEGER NOT NULL,
  total_cells INTEGER NOT NULL CHECK (total_cells > 0),
  viable_cells INTEGER NOT NULL CHECK (viable_cells > 0 AND viable_cells <= total_cells),
  viability_percent REAL NOT NULL CHECK (viability_percent BETWEEN 0 AND 100),
  counting_method INTEGER NOT NULL CHECK (counting_method BETWEEN 1 AND 5),
  cells_reseeded INTEGER NOT NULL CHECK (cells_reseeded >= 0 AND cells_reseeded <= viable_cells),
  vessel_count INTEGER NOT NULL CHECK (vessel_count >= 0),
  surface_area_cm2 REAL NOT NULL CHECK (surface_area_cm2 >= 0),
  incubator_id TEXT NOT NULL REFERENCES equipment (equipment_id),
  final_harvest INTEGER NOT NULL DEFAULT 0 CHECK (final_harvest IN (0, 1)),
  CHECK ((final_harvest = 1) = (cells_reseeded = 0))
) STRICT;
INSERT INTO passages
  SELECT record_id, passage_number, passage_time, total_cells, viable_cells,
         viability_percent, counting_method, cells_reseeded, vessel_count,
         surface_area_cm2, incubator_id, 0
  FROM temp.passages_v1;
DROP TABLE temp.passages_v1;

-- One row per step recorded late, kept with the batch: `resource` names the
-- record within it ("records/12", "qc/samples/3", "units/<id>/thaw").
CREATE TABLE late_entries (
  late_entry_id INTEGER PRIMARY KEY,
  batch_seq INTEGER NOT NULL REFERENCES batches (batch_seq),
  resource TEXT NOT NULL,
  field TEXT NOT NULL,
  event_time INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  recorded_by TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000)
) STRICT;
CREATE INDEX late_entries_by_batch ON late_entries (batch_seq, late_entry_id);
)sql";

// 10: separation of duties for user accounts. password_set_by names who set
// the current password: when that is not the user, they must choose a new one
// at their next sign-in (passwords stored before count as their own). Users,
// roles and sessions are changed only by audited steps, and never in ways
// that rewrite history: a user is never deleted nor renamed, a role row is
// never edited in place, a session is never deleted and only ever revoked.
constexpr char kSchemaSeparationOfDuties[] = R"sql(
ALTER TABLE users ADD COLUMN password_set_by TEXT NOT NULL DEFAULT '';
UPDATE users SET password_set_by = user_name;
CREATE TRIGGER users_never_deleted BEFORE DELETE ON users
  BEGIN SELECT RAISE(ABORT, 'users are never deleted: disable them'); END;
CREATE TRIGGER users_identity_fixed BEFORE UPDATE OF user_name, created_at, created_by ON users
  BEGIN SELECT RAISE(ABORT, 'a user''s name and creation never change'); END;
CREATE TRIGGER user_roles_not_edited BEFORE UPDATE ON user_roles
  BEGIN SELECT RAISE(ABORT, 'a role is granted or withdrawn, never edited'); END;
CREATE TRIGGER sessions_never_deleted BEFORE DELETE ON sessions
  BEGIN SELECT RAISE(ABORT, 'sessions are never deleted: revoke them'); END;
CREATE TRIGGER sessions_only_revoked BEFORE UPDATE ON sessions
  WHEN NEW.token_sha256 IS NOT OLD.token_sha256 OR NEW.user_name IS NOT OLD.user_name
    OR NEW.created_at IS NOT OLD.created_at OR NEW.expires_at IS NOT OLD.expires_at
    OR NEW.revoked < OLD.revoked
  BEGIN SELECT RAISE(ABORT, 'a session is only ever revoked'); END;
)sql";

// Scan to verify (issue 14). A product version's ISBT 128 Product Description Code
// (its unit labels' Data Structure 003); the identifiers a clinic gives a
// patient (a wristband's medical record number), each naming one patient;
// and the bedside's second verifier, who signs the infusion record. Also
// issue 12 item 4: a frozen unit's expiry, on record from its freeze (the
// product version's frozen shelf life); units frozen before it get theirs
// from their batch's product version, as the domain computes it.
constexpr char kSchemaScanToVerify[] = R"sql(
ALTER TABLE units ADD COLUMN frozen_expires_at INTEGER
  CHECK (frozen_expires_at IS NULL OR frozen_expires_at > frozen_at);
UPDATE units SET frozen_expires_at = frozen_at + 1000000 * (
    SELECT s.frozen_shelf_life_s FROM batches b JOIN product_handling_specs s
      ON s.product_code = b.product_code AND s.version = b.product_version
    WHERE b.batch_seq = units.batch_seq)
  WHERE expires_at IS NULL;
CREATE TRIGGER units_frozen_expiry_fixed BEFORE UPDATE OF frozen_expires_at ON units
  BEGIN SELECT RAISE(ABORT, 'a unit''s expiry on record never changes'); END;

CREATE TABLE product_isbt_codes (
  product_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  product_description_code TEXT NOT NULL CHECK (length(product_description_code) = 5),
  PRIMARY KEY (product_code, version),
  FOREIGN KEY (product_code, version) REFERENCES products (product_code, version)
) STRICT;
CREATE TABLE patient_identifiers (
  identifier_id INTEGER PRIMARY KEY,
  patient_id TEXT NOT NULL REFERENCES patients (patient_id),
  kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
  value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 40),
  reason TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  added_by TEXT NOT NULL
) STRICT;
-- An identifier names one patient: a wristband must not match two.
CREATE UNIQUE INDEX patient_identifiers_by_value ON patient_identifiers (value);
ALTER TABLE infusions ADD COLUMN verified_by TEXT;

-- Signature meaning 4, "verified: unit and patient identity" (the bedside's
-- second person): signatures is rebuilt for the wider CHECK, rows and IDs
-- kept, as migration 6 did for unit_events.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE signatures_v8 AS SELECT * FROM signatures;
DROP TABLE signatures;
CREATE TABLE signatures (
  signature_id INTEGER PRIMARY KEY,
  signer TEXT NOT NULL REFERENCES users (user_name),
  full_name TEXT NOT NULL,
  meaning INTEGER NOT NULL CHECK (meaning BETWEEN 1 AND 4),
  signed_at INTEGER NOT NULL,
  resource TEXT NOT NULL,
  content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
  UNIQUE (resource, meaning)
) STRICT;
INSERT INTO signatures SELECT * FROM temp.signatures_v8 ORDER BY signature_id;
DROP TABLE temp.signatures_v8;
)sql";

// Follow-up (issue 13). What a required test's release rests on and which
// sample points count for it, kept beside the requirement it refines (rows
// absent: the final result, on the final harvest or product, as before).
// basis 1 = final result, 2 = interim reading with the final result followed
// after release; a point's role 1 = counts for release, 2 = followed after.
// A contamination signal after release opens a follow-up case naming every
// infused unit (copied as it was at the finding) and the units it held; QA's
// assessment and the physician's acknowledgement close it, one of each.
constexpr char kSchemaFollowUp[] = R"sql(
CREATE TABLE product_required_test_bases (
  product_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  requirement INTEGER NOT NULL,
  basis INTEGER NOT NULL CHECK (basis IN (1, 2)),
  min_interim_s INTEGER NOT NULL CHECK (min_interim_s >= 0),
  PRIMARY KEY (product_code, version, requirement),
  FOREIGN KEY (product_code, version, requirement)
    REFERENCES product_required_tests (product_code, version, requirement)
) STRICT;
CREATE TABLE product_required_test_points (
  product_code TEXT NOT NULL,
  version INTEGER NOT NULL,
  requirement INTEGER NOT NULL,
  role INTEGER NOT NULL CHECK (role IN (1, 2)),
  sample_point INTEGER NOT NULL CHECK (sample_point BETWEEN 1 AND 6),
  PRIMARY KEY (product_code, version, requirement, role, sample_point),
  FOREIGN KEY (product_code, version, requirement)
    REFERENCES product_required_tests (product_code, version, requirement)
) STRICT;

-- The physician (role 6) and the follow-up signatures (meanings 5 and 6):
-- both tables rebuilt for their wider CHECK (SQLite cannot alter one), rows
-- and IDs kept; signatures stay append-only (its triggers are re-created
-- below with the others), and a role row is still never edited (the
-- separation-of-duties trigger is re-created here).
CREATE TEMP TABLE user_roles_before_follow_up AS SELECT * FROM user_roles;
DROP TABLE user_roles;
CREATE TABLE user_roles (
  user_name TEXT NOT NULL REFERENCES users (user_name),
  role INTEGER NOT NULL CHECK (role BETWEEN 1 AND 6),
  PRIMARY KEY (user_name, role)
) STRICT;
INSERT INTO user_roles SELECT * FROM temp.user_roles_before_follow_up;
DROP TABLE temp.user_roles_before_follow_up;
CREATE TRIGGER user_roles_not_edited BEFORE UPDATE ON user_roles
  BEGIN SELECT RAISE(ABORT, 'a role is granted or withdrawn, never edited'); END;
CREATE TEMP TABLE signatures_before_follow_up AS SELECT * FROM signatures;
DROP TABLE signatures;
CREATE TABLE signatures (
  signature_id INTEGER PRIMARY KEY,
  signer TEXT NOT NULL REFERENCES users (user_name),
  full_name TEXT NOT NULL,
  meaning INTEGER NOT NULL CHECK (meaning BETWEEN 1 AND 6),
  signed_at INTEGER NOT NULL,
  resource TEXT NOT NULL,
  content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
  UNIQUE (resource, meaning)
) STRICT;
INSERT INTO signatures SELECT * FROM temp.signatures_before_follow_up ORDER BY signature_id;
DROP TABLE temp.signatures_before_follow_up;

CREATE TABLE follow_ups (
  follow_up_id INTEGER PRIMARY KEY,
  batch_seq INTEGER NOT NULL REFERENCES batches (batch_seq),
  patient_id TEXT NOT NULL,
  qc_test_id INTEGER NOT NULL REFERENCES qc_tests (test_id),
  deviation_id INTEGER NOT NULL REFERENCES deviations (deviation_id),
  finding TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  opened_by TEXT NOT NULL
) STRICT;
CREATE INDEX follow_ups_by_batch ON follow_ups (batch_seq, follow_up_id);
CREATE TABLE follow_up_infusions (
  follow_up_id INTEGER NOT NULL REFERENCES follow_ups (follow_up_id),
  infusion_record_id INTEGER NOT NULL REFERENCES infusions (infusion_record_id),
  unit_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  planned_infusion_id INTEGER NOT NULL,
  plan_number TEXT NOT NULL,
  PRIMARY KEY (follow_up_id, infusion_record_id)
) STRICT;
CREATE TABLE follow_up_held_units (
  follow_up_id INTEGER NOT NULL REFERENCES follow_ups (follow_up_id),
  unit_id TEXT NOT NULL REFERENCES units (unit_id),
  PRIMARY KEY (follow_up_id, unit_id)
) STRICT;
CREATE TABLE follow_up_assessments (
  follow_up_id INTEGER PRIMARY KEY REFERENCES follow_ups (follow_up_id),
  text TEXT NOT NULL,
  adverse_event_suspected INTEGER NOT NULL CHECK (adverse_event_suspected IN (0, 1)),
  signed_at INTEGER NOT NULL,
  signer TEXT NOT NULL
) STRICT;
CREATE TABLE follow_up_acknowledgements (
  follow_up_id INTEGER PRIMARY KEY REFERENCES follow_ups (follow_up_id),
  text TEXT NOT NULL,
  report_filed_on TEXT
    CHECK (report_filed_on IS NULL OR report_filed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  signed_at INTEGER NOT NULL,
  signer TEXT NOT NULL
) STRICT;
)sql";

// Where-used (issue 17): each question QA asks reads one index.
constexpr char kSchemaWhereUsedIndexes[] = R"sql(
CREATE INDEX units_by_medium_lot ON units (medium_lot);
CREATE INDEX units_by_freezer ON units (freezer_id, frozen_at) WHERE freezer_id IS NOT NULL;
CREATE INDEX qc_results_by_kit_lot ON qc_results (kit_lot);
CREATE INDEX qc_results_by_instrument ON qc_results (instrument_id, read_at);
CREATE INDEX seedings_by_incubator ON seedings (incubator_id, seeding_time);
CREATE INDEX seedings_by_cabinet ON seedings (cabinet_id) WHERE cabinet_id IS NOT NULL;
CREATE INDEX passages_by_incubator ON passages (incubator_id, passage_time);
CREATE INDEX audit_log_by_actor ON audit_log (actor, at);
)sql";

// A step's decision reads back only some kinds of record
// (domain::KindsReadByRules): this finds them among a batch's thousand
// observations without reading the others.
constexpr char kSchemaRecordsByKindIndex[] = R"sql(
CREATE INDEX batch_records_by_batch_kind ON batch_records (batch_seq, kind, record_id);
)sql";

// Late entries now come from every step that says when it happened (QC
// samples, test starts and results, units made, thaws and infusions as well
// as culture records): each record is late at most once, so a second entry
// for the same one is a fault, refused by the store.
constexpr char kSchemaOneLateEntryPerRecord[] = R"sql(
CREATE UNIQUE INDEX late_entries_one_per_record ON late_entries (batch_seq, resource);
)sql";

// Calibration and maintenance (issue 17 item 2): records of each, the latest
// of a kind setting the equipment's due day. Equipment registered from now on
// of a kind that needs calibration is used only once calibrated
// (calibration_required); equipment already registered keeps working, tracked
// from its first calibration record. A passage names the cell counter its
// counts were read on (NULL on passages recorded before).
constexpr char kSchemaEquipmentCalibration[] = R"sql(
ALTER TABLE equipment ADD COLUMN calibration_required INTEGER NOT NULL DEFAULT 0
  CHECK (calibration_required IN (0, 1));
CREATE TABLE equipment_upkeep (
  record_id INTEGER PRIMARY KEY,
  equipment_id TEXT NOT NULL REFERENCES equipment (equipment_id),
  kind INTEGER NOT NULL CHECK (kind IN (1, 2)),
  performed_at INTEGER NOT NULL,
  next_due TEXT NOT NULL CHECK (next_due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  certificate TEXT NOT NULL CHECK (length(certificate) BETWEEN 1 AND 100),
  recorded_at INTEGER NOT NULL,
  recorded_by TEXT NOT NULL
) STRICT;
CREATE INDEX equipment_upkeep_latest ON equipment_upkeep (equipment_id, kind, performed_at, record_id);
ALTER TABLE passages ADD COLUMN counter_id TEXT REFERENCES equipment (equipment_id);
CREATE INDEX passages_by_counter ON passages (counter_id, passage_time) WHERE counter_id IS NOT NULL;
)sql";

// Material acceptance (issue 17 item 3): a lot is received into QUARANTINE
// (no decision yet) and QA accepts it for use on the supplier's certificate
// of analysis, or rejects it: decisions are appended, the latest is the lot's
// status, each signed (meanings 7 and 8; and 9, the physician's request of
// kSchemaPhysicianUseRequest: the signatures table is rebuilt once for its
// wider CHECK, rows and IDs kept, its append-only triggers re-created
// after it). Lots registered before stay usable: this migration accepts each
// and says so in the audit trail (AfterMigration chains those entries).
constexpr char kSchemaMaterialAcceptance[] = R"sql(
CREATE TABLE lot_decisions (
  decision_id INTEGER PRIMARY KEY,
  lot_number TEXT NOT NULL REFERENCES reagent_lots (lot_number),
  status INTEGER NOT NULL CHECK (status IN (2, 3)),
  certificate TEXT NOT NULL,
  reason TEXT NOT NULL,
  decided_at INTEGER NOT NULL,
  decided_by TEXT NOT NULL
) STRICT;
CREATE INDEX lot_decisions_by_lot ON lot_decisions (lot_number, decision_id);

CREATE TEMP TABLE signatures_before_acceptance AS SELECT * FROM signatures;
DROP TABLE signatures;
CREATE TABLE signatures (
  signature_id INTEGER PRIMARY KEY,
  signer TEXT NOT NULL REFERENCES users (user_name),
  full_name TEXT NOT NULL,
  meaning INTEGER NOT NULL CHECK (meaning BETWEEN 1 AND 9),
  signed_at INTEGER NOT NULL,
  resource TEXT NOT NULL,
  content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
  UNIQUE (resource, meaning)
) STRICT;
INSERT INTO signatures SELECT * FROM temp.signatures_before_acceptance ORDER BY signature_id;
DROP TABLE temp.signatures_before_acceptance;

INSERT INTO lot_decisions (lot_number, status, certificate, reason, decided_at, decided_by)
  SELECT lot_number, 2, '', 'registered before material acceptance was required',
         CAST(strftime('%s', 'now') AS INTEGER) * 1000000, 'cpcd'
  FROM reagent_lots ORDER BY lot_number;
-- Lot numbers are identifiers (letters, digits, - . _ /): no JSON escaping needed.
INSERT INTO audit_log (at, actor, action, resource, old_value, new_value, reason, request_id)
  SELECT decided_at, 'cpcd', 'lot.accept', 'lots/' || lot_number,
         '{"lot_number":"' || lot_number || '","status":"QUARANTINE"}',
         '{"lot_number":"' || lot_number || '","status":"ACCEPTED"}',
         'registered before material acceptance was required: accepted by the schema upgrade',
         ''
  FROM lot_decisions ORDER BY decision_id;
)sql";

// Use under the physician's responsibility (issue 13 item 4): the closure of
// such a deviation names the physician whose signed request it carries (the
// signature, meaning 9, is on the same resource; kSchemaMaterialAcceptance's
// rebuild of signatures allows it).
constexpr char kSchemaPhysicianUseRequest[] = R"sql(
ALTER TABLE deviation_closures ADD COLUMN physician TEXT REFERENCES users (user_name)
  CHECK (physician IS NULL OR (physician <> '' AND disposition = 3));
)sql";

// Qualified operators (issue 17 item 4): a person's qualification for a
// procedure (1 aseptic processing, 2 passage, 3 freezing, 4 QC testing,
// 5 infusion; domain/qualification.h), with the day it was earned, its last
// valid day and the training record it rests on. Renewals are new rows. Each
// person who already recorded steps of a procedure keeps recording them: this
// migration qualifies them for it from the day their account was made until
// a year from now, evidence "recorded before qualifications were tracked",
// and says so in the audit trail (AfterMigration chains those entries). The
// steps counted are those of this migration's day: culture records by kind
// (corrections included), and QC, unit and infusion steps by audit action.
constexpr char kSchemaQualifiedOperators[] = R"sql(
CREATE TABLE qualifications (
  qualification_id INTEGER PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES users (user_name),
  procedure INTEGER NOT NULL CHECK (procedure BETWEEN 1 AND 5),
  qualified_on TEXT NOT NULL CHECK (qualified_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  expires_on TEXT NOT NULL CHECK (expires_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
                                  AND expires_on > qualified_on),
  evidence TEXT NOT NULL CHECK (length(evidence) BETWEEN 1 AND 200),
  recorded_at INTEGER NOT NULL,
  recorded_by TEXT NOT NULL
) STRICT;
CREATE INDEX qualifications_by_user ON qualifications (user_name, procedure, qualification_id);

CREATE TEMP TABLE qualifications_performed AS
  SELECT recorded_by AS user_name, CASE kind WHEN 5 THEN 2 ELSE 1 END AS procedure
    FROM batch_records WHERE kind BETWEEN 1 AND 5
  UNION
  SELECT actor, CASE action WHEN 'unit.formulate' THEN 1 WHEN 'unit.freeze' THEN 3
                            WHEN 'unit.thaw' THEN 3 WHEN 'infusion.record' THEN 5 ELSE 4 END
    FROM audit_log
    WHERE action IN ('qc.draw_sample', 'qc.order_test', 'qc.record_result', 'qc.correct_result',
                     'qc.record_interim_reading', 'unit.freeze', 'unit.formulate', 'unit.thaw',
                     'infusion.record');
INSERT INTO qualifications (user_name, procedure, qualified_on, expires_on, evidence,
                            recorded_at, recorded_by)
  SELECT p.user_name, p.procedure, date(u.created_at / 1000000, 'unixepoch'),
         date('now', '+1 year'), 'recorded before qualifications were tracked',
         CAST(strftime('%s', 'now') AS INTEGER) * 1000000, 'cpcd'
  FROM temp.qualifications_performed p JOIN users u ON u.user_name = p.user_name
  ORDER BY p.user_name, p.procedure;
DROP TABLE temp.qualifications_performed;
-- User names are identifiers (letters, digits, - . _): no JSON escaping needed.
INSERT INTO audit_log (at, actor, action, resource, old_value, new_value, reason, request_id)
  SELECT recorded_at, 'cpcd', 'user.qualify',
         'users/' || user_name || '/qualifications/' || qualification_id, '',
         '{"qualification_id":' || qualification_id || ',"user_name":"' || user_name ||
         '","procedure":"' || CASE procedure WHEN 1 THEN 'aseptic-processing'
                                             WHEN 2 THEN 'passage' WHEN 3 THEN 'freezing'
                                             WHEN 4 THEN 'qc-testing' ELSE 'infusion' END ||
         '","qualified_on":"' || qualified_on || '","expires_on":"' || expires_on ||
         '","evidence":"' || evidence || '"}',
         'recorded before qualifications were tracked: qualified by the schema upgrade for '
         'the steps they had recorded, for a year',
         ''
  FROM qualifications ORDER BY qualification_id;
)sql";

// Excursions that reach every affected batch (issue 17 item 5): the parent of
// the EXCURSION deviations one event opened on each batch it reached
// (deviations.excursion_id links a child to it), QA's closure of the parent,
// and tank readings (temperature, LN2 level) typed or imported from the
// monitoring system, each judged against its tank's temperature class when
// recorded (in_limits). One reading per tank and time: an import run twice
// is refused, not doubled. Tanks already had their class (storage_tanks), so
// no tank changes here.
constexpr char kSchemaExcursions[] = R"sql(
CREATE TABLE tank_readings (
  reading_id INTEGER PRIMARY KEY,
  tank_id TEXT NOT NULL REFERENCES storage_tanks (tank_id),
  at INTEGER NOT NULL,
  temperature_c REAL NOT NULL CHECK (temperature_c BETWEEN -200 AND 60),
  ln2_level_percent REAL CHECK (ln2_level_percent BETWEEN 0 AND 100),
  source INTEGER NOT NULL CHECK (source IN (1, 2)),
  in_limits INTEGER NOT NULL CHECK (in_limits IN (0, 1)),
  recorded_at INTEGER NOT NULL,
  recorded_by TEXT NOT NULL,
  UNIQUE (tank_id, at)
) STRICT;
CREATE INDEX tank_readings_in_limits ON tank_readings (tank_id, in_limits, at);

CREATE TABLE excursions (
  excursion_id INTEGER PRIMARY KEY,
  scope INTEGER NOT NULL CHECK (scope IN (1, 2, 3)),
  subject TEXT NOT NULL CHECK (subject <> ''),
  from_time INTEGER,
  to_time INTEGER,
  description TEXT NOT NULL CHECK (description <> ''),
  opened_at INTEGER NOT NULL,
  opened_by TEXT NOT NULL,
  reading_id INTEGER REFERENCES tank_readings (reading_id),
  CHECK ((from_time IS NULL) = (to_time IS NULL)),
  CHECK (from_time IS NULL OR from_time <= to_time)
) STRICT;

CREATE TABLE excursion_closures (
  excursion_id INTEGER PRIMARY KEY REFERENCES excursions (excursion_id),
  reason TEXT NOT NULL CHECK (reason <> ''),
  closed_at INTEGER NOT NULL,
  closed_by TEXT NOT NULL
) STRICT;

ALTER TABLE deviations ADD COLUMN excursion_id INTEGER REFERENCES excursions (excursion_id);
CREATE INDEX deviations_by_excursion ON deviations (excursion_id, deviation_id)
  WHERE excursion_id IS NOT NULL;
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
      absl::StrCat(kSchemaV2,
                   AppendOnly({"product_qc_specs", "product_marker_limits",
                               "batch_state_changes", "qc_samples", "qc_tests", "qc_results",
                               "qc_result_markers", "qc_reviews", "qc_invalidations",
                               "storage_tanks", "storage_racks", "storage_boxes", "unit_events",
                               "unit_thaws", "deviations", "deviation_notes",
                               "deviation_closures"})),
      absl::StrCat(kSchemaV3,
                   AppendOnly({"product_release_specs", "product_required_tests",
                               "treatment_plans", "planned_infusions", "releases",
                               "bedside_checks", "infusions"})),
      absl::StrCat(kSchemaV4, AppendOnly({"audit_chain"})),
      absl::StrCat(kSchemaV5, AppendOnly({"signatures"})),
      absl::StrCat(kSchemaV6, AppendOnly({"unit_events"})),
      kSchemaV7,
      absl::StrCat(kSchemaV8, AppendOnly({"product_required_tests", "product_handling_specs",
                                          "qc_interim_readings"})),
      absl::StrCat(kSchemaFinalHarvestLateEntries, AppendOnly({"passages", "late_entries"})),
      kSchemaSeparationOfDuties,
      absl::StrCat(kSchemaScanToVerify, AppendOnly({"product_isbt_codes", "patient_identifiers", "signatures"})),
      absl::StrCat(kSchemaFollowUp,
                   AppendOnly({"signatures", "product_required_test_bases",
                               "product_required_test_points", "follow_ups", "follow_up_infusions", "follow_up_held_units",
                               "follow_up_assessments", "follow_up_acknowledgements"})),
      kSchemaWhereUsedIndexes,
      kSchemaRecordsByKindIndex,
      kSchemaOneLateEntryPerRecord,
      absl::StrCat(kSchemaEquipmentCalibration, AppendOnly({"equipment_upkeep"})),
      absl::StrCat(kSchemaMaterialAcceptance, AppendOnly({"lot_decisions", "signatures"})),
      kSchemaPhysicianUseRequest,
      absl::StrCat(kSchemaQualifiedOperators, AppendOnly({"qualifications"})),
      absl::StrCat(kSchemaExcursions,
                   AppendOnly({"tank_readings", "excursions", "excursion_closures"})),
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

absl::StatusOr<int> Migrate(Database& db) { return MigrateTo(db, LatestSchemaVersion()); }

absl::StatusOr<int> MigrateTo(Database& db, int target) {
  if (target < 1 || target > LatestSchemaVersion()) {
    return absl::InvalidArgumentError(absl::StrCat("schema version ", target, " does not exist"));
  }
  if (absl::Status s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  absl::StatusOr<int> version = UserVersion(db);
  absl::Status status = version.status();
  if (status.ok() && *version > LatestSchemaVersion()) {
    status = absl::FailedPreconditionError(absl::StrCat(
        "database schema version ", *version, " is newer than this cpcd (",
        LatestSchemaVersion(), "); upgrade cpcd"));
  }
  for (int v = status.ok() ? *version : target; v < target && status.ok(); ++v) {
    // Before 4 there is no chain; at 4 every entry is linked.
    absl::StatusOr<int64_t> audit_before = v + 1 > 4 ? LastAuditSequence(db) : int64_t{0};
    status = audit_before.status();
    if (status.ok()) status = db.Exec(Migrations()[v]);
    if (status.ok()) status = AfterMigration(db, v + 1, *audit_before);
    if (status.ok()) status = db.Exec(absl::StrCat("PRAGMA user_version = ", v + 1));
  }
  if (!status.ok()) {
    (void)db.Exec("ROLLBACK");
    return status;
  }
  if (absl::Status s = db.Exec("COMMIT"); !s.ok()) return s;
  return std::max(*version, target);
}

}  // namespace cpctrack::store
