// Who may do what: the five roles of a CPC, the permissions RPCs require and
// the one matrix that grants permissions to roles. A user may hold several
// roles; they hold the union of the roles' permissions.
#ifndef CPCTRACK_DOMAIN_ACCESS_H_
#define CPCTRACK_DOMAIN_ACCESS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cpctrack::domain {

enum class Role {
  kTechnician = 1,     // records culture, QC results, cryo, thaw
  kReviewer = 2,       // QA: reviews results, handles deviations, releases
  kScheduler = 3,      // reads batches, plans infusions, readiness
  kAuditor = 4,        // reads everything, exports, changes nothing
  kAdministrator = 5,  // users, products, storage, lots; cannot sign releases
  kPhysician = 6,      // the patient's physician: reads, acknowledges follow-ups (a signature)
};

enum class Permission {
  kReadRecords = 1,       // every Get/List: batches, patients, QC, units, storage
  kRegisterPatients,      // patient registration and updates
  kRecordProduction,      // batch creation, culture steps, corrections
  kRecordQc,              // samples, test orders, results and their corrections
  kReviewQc,              // result review (a signature) and test invalidation
  kReportDeviations,      // opening deviations and adding notes
  kDisposeDeviations,     // QA disposition closing a deviation (a signature)
  kDisposeBatches,        // QA disposal of a batch
  kReleaseBatches,        // release (a signature)
  kHandleUnits,           // freeze, move, thaw, dispose units
  kManageInventory,       // reagent lots, equipment, products
  kManageStorage,         // tanks, racks, boxes
  kManageUsers,           // create, disable users, set roles, reset passwords
  kPlanTreatments,        // treatment plans and their planned infusions
  kRecordInfusions,       // bedside check and infusion of a unit
  kExportAuditTrail,      // audit trail listing and export (itself audited)
  kReadReports,           // periodic reports across batches and patients (QA, auditors, admins)
  kAcknowledgeFollowUps,  // the physician's signed acknowledgement of a follow-up case
  kAcceptMaterials,       // QA's acceptance or rejection of a reagent lot (a signature)
  kRequestPhysicianUse,   // the physician's signed request to use an out-of-specification batch
  kQualifyPeople,         // recording a person's qualification for a procedure (QA, administrators)
  kRecordTankReadings,    // storage monitoring readings, typed or imported (may open an excursion)
};

std::vector<Role> AllRoles();
std::vector<Permission> AllPermissions();


// "technician", "reviewer", "scheduler", "auditor", "administrator", "physician".
absl::string_view RoleName(Role role);
// InvalidArgument naming the accepted names.
absl::StatusOr<Role> ParseRole(absl::string_view name);
// e.g. "qc.review".
absl::string_view PermissionName(Permission permission);

// The matrix: whether `role` grants `permission`.
bool RoleGrants(Role role, Permission permission);
// The union of the roles' permissions, less separation of duties: a user
// who manages users never signs and never records a production step, even if
// an older database gave them such a role beside administrator.
bool RolesGrant(const std::vector<Role>& roles, Permission permission);

// Whether `roles` include managing users (the administrator role).
bool ManagesUsers(const std::vector<Role>& roles);
// Whether `permission` is a signature, a QA decision or a production step:
// never held by a user who manages users.
// The one list: a role that signs (reviewer, and any role given a signing
// permission, e.g. a physician's) is added by adding its permission here.
bool SignsOrProduces(Permission permission);
// The roles that grant any such permission (technician, reviewer, ...):
// never beside administrator.
std::vector<Role> SigningRoles();
// Whether `role` is one of SigningRoles().
bool IsSigningRole(Role role);

// A person who may sign in. The name is the unique user ID recorded in every
// record; the full name is what a signature shows.
struct User {
  std::string name;
  std::string full_name;
  std::vector<Role> roles;
  bool disabled = false;
  absl::Time created_at;
  std::string created_by;
};

// A user name is an identifier (see ValidateIdentifier); a full name 1-200
// characters of printable text; at least one role, none twice.
absl::Status ValidateNewUser(const User& user);
// At least one role, none twice, and administrator never beside a role that
// signs or records production (reviewer, technician): separation of duties.
absl::Status ValidateRoles(const std::vector<Role>& roles);
// At least 10 characters: a password is also a signature.
absl::Status ValidatePassword(absl::string_view password);

// Separation of duties among administrators. PermissionDenied when `actor`
// changes their own roles, or resets their own password (they change it by
// signing in with a new one, like everyone).
absl::Status ValidateRoleChange(absl::string_view actor, absl::string_view user_name);
absl::Status ValidatePasswordReset(absl::string_view actor, absl::string_view user_name);

// A password someone else set (at creation or a reset) is known to them: its
// owner must replace it at the next sign-in before anything else.
bool PasswordMustBeChanged(absl::string_view user_name, absl::string_view password_set_by);
// A password change at sign-in: FailedPrecondition when the password must be
// changed and no new one is given; InvalidArgument when the new one is too
// short or equals the current one. OK (nothing to change) when neither.
absl::Status ValidatePasswordChangeAtLogin(absl::string_view user_name,
                                           absl::string_view password_set_by,
                                           absl::string_view password,
                                           absl::string_view new_password);

// Failed logins slow down further attempts: none for the first three, then
// 2^(n-3) seconds, at most 5 minutes.
absl::Duration LoginBackoff(int consecutive_failures);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_ACCESS_H_
