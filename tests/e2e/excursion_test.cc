// Issue 17 item 5 through the real cpc against the real cpcd: an excursion of
// a lot, a piece of equipment or a storage tank opens, in one request, a
// deviation on every batch it reached; closing it shows each batch's
// disposition; a tank reading out of its class's limits opens the tank's
// excursion by itself, and an import of the monitoring system's CSV is
// recorded whole or not at all.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "cpctrack/v1/deviations.grpc.pb.h"
#include "tests/e2e/release_fixture.h"

namespace cpctrack::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

class ExcursionTest : public ReleaseInfusionTest {
 protected:
  void SetUp() override {
    ReleaseInfusionTest::SetUp();
    deviations_ = v1::DeviationService::NewStub(channel_);
  }
  void TearDown() override {
    deviations_.reset();
    ReleaseInfusionTest::TearDown();
  }

  CliResult Cpc(const std::vector<std::string>& args, const std::string& user) {
    return RunCpc(server_->address(), user, args, state_dir_.path());
  }
  std::string Ok(const std::vector<std::string>& args, const std::string& user) {
    const CliResult r = Cpc(args, user);
    EXPECT_EQ(r.exit_code, 0) << "cpc " << absl::StrJoin(args, " ") << "\n" << r.err;
    return r.out;
  }

  // A grown batch frozen into vials at LN2-A/R1/B1/A<first>...
  std::string FrozenBatch(int first, int vials) {
    const std::string id = GrownBatch(now_ - absl::Hours(2));
    v1::FreezeUnitsRequest freeze = FreezeVialsRequest(id, vials);
    for (int i = 0; i < vials; ++i) {
      freeze.mutable_units(i)->set_position(absl::StrCat("LN2-A/R1/B1/A", first + i));
    }
    v1::FreezeUnitsResponse frozen;
    const grpc::Status s = units_->FreezeUnits(Context().get(), freeze, &frozen);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return id;
  }

  v1::Excursion Excursion(int64_t id) {
    v1::GetExcursionRequest request;
    request.set_excursion_id(id);
    v1::Excursion e;
    const grpc::Status s = deviations_->GetExcursion(Context("auditor.ito").get(), request, &e);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return e;
  }

  std::set<std::string> ChildBatches(const v1::Excursion& e) {
    std::set<std::string> batches;
    for (const v1::Deviation& d : e.deviations()) batches.insert(d.batch_id());
    return batches;
  }

