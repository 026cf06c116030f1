// cpc-web end to end: the real cpcd on a temporary database, the real cpc-web
// in front of it, both on loopback ephemeral ports, and a real headless
// Chromium (Debian's chromium + chromium-driver through python3-selenium,
// web_browser.py) signing in, reading the board, a batch page with its chart,
// downloading the sterility CSV and signing out; a scheduler refused the
// audit trail. The data is set up through the API as the lab would.
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "cpctrack/v1/qc.grpc.pb.h"
#include "cpctrack/v1/treatment.grpc.pb.h"
#include "cpctrack/v1/units.grpc.pb.h"
#include "tests/e2e/api_fixture.h"

namespace cpctrack::testing {
namespace {

class WebBrowserTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    qc_ = v1::QcService::NewStub(channel_);
    units_ = v1::UnitService::NewStub(channel_);
    readiness_ = v1::ReadinessService::NewStub(channel_);
    treatment_ = v1::TreatmentService::NewStub(channel_);
    RegisterBasics();
    // The batch is resulted within the hour: sterility and mycoplasma by
    // validated rapid methods (the 14-day compendial culture has its own tests).
    UseRapidCultureMethods();
    DefineBox();
  }
  void TearDown() override {
    web_.reset();
    qc_.reset();
    units_.reset();
    readiness_.reset();
    treatment_.reset();
    ApiTest::TearDown();
  }

  static std::string Day(int plus_days) {
    return absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + plus_days);
  }

  void Check(const grpc::Status& status, const char* what) {
    ASSERT_TRUE(status.ok()) << what << ": " << status.error_message();
  }

  void PassageOf(const std::string& id, absl::Time t, int64_t viable, int64_t reseed) {
    v1::RecordPassageRequest request;
    request.set_request_id(NewRequestId());
    request.set_batch_id(id);
    *request.mutable_passage() = PassageAt(t, viable, reseed);
    ExplainIfLate(request, t);
    v1::RecordResponse response;
    Check(batches_->RecordPassage(Context().get(), request, &response), "passage");
  }

  void PlanInfusion(const std::string& id, double cells, const std::string& date) {
    v1::CreatePlanRequest request;
    request.set_request_id(NewRequestId());
    request.mutable_plan()->set_batch_id(id);
    request.mutable_plan()->set_plan_number(absl::StrCat("TP-", id.substr(7)));
    request.mutable_plan()->set_fixed_cells(cells);
    request.mutable_plan()->add_infusions()->set_planned_date(date);
    v1::TreatmentPlan plan;
    Check(treatment_->CreatePlan(Context("sched.mori").get(), request, &plan), "plan");
  }

  // Final-harvest QC in spec, resulted by tech.sato and reviewed by qa.tanaka;
  // three vials frozen into LN2-A/R1/B1; QA's release.
  void TestFreezeAndRelease(const std::string& id) {
    v1::DrawSampleRequest draw;
    draw.set_request_id(NewRequestId());
    draw.set_batch_id(id);
    draw.set_sample_point(v1::SAMPLE_POINT_FINAL_HARVEST);
    *draw.mutable_drawn_time() = Ts(now_ - absl::Hours(1));
    for (int type = v1::QC_TEST_TYPE_STERILITY; type <= v1::QC_TEST_TYPE_VIABILITY; ++type) {
      v1::TestOrder* order = draw.add_tests();
      order->set_type(static_cast<v1::QcTestType>(type));
      order->set_method("compendial");
    }
    v1::DrawSampleResponse drawn;
    Check(qc_->DrawSample(Context().get(), draw, &drawn), "sample");
    for (const v1::QcTest& test : drawn.tests()) {
      v1::RecordResultRequest record;
      record.set_request_id(NewRequestId());
      record.set_test_id(test.test_id());
      v1::QcResult* result = record.mutable_result();
      *result->mutable_read_time() = Ts(absl::Now() - absl::Minutes(5));
      if (test.type() == v1::QC_TEST_TYPE_STERILITY || test.type() == v1::QC_TEST_TYPE_MYCOPLASMA) {
        result->mutable_detection()->set_detection(v1::DETECTION_NEGATIVE);
      } else if (test.type() == v1::QC_TEST_TYPE_ENDOTOXIN) {
        result->set_endotoxin_eu_per_ml(0.1);
      } else if (test.type() == v1::QC_TEST_TYPE_GRAM_STAIN) {
        result->mutable_gram_stain()->set_finding(v1::GRAM_FINDING_NO_ORGANISMS_SEEN);
      } else if (test.type() == v1::QC_TEST_TYPE_FLOW_CYTOMETRY) {
        for (const auto& [marker, percent] :
             std::vector<std::pair<std::string, double>>{{"CD73", 99}, {"CD90", 98.5},
                                                         {"CD105", 97}, {"CD45", 0.5},
                                                         {"HLA-DR", 0.8}}) {
          v1::MarkerResult* m = result->mutable_flow()->add_markers();
          m->set_marker(marker);
          m->set_percent_positive(percent);
        }
      } else {
        result->set_viability_percent(94);
      }
      v1::QcWriteResponse written;
      Check(qc_->RecordResult(Context().get(), record, &written), "result");
      v1::ReviewResultRequest review;
      review.set_request_id(NewRequestId());
      review.set_test_id(test.test_id());
      review.mutable_signature()->set_password(TestPassword("qa.tanaka"));
      Check(qc_->ReviewResult(Context("qa.tanaka").get(), review, &written), "review");
    }
    const v1::FreezeUnitsRequest freeze = FreezeVialsRequest(id, 3);
    v1::FreezeUnitsResponse frozen;
    Check(units_->FreezeUnits(Context().get(), freeze, &frozen), "freeze");
    v1::ReleaseBatchRequest release;
    release.set_request_id(NewRequestId());
    release.set_batch_id(id);
    release.set_confirm_batch_id(id);
    release.mutable_signature()->set_password(TestPassword("qa.tanaka"));
    v1::ReleaseBatchResponse released;
    Check(readiness_->ReleaseBatch(Context("qa.tanaka").get(), release, &released), "release");
  }

  std::unique_ptr<v1::QcService::Stub> qc_;
  std::unique_ptr<v1::UnitService::Stub> units_;
  std::unique_ptr<v1::ReadinessService::Stub> readiness_;
  std::unique_ptr<v1::TreatmentService::Stub> treatment_;
  std::unique_ptr<ServerProcess> web_;
};

