// cpc-lab against the real cpcd: import-counts (all or nothing, stops at the
// first refusal, safe to run again) and a backup taken while cpcd is written to.
#include <sqlite3.h>
#include <stdlib.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "client/session_file.h"
#include "lab_tools/backup.h"
#include "lab_tools/lab_commands.h"
#include "tests/e2e/api_fixture.h"

namespace cpctrack::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kConfig[] = R"(# test counter export
column.batch_id = Sample
column.passage_time = Time
column.total_cells = Total
column.viable_cells = Live
column.cells_reseeded = Reseeded
fixed.counting_method = auto-trypan
fixed.medium_lot = MED-1
fixed.reagent_lots = TRY-1
fixed.incubator_id = INC-01
time_zone = UTC
)";

class LabToolsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    setenv("CPC_STATE_DIR", (dir_->path() + "/cpc-state").c_str(), 1);
    Write("counter.map", kConfig);
  }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_->path() + "/" + name, std::ios::binary) << text;
  }

  std::string Row(const std::string& batch, absl::Duration ago, int64_t viable) {
    return absl::StrFormat("%s,%s,%d,%d,%d\r\n", batch,
                           absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", now_ - ago, absl::UTCTimeZone()),
                           viable + viable / 10, viable, viable / 4);
  }

  struct Result {
    int exit_code;
    std::string out;
    std::string err;
  };
  Result Import(const std::string& csv_name) {
    std::ostringstream out, err;
    // tech.sato's session, as `cpc login tech.sato` leaves it.
    const std::string config = dir_->path() + "/lab-config";
    EXPECT_TRUE(cpc::SaveSession(config, {.server = server_->address(),
                                          .user = "tech.sato",
                                          .token = LoginToken(channel_, "tech.sato"),
                                          .expires_at = absl::Now() + absl::Hours(1)})
                    .ok());
    const int code = cpclab::RunLab(
        {"import-counts", dir_->path() + "/" + csv_name, "--config",
         dir_->path() + "/counter.map", "--server", server_->address()},
        "", config, out, err);
    return {code, out.str(), err.str()};
  }

  // A batch of P-001 seeded 72 hours ago (RegisterBasics first).
  std::string SeededBatch() {
    const std::string id = CreateBatch();
    Receive(id, 80);
    Seed(id, now_ - absl::Hours(72));
    return id;
  }

  int PassageCount(const std::string& batch_id) {
    int n = 0;
    const v1::Batch batch = Get(batch_id);
    for (const v1::BatchRecord& r : batch.records()) n += r.has_passage() ? 1 : 0;
    return n;
  }

  static constexpr char kHeader[] = "Sample,Time,Total,Live,Reseeded\r\n";
};

TEST_F(LabToolsTest, ImportRecordsEveryRowInTimeOrderAndAgainChangesNothing) {
  RegisterBasics();
  const std::string id = SeededBatch();
  // Newest first in the file: the import sends them oldest first.
  Write("good.csv", absl::StrCat("\xEF\xBB\xBF", kHeader, Row(id, absl::Hours(24), 9'000'000),
                                 "\r\n", Row(id, absl::Hours(48), 8'000'000)));
  Result first = Import("good.csv");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("2 rows recorded"));
  const v1::Batch batch = Get(id);
  std::vector<int64_t> viable;
  for (const v1::BatchRecord& r : batch.records()) {
    if (r.has_passage()) viable.push_back(r.passage().viable_cells());
  }
  EXPECT_EQ(viable, (std::vector<int64_t>{8'000'000, 9'000'000}));
  EXPECT_EQ(batch.current_passage(), 2);

  // The same file again: the same request IDs, so nothing is recorded twice.
  Result again = Import("good.csv");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(PassageCount(id), 2);
}

TEST_F(LabToolsTest, ABadRowRecordsNothingOfTheFile) {
  RegisterBasics();
  const std::string id = SeededBatch();
  // Line 3: viable above total.
  Write("bad.csv",
        absl::StrCat(kHeader, Row(id, absl::Hours(48), 8'000'000),
                     absl::StrFormat("%s,%s,1000,2000,100\r\n", id,
                                     absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                                                      now_ - absl::Hours(24),
                                                      absl::UTCTimeZone()))));
  Result r = Import("bad.csv");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("line 3: viable_cells"));
  EXPECT_THAT(r.err, HasSubstr("nothing recorded"));
  EXPECT_EQ(PassageCount(id), 0);
}

