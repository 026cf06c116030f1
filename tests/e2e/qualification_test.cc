// Qualified operators (issue 17 item 4) through the real cpc against the real
// cpcd: an unqualified technician's freeze is refused naming the procedure,
// QA qualifies them and the same freeze succeeds; an expired qualification
// and one earned after the step are refused; no one qualifies themselves and
// a technician qualifies no one; an auditor lists the qualifications with
// when each was used.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "tests/e2e/cli_inventory.h"
#include "tests/e2e/server_process.h"
#include "tests/e2e/test_users.h"

namespace cpctrack::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kNew[] = "tech.new";
constexpr char kLate[] = "transcribed from the paper batch record";

std::string Day(int plus_days) {
  return absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + plus_days);
}

class QualificationTest : public ::testing::Test {
 protected:
  QualificationTest() : server_(dir_.path() + "/cpctrack.db") {}

  CliResult Cpc(const std::vector<std::string>& args, const std::string& user) {
    return RunCpc(server_.address(), user, args, state_dir_);
  }
  std::string Ok(const std::vector<std::string>& args, const std::string& user) {
    const CliResult r = Cpc(args, user);
    EXPECT_EQ(r.exit_code, 0) << "cpc " << absl::StrJoin(args, " ") << " (as " << user << ")\n"
                              << r.err;
    return r.out;
  }

  void SetUp() override {
    // A technician just hired: an account, no training on record yet.
    CreateUser(grpc::CreateChannel(server_.address(), grpc::InsecureChannelCredentials()),
               {kNew, "New Tech", {v1::ROLE_TECHNICIAN}});
    Ok({"patient", "register", "TKY-0042", "--weight-kg", "62.5", "--hbv", "neg", "--hcv", "neg",
        "--hiv", "neg", "--htlv1", "neg", "--syphilis", "neg", "--consent-ref", "CF-0113"},
       "tech.sato");
    RegisterCultureInventory(server_.address(), state_dir_);
    RegisterAcceptedLot(server_.address(), state_dir_, "CS10-2611", "CryoStor CS10", "2099-12-31");
    Ok({"storage", "add-tank", "LN2-A", "--class", "ln2-vapour", "--name", "LN2 vapour tank A"},
       kAdmin);
    Ok({"storage", "add-rack", "LN2-A", "R1"}, kAdmin);
    Ok({"storage", "add-box", "LN2-A/R1/B1", "--rows", "9", "--columns", "9"}, kAdmin);
    // Grown by tech.sato, qualified for the culture procedures, to its final
    // harvest 50 h ago (typed in late), so that freezes can be dated either
    // side of yesterday.
    batch_ = std::string(absl::StripAsciiWhitespace(
        Ok({"batch", "create", "--patient", "TKY-0042", "--quiet"}, "tech.sato")));
    Ok({"batch", "receive", batch_, "--collected", "-72h", "--received", "-71h", "--site",
        "abdomen", "--volume-ml", "20", "--temp-c", "4", "--late-reason", kLate},
       "tech.sato");
    Ok({"batch", "seed", batch_, "--cells", "2e6", "--vessel", "T75", "--vessels", "2",
        "--area-cm2", "150", "--medium-lot", "MEM-2611", "--reagent-lot", "COL-0425",
        "--incubator", "INC-01", "--at", "-70h", "--late-reason", kLate},
       "tech.sato");
    Ok({"batch", "harvest", batch_, "--total", "2.2e8", "--viable", "2e8", "--method",
        "auto-trypan", "--counter", "NC-01", "--medium-lot", "MEM-2611", "--reagent-lot",
        "TRY-7781", "--incubator", "INC-01", "--at", "-50h", "--late-reason", kLate},
       "tech.sato");
  }

