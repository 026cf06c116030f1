// `cpc readiness`, `cpc release`, `cpc plan`, `cpc infuse` and `cpc product`
// against in-process fakes: what goes over the wire, and what a scheduler,
// QA or a nurse at the bedside reads.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "tests/client/fake_services.h"
#include "tests/client/in_process_server.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

constexpr char kBatch[] = "A9999260000018";

// 1795132800 is 2026-11-20 00:00 UTC; the tests run in UTC.
constexpr char kNotReady[] = R"pb(
  batch_id: "A9999260000018" patient_id: "TKY-0042" batch_state: BATCH_STATE_QUARANTINED
  quarantine_reason: "STERILITY test 7 POSITIVE (S. aureus)"
  ready: false
  criteria { name: "sterility" status: CRITERION_STATUS_NOT_MET value: "POSITIVE (test 7)"
             limit: "NEGATIVE" }
  criteria { name: "passage" status: CRITERION_STATUS_MET value: "P3" limit: "<= P5" }
  criteria { name: "dose" status: CRITERION_STATUS_PENDING value: "6.4e7 viable"
             limit: ">= 1e8" }
  criteria { name: "release" status: CRITERION_STATUS_PENDING limit: "QA signature" }
  projection { target_cells: 100000000 ready_time { seconds: 1795269600 }
               basis: "doubling time 31.2 h over P1, P2" }
  infusions_planned: 2 infusions_covered: 0
  record_hash: "9f2c"
)pb";

class ReadinessCommandsTest : public CpcAgainstFakeTest {
 protected:
  void SetUp() override { StartServer({&readiness_, &treatment_, &products_}); }

  FakeReadinessService readiness_;
  FakeTreatmentService treatment_;
  FakeProductService products_;
};

TEST_F(ReadinessCommandsTest, NotReadyPrintsTheVerdictFirstThenEveryCriterionAndExitsZero) {
  readiness_.GetReadiness_.response = Parse<v1::Readiness>(kNotReady);
  ASSERT_EQ(Cpc({"readiness", "a9999-26-000001-8"}), 0) << err_.str();
  EXPECT_EQ(readiness_.GetReadiness_.last().batch_id(), kBatch);
  const std::string out = out_.str();
  EXPECT_TRUE(absl::StartsWith(out, "NOT READY — batch A9999 26 000001 8, patient TKY-0042, "
                                    "quarantined\n!! QUARANTINED: STERILITY test 7 POSITIVE "
                                    "(S. aureus)\n"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "  CRITERION  STATUS   VALUE              LIMIT\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "  sterility  NOT MET  POSITIVE (test 7)  NEGATIVE\n"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "  passage    met      P3                 <= P5\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "  dose       pending  6.4e7 viable       >= 1e8\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "Projected: 2026-11-21 14:00 (local) — basis: doubling "
                                     "time 31.2 h over P1, P2 (target 1e8 cells)\n"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "Infusions: 2 planned, 0 covered by stored units\n"));
  EXPECT_TRUE(absl::StrContains(out, "Release: awaiting QA release\n")) << out;
}

TEST_F(ReadinessCommandsTest, ReadyShowsTheReleaseAndNoProjectionSaysWhy) {
  readiness_.GetReadiness_.response = Parse<v1::Readiness>(R"pb(
    batch_id: "A9999260000018" patient_id: "TKY-0042" batch_state: BATCH_STATE_RELEASED
    ready: true
    criteria { name: "release" status: CRITERION_STATUS_MET value: "qa.kim" }
    projection { basis: "no projection: the culture has ended" }
    infusions_planned: 2 infusions_covered: 2 record_hash: "9f2c"
    release { release_id: 4 signer: "qa.kim" sign_time { seconds: 1795132800 }
              record_hash: "9f2c" }
  )pb");
  ASSERT_EQ(Cpc({"readiness", kBatch}), 0) << err_.str();
  const std::string out = out_.str();
  EXPECT_TRUE(absl::StartsWith(out, "READY — batch A9999 26 000001 8, patient TKY-0042, "
                                    "released\n\n"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "Projected: none — no projection: the culture has ended\n"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "Release: Released for infusion by qa.kim at "
                                     "2026-11-20 00:00; record hash 9f2c\n"))
      << out;
}

