// Transaction: patients. Identity in `patients`, values in append-only
// `patient_revisions`; a patient reads as its latest revision.
#include "absl/strings/str_cat.h"
#include "domain/status_macros.h"
#include "store/paging.h"
#include "store/store.h"

namespace cpctrack::store {
namespace {

using domain::Patient;
using domain::ScreeningResult;

// The patient with its latest revision.
constexpr char kPatientQuery[] =
    "SELECT p.patient_id, r.body_weight_kg, r.hbv, r.hcv, r.hiv, r.htlv1, r.syphilis, "
    "r.consent_given, r.consent_time, r.consent_ref, p.created_at, p.created_by, "
    "r.revision, r.recorded_at, r.recorded_by, r.reason "
    "FROM patients p JOIN patient_revisions r ON r.patient_id = p.patient_id "
    "AND r.revision = (SELECT MAX(revision) FROM patient_revisions "
    "                  WHERE patient_id = p.patient_id) ";

Patient PatientFromRow(const Statement& row) {
  Patient p;
  p.patient_id = row.Text(0);
  p.body_weight_kg = row.Double(1);
  p.screening.hbv = static_cast<ScreeningResult>(row.Int(2));
  p.screening.hcv = static_cast<ScreeningResult>(row.Int(3));
  p.screening.hiv = static_cast<ScreeningResult>(row.Int(4));
  p.screening.htlv1 = static_cast<ScreeningResult>(row.Int(5));
  p.screening.syphilis = static_cast<ScreeningResult>(row.Int(6));
  p.consent.given = row.Int(7) != 0;
  p.consent.consent_time = row.IsNull(8) ? absl::InfinitePast() : row.Time(8);
  p.consent.document_ref = row.Text(9);
  p.created_at = row.Time(10);
  p.created_by = row.Text(11);
  p.revision = static_cast<int>(row.Int(12));
  if (p.revision > 1) {
    p.updated_at = row.Time(13);
    p.updated_by = row.Text(14);
    p.update_reason = row.Text(15);
  }
  return p;
}

}  // namespace

absl::Status Transaction::InsertPatient(const Patient& p) {
  ASSIGN_OR_RETURN(Statement exists,
                   db_.Prepare("SELECT 1 FROM patients WHERE patient_id = ?"));
  exists.Bind(1, p.patient_id);
  ASSIGN_OR_RETURN(bool found, exists.Step());
  if (found) {
    return absl::AlreadyExistsError(
        absl::StrCat("patient_id: patient ", p.patient_id, " is already registered"));
  }
  ASSIGN_OR_RETURN(Statement insert, db_.Prepare("INSERT INTO patients (patient_id, created_at, "
                                                 "created_by) VALUES (?,?,?)"));
  insert.Bind(1, p.patient_id).Bind(2, p.created_at).Bind(3, p.created_by);
  RETURN_IF_ERROR(insert.Run());
  Patient first = p;
  first.revision = 1;
  first.updated_at = p.created_at;
  first.updated_by = p.created_by;
  first.update_reason = "registered";
  return InsertPatientRevision(first);
}

absl::Status Transaction::InsertPatientRevision(const Patient& p) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO patient_revisions (patient_id, revision, "
                               "body_weight_kg, hbv, hcv, hiv, htlv1, syphilis, consent_given, "
                               "consent_time, consent_ref, recorded_at, recorded_by, reason) "
                               "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  insert.Bind(1, p.patient_id)
      .Bind(2, p.revision)
      .Bind(3, p.body_weight_kg)
      .Bind(4, static_cast<int>(p.screening.hbv))
      .Bind(5, static_cast<int>(p.screening.hcv))
      .Bind(6, static_cast<int>(p.screening.hiv))
      .Bind(7, static_cast<int>(p.screening.htlv1))
      .Bind(8, static_cast<int>(p.screening.syphilis))
      .Bind(9, p.consent.given ? 1 : 0);
  if (p.consent.given) {
    insert.Bind(10, p.consent.consent_time);
  } else {
    insert.BindNull(10);
  }
  insert.Bind(11, p.consent.document_ref)
      .Bind(12, p.updated_at)
      .Bind(13, p.updated_by)
      .Bind(14, p.update_reason);
  return insert.Run();
}

absl::StatusOr<Patient> Transaction::GetPatient(absl::string_view patient_id) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare(absl::StrCat(kPatientQuery, "WHERE p.patient_id = ?")));
  q.Bind(1, patient_id);
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("patient_id: no patient \"", patient_id, "\" is registered"));
  }
  return PatientFromRow(q);
}

absl::StatusOr<Page<Patient>> Transaction::ListPatients(absl::string_view after_key,
                                                         int limit) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare(absl::StrCat(kPatientQuery,
                                            "WHERE p.patient_id > ? ORDER BY p.patient_id "
                                            "LIMIT ?")));
  q.Bind(1, after_key).Bind(2, limit + 1);
  return ReadPage<Patient>(q, limit, PatientFromRow,
                           [](const Statement& row) { return row.Text(0); });
}

absl::Status Transaction::InsertPatientIdentifier(const domain::PatientIdentifier& id) {
  ASSIGN_OR_RETURN(Statement taken,
                   db_.Prepare("SELECT patient_id FROM patient_identifiers WHERE value = ?"));
  taken.Bind(1, id.value);
  ASSIGN_OR_RETURN(bool found, taken.Step());
  if (found) {
    return absl::AlreadyExistsError(absl::StrCat("value: \"", id.value,
                                                 "\" already identifies patient ", taken.Text(0)));
  }
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO patient_identifiers (patient_id, kind, value, reason, "
                               "added_at, added_by) VALUES (?,?,?,?,?,?)"));
  insert.Bind(1, id.patient_id)
      .Bind(2, id.kind)
      .Bind(3, id.value)
      .Bind(4, id.reason)
      .Bind(5, id.added_at)
      .Bind(6, id.added_by);
  return insert.Run();
}

absl::StatusOr<std::vector<domain::PatientIdentifier>> Transaction::LoadPatientIdentifiers(
    absl::string_view patient_id) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("SELECT patient_id, kind, value, reason, added_at, added_by FROM "
                               "patient_identifiers WHERE patient_id = ? ORDER BY identifier_id"));
  q.Bind(1, patient_id);
  std::vector<domain::PatientIdentifier> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back({.patient_id = q.Text(0),
                   .kind = q.Text(1),
                   .value = q.Text(2),
                   .reason = q.Text(3),
                   .added_at = q.Time(4),
                   .added_by = q.Text(5)});
  }
  return out;
}

}  // namespace cpctrack::store
