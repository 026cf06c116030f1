// Transaction: people's qualifications for procedures.
#include "absl/strings/str_cat.h"
#include "domain/inventory.h"
#include "domain/status_macros.h"
#include "store/store.h"

namespace cpctrack::store {

absl::Status Transaction::InsertQualification(domain::Qualification& q) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO qualifications (user_name, procedure, qualified_on, "
                               "expires_on, evidence, recorded_at, recorded_by) "
                               "VALUES (?,?,?,?,?,?,?)"));
  insert.Bind(1, q.user_name)
      .Bind(2, static_cast<int>(q.procedure))
      .Bind(3, domain::FormatDate(q.qualified_on))
      .Bind(4, domain::FormatDate(q.expires_on))
      .Bind(5, q.evidence)
      .Bind(6, q.recorded_at)
      .Bind(7, q.recorded_by);
  RETURN_IF_ERROR(insert.Run());
  q.qualification_id = db_.LastInsertRowId();
  return absl::OkStatus();
}

absl::StatusOr<std::vector<domain::Qualification>> Transaction::LoadQualifications(
    absl::string_view user) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("SELECT qualification_id, procedure, qualified_on, expires_on, "
                               "evidence, recorded_at, recorded_by FROM qualifications "
                               "WHERE user_name = ? ORDER BY qualification_id"));
  q.Bind(1, user);
  std::vector<domain::Qualification> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    domain::Qualification& got = out.emplace_back();
    got.qualification_id = q.Int(0);
    got.user_name = std::string(user);
    got.procedure = static_cast<domain::Procedure>(q.Int(1));
    ASSIGN_OR_RETURN(got.qualified_on, domain::ParseDate("qualified_on", q.Text(2)));
    ASSIGN_OR_RETURN(got.expires_on, domain::ParseDate("expires_on", q.Text(3)));
    got.evidence = q.Text(4);
    got.recorded_at = q.Time(5);
    got.recorded_by = q.Text(6);
  }
  return out;
}

}  // namespace cpctrack::store
