// Transaction: storage (tanks, racks, boxes) and units with their events.
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/status_macros.h"
#include "store/paging.h"
#include "store/store.h"

namespace cpctrack::store {
namespace {

using domain::Box;
using domain::Tank;
using domain::Unit;
using domain::UnitEvent;

constexpr char kUnitColumns[] =
    "u.unit_id, b.batch_id, u.patient_id, u.sequence, u.kind, u.cells, u.volume_ml, "
    "u.freezing_medium, u.medium_lot, u.freezer_program, COALESCE(u.freezer_id, ''), "
    "u.frozen_at, u.frozen_by, u.state, COALESCE(u.position, ''), "
    "(SELECT e.from_state FROM unit_events e WHERE e.unit_id = u.unit_id AND e.kind = 5 "
    " ORDER BY e.event_id DESC LIMIT 1), "
    "t.thawed_at, t.total_cells, t.viable_cells, t.viability_percent, u.expires_at, "
    "u.frozen_expires_at";
constexpr char kUnitFrom[] =
    " FROM units u JOIN batches b USING (batch_seq) LEFT JOIN unit_thaws t USING (unit_id)";

Box BoxFromRow(const Statement& q) {
  Box box;
  box.box_id = q.Text(0);
  box.tank_id = q.Text(1);
  box.rack = q.Text(2);
  box.name = q.Text(3);
  box.rows = static_cast<int>(q.Int(4));
  box.columns = static_cast<int>(q.Int(5));
  box.created_at = q.Time(6);
  box.created_by = q.Text(7);
  return box;
}

Tank TankFromRow(const Statement& q) {
  return Tank{q.Text(0), q.Text(1), static_cast<domain::TemperatureClass>(q.Int(2)), q.Time(3),
              q.Text(4)};
}

constexpr char kBoxColumns[] =
    "box_id, tank_id, rack, name, rows, columns, created_at, created_by";
constexpr char kTankColumns[] = "tank_id, name, temperature_class, created_at, created_by";

void BindPosition(Statement& s, int box_index, const std::optional<domain::Position>& p) {
  if (p.has_value()) {
    s.Bind(box_index, p->box_id).Bind(box_index + 1, p->Label());
  } else {
    s.BindNull(box_index).BindNull(box_index + 1);
  }
}

}  // namespace

absl::Status Transaction::InsertTank(const Tank& t) {
  ASSIGN_OR_RETURN(Statement exists,
                   db_.Prepare("SELECT 1 FROM storage_tanks WHERE tank_id = ?"));
  exists.Bind(1, t.tank_id);
  ASSIGN_OR_RETURN(bool found, exists.Step());
  if (found) {
    return absl::AlreadyExistsError(absl::StrCat("tank_id: tank ", t.tank_id, " already exists"));
  }
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare(absl::StrCat("INSERT INTO storage_tanks (", kTankColumns,
                                            ") VALUES (?,?,?,?,?)")));
  insert.Bind(1, t.tank_id)
      .Bind(2, t.name)
      .Bind(3, static_cast<int>(t.temperature_class))
      .Bind(4, t.created_at)
      .Bind(5, t.created_by);
  return insert.Run();
}

absl::Status Transaction::InsertRack(absl::string_view tank_id, absl::string_view rack,
                                     absl::Time at, absl::string_view by) {
  RETURN_IF_ERROR(GetTank(tank_id).status());
  ASSIGN_OR_RETURN(Statement exists,
                   db_.Prepare("SELECT 1 FROM storage_racks WHERE tank_id = ? AND rack = ?"));
  exists.Bind(1, tank_id).Bind(2, rack);
  ASSIGN_OR_RETURN(bool found, exists.Step());
  if (found) {
    return absl::AlreadyExistsError(
        absl::StrCat("rack: tank ", tank_id, " already has a rack ", rack));
  }
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO storage_racks (tank_id, rack, created_at, "
                               "created_by) VALUES (?,?,?,?)"));
  insert.Bind(1, tank_id).Bind(2, rack).Bind(3, at).Bind(4, by);
  return insert.Run();
}

