// `cpc patient update` and `show` against an in-process fake PatientService.
#include <string>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "cpctrack/v1/patients.grpc.pb.h"
#include "google/protobuf/text_format.h"
#include "tests/client/in_process_server.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

// Registered 2026-11-20 00:00 UTC with consent CF-0113; HTLV-1 pending.
constexpr char kPatient[] = R"pb(
  patient_id: "TKY-0042" body_weight_kg: 62.5
  screening {
    hbv: SCREENING_RESULT_NEGATIVE hcv: SCREENING_RESULT_NEGATIVE
    hiv: SCREENING_RESULT_NEGATIVE htlv1: SCREENING_RESULT_PENDING
    syphilis: SCREENING_RESULT_NEGATIVE
  }
  consent { given: true consent_time { seconds: 1795046400 } document_ref: "CF-0113" }
  create_time { seconds: 1795132800 } created_by: "ana" revision: 1
)pb";

class FakePatientService final : public v1::PatientService::Service {
 public:
  FakePatientService() {
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(kPatient, &patient));
  }
  grpc::Status GetPatient(grpc::ServerContext*, const v1::GetPatientRequest* request,
                          v1::Patient* response) override {
    if (request->patient_id() != patient.patient_id()) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no patient " + request->patient_id());
    }
    *response = patient;
    return grpc::Status::OK;
  }
  grpc::Status UpdatePatient(grpc::ServerContext*, const v1::UpdatePatientRequest* request,
                             v1::Patient* response) override {
    ++updates;
    update_request = *request;
    if (!refusal.ok()) return refusal;
    *response = request->patient();
    response->set_revision(patient.revision() + 1);
    response->set_created_by(patient.created_by());
    *response->mutable_create_time() = patient.create_time();
    response->mutable_update_time()->set_seconds(1795163400);  // 11-20 08:30 UTC
    response->set_updated_by("ben");
    response->set_update_reason(request->reason());
    return grpc::Status::OK;
  }

  v1::Patient patient;
  int updates = 0;
  v1::UpdatePatientRequest update_request;
  grpc::Status refusal = grpc::Status::OK;
};

class PatientCommandsTest : public CpcAgainstFakeTest {
 protected:
  void SetUp() override { StartServer({&service_}); }
  FakePatientService service_;
};

TEST_F(PatientCommandsTest, UpdateSendsTheFullPatientWithOnlyTheGivenFlagsChanged) {
  ASSERT_EQ(Cpc({"patient", "update", "TKY-0042", "--htlv1", "neg", "--weight-kg", "63",
                 "--reason", "HTLV-1 result received"}),
            0)
      << err_.str();
  const v1::UpdatePatientRequest& request = service_.update_request;
  EXPECT_EQ(request.reason(), "HTLV-1 result received");
  EXPECT_EQ(request.request_id().size(), 36u);
  const v1::Patient& sent = request.patient();
  EXPECT_EQ(sent.patient_id(), "TKY-0042");
  EXPECT_EQ(sent.body_weight_kg(), 63);
  EXPECT_EQ(sent.screening().htlv1(), v1::SCREENING_RESULT_NEGATIVE);
  EXPECT_EQ(sent.screening().hbv(), v1::SCREENING_RESULT_NEGATIVE);
  EXPECT_EQ(sent.consent().document_ref(), "CF-0113");
  EXPECT_EQ(sent.consent().consent_time().seconds(), 1795046400);
  // Output-only fields are the server's to set.
  EXPECT_EQ(sent.revision(), 0);
  EXPECT_FALSE(sent.has_create_time());
  EXPECT_TRUE(PendingFiles().empty());

  const std::string out = out_.str();
  EXPECT_TRUE(absl::StartsWith(out, "Updated patient TKY-0042 (revision 2)\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "screening  all neg\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "revision   2\n"
                                     "updated    2026-11-20 08:30 by ben "
                                     "(reason: HTLV-1 result received)\n"))
      << out;
}

