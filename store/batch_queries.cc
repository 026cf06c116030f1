// Transaction: batches and their deviations.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "domain/status_macros.h"
#include "store/paging.h"
#include "store/store.h"

namespace cpctrack::store {
namespace {

using domain::Batch;
using domain::Deviation;
using domain::Din;

constexpr char kBatchColumns[] =
    "batch_seq, batch_id, patient_id, product_code, product_version, state, "
    "current_passage, created_at, created_by, updated_at";

absl::StatusOr<Batch> BatchFromRow(const Statement& row) {
  ASSIGN_OR_RETURN(Din din, Din::Parse(row.Text(1)));
  return Batch{.batch_id = std::move(din),
               .patient_id = row.Text(2),
               .product_code = row.Text(3),
               .product_version = static_cast<int>(row.Int(4)),
               .state = static_cast<domain::BatchState>(row.Int(5)),
               .created_at = row.Time(7),
               .created_by = row.Text(8),
               .updated_at = row.Time(9),
               .current_passage = static_cast<int>(row.Int(6))};
}

}  // namespace

absl::StatusOr<int64_t> Transaction::BatchSeq(const Din& batch_id) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare("SELECT batch_seq FROM batches WHERE batch_id = ?"));
  q.Bind(1, batch_id.compact());
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("batch_id: no batch ", batch_id.compact(), " is registered"));
  }
  return q.Int(0);
}

absl::StatusOr<int> Transaction::LastDinSequence(absl::string_view facility_code, int year) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare("SELECT COALESCE(MAX(din_sequence), 0) FROM batches "
                                            "WHERE facility_code = ? AND din_year = ?"));
  q.Bind(1, facility_code).Bind(2, year);
  ASSIGN_OR_RETURN(bool row, q.Step());
  return row ? static_cast<int>(q.Int(0)) : 0;
}

absl::Status Transaction::InsertBatch(const Batch& b) {
  ASSIGN_OR_RETURN(
      Statement insert,
      db_.Prepare("INSERT INTO batches (batch_id, facility_code, din_year, din_sequence, "
                  "patient_id, product_code, product_version, state, current_passage, "
                  "created_at, created_by, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"));
  insert.Bind(1, b.batch_id.compact())
      .Bind(2, b.batch_id.facility_code())
      .Bind(3, b.batch_id.year())
      .Bind(4, b.batch_id.sequence())
      .Bind(5, b.patient_id)
      .Bind(6, b.product_code)
      .Bind(7, b.product_version)
      .Bind(8, static_cast<int>(b.state))
      .Bind(9, b.current_passage)
      .Bind(10, b.created_at)
      .Bind(11, b.created_by)
      .Bind(12, b.updated_at);
  return insert.Run();
}

absl::StatusOr<Batch> Transaction::GetBatch(const Din& batch_id) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare(absl::StrCat("SELECT ", kBatchColumns,
                                                         " FROM batches WHERE batch_id = ?")));
  q.Bind(1, batch_id.compact());
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("batch_id: no batch ", batch_id.compact(), " is registered"));
  }
  return BatchFromRow(q);
}

absl::Status Transaction::UpdateBatchSummary(const Batch& b) {
  ASSIGN_OR_RETURN(Statement update,
                   db_.Prepare("UPDATE batches SET state = ?, current_passage = ?, "
                               "updated_at = ? WHERE batch_id = ?"));
  update.Bind(1, static_cast<int>(b.state))
      .Bind(2, b.current_passage)
      .Bind(3, b.updated_at)
      .Bind(4, b.batch_id.compact());
  return update.Run();
}

absl::StatusOr<Page<BatchSummary>> Transaction::ListBatches(const BatchFilter& filter,
                                                     absl::string_view after_key, int limit) {
  // Newest first; the key is the last batch_seq shown.
  int64_t before_seq = INT64_MAX;
  if (!after_key.empty() && !absl::SimpleAtoi(after_key, &before_seq)) {
    return absl::InvalidArgumentError("page_token: not a token from this server");
  }
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare(absl::StrCat(
                       "SELECT ", kBatchColumns,
                       ", (SELECT COUNT(*) FROM deviations d WHERE d.batch_seq = "
                       "batches.batch_seq AND NOT EXISTS (SELECT 1 FROM deviation_closures c "
                       "WHERE c.deviation_id = d.deviation_id)), "
                       "(SELECT group_concat(d.description, '; ') FROM deviations d WHERE "
                       "d.batch_seq = batches.batch_seq AND d.kind = 8 AND NOT EXISTS (SELECT 1 "
                       "FROM deviation_closures c WHERE c.deviation_id = d.deviation_id))"
                       " FROM batches WHERE batch_seq < ?1 AND (?2 = 0 OR state = ?2) "
                       "AND (?3 = '' OR patient_id = ?3) ORDER BY batch_seq DESC LIMIT ?4")));
  q.Bind(1, before_seq)
      .Bind(2, filter.state.has_value() ? static_cast<int>(*filter.state) : 0)
      .Bind(3, filter.patient_id)
      .Bind(4, limit + 1);
  return ReadPage<BatchSummary>(
      q, limit,
      [](const Statement& row) -> absl::StatusOr<BatchSummary> {
        ASSIGN_OR_RETURN(Batch batch, BatchFromRow(row));
        return BatchSummary{std::move(batch), static_cast<int>(row.Int(10)),
                            row.IsNull(11) ? "" : row.Text(11)};
      },
      [](const Statement& row) { return absl::StrCat(row.Int(0)); });
}

