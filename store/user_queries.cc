// Transaction: users, roles, sessions and electronic signatures.
#include "absl/strings/str_cat.h"
#include "domain/status_macros.h"
#include "store/store.h"

namespace cpctrack::store {
namespace {

absl::Status NotFoundUser(absl::string_view user_name) {
  return absl::NotFoundError(absl::StrCat("user \"", user_name, "\" not found"));
}

}  // namespace

absl::Status Transaction::InsertUser(const domain::User& user, absl::string_view password_hash,
                                     absl::string_view password_set_by) {
  ASSIGN_OR_RETURN(Statement exists, db_.Prepare("SELECT 1 FROM users WHERE user_name = ?"));
  exists.Bind(1, user.name);
  ASSIGN_OR_RETURN(bool found, exists.Step());
  if (found) {
    return absl::AlreadyExistsError(absl::StrCat("user \"", user.name, "\" already exists"));
  }
  ASSIGN_OR_RETURN(Statement s,
                   db_.Prepare("INSERT INTO users (user_name, full_name, password_hash, "
                               "disabled, created_at, created_by, password_set_by) "
                               "VALUES (?,?,?,?,?,?,?)"));
  s.Bind(1, user.name)
      .Bind(2, user.full_name)
      .Bind(3, password_hash)
      .Bind(4, user.disabled ? 1 : 0)
      .Bind(5, user.created_at)
      .Bind(6, user.created_by)
      .Bind(7, password_set_by);
  RETURN_IF_ERROR(s.Run());
  return SetUserRoles(user.name, user.roles);
}

absl::StatusOr<std::vector<domain::Role>> Transaction::LoadRoles(absl::string_view user_name) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare("SELECT role FROM user_roles WHERE user_name = ? "
                                            "ORDER BY role"));
  q.Bind(1, user_name);
  std::vector<domain::Role> roles;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    roles.push_back(static_cast<domain::Role>(q.Int(0)));
  }
  return roles;
}

absl::StatusOr<UserAccount> Transaction::GetUser(absl::string_view user_name) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("SELECT user_name, full_name, password_hash, disabled, "
                               "failed_logins, next_login_at, created_at, created_by, "
                               "password_set_by FROM users WHERE user_name = ?"));
  q.Bind(1, user_name);
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return NotFoundUser(user_name);
  UserAccount account;
  account.user.name = q.Text(0);
  account.user.full_name = q.Text(1);
  account.password_hash = q.Text(2);
  account.user.disabled = q.Int(3) != 0;
  account.failed_logins = static_cast<int>(q.Int(4));
  account.next_login_at = q.Time(5);
  account.user.created_at = q.Time(6);
  account.user.created_by = q.Text(7);
  account.password_set_by = q.Text(8);
  ASSIGN_OR_RETURN(account.user.roles, LoadRoles(user_name));
  return account;
}

absl::StatusOr<std::vector<domain::User>> Transaction::ListUsers() {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare("SELECT user_name FROM users ORDER BY user_name"));
  std::vector<std::string> names;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    names.push_back(q.Text(0));
  }
  std::vector<domain::User> users;
  for (const std::string& name : names) {
    ASSIGN_OR_RETURN(UserAccount account, GetUser(name));
    users.push_back(std::move(account.user));
  }
  return users;
}

absl::Status Transaction::SetUserDisabled(absl::string_view user_name, bool disabled) {
  ASSIGN_OR_RETURN(Statement s, db_.Prepare("UPDATE users SET disabled = ? WHERE user_name = ?"));
  s.Bind(1, disabled ? 1 : 0).Bind(2, user_name);
  RETURN_IF_ERROR(s.Run());
  if (db_.Changes() == 0) return NotFoundUser(user_name);
  return absl::OkStatus();
}

absl::Status Transaction::SetUserRoles(absl::string_view user_name,
                                       const std::vector<domain::Role>& roles) {
  ASSIGN_OR_RETURN(Statement clear, db_.Prepare("DELETE FROM user_roles WHERE user_name = ?"));
  clear.Bind(1, user_name);
  RETURN_IF_ERROR(clear.Run());
  for (domain::Role role : roles) {
    ASSIGN_OR_RETURN(Statement s,
                     db_.Prepare("INSERT INTO user_roles (user_name, role) VALUES (?,?)"));
    s.Bind(1, user_name).Bind(2, static_cast<int>(role));
    RETURN_IF_ERROR(s.Run());
  }
  return absl::OkStatus();
}

absl::Status Transaction::SetPasswordHash(absl::string_view user_name,
                                          absl::string_view password_hash,
                                          absl::string_view set_by) {
  ASSIGN_OR_RETURN(Statement s, db_.Prepare("UPDATE users SET password_hash = ?, "
                                            "password_set_by = ? WHERE user_name = ?"));
  s.Bind(1, password_hash).Bind(2, set_by).Bind(3, user_name);
  RETURN_IF_ERROR(s.Run());
  if (db_.Changes() == 0) return NotFoundUser(user_name);
  return absl::OkStatus();
}