TEST_F(PatientCommandsTest, UpdateSaysWhichRevisionItWasMadeFrom) {
  service_.patient.set_revision(7);
  ASSERT_EQ(Cpc({"patient", "update", "TKY-0042", "--weight-kg", "63", "--reason", "weighed"}),
            0)
      << err_.str();
  EXPECT_EQ(service_.update_request.expected_revision(), 7);
}

TEST_F(PatientCommandsTest, AnUpdateRefusedAsStaleSaysToLookAgain) {
  service_.patient.set_revision(2);
  service_.refusal = grpc::Status(grpc::StatusCode::ABORTED,
                                  "patient TKY-0042 is at revision 3, not 2: read it again");
  EXPECT_EQ(Cpc({"patient", "update", "TKY-0042", "--htlv1", "neg", "--reason", "result"}), 1);
  EXPECT_EQ(err_.str(), "cpc: ABORTED: patient TKY-0042 is at revision 3, not 2: read it again "
                        "(this update was made from revision 2 and was not recorded: see "
                        "`cpc patient show TKY-0042`, then run the update again if it still "
                        "applies)\n");
  EXPECT_EQ(out_.str(), "");
  // The server's answer is final: nothing to retry.
  EXPECT_TRUE(PendingFiles().empty());
}

TEST_F(PatientCommandsTest, UpdateNeedsAReasonAndSomethingToChange) {
  EXPECT_EQ(Cpc({"patient", "update", "TKY-0042", "--weight-kg", "63"}), 2);
  EXPECT_EQ(err_.str(), "cpc: patient update: --reason is required\n");
  EXPECT_EQ(Cpc({"patient", "update", "TKY-0042", "--reason", "typo"}), 2);
  EXPECT_TRUE(absl::StartsWith(err_.str(), "cpc: patient update: say what changes: give at "
                                           "least one of --weight-kg, --hbv,"))
      << err_.str();
  EXPECT_EQ(service_.updates, 0);
}

TEST_F(PatientCommandsTest, ConsentGivenInAnUpdateIsTimedNowUnlessSaid) {
  service_.patient.clear_consent();
  EXPECT_EQ(Cpc({"patient", "update", "TKY-0042", "--consent-time", "-1h", "--reason", "x"}), 2);
  EXPECT_EQ(err_.str(), "cpc: patient update: --consent-time needs --consent or --consent-ref\n");

  const absl::Time before = absl::Now() - absl::Seconds(1);
  ASSERT_EQ(Cpc({"patient", "update", "TKY-0042", "--consent-ref", "CF-0200", "--reason",
                 "consent form signed"}),
            0)
      << err_.str();
  const v1::Consent& consent = service_.update_request.patient().consent();
  EXPECT_TRUE(consent.given());
  EXPECT_EQ(consent.document_ref(), "CF-0200");
  EXPECT_GE(absl::FromUnixSeconds(consent.consent_time().seconds()), before - absl::Seconds(1));
}

TEST_F(PatientCommandsTest, ShowPrintsTheLastUpdateOnlyAfterOne) {
  ASSERT_EQ(Cpc({"patient", "show", "TKY-0042"}), 0) << err_.str();
  EXPECT_FALSE(absl::StrContains(out_.str(), "revision")) << out_.str();

  service_.patient.set_revision(3);
  service_.patient.mutable_update_time()->set_seconds(1795163400);
  service_.patient.set_updated_by("ben");
  service_.patient.set_update_reason("weight re-measured");
  ASSERT_EQ(Cpc({"patient", "show", "TKY-0042"}), 0) << err_.str();
  EXPECT_TRUE(absl::EndsWith(out_.str(), "created    2026-11-20 00:00 by ana\n"
                                         "revision   3\n"
                                         "updated    2026-11-20 08:30 by ben "
                                         "(reason: weight re-measured)\n"))
      << out_.str();
}

TEST_F(PatientCommandsTest, ShowAsJsonPrintsZeroValues) {
  ASSERT_EQ(Cpc({"patient", "show", "TKY-0042", "--json"}), 0) << err_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "\"updated_by\": \"\"")) << out_.str();
}

}  // namespace
}  // namespace cpc