TEST_F(WebBrowserTest, SignInBoardBatchPageCsvSignOutAndASchedulerRefusedTheTrail) {
  // READY: grown, tested, frozen and released, for tomorrow's infusion.
  const std::string ready = CreateBatch();
  Receive(ready, 100);
  Seed(ready, now_ - absl::Hours(98), 2'000'000);
  PassageOf(ready, now_ - absl::Hours(50), 16'000'000, 4'000'000);
  PassageOf(ready, now_ - absl::Hours(2), 200'000'000, 10'000'000);
  PlanInfusion(ready, 30'000'000, Day(1));
  TestFreezeAndRelease(ready);
  // AT RISK: one doubling in two days; 1e9 cells are weeks away.
  const std::string at_risk = CreateBatch();
  Receive(at_risk, 100);
  Seed(at_risk, now_ - absl::Hours(98), 2'000'000);
  PassageOf(at_risk, now_ - absl::Hours(50), 4'000'000, 4'000'000);
  PlanInfusion(at_risk, 1'000'000'000, Day(2));
  if (HasFatalFailure()) return;

  // What `cpc audit sterility --csv` gives the auditor for the same period.
  const std::string from = Day(-1), to = Day(1);
  const CliResult csv = RunCpc(server_->address(), "auditor.ito",
                               {"audit", "sterility", "--from", from, "--to", to, "--csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  const std::string csv_path = dir_->path() + "/expected.csv";
  std::ofstream(csv_path, std::ios::binary) << csv.out;

  web_ = std::make_unique<ServerProcess>(
      dir_->path() + "/web",
      ProcessOptions{.extra_flags = {"--cpcd", server_->address(), "--time_zone", "UTC",
                                     "--refresh_seconds", "30"},
                     .program = CPC_WEB_PATH});
  const CliResult browser = RunProgram(
      {"/usr/bin/python3", WEB_BROWSER_SCRIPT, "--url", absl::StrCat("http://", web_->address()),
       "--ready", ready, "--at-risk", at_risk, "--auditor", "auditor.ito", "--scheduler",
       "sched.mori", "--expected-csv", csv_path, "--date-from", from, "--date-to", to},
      {"PATH=/usr/bin:/bin", absl::StrCat("HOME=", dir_->path()),
       absl::StrCat("AUDITOR_PASSWORD=", TestPassword("auditor.ito")),
       absl::StrCat("SCHEDULER_PASSWORD=", TestPassword("sched.mori"))},
      "");
  EXPECT_EQ(browser.exit_code, 0) << browser.out << browser.err << "\ncpc-web log:\n"
                                  << web_->Log();
  std::cout << browser.out;  // what the browser saw, step by step
  EXPECT_NE(browser.out.find("PASS"), std::string::npos) << browser.out;
  // Sign-out ended the session at cpcd too, not only in cpc-web.
  EXPECT_NE(server_->Log().find("AuthService/Logout"), std::string::npos) << server_->Log();
  EXPECT_EQ(web_->Stop(), 0);
}

TEST(WebServerTest, PlainHttpIsRefusedOffLoopback) {
  const CliResult refused =
      RunProgram({CPC_WEB_PATH, "--listen", "0.0.0.0", "--port", "0"}, {}, "");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("plain HTTP is allowed only on loopback"), std::string::npos)
      << refused.err;
}

// With --tls_cert/--tls_key cpc-web serves HTTPS and marks the session
// cookie Secure; every answer carries the security headers.
TEST(WebServerTest, HttpsSessionCookieIsSecureHttpOnlyAndStrict) {
  TempDir dir;
  const std::string cert = dir.path() + "/web.pem", key = dir.path() + "/web.key";
  const CliResult made = RunProgram(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
       "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
       "subjectAltName=IP:127.0.0.1"},
      {"PATH=/usr/bin:/bin"}, "");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  ServerProcess web(dir.path() + "/web",
                    ProcessOptions{.extra_flags = {"--tls_cert", cert, "--tls_key", key},
                                   .program = CPC_WEB_PATH});
  // Python's own TLS client, trusting only this certificate.
  const CliResult fetched = RunProgram(
      {"/usr/bin/python3", "-c",
       "import ssl, sys, urllib.request\n"
       "context = ssl.create_default_context(cafile=sys.argv[2])\n"
       "with urllib.request.urlopen(sys.argv[1], context=context) as r:\n"
       "    print(r.headers.get('Set-Cookie'))\n"
       "    print(r.headers.get('Content-Security-Policy'))\n",
       absl::StrCat("https://", web.address(), "/login"), cert},
      {"PATH=/usr/bin:/bin"}, "");
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  for (const char* part : {"cpcweb=", "HttpOnly", "SameSite=Strict", "Secure",
                           "default-src 'none'"}) {
    EXPECT_NE(fetched.out.find(part), std::string::npos) << part << " in\n" << fetched.out;
  }
  EXPECT_EQ(web.Stop(), 0);
}

}  // namespace
}  // namespace cpctrack::testing