absl::Status Transaction::SetLoginFailures(absl::string_view user_name, int failed_logins,
                                           absl::Time next_login_at) {
  ASSIGN_OR_RETURN(Statement s, db_.Prepare("UPDATE users SET failed_logins = ?, "
                                            "next_login_at = ? WHERE user_name = ?"));
  s.Bind(1, failed_logins)
      .Bind(2, next_login_at == absl::InfinitePast() ? absl::UnixEpoch() : next_login_at)
      .Bind(3, user_name);
  return s.Run();
}

absl::StatusOr<int> Transaction::CountAdministrators() {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("SELECT count(*) FROM users u JOIN user_roles r "
                               "ON r.user_name = u.user_name WHERE u.disabled = 0 AND r.role = ?"));
  q.Bind(1, static_cast<int>(domain::Role::kAdministrator));
  RETURN_IF_ERROR(q.Step().status());
  return static_cast<int>(q.Int(0));
}

absl::Status Transaction::InsertSession(absl::string_view token_sha256,
                                        const SessionRow& session) {
  ASSIGN_OR_RETURN(Statement s, db_.Prepare("INSERT INTO sessions (token_sha256, user_name, "
                                            "created_at, expires_at) VALUES (?,?,?,?)"));
  s.BindBlob(1, token_sha256)
      .Bind(2, session.user_name)
      .Bind(3, session.created_at)
      .Bind(4, session.expires_at);
  return s.Run();
}

absl::StatusOr<std::optional<SessionRow>> Transaction::FindSession(
    absl::string_view token_sha256) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare("SELECT user_name, created_at, expires_at, revoked "
                                            "FROM sessions WHERE token_sha256 = ?"));
  q.BindBlob(1, token_sha256);
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return std::nullopt;
  return SessionRow{q.Text(0), q.Time(1), q.Time(2), q.Int(3) != 0};
}

absl::Status Transaction::RevokeSession(absl::string_view token_sha256) {
  ASSIGN_OR_RETURN(Statement s,
                   db_.Prepare("UPDATE sessions SET revoked = 1 WHERE token_sha256 = ?"));
  s.BindBlob(1, token_sha256);
  return s.Run();
}

absl::Status Transaction::RevokeSessionsOf(absl::string_view user_name) {
  ASSIGN_OR_RETURN(Statement s, db_.Prepare("UPDATE sessions SET revoked = 1 "
                                            "WHERE user_name = ? AND revoked = 0"));
  s.Bind(1, user_name);
  return s.Run();
}

absl::StatusOr<int64_t> Transaction::CountOpenSessions(absl::Time now) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare("SELECT count(*) FROM sessions "
                                            "WHERE revoked = 0 AND expires_at > ?"));
  q.Bind(1, now);
  RETURN_IF_ERROR(q.Step().status());
  return q.Int(0);
}

absl::Status Transaction::InsertSignature(domain::Signature& sig) {
  ASSIGN_OR_RETURN(Statement exists,
                   db_.Prepare("SELECT signer FROM signatures WHERE resource = ? AND meaning = ?"));
  exists.Bind(1, sig.resource).Bind(2, static_cast<int>(sig.meaning));
  ASSIGN_OR_RETURN(bool found, exists.Step());
  if (found) {
    return absl::AlreadyExistsError(absl::StrCat(sig.resource, " is already signed (",
                                                 domain::SignatureMeaningText(sig.meaning),
                                                 ") by ", exists.Text(0)));
  }
  ASSIGN_OR_RETURN(Statement s,
                   db_.Prepare("INSERT INTO signatures (signer, full_name, meaning, signed_at, "
                               "resource, content_sha256) VALUES (?,?,?,?,?,?)"));
  s.Bind(1, sig.signer)
      .Bind(2, sig.full_name)
      .Bind(3, static_cast<int>(sig.meaning))
      .Bind(4, sig.signed_at)
      .Bind(5, sig.resource)
      .Bind(6, sig.content_sha256);
  RETURN_IF_ERROR(s.Run());
  sig.signature_id = db_.LastInsertRowId();
  return absl::OkStatus();
}

absl::StatusOr<std::vector<domain::Signature>> Transaction::SignaturesFor(
    absl::string_view resource) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare("SELECT signature_id, signer, full_name, meaning, signed_at, "
                               "resource, content_sha256 FROM signatures WHERE resource = ? "
                               "ORDER BY signature_id"));
  q.Bind(1, resource);
  std::vector<domain::Signature> signatures;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    domain::Signature sig;
    sig.signature_id = q.Int(0);
    sig.signer = q.Text(1);
    sig.full_name = q.Text(2);
    sig.meaning = static_cast<domain::SignatureMeaning>(q.Int(3));
    sig.signed_at = q.Time(4);
    sig.resource = q.Text(5);
    sig.content_sha256 = q.Text(6);
    signatures.push_back(std::move(sig));
  }
  return signatures;
}

}  // namespace cpctrack::store
