// Follow-up cases: a contamination signal after release, the infusions it
// concerns, the units it held, and the two signatures that close it.
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "domain/status_macros.h"
#include "store/store.h"

namespace cpctrack::store {

absl::StatusOr<std::vector<domain::InfusionOnRecord>> Transaction::InfusionsOnRecord(
    const domain::Din& batch_id) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("SELECT i.infusion_record_id, i.unit_id, u.patient_id, "
                               "i.started_at, i.planned_infusion_id, p.plan_number "
                               "FROM infusions i JOIN units u USING (unit_id) "
                               "JOIN batches b ON b.batch_seq = u.batch_seq "
                               "JOIN planned_infusions pi ON pi.infusion_id = "
                               "i.planned_infusion_id JOIN treatment_plans p USING (plan_id) "
                               "WHERE b.batch_id = ? ORDER BY i.infusion_record_id"));
  q.Bind(1, batch_id.compact());
  std::vector<domain::InfusionOnRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back({q.Int(0), q.Text(1), q.Text(2), q.Time(3), q.Int(4), q.Text(5)});
  }
  return out;
}

absl::Status Transaction::InsertFollowUp(domain::FollowUp& f) {
  ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(f.batch_id));
  ASSIGN_OR_RETURN(int64_t seq, BatchSeq(din));
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO follow_ups (batch_seq, patient_id, qc_test_id, "
                               "deviation_id, finding, opened_at, opened_by) "
                               "VALUES (?,?,?,?,?,?,?)"));
  insert.Bind(1, seq)
      .Bind(2, f.patient_id)
      .Bind(3, f.qc_test_id)
      .Bind(4, f.deviation_id)
      .Bind(5, f.finding)
      .Bind(6, f.opened_at)
      .Bind(7, f.opened_by);
  RETURN_IF_ERROR(insert.Run());
  f.follow_up_id = db_.LastInsertRowId();
  for (const domain::InfusionOnRecord& i : f.infused) {
    ASSIGN_OR_RETURN(Statement q,
                     db_.Prepare("INSERT INTO follow_up_infusions (follow_up_id, "
                                 "infusion_record_id, unit_id, patient_id, started_at, "
                                 "planned_infusion_id, plan_number) VALUES (?,?,?,?,?,?,?)"));
    q.Bind(1, f.follow_up_id)
        .Bind(2, i.infusion_record_id)
        .Bind(3, i.unit_id)
        .Bind(4, i.patient_id)
        .Bind(5, i.started_at)
        .Bind(6, i.planned_infusion_id)
        .Bind(7, i.plan_number);
    RETURN_IF_ERROR(q.Run());
  }
  for (const std::string& unit_id : f.held_unit_ids) {
    ASSIGN_OR_RETURN(Statement q, db_.Prepare("INSERT INTO follow_up_held_units (follow_up_id, "
                                              "unit_id) VALUES (?,?)"));
    q.Bind(1, f.follow_up_id).Bind(2, unit_id);
    RETURN_IF_ERROR(q.Run());
  }
  return absl::OkStatus();
}

absl::Status Transaction::InsertAssessment(int64_t follow_up_id,
                                           const domain::FollowUpAssessment& a) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("INSERT INTO follow_up_assessments (follow_up_id, text, "
                               "adverse_event_suspected, signed_at, signer) VALUES (?,?,?,?,?)"));
  q.Bind(1, follow_up_id)
      .Bind(2, a.text)
      .Bind(3, a.adverse_event_suspected ? 1 : 0)
      .Bind(4, a.signed_at)
      .Bind(5, a.signer);
  return q.Run();
}

absl::Status Transaction::InsertAcknowledgement(int64_t follow_up_id,
                                                const domain::FollowUpAcknowledgement& a) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("INSERT INTO follow_up_acknowledgements (follow_up_id, text, "
                               "report_filed_on, signed_at, signer) VALUES (?,?,?,?,?)"));
  q.Bind(1, follow_up_id).Bind(2, a.text);
  if (a.report_filed_on.has_value()) {
    q.Bind(3, absl::FormatCivilTime(*a.report_filed_on));
  } else {
    q.BindNull(3);
  }
  q.Bind(4, a.signed_at).Bind(5, a.signer);
  return q.Run();
}

