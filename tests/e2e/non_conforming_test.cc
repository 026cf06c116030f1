// Issue 13 item 4 through the real cpc against the real cpcd: a batch out of
// specification on viability, its deviation closed by QA with the treating
// physician's signed request (USE_UNDER_PHYSICIAN_RESPONSIBILITY), released as
// non-conforming, and readiness, the batch, the board and the unit label say
// so and name the deviation. The same disposition is refused without the
// physician's signature, with QA's own, with a non-physician's, and always for
// a positive sterility result.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lab_tools/lab_commands.h"
#include "tests/e2e/lab_session.h"
#include "tests/e2e/release_fixture.h"

namespace cpctrack::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class NonConformingTest : public ReleaseInfusionTest {
 protected:
  CliResult Cpc(const std::vector<std::string>& args, const std::string& user,
                const std::string& more_stdin = "") {
    return RunCpc(server_->address(), user, args, state_dir_.path(), more_stdin);
  }

  // A batch grown and frozen into one vial whose release tests all pass but
  // viability, 62 % against the 70 % minimum: a deviation OUT_OF_SPECIFICATION.
  // Answers the batch and sets oos_ to that deviation's ID.
  std::string LowViabilityBatch() {
    DefineBox();
    const std::string id = GrownBatch(now_ - absl::Hours(2));
    Plan(id, 30'000'000, {Today(7)});
    PassReleaseTests(id, /*viability_percent=*/62);
    v1::FreezeUnitsResponse frozen;
    EXPECT_TRUE(units_->FreezeUnits(Context().get(), FreezeVialsRequest(id, 1), &frozen).ok());
    const v1::Batch batch = Get(id);
    for (const v1::Deviation& d : batch.deviations()) {
      if (d.kind() == v1::DEVIATION_KIND_OUT_OF_SPECIFICATION) oos_ = d.deviation_id();
    }
    EXPECT_NE(oos_, 0);
    return id;
  }

  std::vector<std::string> Close(int64_t deviation, const std::vector<std::string>& more) {
    std::vector<std::string> args = {"deviation", "close", absl::StrCat(deviation),
                                     "--disposition", "physician", "--reason",
                                     "viability 62%: no other cells for this patient",
                                     "--password-stdin"};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }

  TempDir state_dir_;
  int64_t oos_ = 0;
};

// Released first, then a vial thawed below the minimum viability: the new
// deviation changes the record, so the release no longer holds. Closing it
// with the physician's request leaves the batch RELEASED on record, and cpc
// says the release must be signed again instead of "is now released".
TEST_F(NonConformingTest, ClosingADeviationOpenedAfterReleaseSaysQAMustSignAgain) {
  DefineBox();
  const std::string id = GrownBatch(now_ - absl::Hours(2));
  Plan(id, 30'000'000, {Today(7)});
  PassReleaseTests(id);
  v1::FreezeUnitsResponse frozen;
  ASSERT_TRUE(units_->FreezeUnits(Context().get(), FreezeVialsRequest(id, 1), &frozen).ok());
  v1::ReleaseBatchResponse released;
  ASSERT_TRUE(Release(id, &released).ok());

  v1::ThawUnitRequest thaw;
  thaw.set_request_id(NewRequestId());
  thaw.set_unit_id(id + "-01");
  *thaw.mutable_thaw()->mutable_thawed_time() = Ts(absl::Now() - absl::Minutes(30));
  thaw.mutable_thaw()->set_total_cells(48'000'000);
  thaw.mutable_thaw()->set_viable_cells(30'000'000);  // 62.5 %, below the 70 % minimum
  v1::ThawUnitResponse thawed;
  ASSERT_TRUE(units_->ThawUnit(Context().get(), thaw, &thawed).ok());
  ASSERT_EQ(thawed.opened_deviations_size(), 1);
  const int64_t deviation = thawed.opened_deviations(0).deviation_id();

  CliResult r =
      Cpc(Close(deviation, {"--physician", "dr.ito"}), "qa.mori", TestPassword("dr.ito") + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("on record, but its release no longer holds: revoked: the record "
                               "changed after qa.tanaka signed"));
  EXPECT_THAT(r.out, HasSubstr("QA must sign again"));
  // Readiness says the same.
  EXPECT_THAT(Cpc({"readiness", id}, "sched.mori").out, HasSubstr("revoked"));
}

