// Transaction: treatment plans, releases, bedside checks and infusions.
#include "absl/strings/str_cat.h"
#include "domain/inventory.h"
#include "domain/status_macros.h"
#include "store/store.h"

namespace cpctrack::store {
namespace {

using domain::TreatmentPlan;

constexpr char kPlanColumns[] =
    "p.plan_id, p.patient_id, b.batch_id, p.plan_number, p.fixed_cells, p.cells_per_kg, "
    "p.created_at, p.created_by";

TreatmentPlan PlanFromRow(const Statement& q) {
  TreatmentPlan plan;
  plan.plan_id = q.Int(0);
  plan.patient_id = q.Text(1);
  plan.batch_id = q.Text(2);
  plan.plan_number = q.Text(3);
  if (!q.IsNull(4)) plan.fixed_cells = q.Double(4);
  if (!q.IsNull(5)) plan.cells_per_kg = q.Double(5);
  plan.created_at = q.Time(6);
  plan.created_by = q.Text(7);
  return plan;
}

}  // namespace

absl::Status Transaction::InsertPlan(TreatmentPlan& plan) {
  ASSIGN_OR_RETURN(
      Statement insert,
      db_.Prepare("INSERT INTO treatment_plans (patient_id, batch_seq, plan_number, fixed_cells, "
                  "cells_per_kg, created_at, created_by) SELECT ?1, batch_seq, ?2, ?3, ?4, ?5, ?6 "
                  "FROM batches WHERE batch_id = ?7"));
  insert.Bind(1, plan.patient_id).Bind(2, plan.plan_number);
  if (plan.fixed_cells.has_value()) {
    insert.Bind(3, *plan.fixed_cells).BindNull(4);
  } else {
    insert.BindNull(3).Bind(4, *plan.cells_per_kg);
  }
  insert.Bind(5, plan.created_at).Bind(6, plan.created_by).Bind(7, plan.batch_id);
  RETURN_IF_ERROR(insert.Run());
  plan.plan_id = db_.LastInsertRowId();
  for (domain::PlannedInfusion& p : plan.infusions) {
    ASSIGN_OR_RETURN(Statement infusion,
                     db_.Prepare("INSERT INTO planned_infusions (plan_id, sequence, "
                                 "planned_date) VALUES (?,?,?)"));
    infusion.Bind(1, plan.plan_id).Bind(2, p.sequence).Bind(3, domain::FormatDate(p.planned_day));
    RETURN_IF_ERROR(infusion.Run());
    p.infusion_id = db_.LastInsertRowId();
  }
  return absl::OkStatus();
}

absl::Status Transaction::LoadPlanInfusions(TreatmentPlan& plan) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare("SELECT infusion_id, sequence, planned_date FROM "
                                            "planned_infusions WHERE plan_id = ? "
                                            "ORDER BY sequence"));
  q.Bind(1, plan.plan_id);
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(absl::CivilDay day, domain::ParseDate("planned_date", q.Text(2)));
    plan.infusions.push_back({q.Int(0), static_cast<int>(q.Int(1)), day});
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<TreatmentPlan>> Transaction::PlanForBatch(const domain::Din& batch_id) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare(absl::StrCat("SELECT ", kPlanColumns,
                                            " FROM treatment_plans p JOIN batches b USING "
                                            "(batch_seq) WHERE b.batch_id = ? "
                                            "ORDER BY p.plan_id DESC LIMIT 1")));
  q.Bind(1, batch_id.compact());
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return std::optional<TreatmentPlan>();
  TreatmentPlan plan = PlanFromRow(q);
  RETURN_IF_ERROR(LoadPlanInfusions(plan));
  return std::optional<TreatmentPlan>(std::move(plan));
}

absl::StatusOr<PlannedInfusionRow> Transaction::GetPlannedInfusion(int64_t infusion_id) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare(absl::StrCat("SELECT ", kPlanColumns,
                                            " FROM planned_infusions i JOIN treatment_plans p "
                                            "USING (plan_id) JOIN batches b ON b.batch_seq = "
                                            "p.batch_seq WHERE i.infusion_id = ?")));
  q.Bind(1, infusion_id);
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return absl::NotFoundError(absl::StrCat("planned_infusion_id: no planned infusion ",
                                            infusion_id, " is on record"));
  }
  PlannedInfusionRow row{PlanFromRow(q), {}};
  RETURN_IF_ERROR(LoadPlanInfusions(row.plan));
  for (const domain::PlannedInfusion& p : row.plan.infusions) {
    if (p.infusion_id == infusion_id) row.infusion = p;
  }
  return row;
}

absl::StatusOr<std::vector<PlannedInfusionRow>> Transaction::ListPlannedInfusions(
    absl::CivilDay from, absl::CivilDay to) {
  // Only plans in force: the latest plan of each batch.
  ASSIGN_OR_RETURN(
      Statement q,
      db_.Prepare(absl::StrCat(
          "SELECT ", kPlanColumns, ", i.infusion_id FROM planned_infusions i "
          "JOIN treatment_plans p USING (plan_id) JOIN batches b ON b.batch_seq = p.batch_seq "
          "WHERE i.planned_date BETWEEN ? AND ? AND p.plan_id = (SELECT MAX(plan_id) FROM "
          "treatment_plans p2 WHERE p2.batch_seq = p.batch_seq) "
          "ORDER BY i.planned_date, i.infusion_id")));
  q.Bind(1, domain::FormatDate(from)).Bind(2, domain::FormatDate(to));
  std::vector<PlannedInfusionRow> rows;
  std::vector<int64_t> ids;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    rows.push_back({PlanFromRow(q), {}});
    ids.push_back(q.Int(8));
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    RETURN_IF_ERROR(LoadPlanInfusions(rows[i].plan));
    for (const domain::PlannedInfusion& p : rows[i].plan.infusions) {
      if (p.infusion_id == ids[i]) rows[i].infusion = p;
    }
  }
  return rows;
}

