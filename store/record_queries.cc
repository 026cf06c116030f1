// Transaction: a batch's records. Each record is a row in batch_records plus
// a row in its kind's table and its lots in record_lots.
#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/status_macros.h"
#include "domain/overloaded.h"
#include "store/store.h"

namespace cpctrack::store {
namespace {

using namespace cpctrack::domain;  // NOLINT: the record types, in one file

absl::Status InsertDetail(Database& db, int64_t id, const RecordData& data) {
  return std::visit(
      Overloaded{
          [&](const TissueReceipt& r) -> absl::Status {
            ASSIGN_OR_RETURN(Statement s,
                             db.Prepare("INSERT INTO tissue_receipts VALUES (?,?,?,?,?,?,?)"));
            s.Bind(1, id).Bind(2, r.collection_time).Bind(3, r.receipt_time);
            s.Bind(4, r.collection_site).Bind(5, r.volume_ml);
            s.Bind(6, r.transport_temperature_c).Bind(7, r.collected_by);
            return s.Run();
          },
          [&](const Seeding& r) -> absl::Status {
            ASSIGN_OR_RETURN(Statement s,
                             db.Prepare("INSERT INTO seedings VALUES (?,?,?,?,?,?,?,?)"));
            s.Bind(1, id).Bind(2, r.seeding_time).Bind(3, r.cells_seeded);
            s.Bind(4, r.vessel_type).Bind(5, r.vessel_count).Bind(6, r.surface_area_cm2);
            s.Bind(7, r.incubator_id);
            if (r.cabinet_id.empty()) {
              s.BindNull(8);
            } else {
              s.Bind(8, r.cabinet_id);
            }
            return s.Run();
          },
          [&](const Observation& r) -> absl::Status {
            ASSIGN_OR_RETURN(Statement s, db.Prepare("INSERT INTO observations VALUES (?,?,?,?)"));
            s.Bind(1, id).Bind(2, r.observation_time).Bind(3, r.confluence_percent);
            s.Bind(4, r.morphology);
            return s.Run();
          },
          [&](const MediumChange& r) -> absl::Status {
            ASSIGN_OR_RETURN(Statement s, db.Prepare("INSERT INTO medium_changes VALUES (?,?,?)"));
            s.Bind(1, id).Bind(2, r.change_time).Bind(3, r.volume_ml);
            return s.Run();
          },
          [&](const Passage& r) -> absl::Status {
            ASSIGN_OR_RETURN(Statement s, db.Prepare("INSERT INTO passages VALUES "
                                                     "(?,?,?,?,?,?,?,?,?,?,?,?,?)"));
            s.Bind(1, id).Bind(2, r.passage_number).Bind(3, r.passage_time);
            s.Bind(4, r.total_cells).Bind(5, r.viable_cells).Bind(6, r.viability_percent);
            s.Bind(7, static_cast<int>(r.counting_method)).Bind(8, r.cells_reseeded);
            s.Bind(9, r.vessel_count).Bind(10, r.surface_area_cm2).Bind(11, r.incubator_id);
            s.Bind(12, r.final_harvest ? 1 : 0);
            if (r.counter_id.empty()) {
              s.BindNull(13);
            } else {
              s.Bind(13, r.counter_id);
            }
            return s.Run();
          },
      },
      data);
}

// Reads the batch's rows of one kind's table into `by_id` (through
// batch_records_by_batch_kind: the rows of the other kinds are not read).
template <class T>
absl::Status LoadKind(Database& db, RecordKind kind, absl::string_view table, int64_t batch_seq,
                      absl::FunctionRef<T(const Statement&)> from_row,
                      absl::flat_hash_map<int64_t, RecordData>& by_id) {
  ASSIGN_OR_RETURN(Statement q,
                   db.Prepare(absl::StrCat("SELECT t.* FROM batch_records r JOIN ", table,
                                           " t ON t.record_id = r.record_id "
                                           "WHERE r.batch_seq = ? AND r.kind = ?")));
  q.Bind(1, batch_seq).Bind(2, static_cast<int>(kind));
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    by_id[q.Int(0)] = from_row(q);
  }
  return absl::OkStatus();
}

std::vector<std::string>* ReagentLotsOf(RecordData& data) {
  if (auto* r = std::get_if<Seeding>(&data)) return &r->reagent_lots;
  if (auto* r = std::get_if<MediumChange>(&data)) return &r->reagent_lots;
  if (auto* r = std::get_if<Passage>(&data)) return &r->reagent_lots;
  return nullptr;
}

std::string* MediumLotOf(RecordData& data) {
  if (auto* r = std::get_if<Seeding>(&data)) return &r->medium_lot;
  if (auto* r = std::get_if<MediumChange>(&data)) return &r->medium_lot;
  if (auto* r = std::get_if<Passage>(&data)) return &r->medium_lot;
  return nullptr;
}

}  // namespace

