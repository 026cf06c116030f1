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
                       "batches.batch_seq)"  // every deviation is open until closures exist
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
        return BatchSummary{std::move(batch), static_cast<int>(row.Int(10))};
      },
      [](const Statement& row) { return absl::StrCat(row.Int(0)); });
}

absl::StatusOr<std::vector<Deviation>> Transaction::LoadDeviations(const Din& batch_id) {
  ASSIGN_OR_RETURN(int64_t seq, BatchSeq(batch_id));
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("SELECT deviation_id, kind, description, opened_at, "
                               "opened_by, COALESCE(record_id, 0) FROM deviations "
                               "WHERE batch_seq = ? ORDER BY deviation_id"));
  q.Bind(1, seq);
  std::vector<Deviation> deviations;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    Deviation d;
    d.deviation_id = q.Int(0);
    d.kind = static_cast<domain::DeviationKind>(q.Int(1));
    d.description = q.Text(2);
    d.state = domain::DeviationState::kOpen;  // no disposition can close one yet
    d.opened_at = q.Time(3);
    d.opened_by = q.Text(4);
    d.record_id = q.Int(5);
    deviations.push_back(std::move(d));
  }
  return deviations;
}

absl::Status Transaction::InsertDeviation(const Din& batch_id, Deviation& d) {
  ASSIGN_OR_RETURN(int64_t seq, BatchSeq(batch_id));
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO deviations (batch_seq, kind, description, "
                               "opened_at, opened_by, record_id) VALUES (?,?,?,?,?,?)"));
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
  RETURN_IF_ERROR(insert.Run());
  d.deviation_id = db_.LastInsertRowId();
  return absl::OkStatus();
}

}  // namespace cpctrack::store
