#include "domain/access.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "domain/patient.h"
#include "domain/text.h"

namespace cpctrack::domain {

std::vector<Role> AllRoles() {
  return {Role::kTechnician, Role::kReviewer,      Role::kScheduler,
          Role::kAuditor,     Role::kAdministrator, Role::kPhysician};
}


std::vector<Permission> AllPermissions() {
  std::vector<Permission> all;
  for (int p = static_cast<int>(Permission::kReadRecords);
       p <= static_cast<int>(Permission::kRecordTankReadings); ++p) {
    all.push_back(static_cast<Permission>(p));
  }
  return all;
}

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kTechnician: return "technician";
    case Role::kReviewer: return "reviewer";
    case Role::kScheduler: return "scheduler";
    case Role::kAuditor: return "auditor";
    case Role::kAdministrator: return "administrator";
    case Role::kPhysician: return "physician";
  }
  return "unknown";
}

absl::StatusOr<Role> ParseRole(absl::string_view name) {
  for (Role role : AllRoles()) {
    if (RoleName(role) == name) return role;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("role: \"", name,
                   "\" is not one of technician, reviewer, scheduler, auditor, administrator, physician"));
}

absl::string_view PermissionName(Permission permission) {
  switch (permission) {
    case Permission::kReadRecords: return "records.read";
    case Permission::kRegisterPatients: return "patients.register";
    case Permission::kRecordProduction: return "production.record";
    case Permission::kRecordQc: return "qc.record";
    case Permission::kReviewQc: return "qc.review";
    case Permission::kReportDeviations: return "deviations.report";
    case Permission::kDisposeDeviations: return "deviations.dispose";
    case Permission::kDisposeBatches: return "batches.dispose";
    case Permission::kReleaseBatches: return "batches.release";
    case Permission::kHandleUnits: return "units.handle";
    case Permission::kManageInventory: return "inventory.manage";
    case Permission::kManageStorage: return "storage.manage";
    case Permission::kManageUsers: return "users.manage";
    case Permission::kPlanTreatments: return "treatments.plan";
    case Permission::kRecordInfusions: return "infusions.record";
    case Permission::kExportAuditTrail: return "audit.export";
    case Permission::kReadReports: return "reports.read";
    case Permission::kAcknowledgeFollowUps: return "followups.acknowledge";
    case Permission::kAcceptMaterials: return "materials.accept";
    case Permission::kRequestPhysicianUse: return "deviations.request_physician_use";
    case Permission::kQualifyPeople: return "people.qualify";
    case Permission::kRecordTankReadings: return "storage.record_readings";
  }
  return "unknown";
}

bool RoleGrants(Role role, Permission permission) {
  using P = Permission;
  switch (role) {
    case Role::kTechnician:
      return permission == P::kReadRecords || permission == P::kRegisterPatients ||
             permission == P::kRecordProduction || permission == P::kRecordQc ||
             permission == P::kReportDeviations || permission == P::kHandleUnits ||
             permission == P::kRecordInfusions || permission == P::kRecordTankReadings;
    case Role::kReviewer:
      return permission == P::kReadRecords || permission == P::kReviewQc ||
             permission == P::kReportDeviations || permission == P::kDisposeDeviations ||
             permission == P::kDisposeBatches || permission == P::kReleaseBatches ||
             permission == P::kExportAuditTrail || permission == P::kReadReports ||
             permission == P::kAcceptMaterials || permission == P::kQualifyPeople ||
             permission == P::kRecordTankReadings;
    case Role::kScheduler:
      return permission == P::kReadRecords || permission == P::kRegisterPatients ||
             permission == P::kPlanTreatments;
    case Role::kAuditor:
      return permission == P::kReadRecords || permission == P::kExportAuditTrail ||
             permission == P::kReadReports;
    case Role::kAdministrator:
      // Never a signature: release and QA decisions need a reviewer.
      return permission == P::kReadRecords || permission == P::kManageInventory ||
             permission == P::kManageStorage || permission == P::kManageUsers ||
             permission == P::kReadReports || permission == P::kQualifyPeople;
    case Role::kPhysician:
      // What concerns the patient, and the physician's own signatures.
      return permission == P::kReadRecords || permission == P::kAcknowledgeFollowUps ||
             permission == P::kRequestPhysicianUse;
  }
  return false;
}

bool ManagesUsers(const std::vector<Role>& roles) {
  return std::any_of(roles.begin(), roles.end(),
                     [](Role role) { return RoleGrants(role, Permission::kManageUsers); });
}