absl::Status Transaction::InsertRecordLots(int64_t record_id, const RecordData& data) {
  int position = 0;
  for (const LotUse& use : LotsUsed(data)) {
    ASSIGN_OR_RETURN(Statement s, db_.Prepare("INSERT INTO record_lots (record_id, position, "
                                              "role, lot_number) VALUES (?,?,?,?)"));
    s.Bind(1, record_id)
        .Bind(2, position++)
        .Bind(3, use.field == "medium_lot" ? "medium" : "reagent")
        .Bind(4, use.lot_number);
    RETURN_IF_ERROR(s.Run());
  }
  return absl::OkStatus();
}

absl::Status Transaction::InsertRecord(const Din& batch_id, BatchRecord& record) {
  ASSIGN_OR_RETURN(int64_t seq, BatchSeq(batch_id));
  ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                                    "INSERT INTO batch_records (batch_seq, kind, event_time, "
                                    "recorded_at, recorded_by, corrects_record_id, "
                                    "correction_reason) VALUES (?,?,?,?,?,?,?)"));
  s.Bind(1, seq)
      .Bind(2, static_cast<int>(KindOf(record.data)))
      .Bind(3, EventTime(record.data))
      .Bind(4, record.recorded_at)
      .Bind(5, record.recorded_by);
  if (record.corrects_record_id != 0) {
    s.Bind(6, record.corrects_record_id).Bind(7, record.correction_reason);
  } else {
    s.BindNull(6).BindNull(7);
  }
  RETURN_IF_ERROR(s.Run());
  record.record_id = db_.LastInsertRowId();
  RETURN_IF_ERROR(InsertDetail(db_, record.record_id, record.data));
  return InsertRecordLots(record.record_id, record.data);
}

absl::StatusOr<std::vector<BatchRecord>> Transaction::LoadRecords(const Din& batch_id) {
  return LoadRecords(batch_id, {RecordKind::kTissueReceipt, RecordKind::kSeeding,
                                RecordKind::kObservation, RecordKind::kMediumChange,
                                RecordKind::kPassage});
}

