#include "domain/access.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "domain/signature.h"

namespace cpctrack::domain {
namespace {

TEST(AccessTest, AuditorReadsEverythingExportsAndChangesNothing) {
  for (Permission p : AllPermissions()) {
    EXPECT_EQ(RoleGrants(Role::kAuditor, p),
              p == Permission::kReadRecords || p == Permission::kExportAuditTrail ||
                  p == Permission::kReadReports)
        << PermissionName(p);
  }
}

// The periodic report counts patients and batches across the clinic: QA,
// auditors and administrators read it; the bench and the front desk do not.
TEST(AccessTest, PeriodicReportsAreForQaAuditorsAndAdministrators) {
  EXPECT_TRUE(RoleGrants(Role::kReviewer, Permission::kReadReports));
  EXPECT_TRUE(RoleGrants(Role::kAuditor, Permission::kReadReports));
  EXPECT_TRUE(RoleGrants(Role::kAdministrator, Permission::kReadReports));
  EXPECT_FALSE(RoleGrants(Role::kTechnician, Permission::kReadReports));
  EXPECT_FALSE(RoleGrants(Role::kScheduler, Permission::kReadReports));
}

TEST(AccessTest, SchedulerPlansAndTechnicianInfusesButNeitherReleases) {
  EXPECT_TRUE(RoleGrants(Role::kScheduler, Permission::kPlanTreatments));
  EXPECT_FALSE(RoleGrants(Role::kScheduler, Permission::kRecordInfusions));
  EXPECT_FALSE(RoleGrants(Role::kScheduler, Permission::kReleaseBatches));
  EXPECT_TRUE(RoleGrants(Role::kTechnician, Permission::kRecordInfusions));
  EXPECT_FALSE(RoleGrants(Role::kTechnician, Permission::kPlanTreatments));
  EXPECT_FALSE(RoleGrants(Role::kTechnician, Permission::kReleaseBatches));
  EXPECT_TRUE(RoleGrants(Role::kReviewer, Permission::kReleaseBatches));
}

// Material acceptance is QA's signature: neither the administrator who
// registers lots nor production accepts them.
TEST(AccessTest, OnlyQaAcceptsMaterials) {
  EXPECT_TRUE(RoleGrants(Role::kReviewer, Permission::kAcceptMaterials));
  EXPECT_FALSE(RoleGrants(Role::kAdministrator, Permission::kAcceptMaterials));
  EXPECT_FALSE(RoleGrants(Role::kTechnician, Permission::kAcceptMaterials));
  EXPECT_EQ(PermissionName(Permission::kAcceptMaterials), "materials.accept");
}

// Qualifications are recorded by QA or an administrator, never by the people
// who record the steps they allow.
TEST(AccessTest, QaAndAdministratorsQualifyPeople) {
  EXPECT_TRUE(RoleGrants(Role::kReviewer, Permission::kQualifyPeople));
  EXPECT_TRUE(RolesGrant({Role::kAdministrator}, Permission::kQualifyPeople));
  EXPECT_FALSE(RoleGrants(Role::kTechnician, Permission::kQualifyPeople));
  EXPECT_FALSE(RoleGrants(Role::kAuditor, Permission::kQualifyPeople));
  EXPECT_FALSE(RoleGrants(Role::kScheduler, Permission::kQualifyPeople));
  EXPECT_FALSE(RoleGrants(Role::kPhysician, Permission::kQualifyPeople));
  EXPECT_EQ(PermissionName(Permission::kQualifyPeople), "people.qualify");
}

TEST(AccessTest, AdministratorCannotSignReleasesOrQaDecisions) {
  EXPECT_TRUE(RoleGrants(Role::kAdministrator, Permission::kManageUsers));
  EXPECT_TRUE(RoleGrants(Role::kAdministrator, Permission::kManageStorage));
  EXPECT_FALSE(RoleGrants(Role::kAdministrator, Permission::kReleaseBatches));
  EXPECT_FALSE(RoleGrants(Role::kAdministrator, Permission::kReviewQc));
  EXPECT_FALSE(RoleGrants(Role::kAdministrator, Permission::kDisposeDeviations));
}

// Separation of duties: whoever manages users could otherwise give
// themselves the power to sign.
TEST(AccessTest, AdministratorIsNeverAlsoASignerOrProducer) {
  EXPECT_TRUE(ValidateRoles({Role::kAdministrator, Role::kAuditor}).ok());
  for (Role role : {Role::kReviewer, Role::kTechnician}) {
    const absl::Status s = ValidateRoles({Role::kAdministrator, role});
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << RoleName(role);
    EXPECT_NE(s.message().find("separation of duties"), absl::string_view::npos) << s;
  }
  // A database from before the rule may hold such a pair: it grants nothing
  // that signs or produces.
  const std::vector<Role> legacy = {Role::kAdministrator, Role::kReviewer};
  EXPECT_TRUE(RolesGrant(legacy, Permission::kManageUsers));
  EXPECT_TRUE(RolesGrant(legacy, Permission::kExportAuditTrail));
  for (Permission p : AllPermissions()) {
    if (SignsOrProduces(p)) EXPECT_FALSE(RolesGrant(legacy, p)) << PermissionName(p);
  }
  EXPECT_TRUE(RolesGrant({Role::kReviewer}, Permission::kReleaseBatches));
  EXPECT_EQ(SigningRoles(), (std::vector<Role>{Role::kTechnician, Role::kReviewer, Role::kPhysician}));
}

TEST(AccessTest, NoOneChangesTheirOwnRolesOrResetsTheirOwnPassword) {
  EXPECT_EQ(ValidateRoleChange("admin.kato", "admin.kato").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(ValidateRoleChange("admin.kato", "qa.mori").ok());
  EXPECT_EQ(ValidatePasswordReset("admin.kato", "admin.kato").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(ValidatePasswordReset("admin.kato", "qa.mori").ok());
}

TEST(AccessTest, APasswordSetBySomeoneElseMustBeChangedAtSignIn) {
  EXPECT_TRUE(PasswordMustBeChanged("qa.mori", "admin.kato"));
  EXPECT_FALSE(PasswordMustBeChanged("qa.mori", "qa.mori"));
  EXPECT_EQ(ValidatePasswordChangeAtLogin("qa.mori", "admin.kato", "given-by-admin", "").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(
      ValidatePasswordChangeAtLogin("qa.mori", "admin.kato", "given-by-admin", "only-mine-2611")
          .ok());
  EXPECT_EQ(ValidatePasswordChangeAtLogin("qa.mori", "admin.kato", "given-by-admin",
                                          "given-by-admin")
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidatePasswordChangeAtLogin("qa.mori", "qa.mori", "mine-2611-x", "short").code(),
            absl::StatusCode::kInvalidArgument);
  // Everyone may change their own, any time.
  EXPECT_TRUE(ValidatePasswordChangeAtLogin("qa.mori", "qa.mori", "mine-2611-x", "").ok());
  EXPECT_TRUE(
      ValidatePasswordChangeAtLogin("qa.mori", "qa.mori", "mine-2611-x", "mine-2612-y").ok());
}

TEST(AccessTest, TechnicianRecordsButDoesNotReview) {
  EXPECT_TRUE(RoleGrants(Role::kTechnician, Permission::kRecordQc));
  EXPECT_TRUE(RoleGrants(Role::kTechnician, Permission::kHandleUnits));
  EXPECT_FALSE(RoleGrants(Role::kTechnician, Permission::kReviewQc));
  EXPECT_FALSE(RoleGrants(Role::kTechnician, Permission::kManageUsers));
}

TEST(AccessTest, SeveralRolesHoldTheUnion) {
  EXPECT_TRUE(RolesGrant({Role::kScheduler, Role::kReviewer}, Permission::kReviewQc));
  EXPECT_TRUE(RolesGrant({Role::kScheduler, Role::kReviewer}, Permission::kRegisterPatients));
  EXPECT_FALSE(RolesGrant({}, Permission::kReadRecords));
}

TEST(AccessTest, EveryPermissionIsGrantedToSomeRoleAndNamedUniquely) {
  std::set<std::string> names;
  for (Permission p : AllPermissions()) {
    bool granted = false;
    for (Role r : AllRoles()) granted = granted || RoleGrants(r, p);
    EXPECT_TRUE(granted) << PermissionName(p);
    EXPECT_TRUE(names.insert(std::string(PermissionName(p))).second) << PermissionName(p);
  }
}

TEST(AccessTest, RolesParseByName) {
  for (Role r : AllRoles()) EXPECT_EQ(*ParseRole(RoleName(r)), r);
  EXPECT_EQ(ParseRole("qa").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(AccessTest, NewUsersNeedANameAFullNameAndDistinctRoles) {
  User u{.name = "qa.tanaka", .full_name = "Tanaka Yui", .roles = {Role::kReviewer}};
  EXPECT_TRUE(ValidateNewUser(u).ok());
  u.roles = {Role::kReviewer, Role::kReviewer};
  EXPECT_EQ(ValidateNewUser(u).code(), absl::StatusCode::kInvalidArgument);
  u.roles = {};
  EXPECT_EQ(ValidateNewUser(u).code(), absl::StatusCode::kInvalidArgument);
  u.roles = {Role::kReviewer};
  u.name = "bad name!";
  EXPECT_EQ(ValidateNewUser(u).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ValidatePassword("short").ok());
  EXPECT_TRUE(ValidatePassword("correct horse").ok());
}

TEST(AccessTest, LoginBackoffGrowsAfterThreeFailuresAndIsCapped) {
  EXPECT_EQ(LoginBackoff(3), absl::ZeroDuration());
  EXPECT_EQ(LoginBackoff(4), absl::Seconds(2));
  EXPECT_EQ(LoginBackoff(5), absl::Seconds(4));
  EXPECT_EQ(LoginBackoff(40), absl::Minutes(5));
}

TEST(SignatureTest, SignedContentDiffersForAnotherRecordSignerOrTime) {
  const absl::Time t = absl::FromUnixSeconds(1'800'000'000);
  const std::string a =
      SignedContent("batches/X/qcTests/1", "{}", "qa.tanaka", SignatureMeaning::kResultReviewed, t);
  EXPECT_EQ(a, SignedContent("batches/X/qcTests/1", "{}", "qa.tanaka",
                             SignatureMeaning::kResultReviewed, t));
  EXPECT_NE(a, SignedContent("batches/X/qcTests/2", "{}", "qa.tanaka",
                             SignatureMeaning::kResultReviewed, t));
  EXPECT_NE(a, SignedContent("batches/X/qcTests/1", "{\"x\":1}", "qa.tanaka",
                             SignatureMeaning::kResultReviewed, t));
  EXPECT_NE(a, SignedContent("batches/X/qcTests/1", "{}", "qa.mori",
                             SignatureMeaning::kResultReviewed, t));
  EXPECT_NE(a, SignedContent("batches/X/qcTests/1", "{}", "qa.tanaka",
                             SignatureMeaning::kDeviationDisposition, t));
  EXPECT_NE(a, SignedContent("batches/X/qcTests/1", "{}", "qa.tanaka",
                             SignatureMeaning::kResultReviewed, t + absl::Seconds(1)));
}

}  // namespace
}  // namespace cpctrack::domain
