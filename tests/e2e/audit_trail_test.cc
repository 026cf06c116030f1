// The tamper-evident audit trail against the real cpcd: an edit made outside
// cpcd is caught by `cpcd verify-audit` and by cpcd at start-up (reads
// served, writes refused until an administrator acknowledges it), and a trail
// rewritten with every hash recomputed is caught by an earlier head.
#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "domain/audit_chain.h"
#include "gmock/gmock.h"
#include "store/store.h"
#include "tests/e2e/api_fixture.h"

namespace cpctrack::testing {
namespace {

using ::testing::HasSubstr;

class AuditTrailTest : public ApiTest {
 protected:
  std::string Db() const { return dir_->path() + "/cpctrack.db"; }

  // `cpcd verify-audit --db DB FLAGS...`, the real program, as an
  // administrator runs it on the server.
  CliResult VerifyAudit(const std::vector<std::string>& flags = {}) {
    std::vector<std::string> argv = {CPCD_PATH, "verify-audit", "--db", Db()};
    argv.insert(argv.end(), flags.begin(), flags.end());
    return RunProgram(argv, {}, "");
  }

  // Runs SQL on the file as the sqlite3 shell would (cpcd stopped).
  void Tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(Db().c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  // Rewrites entry 2 and recomputes every hash after it, as someone with the
  // file and this source could (cpcd stopped).
  void RewriteEntry2WithEveryHashRecomputed() {
    absl::StatusOr<std::unique_ptr<store::Store>> store = store::Store::Open(Db());
    ASSERT_TRUE(store.ok()) << store.status();
    Tamper("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_chain_no_update;"
           "UPDATE audit_log SET reason = 'nothing to see' WHERE sequence = 2");
    std::string prev = domain::kGenesisHash;
    std::string sql;
    ASSERT_TRUE((*store)->Read([&](store::Transaction& tx) -> absl::Status {
      for (int64_t sequence = 1;; ++sequence) {
        absl::StatusOr<std::optional<store::AuditRow>> row = tx.GetAuditEntry(sequence);
        if (!row.ok()) return row.status();
        if (!row->has_value()) break;
        const std::string hash = domain::AuditHash((*row)->entry, prev);
        absl::StrAppend(&sql, "UPDATE audit_chain SET prev_hash = '", prev, "', hash = '", hash,
                        "' WHERE sequence = ", sequence, ";");
        prev = hash;
      }
      return absl::OkStatus();
    }).ok());
    Tamper(sql);
  }

  void StopServer() {
    Disconnect();
    ASSERT_EQ(server_->Stop(), 0) << server_->Log();
  }
  void StartServer() {
    server_->Restart();
    Connect();
  }

  grpc::Status CreatePatient(const std::string& id) {
    v1::CreatePatientRequest request;
    request.set_request_id(NewRequestId());
    v1::Patient& p = *request.mutable_patient();
    p.set_patient_id(id);
    p.set_body_weight_kg(60);
    p.mutable_screening()->set_hbv(v1::SCREENING_RESULT_NEGATIVE);
    p.mutable_screening()->set_hcv(v1::SCREENING_RESULT_NEGATIVE);
    p.mutable_screening()->set_hiv(v1::SCREENING_RESULT_NEGATIVE);
    p.mutable_screening()->set_htlv1(v1::SCREENING_RESULT_NEGATIVE);
    p.mutable_screening()->set_syphilis(v1::SCREENING_RESULT_NEGATIVE);
    p.mutable_consent()->set_given(true);
    *p.mutable_consent()->mutable_consent_time() = Ts(now_ - absl::Hours(1));
    p.mutable_consent()->set_document_ref("CF-0002");
    v1::Patient response;
    return patients_->CreatePatient(Context().get(), request, &response);
  }
};

TEST_F(AuditTrailTest, AShellEditIsCaughtOfflineAndAtStartUpUntilAcknowledged) {
  RegisterBasics();
  StopServer();
  ASSERT_EQ(VerifyAudit().exit_code, 0);
  Tamper("DROP TRIGGER audit_log_no_update;"
         "UPDATE audit_log SET actor = 'someone.else' WHERE sequence = 3");

  CliResult offline = VerifyAudit();
  EXPECT_EQ(offline.exit_code, 1);
  EXPECT_THAT(offline.out, HasSubstr("BROKEN: entry 3 was changed after it was written"));
  EXPECT_THAT(offline.err, HasSubstr("the audit trail is broken: entry 3"));

  StartServer();
  v1::GetPatientRequest get;
  get.set_patient_id("P-001");
  v1::Patient patient;
  EXPECT_TRUE(patients_->GetPatient(Context().get(), get, &patient).ok());
  const grpc::Status refused = CreatePatient("P-002");
  EXPECT_GRPC_ERROR(refused, grpc::StatusCode::FAILED_PRECONDITION, "entry 3 was changed");
  EXPECT_THAT(refused.error_message(), HasSubstr("--acknowledge_audit_break"));
  StopServer();

  const std::string out = dir_->path() + "/ack.out";
  // The administrator proves who they are: a name alone is refused.
  const auto acknowledge = [&](const std::string& password) {
    return std::system(absl::StrCat(
                           "printf '%s\\n' '", password, "' | ", CPCD_PATH, " --db ", Db(),
                           " --acknowledged_by ", kAdmin,
                           " --acknowledge_audit_break='entry 3 edited during vendor repair; "
                           "ticket 77' > ",
                           out, " 2>&1")
                           .c_str());
  };
  EXPECT_NE(acknowledge("not the admin's password"), 0);
  ASSERT_EQ(acknowledge(TestPassword(kAdmin)), 0);
  std::stringstream printed;
  printed << std::ifstream(out).rdbuf();
  EXPECT_THAT(printed.str(), HasSubstr("acknowledged: entry 3 was changed"));

  CliResult after = VerifyAudit();
  EXPECT_EQ(after.exit_code, 0) << after.out << after.err;
  EXPECT_THAT(after.out, HasSubstr("acknowledged: entry 3 was changed"));
  EXPECT_THAT(after.out, HasSubstr("1 acknowledged break"));

  StartServer();
  EXPECT_TRUE(CreatePatient("P-002").ok());
  CliResult backup_check = RunProgram({CPCD_PATH, "verify-backup", Db()}, {}, "");
  EXPECT_THAT(backup_check.out, HasSubstr("audit chain"));
}

TEST_F(AuditTrailTest, ARewriteWithEveryHashRecomputedIsCaughtByAnEarlierHead) {
  RegisterBasics();
  // One state directory: the auditor logs in once (a login is an audit entry too).
  const std::string state = dir_->path() + "/cpc-state";
  const CliResult head = RunCpc(server_->address(), "auditor.mori", {"audit", "head"}, state);
  ASSERT_EQ(head.exit_code, 0) << head.err;
  // "N entries, head HASH"
  std::vector<std::string> words = absl::StrSplit(head.out, absl::ByAnyChar(" \n"));
  ASSERT_GE(words.size(), 4u);
  const std::string seen = absl::StrCat(words[0], ":", words[3]);

  const CliResult csv =
      RunCpc(server_->address(), "auditor.mori", {"audit", "trail", "--csv", "--page-size", "3"},
             state);
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_THAT(csv.out, HasSubstr("sequence,time,user,action,resource"));
  EXPECT_THAT(csv.out, HasSubstr("audit.export"));  // the export is on record, and listed
  EXPECT_THAT(csv.err, HasSubstr(absl::StrCat("export recorded as audit entry ",
                                              std::stoll(words[0]) + 1)));
  StopServer();
  ASSERT_EQ(VerifyAudit({"--expect_head", seen}).exit_code, 0);

  RewriteEntry2WithEveryHashRecomputed();
  const CliResult chain_only = VerifyAudit();
  EXPECT_EQ(chain_only.exit_code, 0) << chain_only.out;  // a chain alone cannot tell
  const CliResult with_head = VerifyAudit({"--expect_head", seen});
  EXPECT_EQ(with_head.exit_code, 1);
  EXPECT_THAT(with_head.out, HasSubstr("DOES NOT HOLD"));
  StartServer();
}

// A rewrite that recomputes every hash passes the chain check; a checkpoint
// cpcd signed with a key outside the database catches it, offline and at the
// next start-up.
TEST_F(AuditTrailTest, ARewrittenTrailIsCaughtByASignedCheckpoint) {
  RegisterBasics();
  StopServer();
  const std::string checkpoints = dir_->path() + "/checkpoints";
  const std::string key = dir_->path() + "/cpcd-checkpoint.key";
  const CliResult made = RunProgram(
      {CPCD_PATH, "audit-checkpoint", "--db", Db(), "--audit_checkpoint_dir", checkpoints,
       "--audit_checkpoint_key", key},
      {}, "");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_THAT(made.out, HasSubstr("cpctrack audit checkpoint v1"));
  struct stat key_stat {};
  ASSERT_EQ(stat(key.c_str(), &key_stat), 0);
  EXPECT_EQ(key_stat.st_mode & 0777, 0600u);
  std::vector<std::string> files;
  for (const auto& f : std::filesystem::directory_iterator(checkpoints)) {
    files.push_back(f.path().string());
  }
  ASSERT_EQ(files.size(), 1u);
  const std::vector<std::string> verify = {"--checkpoint", files[0], "--checkpoint_key",
                                           key + ".pub"};
  const CliResult before = VerifyAudit(verify);
  EXPECT_EQ(before.exit_code, 0) << before.out << before.err;
  EXPECT_THAT(before.out, HasSubstr(": holds: vouches for entries 1-"));

  RewriteEntry2WithEveryHashRecomputed();
  EXPECT_EQ(VerifyAudit().exit_code, 0) << "a chain alone cannot tell";
  const CliResult after = VerifyAudit(verify);
  EXPECT_EQ(after.exit_code, 1);
  EXPECT_THAT(after.out, HasSubstr("DOES NOT HOLD"));
  EXPECT_THAT(after.out, HasSubstr("rewritten at or before entry"));

  // cpcd starts from the checkpoint and refuses writes.
  server_->Restart({.extra_flags = {"--audit_checkpoint_dir", checkpoints,
                                    "--audit_checkpoint_key", key}});
  Connect();
  EXPECT_THAT(server_->Output(), HasSubstr("from the signed checkpoint of entry"));
  EXPECT_GRPC_ERROR(CreatePatient("P-002"), grpc::StatusCode::FAILED_PRECONDITION,
                    "does not hold a signed checkpoint");
}

}  // namespace
}  // namespace cpctrack::testing
