// cpc-lab against the real cpcd: import-counts (all or nothing, stops at the
// first refusal, safe to run again), a backup taken while cpcd is written to,
// and labels made from cpcd's units (scanned back; none for a unit that must
// not be used).
#include <sqlite3.h>
#include <stdlib.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "cpctrack/v1/qc.grpc.pb.h"
#include "cpctrack/v1/storage.grpc.pb.h"
#include "cpctrack/v1/units.grpc.pb.h"
#include "domain/isbt_barcode.h"
#include "domain/scan.h"
#include "domain/units.h"
#include "gmock/gmock.h"
#include "lab_tools/lab_commands.h"
#include "lab_tools/label.h"
#include "tests/e2e/api_fixture.h"
#include "tests/e2e/lab_session.h"
#include "tests/lab_tools/decode.h"

namespace cpctrack::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

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
fixed.counter_id = NC-01
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
  // A config directory holding tech.sato's session, as `cpc login
  // tech.sato` leaves it.
  std::string TechSession() {
    return SaveLabSession(dir_->path() + "/lab-config", server_->address(), channel_,
                          "tech.sato");
  }

  Result Import(const std::string& csv_name) {
    std::ostringstream out, err;
    const int code = cpclab::RunLab(
        {"import-counts", dir_->path() + "/" + csv_name, "--config",
         dir_->path() + "/counter.map", "--server", server_->address(), "--late-reason",
         "counter export imported after the weekend"},
        "", TechSession(), out, err);
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
  const CliResult backup =
      RunProgram({CPCD_PATH, "backup", copy, "--db", dir_->path() + "/cpctrack.db"}, {}, "");
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
  ASSERT_EQ(backup.exit_code, 0) << backup.out << backup.err;
  EXPECT_THAT(backup.out, HasSubstr("check it with: cpcd verify-backup " + copy));
  EXPECT_GT(during_or_after, 0u);

  const CliResult verified = RunProgram({CPCD_PATH, "verify-backup", copy}, {}, "");
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_THAT(verified.out, HasSubstr(copy + ": every check passed"));
  EXPECT_THAT(verified.out, Not(HasSubstr("FAILED")));
  const std::set<int64_t> in_copy = RecordIds(copy);
  for (int64_t record_id : before_backup) {
    EXPECT_TRUE(in_copy.count(record_id)) << "record " << record_id << " acknowledged before "
                                          << "the backup is missing from the copy";
  }
}

// `cpc-lab label UNIT` with the fields from cpcd: a batch grown, counted and
// frozen into two vials in a 9 x 9 box of an LN2 vapour tank.
class LabelFromServerTest : public LabToolsTest {
 protected:
  void SetUp() override {
    LabToolsTest::SetUp();
    units_ = v1::UnitService::NewStub(channel_);
    storage_ = v1::StorageService::NewStub(channel_);
    qc_ = v1::QcService::NewStub(channel_);
  }
  void TearDown() override {
    units_.reset();
    storage_.reset();
    qc_.reset();
    LabToolsTest::TearDown();
  }

