// The real cpc binary against the real cpcd: the README tour, errors on
// stderr with non-zero exits, --json, paging and a retried request ID.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/e2e/cli_inventory.h"
#include "tests/e2e/server_process.h"
#include "tests/e2e/test_users.h"

namespace cpctrack::testing {
namespace {

using ::testing::HasSubstr;

class CliTest : public ::testing::Test {
 protected:
  CliTest() : server_(dir_.path() + "/cpctrack.db") {}

  // The administrator's cpc environment (signed in), and `cpc user create
  // tech.new` run in it with `password` on stdin.
  std::vector<std::string> AdminCreatesTechNew(const std::string& password, CliResult* r) {
    EXPECT_THAT(Ok({"user", "list"}, kAdmin), HasSubstr("qa.tanaka"));  // logs the admin in
    std::vector<std::string> admin =
        CpcEnvironment(server_.address(), state_dir_ + ".config-" + kAdmin, state_dir_);
    *r = RunProgram({CPC_PATH, "user", "create", "tech.new", "--full-name", "New Tech", "--role",
                     "technician", "--password-stdin"},
                    admin, password + "\n");
    return admin;
  }

  CliResult Cpc(const std::vector<std::string>& args, const std::string& user = "tech.sato") {
    return RunCpc(server_.address(), user, args, state_dir_);
  }

  // Runs a command that must succeed and returns its stdout.
  std::string Ok(const std::vector<std::string>& args, const std::string& user = "tech.sato") {
    const CliResult r = Cpc(args, user);
    EXPECT_EQ(r.exit_code, 0) << "cpc " << absl::StrJoin(args, " ") << "\n" << r.err;
    return r.out;
  }

  void RegisterBasics() {
    Ok({"patient", "register", "TKY-0042", "--weight-kg", "62.5", "--hbv", "neg", "--hcv", "neg",
        "--hiv", "neg", "--htlv1", "neg", "--syphilis", "neg", "--consent-ref", "CF-0113"});
    RegisterCultureInventory(server_.address(), state_dir_);
  }

  std::string CreateBatch() {
    return std::string(absl::StripAsciiWhitespace(
        Ok({"batch", "create", "--patient", "TKY-0042", "--quiet"})));
  }

