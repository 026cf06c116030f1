// The users every e2e server has: an administrator made by `cpcd
// bootstrap-admin` and the people of the tests, each with a password; and
// logging them in.
#ifndef CPCTRACK_TESTS_E2E_TEST_USERS_H_
#define CPCTRACK_TESTS_E2E_TEST_USERS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "cpctrack/v1/auth.grpc.pb.h"

namespace cpctrack::testing {

// The bootstrap administrator (administrator only).
inline constexpr char kAdmin[] = "admin.kato";
// The QA reviewer who accepts the fixtures' reagent lots (the administrator
// registers them; no one accepts a lot they registered).
inline constexpr char kLotAcceptor[] = "qa.mori";

struct TestUser {
  std::string name;
  std::string full_name;
  std::vector<v1::Role> roles;
  // What they are trained for: kAdmin records these qualifications when the
  // user is created, earned a year ago (QualifiedOn) and valid a year ahead
  // (QualificationExpiry), so steps dated in the past are covered too.
  std::vector<v1::Procedure> procedures = {};
};

// The production staff's procedures: aseptic processing, passage, freezing
// and QC testing (the bedside is the nurses').
const std::vector<v1::Procedure>& CultureProcedures();

// admin.kato (administrator); tech.sato, tech.kato (technician, qualified
// for CultureProcedures); nurse.abe, nurse.ito (technician, qualified for
// infusion); qa.tanaka (reviewer, technician; CultureProcedures);
// qa.mori (reviewer, scheduler); sched.abe, sched.mori (scheduler);
// auditor.ito, auditor.mori (auditor); dr.ito (physician).
const std::vector<TestUser>& TestUsers();
std::string TestPassword(const std::string& user);
// The password an administrator gives `user` at creation; the user replaces
// it with TestPassword(user) at their first sign-in.
std::string TestInitialPassword(const std::string& user);

// Creates TestUsers() other than kAdmin on the server behind `channel`, as kAdmin.
void CreateTestUsers(const std::shared_ptr<grpc::Channel>& channel);
// Creates one more user as kAdmin, who gives them TestInitialPassword; the
// user then signs in once choosing TestPassword, as a person would.
void CreateUser(const std::shared_ptr<grpc::Channel>& channel, const TestUser& user);

// The fixtures' qualification days, YYYY-MM-DD: a year ago and a year ahead (UTC).
std::string QualifiedOn();
std::string QualificationExpiry();
// kAdmin records `user`'s qualification for each of `procedures` (evidence
// "TR-<user>"); throws std::runtime_error when refused.
void Qualify(const std::shared_ptr<grpc::Channel>& channel, const std::string& user,
             const std::vector<v1::Procedure>& procedures);

// A session token for `user` with TestPassword(user); throws
// std::runtime_error when login fails (so does CreateUser).
std::string LoginToken(const std::shared_ptr<grpc::Channel>& channel, const std::string& user);

// A context with "authorization: Bearer TOKEN" (none for "") and a 10 s deadline.
std::unique_ptr<grpc::ClientContext> TokenContext(const std::string& token);

}  // namespace cpctrack::testing

#endif  // CPCTRACK_TESTS_E2E_TEST_USERS_H_
