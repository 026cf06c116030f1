// Transaction: patients.
#include "absl/strings/str_cat.h"
#include "domain/status_macros.h"
#include "store/store.h"

namespace cpctrack::store {
namespace {

using domain::Patient;
using domain::ScreeningResult;

constexpr char kPatientColumns[] =
    "patient_id, body_weight_kg, hbv, hcv, hiv, htlv1, syphilis, consent_given, "
    "consent_time, consent_ref, created_at, created_by";

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
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare(absl::StrCat("INSERT INTO patients (", kPatientColumns,
                                            ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")));
  insert.Bind(1, p.patient_id)
      .Bind(2, p.body_weight_kg)
      .Bind(3, static_cast<int>(p.screening.hbv))
      .Bind(4, static_cast<int>(p.screening.hcv))
      .Bind(5, static_cast<int>(p.screening.hiv))
      .Bind(6, static_cast<int>(p.screening.htlv1))
      .Bind(7, static_cast<int>(p.screening.syphilis))
      .Bind(8, p.consent.given ? 1 : 0);
  if (p.consent.given) {
    insert.Bind(9, p.consent.consent_time);
  } else {
    insert.BindNull(9);
  }
  insert.Bind(10, p.consent.document_ref).Bind(11, p.created_at).Bind(12, p.created_by);
  return insert.Run();
}

absl::StatusOr<Patient> Transaction::GetPatient(absl::string_view patient_id) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare(absl::StrCat("SELECT ", kPatientColumns,
                                                         " FROM patients WHERE patient_id = ?")));
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
                   db_.Prepare(absl::StrCat("SELECT ", kPatientColumns,
                                            " FROM patients WHERE patient_id > ? "
                                            "ORDER BY patient_id LIMIT ?")));
  q.Bind(1, after_key).Bind(2, limit + 1);
  Page<Patient> page;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_key = page.items.back().patient_id;
      break;
    }
    page.items.push_back(PatientFromRow(q));
  }
  return page;
}

}  // namespace cpctrack::store