absl::StatusOr<std::vector<domain::FollowUp>> Transaction::FollowUpsWhere(
    absl::string_view where, absl::string_view key) {
  ASSIGN_OR_RETURN(
      Statement q,
      db_.Prepare(absl::StrCat(
          "SELECT f.follow_up_id, b.batch_id, f.patient_id, f.qc_test_id, f.deviation_id, "
          "f.finding, f.opened_at, f.opened_by, a.text, a.adverse_event_suspected, a.signed_at, "
          "a.signer, k.text, k.report_filed_on, k.signed_at, k.signer FROM follow_ups f "
          "JOIN batches b USING (batch_seq) "
          "LEFT JOIN follow_up_assessments a USING (follow_up_id) "
          "LEFT JOIN follow_up_acknowledgements k USING (follow_up_id) ",
          where, " ORDER BY f.follow_up_id DESC")));
  if (!key.empty()) q.Bind(1, key);
  std::vector<domain::FollowUp> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    domain::FollowUp f;
    f.follow_up_id = q.Int(0);
    f.batch_id = q.Text(1);
    f.patient_id = q.Text(2);
    f.qc_test_id = q.Int(3);
    f.deviation_id = q.Int(4);
    f.finding = q.Text(5);
    f.opened_at = q.Time(6);
    f.opened_by = q.Text(7);
    if (!q.IsNull(8)) {
      f.assessment = domain::FollowUpAssessment{q.Text(8), q.Int(9) != 0, q.Time(10), q.Text(11)};
    }
    if (!q.IsNull(12)) {
      domain::FollowUpAcknowledgement k{q.Text(12), std::nullopt, q.Time(14), q.Text(15)};
      absl::CivilDay day;
      if (!q.IsNull(13) && absl::ParseCivilTime(q.Text(13), &day)) k.report_filed_on = day;
      f.acknowledgement = std::move(k);
    }
    out.push_back(std::move(f));
  }
  for (domain::FollowUp& f : out) {
    ASSIGN_OR_RETURN(Statement inf,
                     db_.Prepare("SELECT infusion_record_id, unit_id, patient_id, started_at, "
                                 "planned_infusion_id, plan_number FROM follow_up_infusions "
                                 "WHERE follow_up_id = ? ORDER BY infusion_record_id"));
    inf.Bind(1, f.follow_up_id);
    while (true) {
      ASSIGN_OR_RETURN(bool row, inf.Step());
      if (!row) break;
      f.infused.push_back(
          {inf.Int(0), inf.Text(1), inf.Text(2), inf.Time(3), inf.Int(4), inf.Text(5)});
    }
    ASSIGN_OR_RETURN(Statement held, db_.Prepare("SELECT unit_id FROM follow_up_held_units "
                                                 "WHERE follow_up_id = ? ORDER BY unit_id"));
    held.Bind(1, f.follow_up_id);
    while (true) {
      ASSIGN_OR_RETURN(bool row, held.Step());
      if (!row) break;
      f.held_unit_ids.push_back(held.Text(0));
    }
  }
  return out;
}

absl::StatusOr<domain::FollowUp> Transaction::GetFollowUp(int64_t follow_up_id) {
  ASSIGN_OR_RETURN(std::vector<domain::FollowUp> found,
                   FollowUpsWhere("WHERE f.follow_up_id = ?", absl::StrCat(follow_up_id)));
  if (found.empty()) {
    return absl::NotFoundError(absl::StrCat("follow_up_id: follow-up ", follow_up_id,
                                            " does not exist"));
  }
  return std::move(found.front());
}

absl::StatusOr<std::vector<domain::FollowUp>> Transaction::LoadFollowUps(
    const domain::Din& batch_id) {
  return FollowUpsWhere("WHERE b.batch_id = ?", batch_id.compact());
}

absl::StatusOr<std::vector<domain::FollowUp>> Transaction::ListFollowUps(bool open_only) {
  ASSIGN_OR_RETURN(std::vector<domain::FollowUp> all, FollowUpsWhere("", ""));
  if (!open_only) return all;
  std::vector<domain::FollowUp> open;
  for (domain::FollowUp& f : all) {
    if (f.Open()) open.push_back(std::move(f));
  }
  return open;
}

}  // namespace cpctrack::store
