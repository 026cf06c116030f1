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
};

std::vector<Role> AllRoles();
std::vector<Permission> AllPermissions();

// Roles whose holders sign records (QA's reviewer, the physician): kept apart
// from managing users (separation of duties).
bool IsSigningRole(Role role);

// "technician", "reviewer", "scheduler", "auditor", "administrator", "physician".
absl::string_view RoleName(Role role);
// InvalidArgument naming the accepted names.
absl::StatusOr<Role> ParseRole(absl::string_view name);
// e.g. "qc.review".
absl::string_view PermissionName(Permission permission);

// The matrix: whether `role` grants `permission`.
bool RoleGrants(Role role, Permission permission);
bool RolesGrant(const std::vector<Role>& roles, Permission permission);

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
// characters; at least one role, none twice.
absl::Status ValidateNewUser(const User& user);
absl::Status ValidateRoles(const std::vector<Role>& roles);
// At least 10 characters: a password is also a signature.
absl::Status ValidatePassword(absl::string_view password);

// Failed logins slow down further attempts: none for the first three, then
// 2^(n-3) seconds, at most 5 minutes.
absl::Duration LoginBackoff(int consecutive_failures);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_ACCESS_H_