TEST_F(NonConformingTest, ViabilityOutOfSpecificationReleasedAsNonConformingAtThePhysiciansRequest) {
  const std::string id = LowViabilityBatch();
  const std::string dev = absl::StrCat(oos_);

  // Out of specification: the release is refused, naming viability.
  CliResult r = Cpc({"release", id, "--confirm", id, "--password-stdin"}, "qa.tanaka");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("viability not met"));

  // Without the physician's signed request, with QA's own, with a technician's:
  // refused, and the deviation stays open.
  r = Cpc(Close(oos_, {}), "qa.mori");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("physician: required for USE_UNDER_PHYSICIAN_RESPONSIBILITY"));
  r = Cpc(Close(oos_, {"--physician", "qa.mori"}), "qa.mori");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("qa.mori is closing the deviation as QA"));
  r = Cpc(Close(oos_, {"--physician", "nurse.abe"}), "qa.mori",
          TestPassword("nurse.abe") + "\n");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("nurse.abe does not hold the physician role"));
  // The physician's wrong password is not a signature.
  r = Cpc(Close(oos_, {"--physician", "dr.ito"}), "qa.mori", TestPassword("nurse.abe") + "\n");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("physician_signature: not accepted"));
  EXPECT_EQ(Get(id).open_deviation_count(), 1);

  // QA closes it with the physician's request, both signed in one request.
  r = Cpc(Close(oos_, {"--physician", "dr.ito"}), "qa.mori", TestPassword("dr.ito") + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("with disposition physician"));
  EXPECT_THAT(r.out, HasSubstr("(dr.ito) at"));
  EXPECT_THAT(r.out, HasSubstr("requested: use under the physician's responsibility"));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("NON-CONFORMING under deviation #", dev)));
  r = Cpc({"deviation", "show", dev}, "qa.mori");
  EXPECT_THAT(r.out, HasSubstr("at the signed request of physician dr.ito"));
  // The physician's password is never stored (the request's fingerprint
  // leaves it out).
  for (const std::string& file : {db_path(), db_path() + "-wal"}) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_THAT(bytes, Not(HasSubstr(TestPassword("dr.ito")))) << file;
  }

  // Readiness: releasable as non-conforming, naming the deviation.
  const std::string named = absl::StrCat("NON-CONFORMING under deviation ", dev,
                                         " (physician dr.ito's request)");
  r = Cpc({"readiness", id}, "sched.mori");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("!! ", named, ": releasable only as non-conforming")));
  EXPECT_THAT(r.out, HasSubstr("NON-CONFORMING"));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("releasable as non-conforming under deviation ", dev)));

  // QA releases it: as non-conforming, naming the deviation.
  r = Cpc({"release", id, "--confirm", id, "--password-stdin"}, "qa.tanaka");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith(absl::StrCat("Released for infusion as ", named, " by qa.tanaka")));

  r = Cpc({"readiness", id}, "sched.mori");
  EXPECT_THAT(r.out, StartsWith("READY"));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("!! ", named, "\n")));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("Released for infusion as ", named)));
  r = Cpc({"batch", "show", id}, "sched.mori");
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("!! ", named)));

  // The board: ready, non-conforming, naming the deviation.
  const v1::Board board = Board();
  ASSERT_EQ(board.entries_size(), 1);
  EXPECT_EQ(board.entries(0).status(), v1::BOARD_STATUS_READY);
  EXPECT_EQ(board.entries(0).non_conforming(), named);
  r = Cpc({"readiness", "--upcoming", "14d"}, "sched.mori");
  EXPECT_THAT(r.out, HasSubstr("READY (NON-CONFORMING)"));

  // The unit's label says so, naming the deviation.
  const std::string config = SaveLabSession(state_dir_.path() + "/lab", server_->address(),
                                            channel_, "tech.sato");
  std::ostringstream out, err;
  const int code = cpclab::RunLab({"label", id + "-01", "--format", "zpl", "--server",
                                   server_->address()},
                                  "", config, out, err);
  ASSERT_EQ(code, 0) << err.str();
  EXPECT_THAT(out.str(), HasSubstr(absl::StrCat("^FDNON-CONFORMING: deviation ", dev, "^FS")));
}