absl::Status Transaction::InsertBox(const Box& box) {
  ASSIGN_OR_RETURN(Statement rack,
                   db_.Prepare("SELECT 1 FROM storage_racks WHERE tank_id = ? AND rack = ?"));
  rack.Bind(1, box.tank_id).Bind(2, box.rack);
  ASSIGN_OR_RETURN(bool rack_found, rack.Step());
  if (!rack_found) {
    return absl::NotFoundError(absl::StrCat("rack: tank ", box.tank_id, " has no rack ", box.rack,
                                            " (add it with `cpc storage add-rack`)"));
  }
  ASSIGN_OR_RETURN(Statement exists, db_.Prepare("SELECT 1 FROM storage_boxes WHERE box_id = ?"));
  exists.Bind(1, box.box_id);
  ASSIGN_OR_RETURN(bool found, exists.Step());
  if (found) {
    return absl::AlreadyExistsError(absl::StrCat("box: box ", box.box_id, " already exists"));
  }
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare(absl::StrCat("INSERT INTO storage_boxes (", kBoxColumns,
                                            ") VALUES (?,?,?,?,?,?,?,?)")));
  insert.Bind(1, box.box_id)
      .Bind(2, box.tank_id)
      .Bind(3, box.rack)
      .Bind(4, box.name)
      .Bind(5, box.rows)
      .Bind(6, box.columns)
      .Bind(7, box.created_at)
      .Bind(8, box.created_by);
  return insert.Run();
}

absl::StatusOr<Tank> Transaction::GetTank(absl::string_view tank_id) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare(absl::StrCat("SELECT ", kTankColumns,
                                                         " FROM storage_tanks WHERE tank_id = ?")));
  q.Bind(1, tank_id);
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return absl::NotFoundError(absl::StrCat("tank_id: no tank ", tank_id, " is defined"));
  }
  return TankFromRow(q);
}

absl::StatusOr<std::vector<Tank>> Transaction::ListTanks() {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare(absl::StrCat("SELECT ", kTankColumns,
                                                         " FROM storage_tanks ORDER BY tank_id")));
  std::vector<Tank> tanks;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    tanks.push_back(TankFromRow(q));
  }
  return tanks;
}

absl::StatusOr<std::vector<std::string>> Transaction::ListRacks(absl::string_view tank_id) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("SELECT rack FROM storage_racks WHERE tank_id = ? ORDER BY rack"));
  q.Bind(1, tank_id);
  std::vector<std::string> racks;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    racks.push_back(q.Text(0));
  }
  return racks;
}

absl::StatusOr<std::vector<Box>> Transaction::ListBoxes(absl::string_view tank_id) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare(absl::StrCat("SELECT ", kBoxColumns,
                                                         " FROM storage_boxes WHERE tank_id = ? "
                                                         "ORDER BY rack, name")));
  q.Bind(1, tank_id);
  std::vector<Box> boxes;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    boxes.push_back(BoxFromRow(q));
  }
  return boxes;
}

absl::StatusOr<domain::StorageFacts> Transaction::LoadStorageFacts(
    const std::vector<domain::Position>& positions) {
  domain::StorageFacts facts;
  for (const domain::Position& p : positions) {
    if (!facts.boxes.contains(p.box_id)) {
      ASSIGN_OR_RETURN(Statement q, db_.Prepare(absl::StrCat(
                                        "SELECT ", kBoxColumns,
                                        " FROM storage_boxes WHERE box_id = ?")));
      q.Bind(1, p.box_id);
      ASSIGN_OR_RETURN(bool found, q.Step());
      if (!found) continue;
      Box box = BoxFromRow(q);
      if (!facts.tanks.contains(box.tank_id)) {
        ASSIGN_OR_RETURN(Tank tank, GetTank(box.tank_id));
        facts.tanks.emplace(box.tank_id, std::move(tank));
      }
      facts.boxes.emplace(p.box_id, std::move(box));
    }
    ASSIGN_OR_RETURN(Statement taken, db_.Prepare("SELECT 1 FROM units WHERE position = ?"));
    taken.Bind(1, p.Label());
    ASSIGN_OR_RETURN(bool occupied, taken.Step());
    if (occupied) facts.occupied.insert(p.Label());
  }
  return facts;
}