  // Two vials at A<column>, A<column+1>, frozen `at` ("-30m").
  CliResult Freeze(const std::string& user, int column, const std::string& at = "-30m",
                   const std::vector<std::string>& more = {}) {
    std::vector<std::string> args = {
        "units", "freeze", batch_, "--kind", "vial", "--cells", "2.5e7", "--volume-ml", "1.5",
        "--medium", "CryoStor CS10", "--medium-lot", "CS10-2611", "--program",
        "-1C/min to -90C", "--at", at, "--count", "2", "--start",
        absl::StrCat("LN2-A/R1/B1/A", column)};
    args.insert(args.end(), more.begin(), more.end());
    return Cpc(args, user);
  }

  std::vector<std::string> Qualify(const std::string& user, const std::string& expires,
                                   const std::string& evidence = "TR-2026-014") {
    return {"user", "qualify", user, "--procedure", "freezing", "--expires", expires,
            "--evidence", evidence};
  }

  // As the database holds a qualification recorded long ago (cpcd accepts no
  // expiry before today): tech.new's freezing, 2024-01-10 to `expires_on`.
  void InsertOldQualification(const std::string& expires_on) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_.path() + "/cpctrack.db").c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    const std::string sql = absl::StrCat(
        "INSERT INTO qualifications (user_name, procedure, qualified_on, expires_on, evidence, "
        "recorded_at, recorded_by) VALUES ('tech.new', 3, '2024-01-10', '",
        expires_on, "', 'TR-2024-003', 0, 'qa.mori')");
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
    sqlite3_free(error);
    sqlite3_close(db);
  }

  TempDir dir_;
  ServerProcess server_;
  std::string state_dir_ = dir_.path() + "/cpc-state";
  std::string batch_;
};

TEST_F(QualificationTest, AnUnqualifiedTechniciansFreezeIsRefusedUntilQaQualifiesThem) {
  const CliResult refused = Freeze(kNew, 1);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("tech.new is not qualified for freezing"));
  EXPECT_THAT(refused.err, HasSubstr("no qualification on record"));
  EXPECT_THAT(Ok({"units", "list", "--batch", batch_}, "tech.sato"), Not(HasSubstr("-01")));

  EXPECT_THAT(Ok(Qualify(kNew, Day(365)), "qa.mori"),
              HasSubstr(absl::StrCat("Qualified tech.new for freezing from ", Day(0),
                                     " through ", Day(365), " (evidence TR-2026-014")));
  const CliResult frozen = Freeze(kNew, 1);
  EXPECT_EQ(frozen.exit_code, 0) << frozen.err;
  // The qualification is for its procedure only: a QC sample needs qc-testing.
  const CliResult sample = Cpc({"qc", "sample", batch_, "--point", "final-harvest", "--at",
                                "-1h", "--test", "endotoxin"},
                               kNew);
  EXPECT_EQ(sample.exit_code, 1);
  EXPECT_THAT(sample.err, HasSubstr("tech.new is not qualified for qc-testing"));
  // Said in the audit trail: who qualified whom, on what evidence.
  EXPECT_THAT(Ok({"user", "where-used", "qa.mori"}, "auditor.ito"), HasSubstr("user.qualify"));
}

TEST_F(QualificationTest, AnExpiredQualificationIsRefusedNamingTheExpiry) {
  InsertOldQualification(Day(-1));
  const CliResult refused = Freeze(kNew, 1);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("tech.new is not qualified for freezing"));
  EXPECT_THAT(refused.err, HasSubstr(absl::StrCat("expired on ", Day(-1))));
  // A freeze done two days ago, typed in late, was done while qualified.
  const CliResult late =
      Freeze(kNew, 1, "-47h", {"--late-reason", kLate});
  EXPECT_EQ(late.exit_code, 0) << late.err;
  // A renewal earned today does not cover yesterday.
  Ok(Qualify(kNew, Day(365), "TR-2026-020"), "qa.mori");
  EXPECT_EQ(Freeze(kNew, 3).exit_code, 0);
}

