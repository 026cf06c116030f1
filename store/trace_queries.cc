// Transaction: where a lot, a piece of equipment or a person was used. Each
// query reads one index (migration "where-used indexes"), so a where-used
// over ten thousand batches answers in milliseconds.
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "domain/records.h"
#include "domain/status_macros.h"
#include "store/store.h"

namespace cpctrack::store {
namespace {

using domain::Use;
using domain::UseKind;

// Runs `q` and turns each row into a Use with `row`.
absl::StatusOr<std::vector<Use>> Uses(Statement& q,
                                      absl::FunctionRef<Use(const Statement&)> row) {
  std::vector<Use> uses;
  while (true) {
    ASSIGN_OR_RETURN(bool more, q.Step());
    if (!more) break;
    uses.push_back(row(q));
  }
  return uses;
}

void Append(std::vector<Use>& to, std::vector<Use> from) {
  for (Use& u : from) to.push_back(std::move(u));
}

std::string RecordDetail(absl::string_view field, int kind) {
  return absl::StrCat(field, " of ",
                      domain::RecordKindName(static_cast<domain::RecordKind>(kind)));
}

// Units, and QC results, matching `condition` (whose parameters `bind`
// fills): the lot and the equipment where-used differ only there.
absl::StatusOr<std::vector<Use>> UnitUses(Database& db, absl::string_view condition,
                                          absl::FunctionRef<void(Statement&)> bind,
                                          absl::string_view detail) {
  ASSIGN_OR_RETURN(Statement q,
                   db.Prepare(absl::StrCat("SELECT b.batch_id, u.unit_id, u.frozen_at, "
                                           "u.frozen_by FROM units u JOIN batches b ON "
                                           "b.batch_seq = u.batch_seq WHERE ",
                                           condition)));
  bind(q);
  return Uses(q, [&](const Statement& row) {
    return Use{.kind = UseKind::kUnit, .batch_id = row.Text(0),
               .resource = absl::StrCat("units/", row.Text(1)), .at = row.Time(2),
               .by = row.Text(3), .detail = std::string(detail)};
  });
}

absl::StatusOr<std::vector<Use>> QcResultUses(Database& db, absl::string_view condition,
                                              absl::FunctionRef<void(Statement&)> bind,
                                              absl::string_view detail) {
  ASSIGN_OR_RETURN(Statement q,
                   db.Prepare(absl::StrCat("SELECT b.batch_id, t.test_id, r.read_at, "
                                           "r.performed_by FROM qc_results r JOIN qc_tests t "
                                           "ON t.test_id = r.test_id JOIN batches b ON "
                                           "b.batch_seq = t.batch_seq WHERE ",
                                           condition)));
  bind(q);
  return Uses(q, [&](const Statement& row) {
    return Use{.kind = UseKind::kQcResult, .batch_id = row.Text(0),
               .resource = absl::StrCat("qc/tests/", row.Int(1)), .at = row.Time(2),
               .by = row.Text(3), .detail = std::string(detail)};
  });
}

}  // namespace

absl::StatusOr<std::vector<Use>> Transaction::LotUses(absl::string_view lot_number) {
  std::vector<Use> uses;
  ASSIGN_OR_RETURN(Statement records,
                   db_.Prepare("SELECT b.batch_id, r.record_id, r.kind, r.event_time, "
                               "r.recorded_by, l.role FROM record_lots l "
                               "JOIN batch_records r ON r.record_id = l.record_id "
                               "JOIN batches b ON b.batch_seq = r.batch_seq "
                               "WHERE l.lot_number = ?"));
  records.Bind(1, lot_number);
  ASSIGN_OR_RETURN(std::vector<Use> found, Uses(records, [](const Statement& q) {
    return Use{.kind = UseKind::kRecord, .batch_id = q.Text(0),
               .resource = absl::StrCat("records/", q.Int(1)), .at = q.Time(3),
               .by = q.Text(4),
               .detail = RecordDetail(q.Text(5) == "medium" ? "medium_lot" : "reagent_lots",
                                      static_cast<int>(q.Int(2)))};
  }));
  Append(uses, std::move(found));

  auto lot = [&](Statement& q) { q.Bind(1, lot_number); };
  ASSIGN_OR_RETURN(found, UnitUses(db_, "u.medium_lot = ?", lot, "medium_lot of the unit"));
  Append(uses, std::move(found));
  ASSIGN_OR_RETURN(found, QcResultUses(db_, "r.kit_lot = ?", lot, "kit_lot of the QC result"));
  Append(uses, std::move(found));
  return uses;
}

absl::StatusOr<std::vector<Use>> Transaction::EquipmentMomentUses(absl::string_view equipment_id,
                                                                   absl::Time from,
                                                                   absl::Time to) {
  std::vector<Use> uses;
  // Records that name the equipment in `column` of `table` (constants): a
  // seeding's cabinet, a passage's cell counter.
  auto record_uses = [&](absl::string_view table,
                         absl::string_view column) -> absl::StatusOr<std::vector<Use>> {
    ASSIGN_OR_RETURN(Statement q,
                     db_.Prepare(absl::StrCat("SELECT b.batch_id, r.record_id, r.kind, "
                                              "r.event_time, r.recorded_by FROM ", table, " s "
                                              "JOIN batch_records r ON r.record_id = s.record_id "
                                              "JOIN batches b ON b.batch_seq = r.batch_seq "
                                              "WHERE s.", column,
                                              " = ? AND r.event_time BETWEEN ? AND ?")));
    q.Bind(1, equipment_id).Bind(2, from).Bind(3, to);
    return Uses(q, [&](const Statement& row) {
      return Use{.kind = UseKind::kRecord, .batch_id = row.Text(0),
                 .resource = absl::StrCat("records/", row.Int(1)), .at = row.Time(3),
                 .by = row.Text(4), .detail = RecordDetail(column, static_cast<int>(row.Int(2)))};
    });
  };
  ASSIGN_OR_RETURN(std::vector<Use> found, record_uses("seedings", "cabinet_id"));
  Append(uses, std::move(found));
  ASSIGN_OR_RETURN(found, record_uses("passages", "counter_id"));
  Append(uses, std::move(found));

  auto in_window = [&](Statement& q) { q.Bind(1, equipment_id).Bind(2, from).Bind(3, to); };
  ASSIGN_OR_RETURN(found, UnitUses(db_, "u.freezer_id = ? AND u.frozen_at BETWEEN ? AND ?",
                                   in_window, "freezer_id of the unit"));
  Append(uses, std::move(found));
  ASSIGN_OR_RETURN(found,
                   QcResultUses(db_, "r.instrument_id = ? AND r.read_at BETWEEN ? AND ?",
                                in_window, "instrument_id of the QC result"));
  Append(uses, std::move(found));
  return uses;
}

absl::StatusOr<std::vector<std::string>> Transaction::BatchesInIncubator(
    absl::string_view equipment_id, absl::Time from, absl::Time to) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("SELECT DISTINCT b.batch_id FROM batch_records r "
                               "JOIN batches b ON b.batch_seq = r.batch_seq "
                               "WHERE r.record_id IN ("
                               "SELECT record_id FROM seedings WHERE incubator_id = ?1 "
                               "AND seeding_time BETWEEN ?2 AND ?3 "
                               "UNION SELECT record_id FROM passages WHERE incubator_id = ?1 "
                               "AND passage_time BETWEEN ?2 AND ?3) "
                               "ORDER BY b.batch_id"));
  q.Bind(1, equipment_id).Bind(2, from).Bind(3, to);
  std::vector<std::string> ids;
  while (true) {
    ASSIGN_OR_RETURN(bool more, q.Step());
    if (!more) break;
    ids.push_back(q.Text(0));
  }
  return ids;
}

