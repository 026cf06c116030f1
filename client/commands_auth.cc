// `cpc login`, `cpc logout` and `cpc user ...` (administrators).
#include "absl/strings/str_join.h"
#include "client/choices.h"
#include "client/commands.h"
#include "client/password_prompt.h"
#include "client/session_file.h"
#include "client/signing.h"
#include "client/status_util.h"
#include "client/table.h"
#include "client/time_format.h"
#include "client/values.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

std::string RoleTexts(const v1::User& user) {
  std::vector<std::string> roles;
  for (int role : user.roles()) {
    roles.push_back(ChoiceText(RoleChoices(), static_cast<v1::Role>(role)));
  }
  return absl::StrJoin(roles, ",");
}

// A new password, asked twice on a terminal; the next line of stdin with
// --password-stdin.
absl::StatusOr<std::string> ReadNewPassword(Invocation& in, absl::string_view user) {
  const bool from_stdin = in.args.Has(kPasswordStdinFlag);
  CPC_ASSIGN_OR_RETURN(std::string password,
                       ReadPassword(absl::StrCat("New password for ", user, ": "), from_stdin));
  if (from_stdin) return password;
  CPC_ASSIGN_OR_RETURN(std::string again,
                       ReadPassword(absl::StrCat("New password again: "), false));
  if (again != password) {
    return absl::InvalidArgumentError("new password: the two entries differ; nothing changed");
  }
  return password;
}

absl::Status RunLogin(Invocation& in) {
  v1::LoginRequest request;
  request.set_user_name(in.args.Get("USER"));
  CPC_ASSIGN_OR_RETURN(std::string password,
                       ReadPassword(absl::StrCat("Password for ", request.user_name(), " on ",
                                                 in.conn.options().server, ": "),
                                    in.args.Has(kPasswordStdinFlag)));
  request.set_password(password);
  if (in.args.Has("change-password")) {
    CPC_ASSIGN_OR_RETURN(*request.mutable_new_password(),
                         ReadNewPassword(in, request.user_name()));
  }
  v1::LoginResponse response;
  absl::Status status = in.conn.Call(&v1::AuthService::Stub::Login, request, &response);
  // A password an administrator set: its owner chooses a new one first.
  if (status.code() == absl::StatusCode::kFailedPrecondition &&
      request.new_password().empty()) {
    in.err << "cpc: " << status.message() << "\n";
    CPC_ASSIGN_OR_RETURN(*request.mutable_new_password(),
                         ReadNewPassword(in, request.user_name()));
    status = in.conn.Call(&v1::AuthService::Stub::Login, request, &response);
  }
  CPC_RETURN_IF_ERROR(status);
  const absl::Time expires = FromProto(response.expire_time());
  CPC_RETURN_IF_ERROR(SaveSession(in.conn.options().config_dir,
                                  Session{.server = in.conn.options().server,
                                          .user = response.user().user_name(),
                                          .token = response.token(),
                                          .expires_at = expires}));
  if (!request.new_password().empty()) in.out << "Password changed; other sessions ended\n";
  in.out << "Logged in to " << in.conn.options().server << " as " << response.user().user_name()
         << " (" << response.user().full_name() << "; " << RoleTexts(response.user())
         << ") until " << FormatLocalTimeWithZone(expires, in.time.zone) << "\n";
  return absl::OkStatus();
}

absl::Status RunLogout(Invocation& in) {
  if (!in.conn.options().token.empty()) {
    // The server forgets the token; a session it already refuses is ended anyway.
    v1::LogoutResponse response;
    absl::Status status =
        in.conn.Call(&v1::AuthService::Stub::Logout, v1::LogoutRequest(), &response);
    if (!status.ok() && status.code() != absl::StatusCode::kUnauthenticated) return status;
  }
  CPC_RETURN_IF_ERROR(RemoveSession(in.conn.options().config_dir, in.conn.options().server));
  in.out << "Logged out of " << in.conn.options().server << "\n";
  return absl::OkStatus();
}

std::vector<v1::Role> RolesFlag(const Invocation& in) {
  std::vector<v1::Role> roles;
  for (const std::string& text : in.args.GetList("role")) {
    roles.push_back(ChoiceValue(RoleChoices(), text));
  }
  return roles;
}

absl::Status PrintUser(const Invocation& in, const v1::User& user, absl::string_view what) {
  if (in.json) return PrintJson(user, in.out);
  in.out << what << " " << user.user_name() << " (" << user.full_name() << "; "
         << RoleTexts(user) << (user.disabled() ? "; disabled" : "") << ")\n";
  return absl::OkStatus();
}

absl::Status RunUserCreate(Invocation& in) {
  v1::CreateUserRequest request;
  request.set_request_id(in.conn.RequestId());
  request.mutable_user()->set_user_name(in.args.Get("USER"));
  request.mutable_user()->set_full_name(in.args.Get("full-name"));
  for (v1::Role role : RolesFlag(in)) request.mutable_user()->add_roles(role);
  CPC_ASSIGN_OR_RETURN(std::string password,
                       ReadPassword(absl::StrCat("Initial password for ", in.args.Get("USER"), ": "),
                                    in.args.Has(kPasswordStdinFlag)));
  request.set_password(password);
  v1::User user;
  CPC_RETURN_IF_ERROR(in.conn.Call(&v1::UserService::Stub::CreateUser, request, &user));
  return PrintUser(in, user, "Created");
}