  // The batch's deviations of kind EXCURSION.
  std::vector<v1::Deviation> Excursions(const std::string& batch_id) {
    std::vector<v1::Deviation> out;
    const v1::Batch batch = Get(batch_id);
    for (const v1::Deviation& d : batch.deviations()) {
      if (d.kind() == v1::DEVIATION_KIND_EXCURSION) out.push_back(d);
    }
    return out;
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = state_dir_.path() + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  TempDir state_dir_;
  std::unique_ptr<v1::DeviationService::Stub> deviations_;
};

TEST_F(ExcursionTest, ARecalledLotReachesTheThreeBatchesThatUsedItInOneRequest) {
  // Each batch's P0 seeding used collagenase lot COL-1.
  const std::vector<std::string> batches = {BatchInCulture(), BatchInCulture(),
                                            BatchInCulture()};
  const std::string used = Ok({"lot", "where-used", "COL-1"}, "qa.tanaka");
  EXPECT_THAT(used, HasSubstr("in 3 batch(es)"));
  for (const std::string& id : batches) EXPECT_THAT(used, HasSubstr(id));

  const std::string opened =
      Ok({"deviation", "open", "--lot", "COL-1", "--description", "supplier recall R-2211"},
         "qa.tanaka");
  EXPECT_THAT(opened, HasSubstr("Opened excursion EXC-1 with 3 deviations"));
  const v1::Excursion e = Excursion(1);
  EXPECT_EQ(e.scope(), v1::EXCURSION_SCOPE_LOT);
  EXPECT_EQ(e.subject(), "COL-1");
  EXPECT_EQ(ChildBatches(e), std::set<std::string>(batches.begin(), batches.end()));
  for (const v1::Deviation& d : e.deviations()) {
    EXPECT_EQ(d.kind(), v1::DEVIATION_KIND_EXCURSION);
    EXPECT_EQ(d.state(), v1::DEVIATION_STATE_OPEN);
    EXPECT_EQ(d.excursion_id(), 1);
    EXPECT_THAT(d.description(), HasSubstr("supplier recall R-2211"));
    // One request, one transaction: the parent and every child at one time.
    EXPECT_EQ(FromTs(d.open_time()), FromTs(e.open_time()));
  }
  // Each batch carries it as its own open deviation.
  for (const std::string& id : batches) {
    const std::vector<v1::Deviation> own = Excursions(id);
    ASSERT_THAT(own, SizeIs(1)) << id;
    EXPECT_EQ(own[0].excursion_id(), 1);
  }
  const std::string shown = Ok({"deviation", "show", "EXC-1"}, "auditor.ito");
  EXPECT_THAT(shown, HasSubstr("lot COL-1  !! OPEN"));
  EXPECT_THAT(shown, HasSubstr("(3 open)"));
}

TEST_F(ExcursionTest, ClosingTheExcursionShowsEachBatchsDisposition) {
  const std::vector<std::string> batches = {BatchInCulture(), BatchInCulture()};
  Ok({"deviation", "open", "--lot", "COL-1", "--description", "supplier recall R-2211"},
     "qa.tanaka");
  const v1::Excursion opened = Excursion(1);
  ASSERT_THAT(opened.deviations(), SizeIs(2));

  // Refused while a batch's deviation is open, naming it; nothing closed.
  const CliResult early = Cpc({"deviation", "close", "EXC-1", "--reason", "assessed",
                               "--password-stdin"},
                              "qa.tanaka");
  EXPECT_NE(early.exit_code, 0);
  EXPECT_THAT(early.err, HasSubstr("EXC-1 has 2 open deviations"));
  EXPECT_THAT(early.err, HasSubstr(absl::StrCat("deviation #", opened.deviations(0).deviation_id(),
                                                " on batch ", opened.deviations(0).batch_id())));
  EXPECT_EQ(Excursion(1).state(), v1::DEVIATION_STATE_OPEN);

  const std::string dispositions[] = {"continue", "reject"};
  for (int i = 0; i < 2; ++i) {
    Ok({"deviation", "close", absl::StrCat(opened.deviations(i).deviation_id()), "--disposition",
        dispositions[i], "--reason",
        i == 0 ? "lot not used after the recalled date" : "cells exposed to the recalled lot",
        "--password-stdin"},
       "qa.tanaka");
  }
  const std::string closed = Ok({"deviation", "close", "EXC-1", "--reason",
                                 "both batches assessed", "--password-stdin"},
                                "qa.tanaka");
  EXPECT_THAT(closed, HasSubstr("Closed excursion EXC-1"));
  EXPECT_THAT(closed, HasSubstr("closed: continue"));
  EXPECT_THAT(closed, HasSubstr("closed: reject"));
  EXPECT_THAT(closed, HasSubstr("(0 open)"));
  const std::string shown = Ok({"deviation", "show", "EXC-1"}, "auditor.ito");
  EXPECT_THAT(shown, HasSubstr("cells exposed to the recalled lot"));
  EXPECT_THAT(shown, HasSubstr("both batches assessed"));
  EXPECT_EQ(Excursion(1).state(), v1::DEVIATION_STATE_CLOSED);
  EXPECT_EQ(Get(opened.deviations(1).batch_id()).state(), v1::BATCH_STATE_REJECTED);
}

TEST_F(ExcursionTest, AnEquipmentExcursionReachesTheBatchesInItDuringTheWindow) {
  const std::string id = BatchInCulture();  // seeded into INC-01 20 h ago
  const std::string opened =
      Ok({"deviation", "open", "--equipment", "INC-01", "--from", "-3h", "--to", "-1h",
          "--description", "INC-01 at 41 C overnight"},
         "qa.tanaka");
  EXPECT_THAT(opened, HasSubstr("with 1 deviation "));
  EXPECT_EQ(ChildBatches(Excursion(1)), std::set<std::string>{id});
  // Before the seeding, the incubator held none of it.
  Ok({"deviation", "open", "--equipment", "INC-01", "--from", "-30h", "--to", "-25h",
      "--description", "INC-01 door alarm"},
     "qa.tanaka");
  EXPECT_THAT(Excursion(2).deviations(), SizeIs(0));
  // A window is required for equipment.
  const CliResult no_window = Cpc({"deviation", "open", "--equipment", "INC-01",
                                   "--description", "alarm"},
                                  "qa.tanaka");
  EXPECT_NE(no_window.exit_code, 0);
  EXPECT_THAT(no_window.err, HasSubstr("from_time and to_time: required"));
}

TEST_F(ExcursionTest, AReadingOfMinus120InLn2VapourOpensAnExcursionNamingEveryUnitInTheTank) {
  DefineBox();
  const std::string first = FrozenBatch(1, 2);
  const std::string second = FrozenBatch(3, 1);
  const std::string read = Ok({"storage", "reading", "LN2-A", "--temperature", "-120",
                               "--ln2-level", "55", "--at", "-5m"},
                              "tech.sato");
  EXPECT_THAT(read, HasSubstr("1 out of limits"));
  EXPECT_THAT(read, HasSubstr("temperature_c -120 is above the -150 °C maximum of LN2_VAPOUR"));
  EXPECT_THAT(read, HasSubstr("opened excursion EXC-1"));

  const v1::Excursion e = Excursion(1);
  EXPECT_EQ(e.scope(), v1::EXCURSION_SCOPE_TANK);
  EXPECT_EQ(e.subject(), "LN2-A");
  EXPECT_NE(e.reading_id(), 0);
  EXPECT_EQ(e.opened_by(), "tech.sato");
  EXPECT_EQ(ChildBatches(e), (std::set<std::string>{first, second}));
  std::string named;
  for (const v1::Deviation& d : e.deviations()) named += d.description();
  for (const std::string& unit : {first + "-01", first + "-02", second + "-01"}) {
    EXPECT_THAT(named, HasSubstr(absl::StrCat("unit ", unit, " in LN2-A/R1/B1/")));
  }
  const std::string shown = Ok({"deviation", "show", "EXC-1"}, "qa.tanaka");
  EXPECT_THAT(shown, HasSubstr("tank LN2-A  !! OPEN"));
  EXPECT_THAT(shown, HasSubstr("(2 open)"));
  // A second reading still out of limits belongs to the same excursion.
  EXPECT_THAT(Ok({"storage", "reading", "LN2-A", "--temperature", "-110"}, "tech.sato"),
              Not(HasSubstr("opened excursion")));
  const v1::Excursion none = [&] {
    v1::GetExcursionRequest request;
    request.set_excursion_id(2);
    v1::Excursion out;
    EXPECT_EQ(deviations_->GetExcursion(Context("auditor.ito").get(), request, &out).error_code(),
              grpc::StatusCode::NOT_FOUND);
    return out;
  }();
  EXPECT_EQ(none.excursion_id(), 0);
  // Each batch's open child holds its release.
  const v1::Readiness r = Readiness(first);
  const v1::Criterion* open = Find(r, "open deviations");
  ASSERT_NE(open, nullptr);
  EXPECT_EQ(open->status(), v1::CRITERION_STATUS_NOT_MET);
}

TEST_F(ExcursionTest, AReadingInLimitsIsRecordedAndOpensNothing) {
  DefineBox();
  const std::string id = FrozenBatch(1, 1);
  const std::string read = Ok({"storage", "reading", "LN2-A", "--temperature", "-185",
                               "--ln2-level", "62"},
                              "tech.sato");
  EXPECT_THAT(read, HasSubstr("Recorded 1 reading, 0 out of limits"));
  EXPECT_THAT(read, Not(HasSubstr("excursion")));
  EXPECT_THAT(Excursions(id), SizeIs(0));
  const std::string listed = Ok({"storage", "readings", "LN2-A"}, "auditor.ito");
  EXPECT_THAT(listed, HasSubstr("-185 °C"));
  EXPECT_THAT(listed, HasSubstr("62 %"));
  EXPECT_THAT(listed, HasSubstr("typed"));
  // An auditor reads but never records.
  EXPECT_NE(Cpc({"storage", "reading", "LN2-A", "--temperature", "-185"}, "auditor.ito")
                .exit_code,
            0);
}

TEST_F(ExcursionTest, AnImportWithABadLineIsRefusedWholeAndAGoodOneRecordedWhole) {
  DefineBox();
  const std::string id = FrozenBatch(1, 1);
  // Line 4 names a tank that does not exist: cpcd refuses the request, so
  // lines 2 and 3 are not recorded either.
  const std::string unknown_tank = WriteFile(
      "unknown.csv",
      "tank,time,temperature_c,ln2_level_percent\n"
      "LN2-A,-3h,-186,63\nLN2-A,-2h,-185,61\nLN2-Z,-1h,-184,60\n");
  const CliResult refused = Cpc({"storage", "import-readings", unknown_tank}, "tech.sato");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("line 4:"));
  EXPECT_THAT(refused.err, HasSubstr("LN2-Z"));
  // A value cpc cannot read is refused before anything is sent, naming the
  // line, the column and the value.
  const std::string bad_number = WriteFile(
      "bad.csv", "tank,time,temperature_c\nLN2-A,-3h,-186\nLN2-A,-2h,minus 120\n");
  const CliResult unreadable = Cpc({"storage", "import-readings", bad_number}, "tech.sato");
  EXPECT_NE(unreadable.exit_code, 0);
  EXPECT_THAT(unreadable.err, HasSubstr("line 3, column temperature_c"));
  EXPECT_THAT(unreadable.err, HasSubstr("minus 120"));
  // A level out of range is refused by cpcd, naming the line and the rule.
  const std::string bad_level = WriteFile(
      "level.csv", "tank,time,temperature_c,ln2_level_percent\nLN2-A,-3h,-186,63\n"
                   "LN2-A,-2h,-185,140\n");
  const CliResult out_of_range = Cpc({"storage", "import-readings", bad_level}, "tech.sato");
  EXPECT_NE(out_of_range.exit_code, 0);
  EXPECT_THAT(out_of_range.err, HasSubstr("line 3: ln2_level_percent: 140 is outside 0 to 100"));
  EXPECT_THAT(Ok({"storage", "readings", "LN2-A"}, "auditor.ito"), HasSubstr("No readings."));