  // The batch (batch_id_), grown to 1e8 viable cells at its first passage 3 h ago.
  void HarvestBatch() {
    RegisterBasics();
    batch_id_ = CreateBatch();
    Receive(batch_id_, 80);
    Seed(batch_id_, now_ - absl::Hours(72));
    v1::RecordPassageRequest passage;
    passage.set_request_id(NewRequestId());
    passage.set_batch_id(batch_id_);
    *passage.mutable_passage() = PassageAt(now_ - absl::Hours(3), 100'000'000, 10'000'000);
    v1::RecordResponse recorded;
    grpc::Status status = batches_->RecordPassage(Context().get(), passage, &recorded);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // The batch, grown to 1e8 viable cells at its first passage and frozen
  // into two vials (3e7 and 2e7 cells) at LN2-A/R1/B1/A1 and A2 an hour later.
  // With `sterility_sample`, a final-harvest sterility test is drawn before
  // the freeze (its ID in sterility_test_id_).
  void FreezeTwoVials(bool sterility_sample = false) {
    HarvestBatch();
    if (HasFatalFailure()) return;
    DefineBox();
    grpc::Status status;
    if (sterility_sample) {
      v1::DrawSampleRequest sample;
      sample.set_request_id(NewRequestId());
      sample.set_batch_id(batch_id_);
      sample.set_sample_point(v1::SAMPLE_POINT_FINAL_HARVEST);
      *sample.mutable_drawn_time() = Ts(now_ - absl::Minutes(150));
      v1::TestOrder* order = sample.add_tests();
      order->set_type(v1::QC_TEST_TYPE_STERILITY);
      order->set_method("USP <71> 14-day culture");
      v1::DrawSampleResponse drawn;
      status = qc_->DrawSample(Context().get(), sample, &drawn);
      ASSERT_TRUE(status.ok()) << status.error_message();
      ASSERT_EQ(drawn.tests_size(), 1);
      sterility_test_id_ = drawn.tests(0).test_id();
    }

    v1::FreezeUnitsRequest freeze;
    freeze.set_request_id(NewRequestId());
    freeze.set_batch_id(batch_id_);
    freeze.set_kind(v1::UNIT_KIND_VIAL);
    *freeze.mutable_frozen_time() = Ts(frozen_time_);
    freeze.set_freezing_medium("CryoStor CS10");
    freeze.set_medium_lot("MED-1");
    freeze.set_freezer_program("-1C/min to -90C");
    for (auto [cells, position] : {std::pair<int64_t, const char*>{30'000'000, "LN2-A/R1/B1/A1"},
                                   {20'000'000, "LN2-A/R1/B1/A2"}}) {
      v1::UnitSpec* unit = freeze.add_units();
      unit->set_cells(cells);
      unit->set_volume_ml(1.5);
      unit->set_position(position);
    }
    v1::FreezeUnitsResponse frozen;
    status = units_->FreezeUnits(Context().get(), freeze, &frozen);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(frozen.units_size(), 2);
    units_frozen_.assign(frozen.units().begin(), frozen.units().end());
  }

  Result Label(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"label"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--server", server_->address()});
    std::ostringstream out, err;
    const int code = cpclab::RunLab(argv, "", TechSession(), out, err);
    return {code, out.str(), err.str()};
  }

  // Data structure 005 of `unit`: its expiry on record (the freeze + the
  // product's 365 days), to the minute in the facility's time.
  static std::string ExpectedExpiry(const v1::Unit& unit) {
    const absl::CivilMinute m = absl::ToCivilMinute(
        absl::FromUnixSeconds(unit.expire_time().seconds()), absl::LocalTimeZone());
    const int day_of_year = absl::GetYearDay(absl::CivilDay(m));
    return absl::StrFormat("&>%d%02d%03d%02d%02d", (m.year() / 100) % 10, m.year() % 100,
                           day_of_year, m.hour(), m.minute());
  }

  // What the label of `unit` must carry, in its DataMatrix.
  // The DataMatrix: ISBT 128 compound message of the DIN, the product code
  // (the default product's local code DADSC, autologous use only, the unit's
  // division) and the expiry on record.
  std::string ExpectedPayload(const v1::Unit& unit) const {
    absl::StatusOr<domain::Din> din = domain::Din::Parse(batch_id_);
    return domain::CompoundMessage(
        {domain::DinBarcodeData(*din),
         absl::StrCat("=<DADSC1", std::string(1, static_cast<char>('A' + unit.sequence() - 1)),
                      "0"),
         ExpectedExpiry(unit)});
  }

  // The Code 128 symbols: the batch's DIN ("=" + its first 13 characters +
  // flags), the product code with the unit's division, and the expiry.
  void ExpectLinearSymbols(const std::vector<std::string>& linear, const v1::Unit& unit) const {
    ASSERT_THAT(linear, ::testing::SizeIs(3));
    EXPECT_EQ(linear[0].substr(0, 14), absl::StrCat("=", batch_id_.substr(0, 13)));
    absl::StatusOr<domain::Din> din = domain::ParseDinBarcodeData(linear[0]);
    ASSERT_TRUE(din.ok()) << din.status();
    EXPECT_EQ(din->compact(), batch_id_);
    // Both linear symbols, as a scanner types them, name this unit.
    absl::StatusOr<std::string> scanned =
        domain::ScannedUnitId("unit", absl::StrCat(linear[1], "\n", linear[0]));
    ASSERT_TRUE(scanned.ok()) << scanned.status();
    EXPECT_EQ(*scanned, unit.unit_id());
    EXPECT_EQ(linear[2], ExpectedExpiry(unit));
  }

  std::unique_ptr<v1::UnitService::Stub> units_;
  std::unique_ptr<v1::StorageService::Stub> storage_;
  std::unique_ptr<v1::QcService::Stub> qc_;
  absl::Time frozen_time_ = now_ - absl::Hours(2);
  std::string batch_id_;
  int64_t sterility_test_id_ = 0;
  std::vector<v1::Unit> units_frozen_;
};

TEST_F(LabelFromServerTest, SvgAndZplLabelsCarryTheUnitsIdsFromCpcd) {
  FreezeTwoVials();
  if (HasFatalFailure()) return;
  // The second vial, so that a label of the batch's first unit would not pass.
  const v1::Unit& unit = units_frozen_[1];
  ASSERT_EQ(unit.unit_id(), batch_id_ + "-02");
  ASSERT_EQ(unit.cells(), 20'000'000);
  // Its expiry is on record from the freeze: the product's 365 days.
  EXPECT_EQ(unit.expire_time().seconds(),
            absl::ToUnixSeconds(frozen_time_ + absl::Hours(365 * 24)));

  Result svg = Label({unit.unit_id(), "--format", "svg"});
  ASSERT_EQ(svg.exit_code, 0) << svg.err;
  EXPECT_EQ(svg.err, "");
  EXPECT_THAT(svg.out, HasSubstr(absl::StrCat(">Unit    ", unit.unit_id(), "</text>")));
  EXPECT_THAT(svg.out, HasSubstr(">Patient P-001</text>"));
  const cpclab::GrayImage image = cpclab::testing::SvgSymbols(svg.out);
  EXPECT_THAT(svg.out, HasSubstr(">FOR AUTOLOGOUS USE ONLY</text>"));
  std::vector<std::string> linear = cpclab::testing::DecodeCode128(image);
  std::sort(linear.begin(), linear.end(), [](const std::string& a, const std::string& b) {
    // DIN, product code, expiry: the order they are laid out in.
    auto rank = [](const std::string& s) { return s[0] == '&' ? 2 : s[1] == '<' ? 1 : 0; };
    return rank(a) < rank(b);
  });
  ExpectLinearSymbols(linear, unit);
  const std::string matrix = cpclab::testing::DecodeDataMatrix(image);
  EXPECT_EQ(matrix, ExpectedPayload(unit));
  absl::StatusOr<std::string> scanned = domain::ScannedUnitId("unit", matrix);
  ASSERT_TRUE(scanned.ok()) << scanned.status();
  EXPECT_EQ(*scanned, unit.unit_id());

  Result zpl = Label({unit.unit_id(), "--format", "zpl"});
  ASSERT_EQ(zpl.exit_code, 0) << zpl.err;
  EXPECT_THAT(zpl.out, HasSubstr(absl::StrCat("^FDUnit    ", unit.unit_id(), "^FS")));
  EXPECT_THAT(zpl.out, HasSubstr("^FDCells   2.00e+07^FS"));
  const std::vector<cpclab::GrayImage> graphics = cpclab::testing::ZplGraphics(zpl.out);
  ASSERT_EQ(graphics.size(), 4u);
  std::vector<std::string> printed;
  for (int i = 0; i < 3; ++i) {
    for (const std::string& data : cpclab::testing::DecodeCode128(graphics[i])) {
      printed.push_back(data);
    }
  }
  ExpectLinearSymbols(printed, unit);
  EXPECT_EQ(cpclab::testing::DecodeDataMatrix(graphics[3]), ExpectedPayload(unit));
}

TEST_F(LabelFromServerTest, ExpiryComesFromTheRecordNotAFlag) {
  FreezeTwoVials();
  if (HasFatalFailure()) return;
  Result r = Label({units_frozen_[0].unit_id(), "--expires", "2036-11-20"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--expires is only for --offline labels"));
  EXPECT_EQ(r.out, "");
}

TEST_F(LabelFromServerTest, FieldFlagsAreOnlyForOfflineLabels) {
  FreezeTwoVials();
  if (HasFatalFailure()) return;
  Result r = Label({units_frozen_[0].unit_id(), "--patient", "P-999"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--patient is only for --offline labels"));
  EXPECT_EQ(r.out, "");
}

TEST_F(LabelFromServerTest, AnUnknownUnitGetsNoLabel) {
  RegisterBasics();
  const std::string batch = CreateBatch();
  const std::string unit_id = batch + "-07";
  Result r = Label({unit_id});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat("unit_id: no unit ", unit_id)));
  EXPECT_EQ(r.out, "");
}

TEST_F(LabelFromServerTest, ADisposedUnitGetsNoLabel) {
  FreezeTwoVials();
  if (HasFatalFailure()) return;
  v1::DisposeUnitRequest dispose;
  dispose.set_request_id(NewRequestId());
  dispose.set_unit_id(units_frozen_[0].unit_id());
  dispose.set_reason("vial cracked on transfer");
  v1::Unit disposed;
  const grpc::Status status = units_->DisposeUnit(Context().get(), dispose, &disposed);
  ASSERT_TRUE(status.ok()) << status.error_message();

  Result r = Label({units_frozen_[0].unit_id()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat("unit ", units_frozen_[0].unit_id(),
                                            " is DISPOSED: no label")));
  EXPECT_EQ(r.out, "");
  // Its sibling is still stored and labelled.
  EXPECT_EQ(Label({units_frozen_[1].unit_id()}).exit_code, 0);
}

TEST_F(LabelFromServerTest, AQuarantinedUnitGetsNoLabel) {
  FreezeTwoVials(/*sterility_sample=*/true);
  if (HasFatalFailure()) return;
  // The sterility culture turns positive after the freeze: the batch and
  // both vials are quarantined.
  v1::RecordResultRequest result;
  result.set_request_id(NewRequestId());
  result.set_test_id(sterility_test_id_);
  result.mutable_result()->mutable_detection()->set_detection(v1::DETECTION_POSITIVE);
  result.mutable_result()->mutable_detection()->set_organism("Staphylococcus epidermidis");
  *result.mutable_result()->mutable_read_time() = Ts(absl::Now() - absl::Minutes(1));
  v1::QcWriteResponse written;
  const grpc::Status status = qc_->RecordResult(Context().get(), result, &written);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(written.quarantined_unit_ids_size(), 2);

  for (const v1::Unit& unit : units_frozen_) {
    Result r = Label({unit.unit_id(), "--format", "svg"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.err, HasSubstr(absl::StrCat("unit ", unit.unit_id(), " is QUARANTINED")));
    EXPECT_THAT(r.err, HasSubstr("a label invites its use"));
    EXPECT_EQ(r.out, "");
  }
}

// A fresh bag's label takes its formulation and expiry, to the minute, from
// cpcd; an expired bag gets none.
TEST_F(LabelFromServerTest, AFreshBagsLabelTakesItsExpiryFromCpcd) {
  HarvestBatch();
  if (HasFatalFailure()) return;
  grpc::Status status;
  std::vector<v1::Unit> bags;
  // One bag from this harvest; one from another batch's P0 count, formulated
  // 50 h ago and recorded late: expired.
  const std::string other = CreateBatch();
  Receive(other, 80);
  Seed(other, now_ - absl::Hours(72));
  for (auto [id, at, cells] :
       {std::tuple{batch_id_, now_ - absl::Hours(1), int64_t{60'000'000}},
        std::tuple{other, now_ - absl::Hours(50), int64_t{1'000'000}}}) {
    v1::FormulateFreshUnitsRequest formulate;
    formulate.set_request_id(NewRequestId());
    formulate.set_batch_id(id);
    *formulate.mutable_formulated_time() = Ts(at);
    ExplainIfLate(formulate, at);
    formulate.set_medium("Plasma-Lyte A + 2% HSA");
    formulate.set_medium_lot("MED-1");
    formulate.add_units()->set_cells(cells);
    formulate.mutable_units(0)->set_volume_ml(50);
    v1::FormulateFreshUnitsResponse response;
    status = units_->FormulateFreshUnits(Context().get(), formulate, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    bags.push_back(response.units(0));
  }

  const v1::Unit& bag = bags[0];
  auto minute = [](const google::protobuf::Timestamp& t) {
    const absl::CivilMinute m =
        absl::ToCivilMinute(absl::FromUnixSeconds(t.seconds()), absl::LocalTimeZone());
    return absl::StrFormat("%s %02d:%02d", absl::FormatCivilTime(absl::CivilDay(m)), m.hour(),
                           m.minute());
  };
  const std::string formulated = minute(bag.fresh().formulated_time());
  const std::string expires = minute(bag.fresh().expire_time());
  Result svg = Label({bag.unit_id(), "--format", "svg"});
  ASSERT_EQ(svg.exit_code, 0) << svg.err;
  EXPECT_THAT(svg.out, HasSubstr(absl::StrCat(">Expires ", expires, "</text>")));
  EXPECT_THAT(svg.out, HasSubstr(absl::StrCat(">Fresh   ", formulated, "</text>")));
  const std::string matrix =
      cpclab::testing::DecodeDataMatrix(cpclab::testing::SvgSymbols(svg.out));
  absl::StatusOr<domain::Scan> scan = domain::ParseScan("unit", matrix);
  ASSERT_TRUE(scan.ok()) << scan.status();
  EXPECT_EQ(domain::UnitId(scan->din, *scan->unit_sequence), bag.unit_id());
  // The expiry (data structure 005) is the record's, to the minute.
  ASSERT_TRUE(scan->expires.has_value());
  EXPECT_EQ(absl::StrFormat("%s %02d:%02d", absl::FormatCivilTime(absl::CivilDay(*scan->expires)),
                            scan->expires->hour(), scan->expires->minute()),
            expires);

  Result given = Label({bag.unit_id(), "--expires", "2036-11-20"});
  EXPECT_EQ(given.exit_code, 2);
  EXPECT_THAT(given.err, HasSubstr("--expires is only for --offline labels"));

  Result expired = Label({bags[1].unit_id()});
  EXPECT_EQ(expired.exit_code, 1);
  EXPECT_THAT(expired.err, HasSubstr(absl::StrCat("unit ", bags[1].unit_id(),
                                                  " is a fresh unit that expired at ")));
  EXPECT_EQ(expired.out, "");
}

}  // namespace
}  // namespace cpctrack::testing