TEST_F(ReadinessCommandsTest, AReleaseForAnotherRecordHashIsShownAsRevoked) {
  v1::Readiness readiness = Parse<v1::Readiness>(kNotReady);
  readiness.set_batch_state(v1::BATCH_STATE_CRYOPRESERVED);
  readiness.clear_quarantine_reason();
  *readiness.mutable_release() = Parse<v1::ReleaseSignature>(
      R"pb(signer: "qa.kim" sign_time { seconds: 1795132800 } record_hash: "0aa1")pb");
  readiness_.GetReadiness_.response = readiness;
  ASSERT_EQ(Cpc({"readiness", kBatch}), 0) << err_.str();
  EXPECT_FALSE(absl::StrContains(out_.str(), "QUARANTINED")) << out_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "Release: !! REVOKED — signed by qa.kim at "
                                            "2026-11-20 00:00 for record hash 0aa1; the record "
                                            "has changed since (now 9f2c)"))
      << out_.str();
}

TEST_F(ReadinessCommandsTest, ReadinessJsonSaysQuarantineOnStderrToo) {
  readiness_.GetReadiness_.response = Parse<v1::Readiness>(kNotReady);
  ASSERT_EQ(Cpc({"readiness", kBatch, "--json"}), 0) << err_.str();
  EXPECT_TRUE(absl::StartsWith(out_.str(), "{")) << out_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "\"ready\": false")) << out_.str();
  EXPECT_TRUE(absl::StartsWith(err_.str(), "!! QUARANTINED: batch A9999 26 000001 8")) << err_.str();
}

TEST_F(ReadinessCommandsTest, UpcomingReadsDaysAndPrintsTheBoardSortedByDate) {
  readiness_.GetBoard_.response = Parse<v1::Board>(R"pb(
    from_date: "2026-11-20" to_date: "2026-12-03"
    entries { planned_infusion_id: 32 planned_date: "2026-12-10" sequence: 2 planned_count: 2
              batch_id: "A9999260000018" patient_id: "TKY-0042"
              batch_state: BATCH_STATE_IN_CULTURE status: BOARD_STATUS_AT_RISK
              reasons: "dose: pending (6.4e7 viable of 1e8; projected 2026-12-12 14:00)"
              reasons: "sterility: pending (result due 2026-12-04)"
              reasons: "release: pending"
              projected_ready_time { seconds: 1796997600 } }
    entries { planned_infusion_id: 31 planned_date: "2026-11-25" sequence: 1 planned_count: 2
              batch_id: "A9999260000018" patient_id: "TKY-0042"
              batch_state: BATCH_STATE_CRYOPRESERVED status: BOARD_STATUS_READY }
  )pb");
  ASSERT_EQ(Cpc({"readiness", "--upcoming", "14d"}), 0) << err_.str();
  EXPECT_EQ(readiness_.GetBoard_.last().days(), 14);
  const std::string out = out_.str();
  EXPECT_TRUE(absl::StartsWith(out, "Planned infusions 2026-11-20 to 2026-12-03: 1 ready, "
                                    "0 not ready, 1 at risk\n"))
      << out;
  const size_t first = out.find("2026-11-25  1/2  A9999 26 000001 8  TKY-0042  cryopreserved  "
                                "READY");
  const size_t second = out.find("2026-12-10  2/2  A9999 26 000001 8  TKY-0042  in-culture     "
                                 "AT RISK");
  ASSERT_NE(first, std::string::npos) << out;
  ASSERT_NE(second, std::string::npos) << out;
  EXPECT_LT(first, second);
  EXPECT_TRUE(absl::StrContains(out, "dose: pending (6.4e7 viable of 1e8; projected...; "
                                     "sterility: pending (result due 2026-12-04) (+1 more)"
                                     "  2026-12-11"))
      << out;

  ASSERT_EQ(Cpc({"readiness", "--upcoming", "7"}), 0) << err_.str();
  EXPECT_EQ(readiness_.GetBoard_.last().days(), 7);
  ASSERT_EQ(Cpc({"readiness", "--upcoming=2w", "--json"}), 0) << err_.str();
  EXPECT_EQ(readiness_.GetBoard_.last().days(), 14);
  EXPECT_TRUE(absl::StrContains(out_.str(), "\"status\": \"BOARD_STATUS_AT_RISK\"")) << out_.str();
}