  // The whole file, as the monitor writes it (UTC times, CRLF): two in
  // limits since the unit was frozen 40 minutes ago, then the LN2 level
  // falls below 20 %.
  const absl::Time t = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));
  auto at = [&](int minutes_ago) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t - absl::Minutes(minutes_ago),
                            absl::UTCTimeZone());
  };
  const std::string good = WriteFile(
      "good.csv", absl::StrCat("tank,time,temperature_c,ln2_level_percent\r\n", "LN2-A,",
                               at(30), ",-186,63\r\nLN2-A,", at(20), ",-185,41\r\nLN2-A,",
                               at(10), ",-179,12\r\n"));
  const std::string imported = Ok({"storage", "import-readings", good}, "tech.sato");
  EXPECT_THAT(imported, HasSubstr("Recorded 3 readings, 1 out of limits"));
  EXPECT_THAT(imported, HasSubstr("ln2_level_percent 12 is below the 20 % minimum"));
  EXPECT_THAT(imported, HasSubstr("opened excursion EXC-1"));
  const v1::Excursion e = Excursion(1);
  EXPECT_EQ(ChildBatches(e), std::set<std::string>{id});
  // The window runs from the last reading in limits to the breach.
  EXPECT_EQ(FromTs(e.from_time()), t - absl::Minutes(20));
  EXPECT_EQ(FromTs(e.to_time()), t - absl::Minutes(10));
  const std::string listed = Ok({"storage", "readings", "LN2-A"}, "auditor.ito");
  EXPECT_THAT(listed, HasSubstr("imported"));
  EXPECT_THAT(listed, HasSubstr("!! OUT"));
  // The same file again is refused: a reading is recorded once.
  const CliResult again = Cpc({"storage", "import-readings", good}, "tech.sato");
  EXPECT_NE(again.exit_code, 0);
  EXPECT_THAT(again.err, HasSubstr("already has a reading at that time"));
}

}  // namespace
}  // namespace cpctrack::testing