absl::StatusOr<std::vector<BatchRecord>> Transaction::LoadRecords(
    const Din& batch_id, const std::vector<RecordKind>& kinds) {
  ASSIGN_OR_RETURN(int64_t seq, BatchSeq(batch_id));
  auto wanted = [&](RecordKind kind) {
    return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
  };
  // The kinds as SQL: small integers, never text from a caller.
  const std::string kind_list = absl::StrJoin(kinds, ",", [](std::string* out, RecordKind k) {
    absl::StrAppend(out, static_cast<int>(k));
  });
  absl::flat_hash_map<int64_t, RecordData> data;
  if (wanted(RecordKind::kTissueReceipt)) RETURN_IF_ERROR(LoadKind<TissueReceipt>(
      db_, RecordKind::kTissueReceipt, "tissue_receipts", seq,
      [](const Statement& q) {
        return TissueReceipt{q.Time(1), q.Time(2), q.Text(3), q.Double(4), q.Double(5),
                             q.Text(6)};
      },
      data));
  if (wanted(RecordKind::kSeeding)) RETURN_IF_ERROR(LoadKind<Seeding>(
      db_, RecordKind::kSeeding, "seedings", seq,
      [](const Statement& q) {
        Seeding r;
        r.seeding_time = q.Time(1);
        r.cells_seeded = q.Int(2);
        r.vessel_type = q.Text(3);
        r.vessel_count = static_cast<int>(q.Int(4));
        r.surface_area_cm2 = q.Double(5);
        r.incubator_id = q.Text(6);
        r.cabinet_id = q.Text(7);
        return r;
      },
      data));
  if (wanted(RecordKind::kObservation)) RETURN_IF_ERROR(LoadKind<Observation>(
      db_, RecordKind::kObservation, "observations", seq,
      [](const Statement& q) { return Observation{q.Time(1), q.Double(2), q.Text(3)}; }, data));
  if (wanted(RecordKind::kMediumChange)) RETURN_IF_ERROR(LoadKind<MediumChange>(
      db_, RecordKind::kMediumChange, "medium_changes", seq,
      [](const Statement& q) {
        MediumChange r;
        r.change_time = q.Time(1);
        r.volume_ml = q.Double(2);
        return r;
      },
      data));
  if (wanted(RecordKind::kPassage)) RETURN_IF_ERROR(LoadKind<Passage>(
      db_, RecordKind::kPassage, "passages", seq,
      [](const Statement& q) {
        Passage r;
        r.passage_number = static_cast<int>(q.Int(1));
        r.passage_time = q.Time(2);
        r.total_cells = q.Int(3);
        r.viable_cells = q.Int(4);
        r.viability_percent = q.Double(5);
        r.counting_method = static_cast<CountingMethod>(q.Int(6));
        r.cells_reseeded = q.Int(7);
        r.vessel_count = static_cast<int>(q.Int(8));
        r.surface_area_cm2 = q.Double(9);
        r.incubator_id = q.Text(10);
        r.final_harvest = q.Int(11) != 0;
        r.counter_id = q.Text(12);
        return r;
      },
      data));

  ASSIGN_OR_RETURN(Statement lots,
                   db_.Prepare(absl::StrCat("SELECT l.record_id, l.role, l.lot_number FROM record_lots l "
                               "JOIN batch_records r ON r.record_id = l.record_id "
                               "WHERE r.batch_seq = ? AND r.kind IN (", kind_list, ") "
                               "ORDER BY l.record_id, l.position")));
  lots.Bind(1, seq);
  while (true) {
    ASSIGN_OR_RETURN(bool row, lots.Step());
    if (!row) break;
    auto it = data.find(lots.Int(0));
    if (it == data.end()) continue;
    if (lots.Text(1) == "medium") {
      if (std::string* medium = MediumLotOf(it->second)) *medium = lots.Text(2);
    } else if (auto* reagents = ReagentLotsOf(it->second)) {
      reagents->push_back(lots.Text(2));
    }
  }

  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare(absl::StrCat("SELECT record_id, recorded_at, recorded_by, "
                               "COALESCE(corrects_record_id, 0), COALESCE(correction_reason, '') "
                               // Without INDEXED BY, SQLite walks the whole batch
                               // in record order (batch_records_by_batch) to skip a sort.
                               "FROM batch_records INDEXED BY batch_records_by_batch_kind "
                               "WHERE batch_seq = ? AND kind IN (", kind_list,
                               ") ORDER BY record_id")));
  q.Bind(1, seq);
  std::vector<BatchRecord> records;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    auto it = data.find(q.Int(0));
    if (it == data.end()) {
      return absl::DataLossError(
          absl::StrCat("record ", q.Int(0), " of batch ", batch_id.compact(), " has no data"));
    }
    BatchRecord r;
    r.record_id = q.Int(0);
    r.recorded_at = q.Time(1);
    r.recorded_by = q.Text(2);
    r.corrects_record_id = q.Int(3);
    r.correction_reason = q.Text(4);
    r.data = std::move(it->second);
    records.push_back(std::move(r));
  }
  return records;
}

absl::Status Transaction::InsertLateEntry(const Din& batch_id, const LateEntry& entry) {
  ASSIGN_OR_RETURN(int64_t seq, BatchSeq(batch_id));
  ASSIGN_OR_RETURN(Statement s,
                   db_.Prepare("INSERT INTO late_entries (batch_seq, resource, field, event_time, "
                               "recorded_at, recorded_by, reason) VALUES (?,?,?,?,?,?,?)"));
  s.Bind(1, seq).Bind(2, entry.resource).Bind(3, entry.field).Bind(4, entry.event_time);
  s.Bind(5, entry.recorded_at).Bind(6, entry.recorded_by).Bind(7, entry.reason);
  return s.Run();
}

absl::StatusOr<std::vector<LateEntry>> Transaction::LoadLateEntries(const Din& batch_id) {
  ASSIGN_OR_RETURN(int64_t seq, BatchSeq(batch_id));
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("SELECT resource, field, event_time, recorded_at, recorded_by, "
                               "reason FROM late_entries WHERE batch_seq = ? "
                               "ORDER BY late_entry_id"));
  q.Bind(1, seq);
  std::vector<LateEntry> entries;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    entries.push_back(LateEntry{q.Text(0), q.Text(1), q.Time(2), q.Time(3), q.Text(4), q.Text(5)});
  }
  return entries;
}

}  // namespace cpctrack::store