TEST_F(ReadinessCommandsTest, ReadinessUsageErrorsNameWhatIsWrong) {
  EXPECT_EQ(Cpc({"readiness", "--upcoming", "two weeks"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "cpc: readiness: --upcoming: \"two weeks\" must be "
                                            "1 to 90 days"))
      << err_.str();
  EXPECT_EQ(Cpc({"readiness", "--upcoming", "91"}), 2);
  EXPECT_EQ(Cpc({"readiness"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "BATCH is required (or --upcoming 14d")) << err_.str();
  EXPECT_EQ(Cpc({"readiness", kBatch, "--upcoming", "7"}), 2);
  EXPECT_TRUE(readiness_.GetBoard_.requests.empty());
  EXPECT_TRUE(readiness_.GetReadiness_.requests.empty());
}

TEST_F(ReadinessCommandsTest, ReleaseWithoutConfirmationIsRefusedBeforeSending) {
  EXPECT_EQ(Cpc({"release", kBatch}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "cpc: release: --confirm is required: the signer "
                                            "re-types or scans the batch ID"))
      << err_.str();
  EXPECT_EQ(Cpc({"release", kBatch, "--confirm", "A9999260000026"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--confirm: names batch A9999 26 000002 6, not the "
                                            "batch being released (A9999 26 000001 8)"))
      << err_.str();
  // A scan cut short, or with a wrong check character: refused, never guessed at.
  EXPECT_EQ(Cpc({"release", kBatch, "--confirm", "=A9999260000"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--confirm \"=A9999260000\": DIN: cut short"))
      << err_.str();
  EXPECT_EQ(Cpc({"release", kBatch, "--confirm", "A9999260000017"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "wrong check character '7'")) << err_.str();
  EXPECT_TRUE(readiness_.ReleaseBatch_.requests.empty());
  EXPECT_TRUE(PendingFiles().empty());
}

TEST_F(ReadinessCommandsTest, ReleaseSendsTheConfirmationAndPrintsTheSignature) {
  readiness_.ReleaseBatch_.response = Parse<v1::ReleaseBatchResponse>(R"pb(
    release { release_id: 4 signer: "qa.kim" meaning: "released for infusion"
              sign_time { seconds: 1795132800 } record_hash: "9f2c0d" }
    signature { signer: "qa.kim" full_name: "Kim Min" meaning: "released for infusion"
                signed_at { seconds: 1795132800 } }
  )pb");
  ASSERT_EQ(CpcWithStdin({"release", kBatch, "--confirm", "A9999 26 000001 8",
                          "--password-stdin"},
                         "pw-qa.kim\n", "qa.kim"),
            0)
      << err_.str();
  EXPECT_EQ(readiness_.ReleaseBatch_.last().signature().password(), "pw-qa.kim");
  EXPECT_TRUE(absl::StrContains(
      out_.str(), "  Signed by Kim Min (qa.kim) at 2026-11-20 00:00 UTC: released for infusion\n"))
      << out_.str();
  const v1::ReleaseBatchRequest& sent = readiness_.ReleaseBatch_.last();
  EXPECT_EQ(sent.batch_id(), kBatch);
  EXPECT_EQ(sent.confirm_batch_id(), kBatch);
  EXPECT_EQ(sent.request_id().size(), 36u);
  EXPECT_EQ(readiness_.ReleaseBatch_.users.back(), "qa.kim");
  EXPECT_TRUE(absl::StartsWith(out_.str(), "Released for infusion by qa.kim at 2026-11-20 00:00; "
                                           "record hash 9f2c0d\n"))
      << out_.str();
  EXPECT_TRUE(PendingFiles().empty());
}

TEST_F(ReadinessCommandsTest, ARefusedReleasePrintsTheServersCriteria) {
  readiness_.ReleaseBatch_.status = grpc::Status(
      grpc::StatusCode::FAILED_PRECONDITION,
      "cannot release: sterility NOT MET (POSITIVE (test 7)); dose pending");
  EXPECT_EQ(CpcWithStdin({"release", kBatch, "--confirm", kBatch, "--password-stdin"}, "pw\n"),
            1);
  EXPECT_TRUE(absl::StartsWith(err_.str(), "cpc: FAILED_PRECONDITION: cannot release: sterility "
                                           "NOT MET (POSITIVE (test 7)); dose pending (see cpc "
                                           "readiness A9999260000018)"))
      << err_.str();
}

TEST_F(ReadinessCommandsTest, PlanCreateSendsTheBatchDoseAndDatesInOrder) {
  treatment_.CreatePlan_.response = Parse<v1::TreatmentPlan>(R"pb(
    plan_id: 5 patient_id: "TKY-0042" batch_id: "A9999260000018" plan_number: "TP-2026-0042"
    cells_per_kg: 2000000 cells_per_infusion: 130000000 created_by: "dr.sato"
    create_time { seconds: 1795132800 }
    infusions { planned_infusion_id: 31 sequence: 1 planned_date: "2026-12-10" }
    infusions { planned_infusion_id: 32 sequence: 2 planned_date: "2027-01-10"
                unit_ids: "A9999260000018-01" }
  )pb");
  ASSERT_EQ(Cpc({"plan", "create", kBatch, "--plan-number", "TP-2026-0042", "--dose-per-kg",
                 "2e6", "--date", "2026-12-10", "--date", "2027-01-10"}),
            0)
      << err_.str();
  const v1::CreatePlanRequest& sent = treatment_.CreatePlan_.last();
  EXPECT_EQ(sent.plan().batch_id(), kBatch);
  EXPECT_EQ(sent.plan().patient_id(), "");
  EXPECT_EQ(sent.plan().plan_number(), "TP-2026-0042");
  EXPECT_EQ(sent.plan().cells_per_kg(), 2e6);
  ASSERT_EQ(sent.plan().infusions_size(), 2);
  EXPECT_EQ(sent.plan().infusions(0).planned_date(), "2026-12-10");
  EXPECT_EQ(sent.plan().infusions(1).sequence(), 2);
  EXPECT_EQ(sent.request_id().size(), 36u);
  const std::string out = out_.str();
  EXPECT_TRUE(absl::StartsWith(out, "Created Plan TP-2026-0042 for batch A9999 26 000001 8 "
                                    "(patient TKY-0042)\n  dose          2e6 viable cells/kg\n"
                                    "  per infusion  1.3e8 viable cells (at the current weight)\n"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "        31  1/2  2026-12-10  -\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "        32  2/2  2027-01-10  A9999260000018-01\n")) << out;

  treatment_.GetPlan_.response = treatment_.CreatePlan_.response;
  ASSERT_EQ(Cpc({"plan", "show", kBatch}), 0) << err_.str();
  EXPECT_EQ(treatment_.GetPlan_.last().batch_id(), kBatch);
  EXPECT_TRUE(absl::StartsWith(out_.str(), "Plan TP-2026-0042 for batch")) << out_.str();
}

TEST_F(ReadinessCommandsTest, PlanCreateNeedsExactlyOneDoseAndRealDates) {
  EXPECT_EQ(Cpc({"plan", "create", kBatch, "--plan-number", "P1", "--date", "2026-12-10"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "give one of --dose")) << err_.str();
  EXPECT_EQ(Cpc({"plan", "create", kBatch, "--plan-number", "P1", "--dose", "1e8",
                 "--dose-per-kg", "2e6", "--date", "2026-12-10"}),
            2);
  EXPECT_EQ(Cpc({"plan", "create", kBatch, "--plan-number", "P1", "--dose", "0", "--date",
                 "2026-12-10"}),
            2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--dose: \"0\" must be more than 0")) << err_.str();
  EXPECT_EQ(Cpc({"plan", "create", kBatch, "--plan-number", "P1", "--dose", "1e8", "--date",
                 "2026-02-30"}),
            2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--date")) << err_.str();
  EXPECT_TRUE(treatment_.CreatePlan_.requests.empty());
}

TEST_F(ReadinessCommandsTest, InfuseSendsWhatWasScannedAndPrintsWhatRemains) {
  treatment_.RecordInfusion_.response = Parse<v1::RecordInfusionResponse>(R"pb(
    infusion_record_id: 9
    unit { unit_id: "A9999260000018-01" batch_id: "A9999260000018" patient_id: "TKY-0042" }
    viable_cells_given: 125000000 infusions_remaining: 1 infusions_covered: 0
  )pb");
  treatment_.RecordInfusion_.response.mutable_verifier_signature()->set_signer("nurse.ito");
  treatment_.RecordInfusion_.response.mutable_verifier_signature()->set_full_name("Ito Saki");
  treatment_.RecordInfusion_.response.mutable_verifier_signature()->set_meaning(
      "verified: unit and patient identity");
  ASSERT_EQ(CpcWithStdin({"infuse", "#31", "--unit", "A9999260000018-01", "--patient", "TKY-0042",
                          "--start", "2026-11-20 00:00", "--end", "2026-11-20 00:30", "--cells",
                          "1.25e8", "--adverse-events", "mild chills", "--verifier", "nurse.ito",
                          "--password-stdin"},
                         "pw-of-ito\n"),
            0)
      << err_.str();
  const v1::RecordInfusionRequest& sent = treatment_.RecordInfusion_.last();
  EXPECT_EQ(sent.planned_infusion_id(), 31);
  EXPECT_EQ(sent.scanned_unit_id(), "A9999260000018-01");
  EXPECT_EQ(sent.scanned_patient_id(), "TKY-0042");
  EXPECT_EQ(sent.start_time().seconds(), 1795132800);
  EXPECT_EQ(sent.end_time().seconds(), 1795134600);
  EXPECT_EQ(sent.viable_cells_given(), 125000000);
  EXPECT_EQ(sent.adverse_events(), "mild chills");
  // The second person and their own password, for their signature.
  EXPECT_EQ(sent.verifier(), "nurse.ito");
  EXPECT_EQ(sent.verifier_signature().password(), "pw-of-ito");
  const std::string out = out_.str();
  EXPECT_TRUE(absl::StrContains(out, "Signed by Ito Saki (nurse.ito)")) << out;
  EXPECT_TRUE(absl::StartsWith(out, "Infused unit A9999260000018-01 (batch A9999 26 000001 8, "
                                    "patient TKY-0042) for planned infusion 31: 1.25e8 viable "
                                    "cells"))
      << out;
  EXPECT_TRUE(absl::StrContains(out, "!! 1 remaining infusions have no stored unit")) << out;
}

TEST_F(ReadinessCommandsTest, AChainOfIdentityRefusalSaysDoNotInfuse) {
  treatment_.RecordInfusion_.status = grpc::Status(
      grpc::StatusCode::FAILED_PRECONDITION,
      "chain of identity: unit A9999260000018-01 belongs to patient TKY-0042, wristband "
      "scanned TKY-0043");
  EXPECT_EQ(CpcWithStdin({"infuse", "31", "--unit", "A9999260000018-01", "--patient",
                          "TKY-0043", "--start", "now", "--verifier", "nurse.ito",
                          "--password-stdin"},
                         "pw\n"),
            1);
  EXPECT_TRUE(absl::StartsWith(err_.str(), "!! DO NOT INFUSE: chain of identity: unit "
                                           "A9999260000018-01 belongs to patient TKY-0042"))
      << err_.str();
  EXPECT_TRUE(out_.str().empty()) << out_.str();

  treatment_.RecordInfusion_.status =
      grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "the unit is not thawed");
  EXPECT_EQ(CpcWithStdin({"infuse", "31", "--unit", "U", "--patient", "P", "--start", "now",
                          "--verifier", "nurse.ito", "--password-stdin"},
                         "pw\n"),
            1);
  EXPECT_FALSE(absl::StrContains(err_.str(), "DO NOT INFUSE")) << err_.str();
  EXPECT_TRUE(absl::StrContains(err_.str(), "the unit is not thawed")) << err_.str();
}

TEST_F(ReadinessCommandsTest, InfuseNeedsASecondPersonWhoIsNotTheUser) {
  EXPECT_EQ(Cpc({"infuse", "31", "--unit", "U", "--patient", "P", "--start", "now"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--verifier")) << err_.str();
  EXPECT_EQ(Cpc({"infuse", "31", "--unit", "U", "--patient", "P", "--start", "now",
                 "--verifier", "ana"}),
            2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "must be another person")) << err_.str();
  EXPECT_TRUE(treatment_.RecordInfusion_.requests.empty());
}

TEST_F(ReadinessCommandsTest, ProductCreateSendsOnlyTheFlagsGiven) {
  products_.CreateProduct_.response = Parse<v1::Product>(R"pb(
    product_code: "MSC-01" version: 3 name: "MSC" max_passage: 5
    min_viability_percent: 70 max_endotoxin_eu_per_ml: 0.5 min_viable_cells_per_dose: 100000000
    required_tests { type: QC_TEST_TYPE_STERILITY min_incubation { seconds: 1209600 } method: "USP <71> culture" }
    marker_limits { marker: "CD73" min_percent: 95 max_percent: 100 }
  )pb");
  ASSERT_EQ(Cpc({"product", "create", "MSC-01", "--min-viability", "70", "--max-endotoxin",
                 "0.5", "--min-cells-per-dose", "1e8", "--fresh-shelf-life-hours", "48",
                 "--required-test", "sterility:14d:method=USP <71> culture,mycoplasma:24",
                 "--required-test", "endotoxin", "--marker", "CD73:95:100",
                 "--marker", "CD45:0:2"}),
            0)
      << err_.str();
  const v1::Product& sent = products_.CreateProduct_.last().product();
  EXPECT_EQ(sent.product_code(), "MSC-01");
  EXPECT_EQ(sent.name(), "");
  EXPECT_EQ(sent.max_passage(), 0);
  EXPECT_FALSE(sent.has_max_processing_delay());
  EXPECT_EQ(sent.min_viability_percent(), 70);
  EXPECT_EQ(sent.min_post_thaw_viability_percent(), 0);
  EXPECT_EQ(sent.max_endotoxin_eu_per_ml(), 0.5);
  EXPECT_EQ(sent.min_viable_cells_per_dose(), 100000000);
  EXPECT_EQ(sent.fresh_shelf_life().seconds(), 48 * 3600);
  ASSERT_EQ(sent.required_tests_size(), 3);
  EXPECT_EQ(sent.required_tests(0).type(), v1::QC_TEST_TYPE_STERILITY);
  EXPECT_EQ(sent.required_tests(0).min_incubation().seconds(), 336 * 3600);
  EXPECT_EQ(sent.required_tests(0).method(), "USP <71> culture");
  EXPECT_EQ(sent.required_tests(1).type(), v1::QC_TEST_TYPE_MYCOPLASMA);
  EXPECT_EQ(sent.required_tests(1).min_incubation().seconds(), 24 * 3600);
  EXPECT_EQ(sent.required_tests(1).method(), "");
  // Left out: cpcd gives the type's incubation.
  EXPECT_EQ(sent.required_tests(2).type(), v1::QC_TEST_TYPE_ENDOTOXIN);
  EXPECT_FALSE(sent.required_tests(2).has_min_incubation());
  ASSERT_EQ(sent.marker_limits_size(), 2);
  EXPECT_EQ(sent.marker_limits(1).marker(), "CD45");
  EXPECT_EQ(sent.marker_limits(1).max_percent(), 2);
  EXPECT_EQ(products_.CreateProduct_.last().request_id().size(), 36u);
  EXPECT_TRUE(absl::StartsWith(out_.str(), "Created product MSC-01 v3")) << out_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "  min viability            70.0%\n")) << out_.str();
}

TEST_F(ReadinessCommandsTest, ProductCreateSendsAReleaseBasisAndSamplePoints) {
  products_.CreateProduct_.response = Parse<v1::Product>(R"pb(product_code: "FR-01" version: 1)pb");
  ASSERT_EQ(Cpc({"product", "create", "FR-01", "--required-test",
                 "sterility:14d:basis=interim:interim=72h:points=passage+final-harvest:"
                 "follow=final-product"}),
            0)
      << err_.str();
  const v1::RequiredTest& sent = products_.CreateProduct_.last().product().required_tests(0);
  EXPECT_EQ(sent.release_basis(), v1::RELEASE_BASIS_INTERIM_READING);
  EXPECT_EQ(sent.min_interim().seconds(), 72 * 3600);
  EXPECT_EQ(sent.min_incubation().seconds(), 336 * 3600);
  ASSERT_EQ(sent.sample_points_size(), 2);
  EXPECT_EQ(sent.sample_points(0), v1::SAMPLE_POINT_PASSAGE);
  EXPECT_EQ(sent.sample_points(1), v1::SAMPLE_POINT_FINAL_HARVEST);
  ASSERT_EQ(sent.follow_up_points_size(), 1);
  EXPECT_EQ(sent.follow_up_points(0), v1::SAMPLE_POINT_FINAL_PRODUCT);

  EXPECT_EQ(Cpc({"product", "create", "FR-01", "--required-test", "sterility:basis=soon"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "basis is final or interim")) << err_.str();
  EXPECT_EQ(Cpc({"product", "create", "FR-01", "--required-test", "sterility:points=lab"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "sample points are after-isolation, passage"))
      << err_.str();
}

TEST_F(ReadinessCommandsTest, ProductCreateRefusesMalformedSpecificationsNamingTheFlag) {
  EXPECT_EQ(Cpc({"product", "create", "MSC-01", "--required-test", "sterilty:336"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--required-test: \"sterilty:336\" must be "
                                            "TYPE[:INCUBATION][:method=METHOD]"))
      << err_.str();
  EXPECT_EQ(Cpc({"product", "create", "MSC-01", "--required-test", "sterility:0"}), 2);
  EXPECT_EQ(Cpc({"product", "create", "MSC-01", "--required-test", "sterility:14d:fast"}), 2);
  EXPECT_EQ(Cpc({"product", "create", "MSC-01", "--marker", "CD73:95"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--marker: \"CD73:95\" must be MARKER:MIN_PERCENT:"
                                            "MAX_PERCENT"))
      << err_.str();
  EXPECT_EQ(Cpc({"product", "create", "MSC-01", "--marker", "CD45:5:2"}), 2);
  EXPECT_EQ(Cpc({"product", "create", "MSC-01", "--min-viability", "120"}), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "--min-viability: \"120\" must be more than 0 and "
                                            "at most 100"))
      << err_.str();
  EXPECT_TRUE(products_.CreateProduct_.requests.empty());
}

TEST_F(ReadinessCommandsTest, ProductListAndShowPrintTheReleaseSpecification) {
  products_.ListProducts_.response = Parse<v1::ListProductsResponse>(R"pb(
    products { product_code: "MSC-01" version: 1 name: "MSC" max_passage: 5
               max_cumulative_population_doublings: 20 max_processing_delay { seconds: 172800 } }
    products { product_code: "MSC-01" version: 2 name: "MSC" max_passage: 5
               max_cumulative_population_doublings: 20 max_processing_delay { seconds: 172800 }
               min_viability_percent: 70 min_post_thaw_viability_percent: 70
               max_endotoxin_eu_per_ml: 0.5 min_viable_cells_per_dose: 100000000
               fresh_shelf_life { seconds: 172800 }
               required_tests { type: QC_TEST_TYPE_STERILITY min_incubation { seconds: 1209600 } method: "USP <71> culture"
                                release_basis: RELEASE_BASIS_INTERIM_READING min_interim { seconds: 259200 }
                                sample_points: SAMPLE_POINT_PASSAGE follow_up_points: SAMPLE_POINT_FINAL_PRODUCT }
               marker_limits { marker: "CD73" min_percent: 95 max_percent: 100 } }
  )pb");
  ASSERT_EQ(Cpc({"product", "list"}), 0) << err_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "release: viability >= 70.0%, post-thaw viability >= "
                                            "70.0%, endotoxin <= 0.5 EU/mL, viable cells/dose >= "
                                            "1e8, fresh shelf life 48.0 h; tests (incubation): "
                                            "sterility (USP <71> culture) 336.0 h; markers: CD73 95-100%"))
      << out_.str();
  ASSERT_EQ(Cpc({"product", "show", "MSC-01"}), 0) << err_.str();
  EXPECT_TRUE(absl::StartsWith(out_.str(), "product                 MSC-01 v2\n")) << out_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(),
                                "  sterility      USP <71> culture         336.0 h  interim >= "
                                "72.0 h, final followed after release  passage; followed: "
                                "final-product"))
      << out_.str();
  ASSERT_EQ(Cpc({"product", "show", "MSC-01", "--version", "1"}), 0) << err_.str();
  EXPECT_TRUE(absl::StartsWith(out_.str(), "product                 MSC-01 v1\n")) << out_.str();
  EXPECT_EQ(Cpc({"product", "show", "MSC-09"}), 1);
  EXPECT_TRUE(absl::StrContains(err_.str(), "no product MSC-09")) << err_.str();
}

}  // namespace
}  // namespace cpc