TEST_F(LabToolsTest, ARefusalStopsTheImportAndSaysWhatWasRecorded) {
  RegisterBasics();
  const std::string growing = SeededBatch();
  const std::string registered = CreateBatch();  // not in culture: no passage possible
  Write("mixed.csv", absl::StrCat(kHeader, Row(growing, absl::Hours(48), 8'000'000),
                                  Row(registered, absl::Hours(40), 8'000'000),
                                  Row(growing, absl::Hours(24), 9'000'000)));
  Result r = Import("mixed.csv");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat("line 3 (batch ", registered, ")")));
  EXPECT_THAT(r.err, HasSubstr("recorded lines: 2; not sent: 4"));
  EXPECT_EQ(PassageCount(growing), 1);
}

// Every record ID in the copy's batch_records, read with plain SQLite.
std::set<int64_t> RecordIds(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT record_id FROM batch_records", -1, &stmt, nullptr),
            SQLITE_OK);
  std::set<int64_t> ids;
  while (sqlite3_step(stmt) == SQLITE_ROW) ids.insert(sqlite3_column_int64(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return ids;
}

TEST_F(LabToolsTest, BackupUnderWriteLoadHoldsEveryWriteAcknowledgedBeforeIt) {
  RegisterBasics();
  const std::string id = CreateBatch();
  Receive(id);
  Seed(id, now_ - absl::Hours(20));

  std::mutex mu;
  std::condition_variable cv;
  std::vector<int64_t> acknowledged;  // record IDs cpcd answered OK
  bool stop = false;
  std::string failure;
  std::thread writer([&] {
    auto channel = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    auto stub = v1::BatchService::NewStub(channel);
    for (int i = 0;; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (stop) return;
      }
      v1::RecordObservationRequest request;
      request.set_request_id(NewRequestId());
      request.set_batch_id(id);
      *request.mutable_observation()->mutable_observation_time() =
          Ts(now_ - absl::Hours(1) + absl::Seconds(i));
      request.mutable_observation()->set_confluence_percent(i % 100);
      v1::RecordResponse response;
      const grpc::Status status = stub->RecordObservation(Context().get(), request, &response);
      std::lock_guard<std::mutex> lock(mu);
      if (!status.ok()) {
        failure = status.error_message();
        return;
      }
      acknowledged.push_back(response.record().record_id());
      cv.notify_all();
    }
  });

  std::vector<int64_t> before_backup;
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return acknowledged.size() >= 20 || !failure.empty(); });
    before_backup = acknowledged;
  }
  const std::string copy = dir_->path() + "/copy.db";
  absl::StatusOr<cpclab::BackupSummary> summary =
      cpclab::BackupDatabase(dir_->path() + "/cpctrack.db", copy);
  size_t during_or_after = 0;
  {
    // Let the writer get at least one more write in after the copy, so the
    // copy was taken with writes on both sides of it.
    std::unique_lock<std::mutex> lock(mu);
    const size_t at_end = acknowledged.size();
    cv.wait(lock, [&] { return acknowledged.size() > at_end || !failure.empty(); });
    during_or_after = acknowledged.size() - before_backup.size();
    stop = true;
  }
  writer.join();
  ASSERT_TRUE(failure.empty()) << failure;
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_GT(during_or_after, 0u);

  absl::StatusOr<std::vector<cpclab::BackupCheck>> checks = cpclab::VerifyBackup(copy);
  ASSERT_TRUE(checks.ok()) << checks.status();
  for (const cpclab::BackupCheck& check : *checks) {
    EXPECT_TRUE(check.ok) << check.name << ": " << check.detail;
  }
  const std::set<int64_t> in_copy = RecordIds(copy);
  for (int64_t record_id : before_backup) {
    EXPECT_TRUE(in_copy.count(record_id)) << "record " << record_id << " acknowledged before "
                                          << "the backup is missing from the copy";
  }
}

}  // namespace
}  // namespace cpctrack::testing
