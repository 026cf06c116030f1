// Transaction: excursions (the parents of the EXCURSION deviations one event
// opened on each batch it reached) and tank readings.
#include "absl/strings/str_cat.h"
#include "domain/status_macros.h"
#include "store/store.h"

namespace cpctrack::store {
namespace {

using domain::Excursion;
using domain::TankReading;

constexpr char kExcursionColumns[] =
    "e.excursion_id, e.scope, e.subject, e.from_time, e.to_time, e.description, e.opened_at, "
    "e.opened_by, COALESCE(e.reading_id, 0), c.reason, c.closed_at, c.closed_by";

constexpr char kReadingColumns[] =
    "reading_id, tank_id, at, temperature_c, ln2_level_percent, source, in_limits, "
    "recorded_at, recorded_by";

TankReading ReadingFromRow(const Statement& q) {
  TankReading r;
  r.reading_id = q.Int(0);
  r.tank_id = q.Text(1);
  r.at = q.Time(2);
  r.temperature_c = q.Double(3);
  if (!q.IsNull(4)) r.ln2_level_percent = q.Double(4);
  r.source = static_cast<domain::ReadingSource>(q.Int(5));
  r.in_limits = q.Int(6) != 0;
  r.recorded_at = q.Time(7);
  r.recorded_by = q.Text(8);
  return r;
}

}  // namespace

absl::Status Transaction::InsertExcursion(Excursion& e) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO excursions (scope, subject, from_time, to_time, "
                               "description, opened_at, opened_by, reading_id) "
                               "VALUES (?,?,?,?,?,?,?,nullif(?, 0))"));
  insert.Bind(1, static_cast<int>(e.scope)).Bind(2, e.subject);
  if (e.has_window()) {
    insert.Bind(3, e.from).Bind(4, e.to);
  } else {
    insert.BindNull(3).BindNull(4);
  }
  insert.Bind(5, e.description).Bind(6, e.opened_at).Bind(7, e.opened_by).Bind(8, e.reading_id);
  RETURN_IF_ERROR(insert.Run());
  e.excursion_id = db_.LastInsertRowId();
  return absl::OkStatus();
}

absl::StatusOr<Excursion> Transaction::GetExcursion(int64_t excursion_id) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare(absl::StrCat("SELECT ", kExcursionColumns,
                                            " FROM excursions e LEFT JOIN excursion_closures c "
                                            "USING (excursion_id) WHERE e.excursion_id = ?")));
  q.Bind(1, excursion_id);
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return absl::NotFoundError(absl::StrCat("excursion_id: no excursion ",
                                            domain::ExcursionLabel(excursion_id),
                                            " is on record"));
  }
  Excursion e;
  e.excursion_id = q.Int(0);
  e.scope = static_cast<domain::ExcursionScope>(q.Int(1));
  e.subject = q.Text(2);
  if (!q.IsNull(3)) {
    e.from = q.Time(3);
    e.to = q.Time(4);
  }
  e.description = q.Text(5);
  e.opened_at = q.Time(6);
  e.opened_by = q.Text(7);
  e.reading_id = q.Int(8);
  if (!q.IsNull(9)) e.closure = domain::ExcursionClosure{q.Text(9), q.Time(10), q.Text(11)};
  return e;
}

absl::Status Transaction::InsertExcursionClosure(int64_t excursion_id,
                                                 const domain::ExcursionClosure& c) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO excursion_closures (excursion_id, reason, closed_at, "
                               "closed_by) VALUES (?,?,?,?)"));
  insert.Bind(1, excursion_id).Bind(2, c.reason).Bind(3, c.closed_at).Bind(4, c.closed_by);
  return insert.Run();
}

absl::StatusOr<std::vector<std::string>> Transaction::UnitsEverInTank(absl::string_view tank_id) {
  // Positions are "TANK/RACK/BOX/C4": a prefix compare, not LIKE ('_' is a
  // wildcard there and a legal tank name character here).
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("SELECT DISTINCT unit_id FROM unit_events "
                               "WHERE substr(to_position, 1, length(?1)) = ?1 ORDER BY unit_id"));
  q.Bind(1, absl::StrCat(tank_id, "/"));
  std::vector<std::string> ids;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    ids.push_back(q.Text(0));
  }
  return ids;
}

absl::Status Transaction::InsertTankReading(TankReading& r) {
  ASSIGN_OR_RETURN(Statement exists,
                   db_.Prepare("SELECT reading_id FROM tank_readings WHERE tank_id = ? AND at = ?"));
  exists.Bind(1, r.tank_id).Bind(2, r.at);
  ASSIGN_OR_RETURN(bool found, exists.Step());
  if (found) {
    return absl::AlreadyExistsError(
        absl::StrCat("reading_time: tank ", r.tank_id, " already has a reading at that time "
                     "(reading ", exists.Int(0), "); a reading is recorded once"));
  }
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO tank_readings (tank_id, at, temperature_c, "
                               "ln2_level_percent, source, in_limits, recorded_at, recorded_by) "
                               "VALUES (?,?,?,?,?,?,?,?)"));
  insert.Bind(1, r.tank_id).Bind(2, r.at).Bind(3, r.temperature_c);
  if (r.ln2_level_percent.has_value()) {
    insert.Bind(4, *r.ln2_level_percent);
  } else {
    insert.BindNull(4);
  }
  insert.Bind(5, static_cast<int>(r.source))
      .Bind(6, r.in_limits ? 1 : 0)
      .Bind(7, r.recorded_at)
      .Bind(8, r.recorded_by);
  RETURN_IF_ERROR(insert.Run());
  r.reading_id = db_.LastInsertRowId();
  return absl::OkStatus();
}

absl::StatusOr<std::optional<TankReading>> Transaction::TankReadingBefore(
    absl::string_view tank_id, absl::Time at, bool in_limits_only) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare(absl::StrCat("SELECT ", kReadingColumns,
                                            " FROM tank_readings WHERE tank_id = ? AND at < ? "
                                            "AND (? = 0 OR in_limits = 1) "
                                            "ORDER BY at DESC LIMIT 1")));
  q.Bind(1, tank_id).Bind(2, at).Bind(3, in_limits_only ? 1 : 0);
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return std::nullopt;
  return ReadingFromRow(q);
}

absl::StatusOr<std::vector<TankReading>> Transaction::ListTankReadings(absl::string_view tank_id,
                                                                       absl::Time from,
                                                                       absl::Time to, int limit) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare(absl::StrCat("SELECT ", kReadingColumns,
                                            " FROM tank_readings WHERE tank_id = ? AND at >= ? "
                                            "AND at <= ? ORDER BY at LIMIT ?")));
  q.Bind(1, tank_id).Bind(2, from).Bind(3, to).Bind(4, limit);
  std::vector<TankReading> readings;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    readings.push_back(ReadingFromRow(q));
  }
  return readings;
}

}  // namespace cpctrack::store