TEST_F(NonConformingTest, AConformingBatchsLabelSaysNothingOfIt) {
  DefineBox();
  const std::string id = CreateBatch();
  Receive(id, 100);
  Seed(id, now_ - absl::Hours(98), 2'000'000);
  Passage(id, now_ - absl::Hours(2), 200'000'000, 10'000'000);
  v1::FreezeUnitsResponse frozen;
  ASSERT_TRUE(units_->FreezeUnits(Context().get(), FreezeVialsRequest(id, 1), &frozen).ok());
  const std::string config = SaveLabSession(state_dir_.path() + "/lab", server_->address(),
                                            channel_, "tech.sato");
  std::ostringstream out, err;
  ASSERT_EQ(cpclab::RunLab({"label", id + "-01", "--format", "zpl", "--server",
                            server_->address()},
                           "", config, out, err),
            0)
      << err.str();
  EXPECT_THAT(out.str(), Not(HasSubstr("NON-CONFORMING")));
  EXPECT_THAT(Cpc({"batch", "show", id}, "sched.mori").out, Not(HasSubstr("NON-CONFORMING")));
}

TEST_F(NonConformingTest, APositiveSterilityResultIsNeverUsedUnderThePhysiciansResponsibility) {
  const std::string id = LowViabilityBatch();
  // The final culture grows: quarantined, a positive-test deviation.
  v1::DrawSampleRequest draw;
  draw.set_request_id(NewRequestId());
  draw.set_batch_id(id);
  draw.set_sample_point(v1::SAMPLE_POINT_FINAL_PRODUCT);
  *draw.mutable_drawn_time() = Ts(absl::Now() - absl::Minutes(50));
  v1::TestOrder* order = draw.add_tests();
  order->set_type(v1::QC_TEST_TYPE_STERILITY);
  order->set_method("validated rapid method");
  v1::DrawSampleResponse drawn;
  ASSERT_TRUE(qc_->DrawSample(Context().get(), draw, &drawn).ok());
  v1::RecordResultRequest result;
  result.set_request_id(NewRequestId());
  result.set_test_id(drawn.tests(0).test_id());
  *result.mutable_result()->mutable_read_time() = Ts(absl::Now() - absl::Minutes(5));
  result.mutable_result()->mutable_detection()->set_detection(v1::DETECTION_POSITIVE);
  v1::QcWriteResponse written;
  ASSERT_TRUE(qc_->RecordResult(Context().get(), result, &written).ok());
  ASSERT_EQ(written.opened_deviations_size(), 1);
  const int64_t positive = written.opened_deviations(0).deviation_id();

  // Even with the physician's signed request.
  CliResult r = Cpc(Close(positive, {"--physician", "dr.ito"}), "qa.mori",
                    TestPassword("dr.ito") + "\n");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("never used under the physician's responsibility"));
  // Nor continued without a negative retest on record.
  r = Cpc({"deviation", "close", absl::StrCat(positive), "--disposition", "continue", "--reason",
           "probably a false positive", "--password-stdin"},
          "qa.mori");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("negative retest on record"));
  EXPECT_EQ(Get(id).state(), v1::BATCH_STATE_QUARANTINED);
  // Still open: nothing was written.
  r = Cpc({"deviation", "show", absl::StrCat(positive)}, "qa.mori");
  EXPECT_THAT(r.out, HasSubstr("!! OPEN"));
  // And the physician's request on the out-of-specification deviation does
  // not release a quarantined batch.
  r = Cpc(Close(oos_, {"--physician", "dr.ito"}), "qa.mori", TestPassword("dr.ito") + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Cpc({"release", id, "--confirm", id, "--password-stdin"}, "qa.tanaka");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("QUARANTINED"));
  EXPECT_EQ(Get(id).state(), v1::BATCH_STATE_QUARANTINED);
}

}  // namespace
}  // namespace cpctrack::testing