TEST_F(QualificationTest, AQualificationEarnedAfterTheStepDoesNotCoverIt) {
  Ok({"user", "qualify", kNew, "--procedure", "freezing", "--qualified-on", Day(0), "--expires",
      Day(365), "--evidence", "TR-2026-014"},
     kAdmin);
  const CliResult refused =
      Freeze(kNew, 1, "-47h", {"--late-reason", kLate});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr(absl::StrCat("qualified only from ", Day(0))));
}

TEST_F(QualificationTest, NoOneQualifiesThemselvesAndTechniciansQualifyNoOne) {
  const CliResult own = Cpc(Qualify("qa.mori", Day(365)), "qa.mori");
  EXPECT_NE(own.exit_code, 0);
  EXPECT_THAT(own.err, HasSubstr("no one records their own qualification"));
  const CliResult technician = Cpc(Qualify(kNew, Day(365)), "tech.sato");
  EXPECT_NE(technician.exit_code, 0);
  EXPECT_THAT(technician.err, HasSubstr("people.qualify"));
  const CliResult self = Cpc(Qualify(kNew, Day(365)), kNew);
  EXPECT_NE(self.exit_code, 0);
  EXPECT_THAT(self.err, HasSubstr("people.qualify"));
  // Bad input names the field, the value and the rule.
  const CliResult too_long = Cpc(Qualify(kNew, Day(6 * 365)), "qa.mori");
  EXPECT_NE(too_long.exit_code, 0);
  EXPECT_THAT(too_long.err, HasSubstr(absl::StrCat("expires_on: ", Day(6 * 365))));
  EXPECT_THAT(too_long.err, HasSubstr("within 5 years"));
  const CliResult unknown = Cpc(Qualify("tech.nobody", Day(365)), "qa.mori");
  EXPECT_NE(unknown.exit_code, 0);
  // Nothing was recorded by any of these.
  EXPECT_THAT(Ok({"user", "qualifications", kNew}, "auditor.ito"),
              HasSubstr("No qualification of tech.new on record."));
}

TEST_F(QualificationTest, AnAuditorListsAPersonsQualificationsAndWhenEachWasUsed) {
  Ok(Qualify(kNew, Day(365)), "qa.mori");
  ASSERT_EQ(Freeze(kNew, 1).exit_code, 0);
  const std::string listed = Ok({"user", "qualifications", kNew}, "auditor.ito");
  EXPECT_THAT(listed, HasSubstr("Qualifications of tech.new"));
  EXPECT_THAT(listed, HasSubstr("freezing"));
  EXPECT_THAT(listed, HasSubstr("TR-2026-014"));
  EXPECT_THAT(listed, HasSubstr("qa.mori"));
  EXPECT_THAT(listed, HasSubstr("(freezing), newest first"));
  EXPECT_THAT(listed, HasSubstr(batch_));
  const std::string csv = Ok({"user", "qualifications", kNew, "--csv"}, "auditor.ito");
  EXPECT_THAT(csv, HasSubstr("qualification_id,user,procedure,qualified_on,expires_on"));
  EXPECT_THAT(csv, HasSubstr(absl::StrCat("tech.new,freezing,", Day(0), ",", Day(365),
                                          ",no,TR-2026-014,qa.mori,")));
  EXPECT_THAT(csv, HasSubstr(absl::StrCat(",freeze,", batch_, ",")));
  // The fixture's technicians were qualified by the administrator a year ago.
  const std::string sato = Ok({"user", "qualifications", "tech.sato"}, "auditor.ito");
  for (const char* procedure : {"aseptic-processing", "passage", "freezing", "qc-testing"}) {
    EXPECT_THAT(sato, HasSubstr(procedure));
  }
  EXPECT_THAT(sato, HasSubstr("TR-tech.sato"));
  // Technicians read no one's qualifications (a report).
  EXPECT_NE(Cpc({"user", "qualifications", kNew}, "tech.sato").exit_code, 0);
}

}  // namespace
}  // namespace cpctrack::testing