  TempDir dir_;
  ServerProcess server_;
  std::string state_dir_ = dir_.path() + "/cpc-state";
};

TEST_F(CliTest, ReadmeTourFromRegistrationToTheFirstPassage) {
  RegisterBasics();
  const std::string b = CreateBatch();
  ASSERT_EQ(b.size(), 14u) << b;
  // Four days of culture typed in now: each step more than 24 h old says why.
  const std::vector<std::string> receive = {
      "batch", "receive", b, "--collected", "-100h", "--received", "-98h", "--site", "abdomen",
      "--volume-ml", "20", "--temp-c", "4"};
  const CliResult unexplained = Cpc(receive);
  EXPECT_NE(unexplained.exit_code, 0);
  EXPECT_THAT(unexplained.err, HasSubstr("late_entry_reason: required"));
  EXPECT_THAT(unexplained.err, HasSubstr("--late-reason"));
  std::vector<std::string> explained = receive;
  explained.insert(explained.end(),
                   {"--late-reason", "transcribed from the paper batch record"});
  Ok(explained);
  Ok({"batch", "seed", b, "--cells", "2.5e6", "--vessel", "T75", "--vessels", "2", "--area-cm2",
      "150", "--medium-lot", "MEM-2611", "--reagent-lot", "COL-0425", "--incubator", "INC-01",
      "--at", "-96h", "--late-reason", "transcribed from the paper batch record"});
  Ok({"batch", "observe", b, "--confluence", "85", "--morphology", "spindle-shaped"});
  Ok({"batch", "feed", b, "--medium-lot", "MEM-2611", "--volume-ml", "30", "--at", "-48h",
      "--late-reason", "fed on Saturday; recorded Monday"});
  const std::string passage =
      Ok({"batch", "passage", b, "--total", "1.3e7", "--viable", "1.2e7", "--method",
          "auto-trypan", "--counter", "NC-01", "--reseed", "3e6", "--medium-lot", "MEM-2611", "--reagent-lot",
          "TRY-7781", "--incubator", "INC-01"});
  // 2.5e6 -> 1.2e7 viable: PD = log2(4.8) = 2.26; over 96 h, DT = 96 ln2 / ln 4.8 = 42.4 h.
  EXPECT_THAT(passage, HasSubstr("PD 2.26"));
  EXPECT_THAT(passage, HasSubstr("42.4 h"));

  const std::string show = Ok({"batch", "show", b});
  EXPECT_THAT(show, HasSubstr("in-culture, P1"));
  EXPECT_THAT(show, HasSubstr("cumulative PD 2.26"));
  EXPECT_THAT(show, HasSubstr("receipt"));
  EXPECT_THAT(show, HasSubstr("feed"));
  EXPECT_THAT(show, HasSubstr("TKY-0042"));
  // The late steps carry their reasons on the timeline and in their own list.
  EXPECT_THAT(show, HasSubstr("late entry, recorded"));
  EXPECT_THAT(show, HasSubstr("(reason: transcribed from the paper batch record)"));
  EXPECT_THAT(show, HasSubstr("Late entries"));
  EXPECT_THAT(show, HasSubstr("fed on Saturday; recorded Monday"));

  const std::string json = Ok({"batch", "show", b, "--json"});
  EXPECT_THAT(json, HasSubstr("\"batch_id\": \"" + b + "\""));
  EXPECT_THAT(json, HasSubstr("\"state\": \"BATCH_STATE_IN_CULTURE\""));
}

TEST_F(CliTest, FinalHarvestEndsTheCulture) {
  RegisterBasics();
  const std::string b = CreateBatch();
  Ok({"batch", "receive", b, "--collected", "-23h", "--received", "-22h", "--site", "abdomen",
      "--volume-ml", "20", "--temp-c", "4"});
  Ok({"batch", "seed", b, "--cells", "2.5e6", "--vessel", "T75", "--vessels", "2", "--area-cm2",
      "150", "--medium-lot", "MEM-2611", "--incubator", "INC-01", "--at", "-21h"});
  const std::string harvest =
      Ok({"batch", "harvest", b, "--total", "5.5e6", "--viable", "5e6", "--method", "aopi", "--counter", "NC-01",
          "--medium-lot", "MEM-2611", "--reagent-lot", "TRY-7781", "--incubator", "INC-01"});
  EXPECT_THAT(harvest, HasSubstr("FINAL HARVEST (culture ended)"));
  EXPECT_THAT(harvest, HasSubstr("Recorded harvest #"));  // the harvest is no passage
  const CliResult more = Cpc({"batch", "observe", b, "--confluence", "20"});
  EXPECT_NE(more.exit_code, 0);
  EXPECT_THAT(more.err, HasSubstr("the culture ended with the final harvest"));
  const CliResult no_reseed = Cpc({"batch", "passage", b, "--total", "5.5e6", "--viable", "5e6",
                                   "--method", "aopi", "--counter", "NC-01", "--reseed", "0", "--medium-lot",
                                   "MEM-2611", "--incubator", "INC-01"});
  EXPECT_NE(no_reseed.exit_code, 0);
  EXPECT_THAT(Ok({"batch", "show", b}), HasSubstr("FINAL HARVEST"));
}

TEST_F(CliTest, ErrorsGoToStderrWithTheCodeAndANonZeroExit) {
  RegisterBasics();
  const std::string b = CreateBatch();

  CliResult r = Cpc({"batch", "passage", b, "--total", "1e7", "--viable", "9e6", "--method",
                     "aopi", "--counter", "NC-01", "--reseed", "2e6", "--medium-lot", "MEM-2611", "--incubator",
                     "INC-01"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(r.err, HasSubstr("REGISTERED"));
  EXPECT_EQ(r.out, "");

  std::string wrong = b;
  wrong[13] = wrong[13] == '0' ? '1' : '0';
  // Read as a scan would be, by cpc itself: a usage error naming the
  // argument, before anything is sent.
  r = Cpc({"batch", "show", wrong});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("BATCH: batch ID \"" + wrong + "\": wrong check character"));
  EXPECT_EQ(r.out, "");

  r = Cpc({"batch", "create", "--patient", "TKY-0042"}, /*user=*/"");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("UNAUTHENTICATED"));

  r = Cpc({"batch", "passage", b, "--total", "abc", "--viable", "9e6", "--method", "aopi", "--counter", "NC-01",
           "--reseed", "2e6", "--medium-lot", "MEM-2611", "--incubator", "INC-01"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--total"));

  r = Cpc({"lot", "register", "MEM-2611", "--name", "again", "--expiry", "2099-01-01"}, kAdmin);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("ALREADY_EXISTS"));
}

TEST_F(CliTest, BatchIdWorksWithTheSpacesPrintedOnTheLabel) {
  RegisterBasics();
  const std::string b = CreateBatch();
  const std::string spaced =
      b.substr(0, 5) + " " + b.substr(5, 2) + " " + b.substr(7, 6) + " " + b.substr(13);
  EXPECT_THAT(Ok({"batch", "show", spaced}), HasSubstr(b));
}

TEST_F(CliTest, RetryWithTheSameRequestIdRecordsOnce) {
  RegisterBasics();
  const std::string b = CreateBatch();
  Ok({"batch", "receive", b, "--collected", "-23h", "--received", "-22h", "--site", "thigh",
      "--volume-ml", "15", "--temp-c", "4"});
  Ok({"batch", "seed", b, "--cells", "2e6", "--vessel", "T75", "--vessels", "1", "--area-cm2",
      "75", "--medium-lot", "MEM-2611", "--incubator", "INC-01", "--at", "-20h"});
  // A retry must ask for exactly the same thing: an absolute time, since
  // "-1h" would mean another moment a second later.
  const std::string at = absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now() - absl::Hours(1),
                                          absl::UTCTimeZone());
  const std::vector<std::string> observe = {"--request-id", "obs-1", "batch", "observe", b,
                                            "--confluence", "40", "--at", at};
  Ok(observe);
  Ok(observe);
  const std::string json = Ok({"batch", "show", b, "--json"});
  size_t count = 0;
  for (size_t at = json.find("\"observation\""); at != std::string::npos;
       at = json.find("\"observation\"", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 1u) << json;
}

TEST_F(CliTest, AWriteThatCouldNotBeSentIsFinishedLaterWithCpcRetry) {
  RegisterBasics();
  const std::string b = CreateBatch();
  server_.Stop();
  // The server is down: cpc keeps the write in its journal and says how to finish it.
  CliResult r = Cpc({"--request-id", "recv-1", "--timeout", "2", "batch", "receive", b,
                     "--collected", "-23h", "--received", "-22h", "--site", "thigh",
                     "--volume-ml", "15", "--temp-c", "4"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("UNAVAILABLE"));
  EXPECT_THAT(r.err, HasSubstr("cpc retry recv-1"));
  EXPECT_THAT(Cpc({"retry"}).out, HasSubstr("recv-1"));

  server_.Restart();
  // The same bytes, so the same times, whenever the retry happens.
  r = Cpc({"retry", "recv-1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = Cpc({"retry", "recv-1"});
  EXPECT_EQ(r.exit_code, 2) << "finished: nothing left to retry";
  const std::string show = Ok({"batch", "show", b});
  EXPECT_THAT(show, HasSubstr("tissue-received"));
  EXPECT_THAT(show, HasSubstr("thigh"));
}

TEST_F(CliTest, ListsBatchesByStateAndPageByPage) {
  RegisterBasics();
  const std::string first = CreateBatch();
  const std::string second = CreateBatch();
  Ok({"batch", "receive", second, "--collected", "-23h", "--received", "-22h", "--site",
      "thigh", "--volume-ml", "15", "--temp-c", "4"});

  const std::string received = Ok({"batch", "list", "--state", "tissue-received"});
  EXPECT_THAT(received, HasSubstr(second));
  EXPECT_THAT(received, ::testing::Not(HasSubstr(first)));

  const std::string page1 = Ok({"batch", "list", "--page-size", "1"});
  EXPECT_THAT(page1, HasSubstr(second));
  const size_t at = page1.find("--page-token ");
  ASSERT_NE(at, std::string::npos) << page1;
  const std::string token(absl::StripAsciiWhitespace(
      page1.substr(at + 13, page1.find_first_of(" \n", at + 13) - at - 13)));
  const std::string page2 = Ok({"batch", "list", "--page-size", "1", "--page-token", token});
  EXPECT_THAT(page2, HasSubstr(first));
  EXPECT_THAT(page2, ::testing::Not(HasSubstr(second)));
}

TEST_F(CliTest, LoginKeepsASessionOnlyTheUserCanReadAndLogoutEndsIt) {
  const std::string config = dir_.path() + "/login-config";
  const std::vector<std::string> env = CpcEnvironment(server_.address(), config, state_dir_);
  CliResult r = RunProgram({CPC_PATH, "login", "qa.mori", "--password-stdin"}, env,
                           "wrong password\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("UNAUTHENTICATED"));
  r = RunProgram({CPC_PATH, "login", "qa.mori", "--password-stdin"}, env,
                 TestPassword("qa.mori") + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("as qa.mori (Mori Aoi; reviewer,scheduler) until"));
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(config + "/cpctrack")) {
    EXPECT_EQ(std::filesystem::status(entry).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    ++files;
  }
  EXPECT_EQ(files, 1);
  r = RunProgram({CPC_PATH, "status"}, env, "");
  EXPECT_THAT(r.out, HasSubstr("qa.mori"));
  r = RunProgram({CPC_PATH, "logout"}, env, "");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = RunProgram({CPC_PATH, "patient", "list"}, env, "");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("cpc login"));
}

TEST_F(CliTest, AnAdministratorManagesUsers) {
  CliResult r;
  const std::vector<std::string> admin = AdminCreatesTechNew("initial password", &r);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Created tech.new (New Tech; technician)"));
  EXPECT_TRUE(!std::filesystem::exists(state_dir_) || std::filesystem::is_empty(state_dir_))
      << "a write with a password is never saved to the journal";
  r = Cpc({"user", "list"}, "tech.sato");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("users.manage"));
  r = RunProgram({CPC_PATH, "user", "disable", "tech.new", "--reason", "test"}, admin, "");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(Ok({"user", "list"}, kAdmin), HasSubstr("disabled"));
}

TEST_F(CliTest, ANewUserChoosesTheirOwnPasswordAtFirstSignIn) {
  CliResult r;
  const std::vector<std::string> admin = AdminCreatesTechNew("given by admin 1", &r);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> tech =
      CpcEnvironment(server_.address(), state_dir_ + ".config-tech.new", state_dir_);
  // The password the administrator typed opens nothing by itself...
  r = RunProgram({CPC_PATH, "login", "tech.new", "--password-stdin"}, tech, "given by admin 1\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("was set by admin.kato"));
  // ...but with a new one of her own on the next line she is in.
  r = RunProgram({CPC_PATH, "login", "tech.new", "--password-stdin"}, tech,
                 "given by admin 1\nonly mine 2611\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Password changed"));
  EXPECT_THAT(r.out, HasSubstr("Logged in"));

  // A reset asks for the administrator's own password first.
  r = RunProgram({CPC_PATH, "user", "reset-password", "tech.new", "--password-stdin"}, admin,
                 "not my password\nreset by admin 2\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("admin_password"));
  r = RunProgram({CPC_PATH, "user", "reset-password", "tech.new", "--password-stdin"}, admin,
                 TestPassword(kAdmin) + "\nreset by admin 2\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunProgram({CPC_PATH, "patient", "list"}, tech, "");
  EXPECT_EQ(r.exit_code, 1) << "the reset ended her session";
  // Anyone changes their own password with --change-password.
  r = RunProgram({CPC_PATH, "login", "tech.new", "--password-stdin"}, tech,
                 "reset by admin 2\nmine again 2612\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunProgram({CPC_PATH, "login", "tech.new", "--password-stdin", "--change-password"}, tech,
                 "mine again 2612\nmine once more 2613\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Password changed"));
}

TEST_F(CliTest, HelpListsEveryCommand) {
  const CliResult r = RunCpc(server_.address(), "", {"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* command : {"patient register", "lot register", "equipment register",
                              "batch create", "batch receive", "batch seed", "batch observe",
                              "batch feed", "batch passage", "batch correct", "batch show",
                              "batch list", "equipment calibrate", "equipment maintain",
                              "equipment due", "lot accept", "lot reject", "user qualify",
                              "user qualifications"}) {
    EXPECT_THAT(r.out, HasSubstr(command));
  }
  const CliResult passage = RunCpc(server_.address(), "", {"batch", "passage", "--help"});
  EXPECT_EQ(passage.exit_code, 0);
  EXPECT_THAT(passage.out, HasSubstr("--viable"));
  EXPECT_THAT(passage.out, HasSubstr("Example"));
}


// QA's traceability: a recall, an incubator excursion and one person's work,
// through the real cpc against the real cpcd.
TEST_F(CliTest, WhereUsedFindsEveryBatchUnitAndStepOfALotAnIncubatorAndAPerson) {
  RegisterBasics();
  RegisterCalibratedEquipment(server_.address(), state_dir_, "INC-02", "incubator",
                              "CO2 incubator 2");
  const std::string b = CreateBatch();
  Ok({"batch", "receive", b, "--collected", "-23h", "--received", "-22h", "--site", "abdomen",
      "--volume-ml", "20", "--temp-c", "4"});
  Ok({"batch", "seed", b, "--cells", "2.5e6", "--vessel", "T75", "--vessels", "2", "--area-cm2",
      "150", "--medium-lot", "MEM-2611", "--reagent-lot", "COL-0425", "--incubator", "INC-01",
      "--at", "-20h"});
  Ok({"batch", "passage", b, "--total", "5.5e6", "--viable", "5e6", "--method", "aopi", "--counter", "NC-01",
      "--reseed", "2e6", "--medium-lot", "MEM-2611", "--reagent-lot", "TRY-7781",
      "--incubator", "INC-02", "--at", "-10h"});
  const std::string other = CreateBatch();  // never touched COL-0425 or INC-01

  const std::string lot = Ok({"lot", "where-used", "COL-0425"}, "auditor.ito");
  EXPECT_THAT(lot, HasSubstr("1 batch(es)"));
  EXPECT_THAT(lot, HasSubstr(b));
  EXPECT_THAT(lot, HasSubstr("reagent_lots of P0 seeding"));
  EXPECT_THAT(lot, ::testing::Not(HasSubstr(other)));
  const std::string csv = Ok({"lot", "where-used", "COL-0425", "--csv"}, "qa.mori");
  EXPECT_THAT(csv, HasSubstr("kind,batch_id,resource,time,until,by,detail,direct\r\n"));
  EXPECT_THAT(csv, HasSubstr(absl::StrCat("record,", b, ",records/")));

  // INC-01 held the culture from the seeding until the passage 10 h ago: a
  // night 15 h ago finds it, a night 5 h ago (it was in INC-02) does not.
  const std::string night =
      Ok({"equipment", "where-used", "INC-01", "--from", "-16h", "--to", "-14h"}, "qa.mori");
  EXPECT_THAT(night, HasSubstr("incubation"));
  EXPECT_THAT(night, HasSubstr("in INC-01 from P0 seeding until"));
  EXPECT_THAT(night, HasSubstr(b));
  EXPECT_THAT(Ok({"equipment", "where-used", "INC-01", "--from", "-6h", "--to", "-4h"},
                 "qa.mori"),
              HasSubstr("No use of equipment INC-01"));
  EXPECT_THAT(Ok({"equipment", "where-used", "INC-02", "--from", "-6h", "--to", "-4h"},
                 "qa.mori"),
              HasSubstr("in INC-02 from passage 1"));
  // The passage's counts were read on NC-01.
  EXPECT_THAT(Ok({"equipment", "where-used", "NC-01", "--from", "-11h", "--to", "-9h"},
                 "qa.mori"),
              HasSubstr("counter_id of"));
  const CliResult backwards =
      Cpc({"equipment", "where-used", "INC-01", "--from", "-1h", "--to", "-2h"}, "qa.mori");
  EXPECT_NE(backwards.exit_code, 0);
  EXPECT_THAT(backwards.err, HasSubstr("to_time"));

  const std::string work =
      Ok({"user", "where-used", "tech.sato", "--from", "-1h", "--json"}, "auditor.ito");
  EXPECT_THAT(work, HasSubstr("batch.record_passage"));
  EXPECT_THAT(work, HasSubstr("batch.seed_culture"));

  // A technician does not trace others' work.
  const CliResult refused = Cpc({"user", "where-used", "qa.mori"}, "tech.sato");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("PERMISSION_DENIED"));
  const CliResult unknown = Cpc({"lot", "where-used", "NO-SUCH-LOT"}, "auditor.ito");
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_THAT(unknown.err, HasSubstr("NOT_FOUND"));
}

// Issue 17 item 2: an incubator whose calibration lapsed two days ago took
// the seeding three days ago, and is refused for the passage today, naming the
// date; the lab manager's list shows it, and its calibration brings it back.
TEST_F(CliTest, APassageIntoAnIncubatorWhoseCalibrationLapsedIsRefusedNamingTheDate) {
  RegisterBasics();
  const std::string lapsed_on =
      absl::FormatTime("%Y-%m-%d", absl::Now() - absl::Hours(48), absl::UTCTimeZone());
  Ok({"equipment", "register", "INC-03", "--kind", "incubator", "--name", "CO2 incubator 3"},
     kAdmin);
  // Never calibrated: refused, and on the list as such.
  const std::string never = Ok({"equipment", "due", "--within", "30d"}, "qa.mori");
  EXPECT_THAT(never, HasSubstr("never calibrated"));
  const std::string calibrated =
      Ok({"equipment", "calibrate", "INC-03", "--certificate", "CAL-2025-0311", "--performed",
          "-365d", "--next-due", lapsed_on},
         kAdmin);
  EXPECT_THAT(calibrated, HasSubstr("Recorded the calibration of INC-03"));
  const std::string b = CreateBatch();
  Ok({"batch", "receive", b, "--collected", "-80h", "--received", "-78h", "--site", "abdomen",
      "--volume-ml", "20", "--temp-c", "4", "--late-reason", "from the paper record"});
  Ok({"batch", "seed", b, "--cells", "2.5e6", "--vessel", "T75", "--vessels", "2", "--area-cm2",
      "150", "--medium-lot", "MEM-2611", "--incubator", "INC-03", "--at", "-72h",
      "--late-reason", "from the paper record"});

  const std::vector<std::string> passage = {
      "batch",   "passage",  b,        "--total",      "1.3e7",    "--viable",
      "1.2e7",   "--method", "aopi",   "--counter",    "NC-01",    "--reseed",
      "3e6",     "--medium-lot", "MEM-2611", "--incubator", "INC-03"};
  const CliResult refused = Cpc(passage);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(refused.err, HasSubstr(absl::StrCat("incubator_id: INC-03 is out of calibration: "
                                                  "its calibration was due on ",
                                                  lapsed_on)));
  EXPECT_THAT(Ok({"batch", "show", b}), ::testing::Not(HasSubstr("P0 -> P1")));

  const std::string due = Ok({"equipment", "due", "--within", "30d"}, "qa.mori");
  EXPECT_THAT(due, HasSubstr("INC-03"));
  EXPECT_THAT(due, HasSubstr(lapsed_on));
  EXPECT_THAT(due, HasSubstr("LAPSED"));
  EXPECT_THAT(due, ::testing::Not(HasSubstr("INC-01")));  // due in a year
  const std::string csv = Ok({"equipment", "due", "--within", "30d", "--csv"}, "qa.mori");
  EXPECT_THAT(csv, HasSubstr(absl::StrCat("INC-03,CO2 incubator 3,incubator,calibration,",
                                          lapsed_on, ",yes,")));
  EXPECT_THAT(Ok({"equipment", "show", "INC-03"}),
              HasSubstr(absl::StrCat("calibration due  ", lapsed_on)));

  // A technician cannot record a calibration; the administrator does.
  EXPECT_NE(Cpc({"equipment", "calibrate", "INC-03", "--certificate", "CAL-2026-0001",
                 "--next-due", CalibrationDue()})
                .exit_code,
            0);
  Ok({"equipment", "calibrate", "INC-03", "--certificate", "CAL-2026-0001", "--next-due",
      CalibrationDue()},
     kAdmin);
  EXPECT_THAT(Ok(passage), HasSubstr("now P1"));
  EXPECT_THAT(Ok({"equipment", "due", "--within", "30d"}, "qa.mori"),
              ::testing::Not(HasSubstr("INC-03")));
}

// Issue 17 item 3: a lot is received into QUARANTINE and refused at the
// point of use until QA accepts it (a signature, on the supplier's
// certificate); a rejected lot is refused with its reason.
TEST_F(CliTest, AQuarantinedLotIsRefusedAtUseUntilQaAcceptsIt) {
  RegisterBasics();
  Ok({"lot", "register", "COL-0611", "--name", "collagenase I", "--expiry", "2099-01-31"},
     kAdmin);
  EXPECT_THAT(Ok({"lot", "show", "COL-0611"}), HasSubstr("QUARANTINE"));
  const std::string b = CreateBatch();
  Ok({"batch", "receive", b, "--collected", "-23h", "--received", "-22h", "--site", "abdomen",
      "--volume-ml", "20", "--temp-c", "4"});
  const std::vector<std::string> seed = {
      "batch", "seed", b, "--cells", "2.5e6", "--vessel", "T75", "--vessels", "2",
      "--area-cm2", "150", "--medium-lot", "MEM-2611", "--reagent-lot", "COL-0611",
      "--incubator", "INC-01", "--at", "-20h"};
  const CliResult refused = Cpc(seed);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(refused.err,
              HasSubstr("reagent_lots[0]: reagent lot COL-0611 (collagenase I) is in QUARANTINE"));

  // Neither the technician nor the administrator who registered it accepts it.
  for (const char* user : {"tech.sato", kAdmin}) {
    const CliResult denied = Cpc(
        {"lot", "accept", "COL-0611", "--certificate", "CoA 0611", "--password-stdin"}, user);
    EXPECT_NE(denied.exit_code, 0) << user;
    EXPECT_THAT(denied.err, HasSubstr("materials.accept")) << user;
  }
  const std::string accepted =
      Ok({"lot", "accept", "COL-0611", "--certificate", "CoA 0611", "--password-stdin"},
         "qa.tanaka");
  EXPECT_THAT(accepted, HasSubstr("Accepted lot COL-0611 for use"));
  EXPECT_THAT(accepted, HasSubstr("approved: material accepted for use"));
  EXPECT_THAT(Ok({"lot", "show", "COL-0611"}),
              HasSubstr("ACCEPTED on certificate CoA 0611 by qa.tanaka"));
  EXPECT_THAT(Ok({"lot", "list"}), HasSubstr("ACCEPTED"));
  EXPECT_THAT(Ok(seed), HasSubstr("P0"));
  const CliResult twice = Cpc(
      {"lot", "accept", "COL-0611", "--certificate", "CoA 0611", "--password-stdin"}, "qa.mori");
  EXPECT_NE(twice.exit_code, 0);
  EXPECT_THAT(twice.err, HasSubstr("only a lot in QUARANTINE is accepted"));

  // Rejected (a supplier's recall): refused from then on, with the reason.
  Ok({"lot", "reject", "COL-0611", "--reason", "supplier recall 2026-114", "--password-stdin"},
     "qa.mori");
  const CliResult recalled = Cpc({"batch", "feed", b, "--medium-lot", "MEM-2611", "--reagent-lot",
                                  "COL-0611", "--volume-ml", "30"});
  EXPECT_EQ(recalled.exit_code, 1);
  EXPECT_THAT(recalled.err, HasSubstr("COL-0611 (collagenase I) is REJECTED (supplier recall "
                                      "2026-114)"));
  const std::string trail = Ok({"audit", "trail", "--action", "lot.accept", "--csv"}, "qa.mori");
  EXPECT_THAT(trail, HasSubstr("lots/COL-0611"));
}

}  // namespace
}  // namespace cpctrack::testing