absl::Status Transaction::InsertUnit(const Unit& u) {
  ASSIGN_OR_RETURN(
      Statement insert,
      db_.Prepare("INSERT INTO units (unit_id, batch_seq, sequence, patient_id, kind, cells, "
                  "volume_ml, freezing_medium, medium_lot, freezer_program, freezer_id, "
                  "frozen_at, frozen_by, recorded_at, state, box_id, position, expires_at, "
                  "frozen_expires_at) "
                  "SELECT ?1, batch_seq, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                  "?15, ?16, ?18, ?19 FROM batches WHERE batch_id = ?17"));
  insert.Bind(1, u.unit_id)
      .Bind(2, u.sequence)
      .Bind(3, u.patient_id)
      .Bind(4, static_cast<int>(u.kind))
      .Bind(5, u.cells)
      .Bind(6, u.volume_ml)
      .Bind(7, u.freezing_medium)
      .Bind(8, u.medium_lot)
      .Bind(9, u.freezer_program);
  if (u.freezer_id.empty()) {
    insert.BindNull(10);
  } else {
    insert.Bind(10, u.freezer_id);
  }
  insert.Bind(11, u.frozen_at).Bind(12, u.frozen_by).Bind(13, absl::Now());
  insert.Bind(14, static_cast<int>(u.state));
  BindPosition(insert, 15, u.position);
  insert.Bind(17, u.batch_id);
  if (u.expires_at.has_value()) {
    insert.Bind(18, *u.expires_at);
  } else {
    insert.BindNull(18);
  }
  if (u.frozen_expires_at.has_value()) {
    insert.Bind(19, *u.frozen_expires_at);
  } else {
    insert.BindNull(19);
  }
  RETURN_IF_ERROR(insert.Run());
  UnitEvent made;
  made.unit_id = u.unit_id;
  made.kind = u.fresh() ? domain::UnitEventKind::kFormulated : domain::UnitEventKind::kFrozen;
  made.from_state = domain::UnitState::kUnspecified;
  made.to_state = u.state;
  made.to_position = u.position;
  made.at = u.frozen_at;
  made.by = u.frozen_by;
  return InsertUnitEvent(made);
}

absl::Status Transaction::InsertUnitEvent(const UnitEvent& e) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO unit_events (unit_id, kind, from_state, to_state, "
                               "from_position, to_position, at, recorded_at, recorded_by, "
                               "reason) VALUES (?,?,?,?,?,?,?,?,?,?)"));
  insert.Bind(1, e.unit_id)
      .Bind(2, static_cast<int>(e.kind))
      .Bind(3, static_cast<int>(e.from_state))
      .Bind(4, static_cast<int>(e.to_state));
  if (e.from_position.has_value()) {
    insert.Bind(5, e.from_position->Label());
  } else {
    insert.BindNull(5);
  }
  if (e.to_position.has_value()) {
    insert.Bind(6, e.to_position->Label());
  } else {
    insert.BindNull(6);
  }
  insert.Bind(7, e.at).Bind(8, absl::Now()).Bind(9, e.by).Bind(10, e.reason);
  RETURN_IF_ERROR(insert.Run());
  if (e.kind == domain::UnitEventKind::kFrozen || e.kind == domain::UnitEventKind::kFormulated) {
    return absl::OkStatus();  // the units row was written as it is
  }
  // A unit leaves its position when moved, thawed or disposed of; a
  // quarantined unit stays where it is.
  const bool leaves = e.kind == domain::UnitEventKind::kMoved ||
                      e.kind == domain::UnitEventKind::kThawed ||
                      e.kind == domain::UnitEventKind::kDisposed ||
                      e.kind == domain::UnitEventKind::kInfused;
  if (!leaves) {
    ASSIGN_OR_RETURN(Statement update, db_.Prepare("UPDATE units SET state = ? WHERE unit_id = ?"));
    update.Bind(1, static_cast<int>(e.to_state)).Bind(2, e.unit_id);
    return update.Run();
  }
  ASSIGN_OR_RETURN(Statement update, db_.Prepare("UPDATE units SET state = ?, box_id = ?, "
                                                 "position = ? WHERE unit_id = ?"));
  update.Bind(1, static_cast<int>(e.to_state));
  BindPosition(update, 2, e.to_position);
  update.Bind(4, e.unit_id);
  return update.Run();
}

absl::Status Transaction::InsertThaw(absl::string_view unit_id, const domain::ThawResult& thaw) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO unit_thaws (unit_id, event_id, thawed_at, "
                               "total_cells, viable_cells, viability_percent) VALUES "
                               "(?, (SELECT MAX(event_id) FROM unit_events WHERE unit_id = ?), "
                               "?, ?, ?, ?)"));
  insert.Bind(1, unit_id)
      .Bind(2, unit_id)
      .Bind(3, thaw.thawed_at)
      .Bind(4, thaw.total_cells)
      .Bind(5, thaw.viable_cells)
      .Bind(6, thaw.viability_percent);
  return insert.Run();
}