absl::Status RunUserList(Invocation& in) {
  v1::ListUsersResponse response;
  CPC_RETURN_IF_ERROR(
      in.conn.Call(&v1::UserService::Stub::ListUsers, v1::ListUsersRequest(), &response));
  if (in.json) return PrintJson(response, in.out);
  Table table({"user", "full name", "roles", "status", "created"});
  for (const v1::User& user : response.users()) {
    table.AddRow({user.user_name(), user.full_name(), RoleTexts(user),
                  user.disabled() ? "disabled" : "enabled",
                  FormatLocalTime(FromProto(user.create_time()), in.time.zone)});
  }
  in.out << table.Render();
  return absl::OkStatus();
}

absl::Status RunUserDisable(Invocation& in) {
  v1::DisableUserRequest request;
  request.set_request_id(in.conn.RequestId());
  request.set_user_name(in.args.Get("USER"));
  request.set_reason(in.args.Get("reason"));
  v1::User user;
  CPC_RETURN_IF_ERROR(in.conn.Call(&v1::UserService::Stub::DisableUser, request, &user));
  return PrintUser(in, user, "Disabled");
}

absl::Status RunUserSetRoles(Invocation& in) {
  v1::SetUserRolesRequest request;
  request.set_request_id(in.conn.RequestId());
  request.set_user_name(in.args.Get("USER"));
  for (v1::Role role : RolesFlag(in)) request.add_roles(role);
  request.set_reason(in.args.Get("reason"));
  v1::User user;
  CPC_RETURN_IF_ERROR(in.conn.Call(&v1::UserService::Stub::SetUserRoles, request, &user));
  return PrintUser(in, user, "Roles of");
}

absl::Status RunUserResetPassword(Invocation& in) {
  v1::ResetPasswordRequest request;
  request.set_request_id(in.conn.RequestId());
  request.set_user_name(in.args.Get("USER"));
  CPC_ASSIGN_OR_RETURN(std::string own,
                       ReadPassword(absl::StrCat("Your own password (", in.conn.options().user,
                                                 "), to confirm it is you: "),
                                    in.args.Has(kPasswordStdinFlag)));
  request.set_admin_password(own);
  CPC_ASSIGN_OR_RETURN(std::string password,
                       ReadPassword(absl::StrCat("New password for ", in.args.Get("USER"),
                                                 " (they must change it at sign-in): "),
                                    in.args.Has(kPasswordStdinFlag)));
  request.set_password(password);
  v1::User user;
  CPC_RETURN_IF_ERROR(in.conn.Call(&v1::UserService::Stub::ResetPassword, request, &user));
  return PrintUser(in, user, "New password set (sessions ended) for");
}

ArgSpec UserArg() { return {.name = "USER", .help = "user name, e.g. qa.tanaka"}; }

FlagSpec RoleFlag() {
  return {.name = "role", .value_name = "ROLE", .help = "a role the user holds",
          .required = true, .repeated = true, .choices = ChoiceTexts(RoleChoices())};
}

}  // namespace

std::vector<CommandSpec> AuthCommands() {
  return {
      {.noun = "login",
       .summary = "Sign in to cpcd; the session is kept (0600) in ~/.config/cpctrack",
       .args = {UserArg()},
       .flags = {PasswordStdinFlag(),
                 {.name = "change-password",
                  .help = "choose a new password too (asked twice; with --password-stdin, the "
                          "second line). A password an administrator set must be changed: "
                          "cpc asks for a new one then anyway"}},
       .example = "cpc login tech.sato",
       .run = RunLogin},
      {.noun = "logout",
       .summary = "End the session with this server and forget its token",
       .example = "cpc logout",
       .run = RunLogout},
      {.noun = "user",
       .verb = "create",
       .summary = "Create a user with roles (administrators)",
       .args = {UserArg()},
       .flags = {{.name = "full-name", .value_name = "NAME",
                  .help = "full name, as signatures show it", .required = true},
                 RoleFlag(), PasswordStdinFlag()},
       .example = "cpc user create qa.tanaka --full-name \"Tanaka Yui\" --role reviewer",
       .run = RunUserCreate},
      {.noun = "user",
       .verb = "list",
       .summary = "List users, their roles and whether they are enabled (administrators)",
       .example = "cpc user list",
       .run = RunUserList},
      {.noun = "user",
       .verb = "disable",
       .summary = "Disable a user and end their sessions (administrators)",
       .args = {UserArg()},
       .flags = {{.name = "reason", .value_name = "TEXT", .help = "why", .required = true}},
       .example = "cpc user disable tech.sato --reason \"left the company 2026-11-30\"",
       .run = RunUserDisable},
      {.noun = "user",
       .verb = "set-roles",
       .summary = "Replace a user's roles (administrators)",
       .args = {UserArg()},
       .flags = {RoleFlag(),
                 {.name = "reason", .value_name = "TEXT", .help = "why", .required = true}},
       .example = "cpc user set-roles qa.mori --role reviewer,scheduler --reason \"QA rota\"",
       .run = RunUserSetRoles},
      {.noun = "user",
       .verb = "reset-password",
       .summary = "Set a new password and end the user's sessions; they must change it at "
                  "sign-in (administrators; asks for your own password first; with "
                  "--password-stdin, yours on the first line and theirs on the second)",
       .args = {UserArg()},
       .flags = {PasswordStdinFlag()},
       .example = "cpc user reset-password tech.sato",
       .run = RunUserResetPassword},
  };
}

}  // namespace cpc