namespace {

constexpr char kDeviationColumns[] =
    "d.deviation_id, d.kind, d.description, d.opened_at, d.opened_by, "
    "COALESCE(d.record_id, 0), COALESCE(d.qc_test_id, 0), COALESCE(d.unit_id, ''), b.batch_id, "
    "COALESCE(d.excursion_id, 0)";

Deviation DeviationFromRow(const Statement& q) {
  Deviation d;
  d.deviation_id = q.Int(0);
  d.kind = static_cast<domain::DeviationKind>(q.Int(1));
  d.description = q.Text(2);
  d.state = domain::DeviationState::kOpen;
  d.opened_at = q.Time(3);
  d.opened_by = q.Text(4);
  d.record_id = q.Int(5);
  d.qc_test_id = q.Int(6);
  d.unit_id = q.Text(7);
  d.excursion_id = q.Int(9);
  return d;
}

}  // namespace

absl::Status Transaction::LoadDeviationDetails(Deviation& d) {
  ASSIGN_OR_RETURN(Statement notes,
                   db_.Prepare("SELECT note_id, added_at, added_by, text FROM deviation_notes "
                               "WHERE deviation_id = ? ORDER BY note_id"));
  notes.Bind(1, d.deviation_id);
  while (true) {
    ASSIGN_OR_RETURN(bool row, notes.Step());
    if (!row) break;
    d.notes.push_back({notes.Int(0), notes.Time(1), notes.Text(2), notes.Text(3)});
  }
  ASSIGN_OR_RETURN(Statement closure,
                   db_.Prepare("SELECT disposition, reason, closed_at, closed_by, "
                               "coalesce(physician, '') FROM deviation_closures "
                               "WHERE deviation_id = ?"));
  closure.Bind(1, d.deviation_id);
  ASSIGN_OR_RETURN(bool closed, closure.Step());
  if (closed) {
    d.state = domain::DeviationState::kClosed;
    d.closure = domain::DeviationClosure{static_cast<domain::Disposition>(closure.Int(0)),
                                         closure.Text(1), closure.Time(2), closure.Text(3),
                                         closure.Text(4)};
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Deviation>> Transaction::LoadDeviations(const Din& batch_id) {
  ASSIGN_OR_RETURN(int64_t seq, BatchSeq(batch_id));
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare(absl::StrCat("SELECT ", kDeviationColumns,
                                            " FROM deviations d JOIN batches b USING (batch_seq) "
                                            "WHERE d.batch_seq = ? ORDER BY d.deviation_id")));
  q.Bind(1, seq);
  std::vector<Deviation> deviations;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    deviations.push_back(DeviationFromRow(q));
  }
  for (Deviation& d : deviations) RETURN_IF_ERROR(LoadDeviationDetails(d));
  return deviations;
}

absl::Status Transaction::InsertDeviation(const Din& batch_id, Deviation& d) {
  ASSIGN_OR_RETURN(int64_t seq, BatchSeq(batch_id));
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO deviations (batch_seq, kind, description, "
                               "opened_at, opened_by, record_id, qc_test_id, unit_id, excursion_id) "
                               "VALUES (?,?,?,?,?,?,?,?,nullif(?, 0))"));
  insert.Bind(1, seq)
      .Bind(2, static_cast<int>(d.kind))
      .Bind(3, d.description)
      .Bind(4, d.opened_at)
      .Bind(5, d.opened_by);
  if (d.record_id != 0) {
    insert.Bind(6, d.record_id);
  } else {
    insert.BindNull(6);
  }
  if (d.qc_test_id != 0) {
    insert.Bind(7, d.qc_test_id);
  } else {
    insert.BindNull(7);
  }
  if (!d.unit_id.empty()) {
    insert.Bind(8, d.unit_id);
  } else {
    insert.BindNull(8);
  }
  insert.Bind(9, d.excursion_id);
  RETURN_IF_ERROR(insert.Run());
  d.deviation_id = db_.LastInsertRowId();
  return absl::OkStatus();
}

absl::StatusOr<std::string> Transaction::DeviationBatch(int64_t deviation_id) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare("SELECT b.batch_id FROM deviations d JOIN batches b "
                                            "USING (batch_seq) WHERE d.deviation_id = ?"));
  q.Bind(1, deviation_id);
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("deviation_id: no deviation ", deviation_id, " is on record"));
  }
  return q.Text(0);
}

absl::Status Transaction::InsertDeviationNote(int64_t deviation_id, domain::DeviationNote& note) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO deviation_notes (deviation_id, added_at, added_by, "
                               "text) VALUES (?,?,?,?)"));
  insert.Bind(1, deviation_id).Bind(2, note.added_at).Bind(3, note.added_by).Bind(4, note.text);
  RETURN_IF_ERROR(insert.Run());
  note.note_id = db_.LastInsertRowId();
  return absl::OkStatus();
}

