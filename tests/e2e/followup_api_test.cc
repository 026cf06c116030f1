// Issue 13 end to end through cpcd and the real cpc: a fresh bag of the
// shipped fresh product released on a 72 h interim reading of the last
// passage's sterility culture and infused; the final-product culture turns
// positive afterwards: the vial kept for the next infusion is quarantined, the follow-up names the
// infused bag and the patient, the board shows the patient's next infusion
// NOT READY, and the case closes only after QA's and the physician's
// signatures.
#include <gmock/gmock.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/e2e/release_fixture.h"

namespace cpctrack::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPhysician[] = "dr.ito";

class FollowUpTest : public ReleaseInfusionTest {
 protected:
  // As the administrator: the next version of the shipped ADSC-FRESH with a
  // validated rapid mycoplasma NAT (4 h), so that the suite can result a
  // bag within the hours it is in date; everything else as shipped.
  void UseRapidMycoplasmaForFreshProduct() {
    v1::ListProductsResponse products;
    ASSERT_TRUE(
        inventory_->ListProducts(Context(kAdmin).get(), v1::ListProductsRequest(), &products)
            .ok());
    v1::CreateProductRequest request;
    request.set_request_id(NewRequestId());
    for (const v1::Product& p : products.products()) {
      if (p.product_code() == "ADSC-FRESH") *request.mutable_product() = p;
    }
    ASSERT_EQ(request.product().product_code(), "ADSC-FRESH");
    for (v1::RequiredTest& t : *request.mutable_product()->mutable_required_tests()) {
      if (t.type() != v1::QC_TEST_TYPE_MYCOPLASMA) continue;
      t.set_method("validated rapid NAT");
      t.mutable_min_incubation()->set_seconds(4 * 3600);
    }
    v1::Product created;
    const grpc::Status s = inventory_->CreateProduct(Context(kAdmin).get(), request, &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(created.version(), 2);
    const v1::RequiredTest& sterility = created.required_tests(0);
    EXPECT_EQ(sterility.release_basis(), v1::RELEASE_BASIS_INTERIM_READING);
    EXPECT_EQ(sterility.min_interim().seconds(), 72 * 3600);
  }

  std::string CreateFreshBatch() {
    v1::CreateBatchRequest request;
    request.set_request_id(NewRequestId());
    request.set_patient_id("P-001");
    request.set_product_code("ADSC-FRESH");
    v1::Batch batch;
    const grpc::Status status = batches_->CreateBatch(Context().get(), request, &batch);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return batch.batch_id();
  }

  // Draws a sample at `point` at `drawn` with `types`; returns the tests.
  std::vector<v1::QcTest> Draw(const std::string& id, v1::SamplePoint point, absl::Time drawn,
                               const std::vector<v1::QcTestType>& types) {
    v1::DrawSampleRequest draw;
    draw.set_request_id(NewRequestId());
    draw.set_batch_id(id);
    draw.set_sample_point(point);
    *draw.mutable_drawn_time() = Ts(drawn);
    ExplainIfLate(draw, drawn);
    for (v1::QcTestType type : types) {
      v1::TestOrder* order = draw.add_tests();
      order->set_type(type);
      order->set_method(type == v1::QC_TEST_TYPE_STERILITY ? "USP <71> culture" : "validated");
    }
    v1::DrawSampleResponse drawn_sample;
    const grpc::Status s = qc_->DrawSample(Context().get(), draw, &drawn_sample);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {drawn_sample.tests().begin(), drawn_sample.tests().end()};
  }

  // A passing result read at `read`, reviewed by qa.mori (who releases nothing).
  void PassAndReview(const v1::QcTest& t, absl::Time read) {
    v1::RecordResultRequest result;
    result.set_request_id(NewRequestId());
    result.set_test_id(t.test_id());
    *result.mutable_result()->mutable_read_time() = Ts(read);
    ExplainIfLate(result, read);
    SetPassingResult(t.type(), result.mutable_result());
    v1::QcWriteResponse written;
    grpc::Status s = qc_->RecordResult(Context().get(), result, &written);
    ASSERT_TRUE(s.ok()) << s.error_message();
    v1::ReviewResultRequest review;
    review.set_request_id(NewRequestId());
    review.set_test_id(t.test_id());
    review.mutable_signature()->set_password(TestPassword("qa.mori"));
    s = qc_->ReviewResult(Context("qa.mori").get(), review, &written);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  CliResult Cpc(const std::vector<std::string>& args, const std::string& user) {
    return RunCpc(server_->address(), user, args, dir_->path() + "/cpc-state");
  }
};

TEST_F(FollowUpTest, FreshBagReleasedOnInterimResultsThenAPositiveFinalCultureIsFollowedUp) {
  UseRapidMycoplasmaForFreshProduct();
  const std::string id = CreateFreshBatch();
  Receive(id, 150);
  Seed(id, now_ - absl::Hours(148), 2'000'000);
  Passage(id, now_ - absl::Hours(100), 16'000'000, 4'000'000);
  // The last passage's sterility culture and identity: in-process samples
  // count for the fresh product.
  const std::vector<v1::QcTest> in_process =
      Draw(id, v1::SAMPLE_POINT_PASSAGE, now_ - absl::Hours(99),
           {v1::QC_TEST_TYPE_STERILITY, v1::QC_TEST_TYPE_FLOW_CYTOMETRY});
  ASSERT_EQ(in_process.size(), 2u);
  PassAndReview(in_process[1], now_ - absl::Hours(90));
  v1::RecordResultRequest interim;
  interim.set_request_id(NewRequestId());
  interim.set_test_id(in_process[0].test_id());
  interim.set_interim(true);
  interim.set_interim_note("no growth at 72 h");
  *interim.mutable_result()->mutable_read_time() = Ts(now_ - absl::Hours(20));
  interim.mutable_result()->mutable_detection()->set_detection(v1::DETECTION_NEGATIVE);
  v1::QcWriteResponse looked;
  ASSERT_TRUE(qc_->RecordResult(Context().get(), interim, &looked).ok());

  Passage(id, now_ - absl::Hours(11), 200'000'000, 10'000'000);  // final harvest
  const v1::FormulateFreshUnitsResponse bags = Formulate(id, now_ - absl::Hours(10), {60'000'000});
  ASSERT_EQ(bags.units_size(), 1);
  // A vial for the next infusion, a week later.
  DefineBox();
  v1::FreezeUnitsResponse frozen;
  const grpc::Status froze = units_->FreezeUnits(Context().get(), FreezeVialsRequest(id, 1), &frozen);
  ASSERT_TRUE(froze.ok()) << froze.error_message();
  ASSERT_EQ(frozen.units_size(), 1);
  const std::vector<v1::QcTest> final_product =
      Draw(id, v1::SAMPLE_POINT_FINAL_PRODUCT, now_ - absl::Hours(10),
           {v1::QC_TEST_TYPE_STERILITY, v1::QC_TEST_TYPE_MYCOPLASMA, v1::QC_TEST_TYPE_ENDOTOXIN,
            v1::QC_TEST_TYPE_GRAM_STAIN, v1::QC_TEST_TYPE_VIABILITY});
  ASSERT_EQ(final_product.size(), 5u);
  const int64_t final_culture = final_product[0].test_id();
  PassAndReview(final_product[1], now_ - absl::Hours(5));  // rapid NAT: 4 h
  for (size_t i = 2; i < final_product.size(); ++i) {
    PassAndReview(final_product[i], now_ - absl::Hours(9));
  }
  // The bag today, the vial a week later.
  const v1::TreatmentPlan plan = Plan(id, 30'000'000, {Today(), Today(7)});
  ASSERT_EQ(plan.infusions_size(), 2);

  const v1::Readiness before = Readiness(id);
  const v1::Criterion* sterility = Find(before, "sterility");
  ASSERT_NE(sterility, nullptr);
  EXPECT_EQ(sterility->status(), v1::CRITERION_STATUS_MET) << sterility->value();
  EXPECT_THAT(sterility->value(), HasSubstr("(interim reading"));
  const v1::Criterion* followed = Find(before, "sterility (followed after release)");
  ASSERT_NE(followed, nullptr);
  EXPECT_EQ(followed->status(), v1::CRITERION_STATUS_MET);
  EXPECT_THAT(followed->value(),
              HasSubstr(absl::StrCat("followed after release: test ", final_culture,
                                     " result due ")));
  v1::ReleaseBatchResponse released;
  const grpc::Status release = Release(id, &released);
  ASSERT_TRUE(release.ok()) << release.error_message();

  const std::string bag = bags.units(0).unit_id();
  const std::string vial = frozen.units(0).unit_id();
  v1::RecordInfusionResponse infused;
  const grpc::Status given = Infuse(plan.infusions(0).planned_infusion_id(), bag, "P-001", &infused);
  ASSERT_TRUE(given.ok()) << given.error_message();

  // Later, the final-product culture grows: recorded through the real cpc.
  const CliResult positive = Cpc({"qc", "result", absl::StrCat(final_culture), "--positive",
                                  "--organism", "S. aureus"},
                                 "tech.sato");
  ASSERT_EQ(positive.exit_code, 0) << positive.err;
  EXPECT_THAT(positive.out,
              HasSubstr(absl::StrCat("!! POSITIVE AFTER RELEASE: STERILITY test ", final_culture,
                                     " POSITIVE (S. aureus)")));
  EXPECT_THAT(positive.out, HasSubstr(absl::StrCat(bag, " infused into P-001 on ")));
  EXPECT_THAT(positive.out, HasSubstr("(plan PC-2026-0042)"));
  EXPECT_THAT(positive.out, HasSubstr("!! QUARANTINED"));

  // The unit not yet infused is held in the same write.
  v1::GetUnitRequest get;
  get.set_unit_id(vial);
  v1::Unit held;
  ASSERT_TRUE(units_->GetUnit(Context().get(), get, &held).ok());
  EXPECT_EQ(held.state(), v1::UNIT_STATE_QUARANTINED);

  // QA and the clinic see the case; the physician reads it.
  std::string list = Cpc({"followup", "list", "--open"}, kPhysician).out;
  EXPECT_THAT(list, HasSubstr("!! OPEN (QA to assess)"));
  EXPECT_THAT(list, HasSubstr(absl::StrCat(bag, " -> P-001")));
  const CliResult show = Cpc({"followup", "show", "1"}, kPhysician);
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("Infused before the finding"));
  EXPECT_THAT(show.out, HasSubstr("PC-2026-0042"));
  EXPECT_THAT(show.out, HasSubstr(absl::StrCat("Units held  ", vial)));
  EXPECT_THAT(show.out, HasSubstr("report within 7 days: due"));

  // The patient's next infusion is NOT READY, and the board says why.
  const v1::Board board = Board();
  bool next_shown = false;
  for (const v1::BoardEntry& e : board.entries()) {
    if (e.planned_infusion_id() != plan.infusions(1).planned_infusion_id()) continue;
    next_shown = true;
    EXPECT_EQ(e.status(), v1::BOARD_STATUS_NOT_READY);
    bool named = false;
    for (const std::string& reason : e.reasons()) {
      named = named || reason.find("follow-up after release: not met (follow-up 1: STERILITY") !=
                           std::string::npos;
    }
    EXPECT_TRUE(named) << "no follow-up reason on the board";
  }
  EXPECT_TRUE(next_shown);

  // The physician acknowledges QA's assessment, not before it; a technician
  // cannot acknowledge at all.
  CliResult early = Cpc({"followup", "acknowledge", "1", "--text", "informed", "--password-stdin"},
                        kPhysician);
  EXPECT_EQ(early.exit_code, 1);
  EXPECT_THAT(early.err, HasSubstr("has no QA assessment yet"));
  CliResult tech = Cpc({"followup", "assess", "1", "--text", "x", "--password-stdin"}, "tech.sato");
  EXPECT_THAT(tech.err, HasSubstr("PERMISSION_DENIED"));
  const CliResult assessed =
      Cpc({"followup", "assess", "1", "--text", "S. aureus at filling; examine the patient",
           "--adverse-event-suspected", "--password-stdin"},
          "qa.tanaka");
  ASSERT_EQ(assessed.exit_code, 0) << assessed.err;
  EXPECT_THAT(assessed.out, HasSubstr("open until the physician acknowledges"));
  EXPECT_THAT(Cpc({"followup", "list", "--open"}, kPhysician).out,
              HasSubstr("(physician to acknowledge)"));
  CliResult unfiled = Cpc({"followup", "acknowledge", "1", "--text", "examined", "--password-stdin"},
                          kPhysician);
  EXPECT_THAT(unfiled.err, HasSubstr("report_filed_on: required"));
  const CliResult acknowledged =
      Cpc({"followup", "acknowledge", "1", "--text", "patient examined, afebrile",
           "--report-filed", Today(), "--password-stdin"},
          kPhysician);
  ASSERT_EQ(acknowledged.exit_code, 0) << acknowledged.err;
  EXPECT_THAT(acknowledged.out, HasSubstr("closed"));
  EXPECT_THAT(acknowledged.out, HasSubstr("acknowledged: the physician was informed"));
  EXPECT_EQ(Cpc({"followup", "list", "--open"}, kPhysician).out, "No open follow-ups.\n");
  EXPECT_THAT(Cpc({"followup", "show", "1"}, "qa.tanaka").out, Not(HasSubstr("!! OPEN")));
}

}  // namespace
}  // namespace cpctrack::testing