absl::StatusOr<Unit> Transaction::LoadUnitDetails(const Statement& q) {
  Unit u;
  u.unit_id = q.Text(0);
  u.batch_id = q.Text(1);
  u.patient_id = q.Text(2);
  u.sequence = static_cast<int>(q.Int(3));
  u.kind = static_cast<domain::UnitKind>(q.Int(4));
  u.cells = q.Int(5);
  u.volume_ml = q.Double(6);
  u.freezing_medium = q.Text(7);
  u.medium_lot = q.Text(8);
  u.freezer_program = q.Text(9);
  u.freezer_id = q.Text(10);
  u.frozen_at = q.Time(11);
  u.frozen_by = q.Text(12);
  u.state = static_cast<domain::UnitState>(q.Int(13));
  if (std::string label = q.Text(14); !label.empty()) {
    ASSIGN_OR_RETURN(u.position, domain::ParsePosition("position", label));
  }
  if (u.state == domain::UnitState::kQuarantined && !q.IsNull(15)) {
    u.state_before_quarantine = static_cast<domain::UnitState>(q.Int(15));
  }
  if (!q.IsNull(16)) {
    u.thaw = domain::ThawResult{q.Time(16), q.Int(17), q.Int(18), q.Double(19)};
  }
  if (!q.IsNull(20)) u.expires_at = q.Time(20);
  if (!q.IsNull(21)) u.frozen_expires_at = q.Time(21);
  return u;
}

absl::StatusOr<Unit> Transaction::GetUnit(absl::string_view unit_id) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare(absl::StrCat("SELECT ", kUnitColumns, kUnitFrom,
                                                         " WHERE u.unit_id = ?")));
  q.Bind(1, unit_id);
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return absl::NotFoundError(absl::StrCat("unit_id: no unit ", unit_id, " is on record"));
  }
  return LoadUnitDetails(q);
}

absl::StatusOr<std::vector<Unit>> Transaction::LoadUnits(const domain::Din& batch_id) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare(absl::StrCat("SELECT ", kUnitColumns, kUnitFrom,
                                                         " WHERE b.batch_id = ? "
                                                         "ORDER BY u.sequence")));
  q.Bind(1, batch_id.compact());
  std::vector<Unit> units;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(Unit u, LoadUnitDetails(q));
    units.push_back(std::move(u));
  }
  return units;
}

absl::StatusOr<Page<Unit>> Transaction::ListUnits(const UnitFilter& filter,
                                                  absl::string_view after_key, int limit) {
  // Ordered by unit ID (batch, then sequence); the key is the last ID shown.
  ASSIGN_OR_RETURN(
      Statement q,
      db_.Prepare(absl::StrCat(
          "SELECT ", kUnitColumns, kUnitFrom,
          " WHERE u.unit_id > ?1 AND (?2 = '' OR b.batch_id = ?2) "
          "AND (?3 = '' OR u.patient_id = ?3) AND (?4 = 0 OR u.state = ?4) "
          "AND (?5 = '' OR u.position = ?5 OR substr(u.position, 1, length(?5) + 1) = ?5 || '/') "
          "ORDER BY u.unit_id LIMIT ?6")));
  q.Bind(1, after_key)
      .Bind(2, filter.batch_id)
      .Bind(3, filter.patient_id)
      .Bind(4, filter.state.has_value() ? static_cast<int>(*filter.state) : 0)
      .Bind(5, filter.location)
      .Bind(6, limit + 1);
  return ReadPage<Unit>(
      q, limit, [this](const Statement& row) { return LoadUnitDetails(row); },
      [](const Statement& row) { return row.Text(0); });
}

absl::StatusOr<std::vector<UnitEvent>> Transaction::LoadUnitEvents(absl::string_view unit_id) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("SELECT kind, from_state, to_state, COALESCE(from_position, ''), "
                               "COALESCE(to_position, ''), at, recorded_by, reason FROM "
                               "unit_events WHERE unit_id = ? ORDER BY event_id"));
  q.Bind(1, unit_id);
  std::vector<UnitEvent> events;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    UnitEvent e;
    e.unit_id = std::string(unit_id);
    e.kind = static_cast<domain::UnitEventKind>(q.Int(0));
    e.from_state = static_cast<domain::UnitState>(q.Int(1));
    e.to_state = static_cast<domain::UnitState>(q.Int(2));
    if (std::string from = q.Text(3); !from.empty()) {
      ASSIGN_OR_RETURN(e.from_position, domain::ParsePosition("from_position", from));
    }
    if (std::string to = q.Text(4); !to.empty()) {
      ASSIGN_OR_RETURN(e.to_position, domain::ParsePosition("to_position", to));
    }
    e.at = q.Time(5);
    e.by = q.Text(6);
    e.reason = q.Text(7);
    events.push_back(std::move(e));
  }
  return events;
}

}  // namespace cpctrack::store