absl::Status Transaction::InsertDeviationClosure(int64_t deviation_id,
                                                 const domain::DeviationClosure& c) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO deviation_closures (deviation_id, disposition, "
                               "reason, closed_at, closed_by, physician) "
                               "VALUES (?,?,?,?,?,nullif(?, ''))"));
  insert.Bind(1, deviation_id)
      .Bind(2, static_cast<int>(c.disposition))
      .Bind(3, c.reason)
      .Bind(4, c.closed_at)
      .Bind(5, c.closed_by)
      .Bind(6, c.physician);
  return insert.Run();
}

absl::StatusOr<Page<DeviationRow>> Transaction::ListDeviations(const DeviationFilter& filter,
                                                              absl::string_view after_key,
                                                              int limit) {
  // Newest first; the key is the last deviation_id shown.
  int64_t before_id = INT64_MAX;
  if (!after_key.empty() && !absl::SimpleAtoi(after_key, &before_id)) {
    return absl::InvalidArgumentError("page_token: not a token from this server");
  }
  ASSIGN_OR_RETURN(
      Statement q,
      db_.Prepare(absl::StrCat(
          "SELECT ", kDeviationColumns,
          " FROM deviations d JOIN batches b USING (batch_seq) WHERE d.deviation_id < ?1 "
          "AND (?2 = '' OR b.batch_id = ?2) AND (?3 = 0 OR NOT EXISTS (SELECT 1 FROM "
          "deviation_closures c WHERE c.deviation_id = d.deviation_id)) "
          "ORDER BY d.deviation_id DESC LIMIT ?4")));
  q.Bind(1, before_id).Bind(2, filter.batch_id).Bind(3, filter.open_only ? 1 : 0).Bind(4, limit + 1);
  ASSIGN_OR_RETURN(
      Page<DeviationRow> page,
      ReadPage<DeviationRow>(
          q, limit,
          [](const Statement& row) { return DeviationRow{row.Text(8), DeviationFromRow(row)}; },
          [](const Statement& row) { return absl::StrCat(row.Int(0)); }));
  for (DeviationRow& r : page.items) RETURN_IF_ERROR(LoadDeviationDetails(r.deviation));
  return page;
}

absl::StatusOr<std::vector<DeviationRow>> Transaction::ExcursionChildren(int64_t excursion_id) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare(absl::StrCat("SELECT ", kDeviationColumns,
                                            " FROM deviations d JOIN batches b USING (batch_seq) "
                                            "WHERE d.excursion_id = ? ORDER BY d.deviation_id")));
  q.Bind(1, excursion_id);
  std::vector<DeviationRow> rows;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    rows.push_back(DeviationRow{q.Text(8), DeviationFromRow(q)});
  }
  for (DeviationRow& r : rows) RETURN_IF_ERROR(LoadDeviationDetails(r.deviation));
  return rows;
}

absl::Status Transaction::InsertStateChange(const Din& batch_id, domain::BatchState from,
                                            domain::BatchState to, absl::Time at,
                                            absl::string_view by, absl::string_view reason) {
  ASSIGN_OR_RETURN(int64_t seq, BatchSeq(batch_id));
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO batch_state_changes (batch_seq, from_state, "
                               "to_state, changed_at, changed_by, reason) VALUES (?,?,?,?,?,?)"));
  insert.Bind(1, seq)
      .Bind(2, static_cast<int>(from))
      .Bind(3, static_cast<int>(to))
      .Bind(4, at)
      .Bind(5, by)
      .Bind(6, reason);
  return insert.Run();
}

absl::StatusOr<std::vector<domain::BatchStateChange>> Transaction::LoadStateChanges(
    const Din& batch_id) {
  ASSIGN_OR_RETURN(int64_t seq, BatchSeq(batch_id));
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("SELECT from_state, to_state, changed_at FROM batch_state_changes "
                               "WHERE batch_seq = ? ORDER BY change_id"));
  q.Bind(1, seq);
  std::vector<domain::BatchStateChange> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back({static_cast<domain::BatchState>(q.Int(0)),
                   static_cast<domain::BatchState>(q.Int(1)), q.Time(2)});
  }
  return out;
}

absl::StatusOr<std::optional<domain::BatchState>> Transaction::StateBeforeQuarantine(
    const Din& batch_id) {
  ASSIGN_OR_RETURN(int64_t seq, BatchSeq(batch_id));
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("SELECT from_state FROM batch_state_changes WHERE batch_seq = ? "
                               "AND to_state = ? AND from_state <> to_state "
                               "ORDER BY change_id DESC LIMIT 1"));
  q.Bind(1, seq).Bind(2, static_cast<int>(domain::BatchState::kQuarantined));
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return std::optional<domain::BatchState>();
  return std::optional<domain::BatchState>(static_cast<domain::BatchState>(q.Int(0)));
}

}  // namespace cpctrack::store