bool SignsOrProduces(Permission permission) {
  using P = Permission;
  return permission == P::kRecordProduction || permission == P::kRecordQc ||
         permission == P::kReviewQc || permission == P::kDisposeDeviations ||
         permission == P::kDisposeBatches || permission == P::kReleaseBatches ||
         permission == P::kHandleUnits || permission == P::kRecordInfusions ||
         permission == P::kAcknowledgeFollowUps || permission == P::kAcceptMaterials ||
         permission == P::kRequestPhysicianUse;
}

std::vector<Role> SigningRoles() {
  std::vector<Role> out;
  for (Role role : AllRoles()) {
    for (Permission p : AllPermissions()) {
      if (SignsOrProduces(p) && RoleGrants(role, p)) {
        out.push_back(role);
        break;
      }
    }
  }
  return out;
}

bool IsSigningRole(Role role) {
  const std::vector<Role> signing = SigningRoles();
  return std::find(signing.begin(), signing.end(), role) != signing.end();
}

bool RolesGrant(const std::vector<Role>& roles, Permission permission) {
  if (SignsOrProduces(permission) && ManagesUsers(roles)) return false;
  return std::any_of(roles.begin(), roles.end(),
                     [&](Role role) { return RoleGrants(role, permission); });
}

absl::Status ValidateRoles(const std::vector<Role>& roles) {
  if (roles.empty()) return absl::InvalidArgumentError("roles: at least one role");
  for (size_t i = 0; i < roles.size(); ++i) {
    if (std::find(roles.begin() + i + 1, roles.end(), roles[i]) != roles.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("roles: ", RoleName(roles[i]), " given twice"));
    }
  }
  if (ManagesUsers(roles)) {
    const std::vector<Role> signing = SigningRoles();
    for (Role role : roles) {
      if (std::find(signing.begin(), signing.end(), role) != signing.end()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "roles: administrator and ", RoleName(role),
            " together: whoever manages users neither signs nor records production "
            "(separation of duties); give ", RoleName(role), " to another account"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateRoleChange(absl::string_view actor, absl::string_view user_name) {
  if (actor == user_name) {
    return absl::PermissionDeniedError(absl::StrCat(
        "user_name: ", user_name, " is you: no one changes their own roles; ask another "
        "administrator"));
  }
  return absl::OkStatus();
}

absl::Status ValidatePasswordReset(absl::string_view actor, absl::string_view user_name) {
  if (actor == user_name) {
    return absl::PermissionDeniedError(absl::StrCat(
        "user_name: ", user_name, " is you: change your own password by signing in with a new "
        "one (`cpc login ", user_name, " --change-password`)"));
  }
  return absl::OkStatus();
}

bool PasswordMustBeChanged(absl::string_view user_name, absl::string_view password_set_by) {
  return user_name != password_set_by;
}

absl::Status ValidatePasswordChangeAtLogin(absl::string_view user_name,
                                           absl::string_view password_set_by,
                                           absl::string_view password,
                                           absl::string_view new_password) {
  if (new_password.empty()) {
    if (!PasswordMustBeChanged(user_name, password_set_by)) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(
        "the password of ", user_name, " was set by ", password_set_by,
        ": choose a new one before anything else (`cpc login ", user_name,
        "` asks for it)"));
  }
  if (absl::Status s = ValidatePassword(new_password); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("new_", s.message()));
  }
  if (new_password == password) {
    return absl::InvalidArgumentError("new_password: the same as the current one; choose another");
  }
  return absl::OkStatus();
}

absl::Status ValidateNewUser(const User& user) {
  if (absl::Status s = ValidateIdentifier("user name", user.name); !s.ok()) return s;
  if (user.full_name.empty() || user.full_name.size() > 200) {
    return absl::InvalidArgumentError("full_name: required, at most 200 characters");
  }
  if (absl::Status s = ValidateText("full_name", user.full_name); !s.ok()) return s;
  return ValidateRoles(user.roles);
}

absl::Status ValidatePassword(absl::string_view password) {
  if (password.size() < 10) {
    return absl::InvalidArgumentError(
        absl::StrCat("password: ", password.size(), " characters; at least 10"));
  }
  if (password.size() > 1024) return absl::InvalidArgumentError("password: over 1024 characters");
  return absl::OkStatus();
}

absl::Duration LoginBackoff(int consecutive_failures) {
  if (consecutive_failures <= 3) return absl::ZeroDuration();
  const int doublings = std::min(consecutive_failures - 3, 9);
  return std::min(absl::Seconds(1 << (doublings - 1)) * 2, absl::Minutes(5));
}

}  // namespace cpctrack::domain