absl::StatusOr<std::vector<Use>> Transaction::BatchDownstream(const domain::Din& batch_id) {
  ASSIGN_OR_RETURN(int64_t seq, BatchSeq(batch_id));
  std::vector<Use> uses;
  ASSIGN_OR_RETURN(Statement units,
                   db_.Prepare("SELECT unit_id, frozen_at, frozen_by, patient_id FROM units "
                               "WHERE batch_seq = ? ORDER BY sequence"));
  units.Bind(1, seq);
  const std::string batch = batch_id.compact();
  ASSIGN_OR_RETURN(std::vector<Use> found, Uses(units, [&](const Statement& q) {
    return Use{.kind = UseKind::kUnit, .batch_id = batch,
               .resource = absl::StrCat("units/", q.Text(0)), .at = q.Time(1), .by = q.Text(2),
               .detail = absl::StrCat("unit of the batch, for patient ", q.Text(3)),
               .direct = false};
  }));
  Append(uses, std::move(found));
  ASSIGN_OR_RETURN(Statement infusions,
                   db_.Prepare("SELECT i.infusion_record_id, i.unit_id, i.started_at, "
                               "i.recorded_by, u.patient_id FROM infusions i "
                               "JOIN units u ON u.unit_id = i.unit_id WHERE u.batch_seq = ? "
                               "ORDER BY i.infusion_record_id"));
  infusions.Bind(1, seq);
  ASSIGN_OR_RETURN(found, Uses(infusions, [&](const Statement& q) {
    return Use{.kind = UseKind::kInfusion, .batch_id = batch,
               .resource = absl::StrCat("infusions/", q.Int(0)), .at = q.Time(2),
               .by = q.Text(3),
               .detail = absl::StrCat("unit ", q.Text(1), " infused into patient ", q.Text(4)),
               .direct = false};
  }));
  Append(uses, std::move(found));
  return uses;
}

absl::StatusOr<std::vector<Use>> Transaction::UserActions(absl::string_view user, absl::Time from,
                                                          absl::Time to, int limit) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("SELECT at, action, resource, reason FROM audit_log "
                               "WHERE actor = ? AND at BETWEEN ? AND ? "
                               "ORDER BY at DESC, sequence DESC LIMIT ?"));
  q.Bind(1, user).Bind(2, from).Bind(3, to).Bind(4, limit);
  return Uses(q, [&](const Statement& row) {
    const std::string resource = row.Text(2);
    absl::string_view resource_view = resource;
    std::string batch;
    // "batches/<id>/records/12": the batch is the second part.
    if (absl::ConsumePrefix(&resource_view, "batches/")) {
      batch = std::string(resource_view.substr(0, resource_view.find('/')));
    }
    return Use{.kind = UseKind::kAction, .batch_id = batch, .resource = resource,
               .at = row.Time(0), .by = std::string(user), .detail = row.Text(1)};
  });
}

}  // namespace cpctrack::store
