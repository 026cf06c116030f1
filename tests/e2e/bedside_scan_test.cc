// End to end through cpcd, cpc-lab and the real cpc: scan to verify (issue
// 14) and units that expire (issue 12 item 4). A thawed vial's label printed
// by `cpc-lab label` as PNG, its symbols decoded with zbar and libdmtx, and
// exactly the decoded strings given to RecordInfusion with the clinic's
// wristband: infused, signed by a second person; the other vial's label,
// another patient's wristband, or one person alone: refused. A frozen batch
// released by a second person: one vial refused 5 h after its thaw, another
// infused within the window.
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "cpctrack/v1/patients.grpc.pb.h"
#include "gmock/gmock.h"
#include "lab_tools/lab_commands.h"
#include "tests/e2e/lab_session.h"
#include "tests/e2e/release_fixture.h"
#include "tests/lab_tools/decode.h"

namespace cpctrack::testing {
namespace {

using ::testing::HasSubstr;

class BedsideScanTest : public ReleaseInfusionTest {
 protected:
  // A batch of P-001 harvested at `harvest`, its release tests passed, frozen
  // into `vials` vials at `frozen`, planned for two infusions of 30e6 cells
  // (today and in a week) and released by qa.tanaka, who recorded none of it.
  std::string ReleasedFrozenBatch(int vials, absl::Time harvest, absl::Time frozen) {
    const std::string id = FrozenBatch(vials, harvest, frozen);
    v1::ReleaseBatchResponse released;
    const grpc::Status release = Release(id, &released);
    EXPECT_TRUE(release.ok()) << release.error_message();
    EXPECT_EQ(released.release().signer(), "qa.tanaka");
    return id;
  }