absl::Status Transaction::InsertRelease(const domain::Din& batch_id, domain::Release& release) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO releases (batch_seq, signer, meaning, signed_at, "
                               "record_hash) SELECT batch_seq, ?, ?, ?, ? FROM batches "
                               "WHERE batch_id = ?"));
  insert.Bind(1, release.signer)
      .Bind(2, release.meaning)
      .Bind(3, release.signed_at)
      .Bind(4, release.record_hash)
      .Bind(5, batch_id.compact());
  RETURN_IF_ERROR(insert.Run());
  release.release_id = db_.LastInsertRowId();
  return absl::OkStatus();
}

namespace {

constexpr char kReleaseQuery[] =
    "SELECT r.release_id, r.signer, r.meaning, r.signed_at, r.record_hash FROM releases r "
    "JOIN batches b USING (batch_seq) WHERE b.batch_id = ? ORDER BY r.release_id";

domain::Release ReleaseFromRow(Statement& q) {
  domain::Release r;
  r.release_id = q.Int(0);
  r.signer = q.Text(1);
  r.meaning = q.Text(2);
  r.signed_at = q.Time(3);
  r.record_hash = q.Text(4);
  return r;
}

}  // namespace

absl::StatusOr<std::optional<domain::Release>> Transaction::LatestRelease(
    const domain::Din& batch_id) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare(absl::StrCat(kReleaseQuery, " DESC LIMIT 1")));
  q.Bind(1, batch_id.compact());
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return std::optional<domain::Release>();
  return std::optional<domain::Release>(ReleaseFromRow(q));
}

absl::StatusOr<std::vector<domain::Release>> Transaction::LoadReleases(
    const domain::Din& batch_id) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare(kReleaseQuery));
  q.Bind(1, batch_id.compact());
  std::vector<domain::Release> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(ReleaseFromRow(q));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> Transaction::BatchesUnderPlan(
    absl::string_view plan_number) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("SELECT b.batch_id FROM treatment_plans p JOIN batches b USING "
                               "(batch_seq) WHERE p.plan_number = ? AND p.plan_id = (SELECT "
                               "MAX(plan_id) FROM treatment_plans WHERE batch_seq = b.batch_seq) "
                               "ORDER BY b.batch_seq"));
  q.Bind(1, plan_number);
  std::vector<std::string> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(q.Text(0));
  }
  return out;
}

absl::Status Transaction::InsertBedsideCheck(int64_t planned_infusion_id,
                                             absl::string_view unit_id,
                                             absl::string_view scanned_unit_id,
                                             absl::string_view scanned_patient_id, bool matched,
                                             absl::string_view reason, absl::Time at,
                                             absl::string_view by) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO bedside_checks (planned_infusion_id, unit_id, "
                               "scanned_unit_id, scanned_patient_id, outcome, reason, "
                               "checked_at, checked_by) VALUES (?,?,?,?,?,?,?,?)"));
  insert.Bind(1, planned_infusion_id)
      .Bind(2, unit_id)
      .Bind(3, scanned_unit_id)
      .Bind(4, scanned_patient_id)
      .Bind(5, matched ? "matched" : "refused")
      .Bind(6, reason)
      .Bind(7, at)
      .Bind(8, by);
  return insert.Run();
}

absl::Status Transaction::InsertInfusion(domain::Infusion& i) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO infusions (planned_infusion_id, unit_id, started_at, "
                               "ended_at, viable_cells_given, adverse_events, recorded_at, "
                               "recorded_by) VALUES (?,?,?,?,?,?,?,?)"));
  insert.Bind(1, i.planned_infusion_id).Bind(2, i.unit_id).Bind(3, i.started_at);
  if (i.ended_at == absl::InfinitePast()) {
    insert.BindNull(4);
  } else {
    insert.Bind(4, i.ended_at);
  }
  insert.Bind(5, i.viable_cells_given)
      .Bind(6, i.adverse_events)
      .Bind(7, i.recorded_at)
      .Bind(8, i.recorded_by);
  RETURN_IF_ERROR(insert.Run());
  i.infusion_record_id = db_.LastInsertRowId();
  return absl::OkStatus();
}

absl::StatusOr<std::vector<domain::Infusion>> Transaction::LoadInfusions(
    const domain::Din& batch_id) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("SELECT i.infusion_record_id, i.planned_infusion_id, i.unit_id, "
                               "i.started_at, i.ended_at, i.viable_cells_given, "
                               "i.adverse_events, i.recorded_at, i.recorded_by FROM infusions i "
                               "JOIN units u USING (unit_id) JOIN batches b ON b.batch_seq = "
                               "u.batch_seq WHERE b.batch_id = ? ORDER BY i.infusion_record_id"));
  q.Bind(1, batch_id.compact());
  std::vector<domain::Infusion> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    domain::Infusion i;
    i.infusion_record_id = q.Int(0);
    i.planned_infusion_id = q.Int(1);
    i.unit_id = q.Text(2);
    i.started_at = q.Time(3);
    i.ended_at = q.IsNull(4) ? absl::InfinitePast() : q.Time(4);
    i.viable_cells_given = q.Int(5);
    i.adverse_events = q.Text(6);
    i.recorded_at = q.Time(7);
    i.recorded_by = q.Text(8);
    out.push_back(std::move(i));
  }
  return out;
}

}  // namespace cpctrack::store