  // The same batch before its release.
  std::string FrozenBatch(int vials, absl::Time harvest, absl::Time frozen) {
    DefineBox();
    const std::string id = GrownBatch(harvest);
    plan_ = Plan(id, 30'000'000, {Today(), Today(7)});
    PassReleaseTests(id);
    v1::FreezeUnitsRequest freeze = FreezeVialsRequest(id, vials);
    *freeze.mutable_frozen_time() = Ts(frozen);
    ExplainIfLate(freeze, frozen);
    v1::FreezeUnitsResponse response;
    const grpc::Status status = units_->FreezeUnits(Context().get(), freeze, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return id;
  }

  v1::Unit Unit(const std::string& unit_id) {
    v1::GetUnitRequest get;
    get.set_unit_id(unit_id);
    v1::Unit unit;
    const grpc::Status status = units_->GetUnit(Context().get(), get, &unit);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return unit;
  }

  // `cpc-lab label UNIT --format png --out FILE` as tech.sato, and what a
  // scanner reads from the PNG: the DataMatrix, then the Code 128 symbols.
  std::vector<std::string> PrintAndScanLabel(const std::string& unit_id) {
    const std::string config =
        SaveLabSession(dir_->path() + "/lab-config", server_->address(), channel_, "tech.sato");
    const std::string png = absl::StrCat(dir_->path(), "/", unit_id, ".png");
    std::ostringstream out, err;
    const int code = cpclab::RunLab({"label", unit_id, "--format", "png", "--out", png,
                                     "--server", server_->address()},
                                    "", config, out, err);
    EXPECT_EQ(code, 0) << err.str();
    const cpclab::GrayImage image = cpclab::testing::ReadPng(png);
    EXPECT_GT(image.width, 0) << "cannot read " << png;
    std::vector<std::string> scans = {cpclab::testing::DecodeDataMatrix(image)};
    for (std::string& linear : cpclab::testing::DecodeCode128(image)) {
      scans.push_back(std::move(linear));
    }
    return scans;
  }

  // What happened at the bedside, as cpcd recorded it: "outcome|wristband".
  std::vector<std::string> Outcomes() {
    std::vector<std::string> outcomes;
    for (const std::string& row : BedsideChecksOnRecord()) {
      outcomes.push_back(row.substr(0, row.find('|', row.find('|') + 1)));
    }
    return outcomes;
  }

  grpc::Status AddIdentifier(const std::string& user, const std::string& patient,
                             const std::string& value) {
    auto patients = v1::PatientService::NewStub(channel_);
    v1::AddPatientIdentifierRequest request;
    request.set_request_id(NewRequestId());
    request.mutable_identifier()->set_patient_id(patient);
    request.mutable_identifier()->set_kind("MRN");
    request.mutable_identifier()->set_value(value);
    request.mutable_identifier()->set_reason("the clinic's wristband");
    v1::PatientIdentifier added;
    return patients->AddPatientIdentifier(Context(user).get(), request, &added);
  }

  v1::TreatmentPlan plan_;
};

TEST_F(BedsideScanTest, DecodedLabelAndWristbandInfuseOnlyTheIssuedVialForItsPatient) {
  const std::string id =
      ReleasedFrozenBatch(2, now_ - absl::Hours(2), now_ - absl::Minutes(40));
  // The clinic's wristbands carry its medical record numbers: a scheduler
  // adds them (through the real cpc), a technician may not.
  const CliResult added = RunCpc(server_->address(), "sched.mori",
                                 {"patient", "add-identifier", "P-001", "--kind", "MRN",
                                  "--value", "0012345", "--reason", "the clinic's wristband"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_THAT(added.out, HasSubstr("P-001 now also identified by MRN 0012345"));
  EXPECT_GRPC_ERROR(AddIdentifier("tech.sato", "P-001", "0012399"),
                    grpc::StatusCode::PERMISSION_DENIED, "treatments.plan");
  // One value names one patient.
  EXPECT_GRPC_ERROR(AddIdentifier("sched.mori", "P-001", "0012345"),
                    grpc::StatusCode::ALREADY_EXISTS, "0012345");
  CreatePatient("P-002");
  ASSERT_TRUE(AddIdentifier("sched.mori", "P-002", "0099999").ok());
  const CliResult shown = RunCpc(server_->address(), "sched.mori", {"patient", "show", "P-001"});
  EXPECT_THAT(shown.out, HasSubstr("identifier MRN 0012345"));

  // Vial 01 is thawed and issued; vial 02 stays in storage.
  ASSERT_TRUE(Thaw(id + "-01").ok());
  const std::vector<std::string> issued = PrintAndScanLabel(id + "-01");
  const std::vector<std::string> stored = PrintAndScanLabel(id + "-02");
  ASSERT_EQ(issued.size(), 4u) << absl::StrJoin(issued, " | ");
  ASSERT_EQ(stored.size(), 4u) << absl::StrJoin(stored, " | ");
  EXPECT_THAT(issued[0], HasSubstr("=<DADSC1A0"));  // the compound message: vial 01's division
  const int64_t planned = plan_.infusions(0).planned_infusion_id();
  v1::RecordInfusionResponse infused;

  // The other vial's label, its linear symbols scanned in reverse order.
  const std::string other_linear = absl::StrJoin({stored[3], stored[2], stored[1]}, "\n");
  EXPECT_GRPC_ERROR(Infuse(planned, other_linear, "0012345", &infused),
                    grpc::StatusCode::FAILED_PRECONDITION,
                    "chain of identity: the unit scanned (" + id + "-02) is STORED");
  // Another patient's wristband.
  EXPECT_GRPC_ERROR(Infuse(planned, issued[0], "0099999", &infused),
                    grpc::StatusCode::FAILED_PRECONDITION, "chain of identity");
  // One person alone: no second verifier, or the scanner again, or a wrong
  // password: refused before any check.
  EXPECT_GRPC_ERROR(Infuse(planned, issued[0], "0012345", &infused, ""),
                    grpc::StatusCode::INVALID_ARGUMENT, "verifier: required");
  EXPECT_GRPC_ERROR(Infuse(planned, issued[0], "0012345", &infused, "nurse.abe"),
                    grpc::StatusCode::FAILED_PRECONDITION, "must be another person");
  v1::RecordInfusionRequest wrong;
  wrong.set_request_id(NewRequestId());
  wrong.set_planned_infusion_id(planned);
  wrong.set_scanned_unit_id(issued[0]);
  wrong.set_scanned_patient_id("0012345");
  *wrong.mutable_start_time() = Ts(absl::Now() - absl::Minutes(5));
  wrong.set_verifier("nurse.ito");
  wrong.mutable_verifier_signature()->set_password(TestPassword("nurse.abe"));
  EXPECT_GRPC_ERROR(treatment_->RecordInfusion(Context("nurse.abe").get(), wrong, &infused),
                    grpc::StatusCode::UNAUTHENTICATED, "password not accepted");
  EXPECT_EQ(Unit(id + "-01").state(), v1::UNIT_STATE_THAWED);

  // Exactly what the scanners read: the label's DataMatrix and the wristband.
  const grpc::Status given = Infuse(planned, issued[0], "0012345", &infused);
  ASSERT_TRUE(given.ok()) << given.error_message();
  EXPECT_EQ(infused.unit().unit_id(), id + "-01");
  EXPECT_EQ(infused.unit().state(), v1::UNIT_STATE_INFUSED);
  EXPECT_EQ(infused.verifier_signature().signer(), "nurse.ito");
  EXPECT_EQ(infused.verifier_signature().meaning(), "verified: unit and patient identity");

  EXPECT_EQ(Outcomes(), (std::vector<std::string>{"refused|0012345", "refused|0099999",
                                                  "matched|0012345"}));
}

TEST_F(BedsideScanTest, AVialThawedFiveHoursAgoIsRefusedAnotherWithinTheWindowInfused) {
  // Harvested 9 h ago, frozen 8 h ago: a vial can have been thawed 5 h ago.
  const absl::Time frozen = now_ - absl::Hours(8);
  const std::string id = ReleasedFrozenBatch(2, now_ - absl::Hours(9), frozen);
  // Each vial's expiry is on record from its freeze: 365 days.
  EXPECT_EQ(Unit(id + "-01").expire_time().seconds(),
            absl::ToUnixSeconds(frozen + absl::Hours(365 * 24)));
  const CliResult listed = RunCpc(server_->address(), "tech.sato", {"units", "show", id + "-01"});
  EXPECT_THAT(listed.out, HasSubstr("expires"));
  EXPECT_EQ(Readiness(id).infusions_covered(), 2);

  const absl::Time thawed = now_ - absl::Hours(5);
  ASSERT_TRUE(Thaw(id + "-01", thawed).ok());
  // Past its 4 h from thaw: readiness no longer counts it.
  const v1::Readiness after_thaw = Readiness(id);
  EXPECT_EQ(after_thaw.infusions_covered(), 1);
  ASSERT_NE(Find(after_thaw, "units cover the plan"), nullptr);
  EXPECT_THAT(Find(after_thaw, "units cover the plan")->value(),
              HasSubstr(id + "-01 (thawed "));

  const int64_t planned = plan_.infusions(0).planned_infusion_id();
  v1::RecordInfusionResponse infused;
  EXPECT_GRPC_ERROR(Infuse(planned, id + "-01", "P-001", &infused, "nurse.ito", absl::Now()),
                    grpc::StatusCode::FAILED_PRECONDITION,
                    "thawed too long ago: unit " + id + "-01 was thawed at ");

  // Vial 02, thawed 30 minutes ago, through the real cpc: nurse.abe scans,
  // nurse.ito gives her own password.
  ASSERT_TRUE(Thaw(id + "-02").ok());
  const std::string state = dir_->path() + "/cpc-state";
  ASSERT_EQ(RunCpc(server_->address(), "nurse.abe", {"plan", "show", id}, state).exit_code, 0);
  const CliResult cpc_infuse = RunProgram(
      {CPC_PATH, "infuse", std::to_string(planned), "--unit", id + "-02", "--patient", "P-001",
       "--start", "-10m", "--verifier", "nurse.ito", "--password-stdin"},
      CpcEnvironment(server_->address(), state + ".config-nurse.abe", state),
      TestPassword("nurse.ito") + "\n");
  ASSERT_EQ(cpc_infuse.exit_code, 0) << cpc_infuse.err;
  EXPECT_THAT(cpc_infuse.out, HasSubstr("Infused unit " + id + "-02"));
  EXPECT_THAT(cpc_infuse.out,
              HasSubstr("Signed by Ito Saki (nurse.ito)"));
  EXPECT_EQ(Unit(id + "-01").state(), v1::UNIT_STATE_THAWED);

  const std::vector<std::string> checks = BedsideChecksOnRecord();
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_THAT(checks[0], HasSubstr("refused|P-001|thawed too long ago"));
  EXPECT_EQ(checks[1], "matched|P-001|");
}

// Issue 14 item 2: what the scanner reads from a printed label names the
// batch and the unit in `cpc release --confirm`, `cpc units thaw`, `cpc units
// show` and `cpc batch show`; a scan that names only the batch where a unit is
// asked for, a cut-short scan or a DIN whose check fails is refused, and
// nothing is written.
TEST_F(BedsideScanTest, TheDecodedLabelNamesItsBatchAndUnitInCpc) {
  const std::string id = FrozenBatch(2, now_ - absl::Hours(2), now_ - absl::Minutes(40));
  const std::vector<std::string> label = PrintAndScanLabel(id + "-02");
  ASSERT_EQ(label.size(), 4u) << absl::StrJoin(label, " | ");
  // The linear symbol that holds only the DIN: "=" and the DIN's first character.
  std::string din_symbol;
  for (size_t i = 1; i < label.size(); ++i) {
    if (label[i].rfind("=<", 0) != 0 && label[i].rfind("&>", 0) != 0) din_symbol = label[i];
  }
  ASSERT_THAT(din_symbol, ::testing::StartsWith("=" + id.substr(0, 5)));
  const std::string server = server_->address();

  // `cpc batch show` from the DIN symbol, and from the unit's DataMatrix.
  for (const std::string& scan : {din_symbol, label[0]}) {
    const CliResult shown = RunCpc(server, "tech.sato", {"batch", "show", scan});
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_THAT(shown.out, HasSubstr("(" + id + ")"));
  }
  // A typed ID whose check character is wrong, or a scan cut short: refused.
  std::string wrong_check = id;
  wrong_check.back() = wrong_check.back() == '0' ? '1' : '0';
  const CliResult wrong = RunCpc(server, "tech.sato", {"batch", "show", wrong_check});
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_THAT(wrong.err, HasSubstr("BATCH"));
  EXPECT_THAT(wrong.err, HasSubstr("check character"));
  const CliResult cut = RunCpc(server, "tech.sato", {"batch", "show", label[0].substr(0, 20)});
  EXPECT_NE(cut.exit_code, 0);
  EXPECT_THAT(cut.err, HasSubstr("BATCH \"=+"));

  // QA confirms the release by scanning a unit's DataMatrix; another batch's
  // label is refused and nothing is signed.
  const std::string other = CreateBatch();
  const CliResult mismatch = RunCpc(
      server, "qa.tanaka", {"release", id, "--confirm", other, "--password-stdin"});
  EXPECT_NE(mismatch.exit_code, 0);
  EXPECT_THAT(mismatch.err, HasSubstr("not the batch being released"));
  EXPECT_FALSE(Readiness(id).has_release());
  const CliResult released = RunCpc(
      server, "qa.tanaka", {"release", id, "--confirm", label[0], "--password-stdin"});
  ASSERT_EQ(released.exit_code, 0) << released.err;
  EXPECT_THAT(released.out, HasSubstr("Released for infusion by qa.tanaka"));

  // The DIN alone cannot tell the batch's vials apart: refused, vial stays stored.
  const CliResult din_only = RunCpc(server, "tech.sato",
                                    {"units", "thaw", din_symbol, "--total", "48e6", "--viable",
                                     "43.2e6", "--at", "-20m"});
  EXPECT_NE(din_only.exit_code, 0);
  EXPECT_THAT(din_only.err, HasSubstr("not which of its units"));
  EXPECT_EQ(Unit(id + "-02").state(), v1::UNIT_STATE_STORED);
  // The linear symbols in reverse order, as a scanner separates them: vial 02 thawed.
  const std::string reversed = absl::StrJoin({label[3], label[2], label[1]}, "\t");
  const CliResult thawed = RunCpc(server, "tech.sato",
                                  {"units", "thaw", reversed, "--total", "48e6", "--viable",
                                   "43.2e6", "--at", "-20m"});
  ASSERT_EQ(thawed.exit_code, 0) << thawed.err;
  EXPECT_THAT(thawed.out, HasSubstr("Thawed unit " + id + "-02"));
  EXPECT_EQ(Unit(id + "-02").state(), v1::UNIT_STATE_THAWED);
  EXPECT_EQ(Unit(id + "-01").state(), v1::UNIT_STATE_STORED);
  const CliResult unit = RunCpc(server, "tech.sato", {"units", "show", label[0]});
  ASSERT_EQ(unit.exit_code, 0) << unit.err;
  EXPECT_THAT(unit.out, HasSubstr(id + "-02"));
  EXPECT_THAT(unit.out, HasSubstr("thawed"));
}

}  // namespace
}  // namespace cpctrack::testing
