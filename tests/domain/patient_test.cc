#include "domain/patient.h"

#include <cmath>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2026, 3, 10, 12, 0, 0),
                                        absl::UTCTimeZone());

Patient EligiblePatient() {
  Patient p;
  p.patient_id = "PT-0001";
  p.body_weight_kg = 62.5;
  p.screening = {.hbv = ScreeningResult::kNegative,
                 .hcv = ScreeningResult::kNegative,
                 .hiv = ScreeningResult::kNegative,
                 .htlv1 = ScreeningResult::kNegative,
                 .syphilis = ScreeningResult::kNegative};
  p.consent = {.given = true, .consent_time = kNow - absl::Hours(24), .document_ref = "IC-1"};
  return p;
}

TEST(ValidatePatientTest, AcceptsACompletePatient) {
  EXPECT_TRUE(ValidatePatient(EligiblePatient(), kNow).ok());
}

TEST(ValidatePatientTest, WeightMustBeBetweenOneAnd400Kg) {
  Patient p = EligiblePatient();
  for (double kg : {0.0, 0.5, -70.0, 400.5, 1e9}) {
    p.body_weight_kg = kg;
    absl::Status s = ValidatePatient(p, kNow);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << kg;
    EXPECT_THAT(s.message(), HasSubstr("body_weight_kg")) << kg;
  }
  for (double kg : {1.0, 400.0}) {
    p.body_weight_kg = kg;
    EXPECT_TRUE(ValidatePatient(p, kNow).ok()) << kg;
  }
}

TEST(ValidatePatientTest, WeightNotANumberIsRefused) {
  Patient p = EligiblePatient();
  p.body_weight_kg = std::nan("");
  EXPECT_EQ(ValidatePatient(p, kNow).code(), absl::StatusCode::kInvalidArgument);
}

TEST(ValidatePatientTest, EachScreeningResultIsRequired) {
  struct Field {
    const char* name;
    ScreeningResult Screening::*member;
  };
  for (Field f : {Field{"hbv", &Screening::hbv}, Field{"hcv", &Screening::hcv},
                  Field{"hiv", &Screening::hiv}, Field{"htlv1", &Screening::htlv1},
                  Field{"syphilis", &Screening::syphilis}}) {
    Patient p = EligiblePatient();
    p.screening.*f.member = ScreeningResult::kUnspecified;
    absl::Status s = ValidatePatient(p, kNow);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << f.name;
    EXPECT_THAT(s.message(), HasSubstr(std::string("screening.") + f.name)) << f.name;
  }
}

TEST(ValidatePatientTest, PositiveOrPendingScreeningIsValidData) {
  // Recording a positive result is allowed; it only blocks batches.
  Patient p = EligiblePatient();
  p.screening.hiv = ScreeningResult::kPositive;
  p.screening.hbv = ScreeningResult::kPending;
  EXPECT_TRUE(ValidatePatient(p, kNow).ok());
}

TEST(ValidatePatientTest, ConsentTimeMayNotBeInTheFuture) {
  Patient p = EligiblePatient();
  p.consent.consent_time = kNow + absl::Hours(1);
  absl::Status s = ValidatePatient(p, kNow);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("consent.consent_time"));
}

TEST(ValidatePatientTest, GivenConsentNeedsATime) {
  Patient p = EligiblePatient();
  p.consent.consent_time = absl::InfinitePast();
  EXPECT_THAT(ValidatePatient(p, kNow).message(), HasSubstr("consent.consent_time: required"));
}

TEST(ValidatePatientTest, PatientIdMustBeAnIdentifier) {
  Patient p = EligiblePatient();
  p.patient_id = "";
  EXPECT_THAT(ValidatePatient(p, kNow).message(), HasSubstr("patient_id: required"));
  p.patient_id = "Yamada Taro";
  EXPECT_EQ(ValidatePatient(p, kNow).code(), absl::StatusCode::kInvalidArgument);
}

TEST(ValidateIdentifierTest, AllowsLettersDigitsAndFewPunctuationMarks) {
  EXPECT_TRUE(ValidateIdentifier("lot_number", "AB-12_3.4/5").ok());
  EXPECT_TRUE(ValidateIdentifier("lot_number", std::string(40, 'x')).ok());
}

TEST(ValidateIdentifierTest, RefusesEmptyTooLongAndOtherCharacters) {
  EXPECT_THAT(ValidateIdentifier("lot_number", "").message(), HasSubstr("lot_number: required"));
  EXPECT_THAT(ValidateIdentifier("lot_number", std::string(41, 'x')).message(),
              HasSubstr("longer than 40"));
  for (const char* bad : {"a b", "a;b", "a\"b", "a\nb", "ab\xc3\xa9", "a,b"}) {
    absl::Status s = ValidateIdentifier("equipment_id", bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(s.message(), HasSubstr("equipment_id")) << bad;
  }
}

TEST(EligibilityTest, ConsentingNegativePatientIsEligible) {
  EXPECT_TRUE(CheckEligibleForBatch(EligiblePatient()).ok());
}

TEST(EligibilityTest, NoConsentIsAFailedPrecondition) {
  Patient p = EligiblePatient();
  p.consent.given = false;
  absl::Status s = CheckEligibleForBatch(p);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("PT-0001"));
  EXPECT_THAT(s.message(), HasSubstr("consent"));
}

TEST(EligibilityTest, PositiveScreeningNamesTheAgent) {
  Patient p = EligiblePatient();
  p.screening.htlv1 = ScreeningResult::kPositive;
  absl::Status s = CheckEligibleForBatch(p);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("htlv1 POSITIVE"));
  EXPECT_THAT(s.message(), Not(HasSubstr("hbv")));
}

TEST(EligibilityTest, PendingScreeningNamesTheAgent) {
  Patient p = EligiblePatient();
  p.screening.syphilis = ScreeningResult::kPending;
  absl::Status s = CheckEligibleForBatch(p);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("syphilis PENDING"));
}

TEST(EligibilityTest, EveryUnmetAgentIsListed) {
  Patient p = EligiblePatient();
  p.screening.hbv = ScreeningResult::kPositive;
  p.screening.hcv = ScreeningResult::kUnspecified;
  absl::Status s = CheckEligibleForBatch(p);
  EXPECT_THAT(s.message(), HasSubstr("hbv POSITIVE"));
  EXPECT_THAT(s.message(), HasSubstr("hcv UNSPECIFIED"));
}

}  // namespace
}  // namespace cpctrack::domain

namespace cpctrack::domain {
namespace {

TEST(PatientUpdateTest, ANewRevisionCarriesTheChangeTheReasonAndWho) {
  Patient current = EligiblePatient();
  current.screening.htlv1 = ScreeningResult::kPending;
  Patient proposed = current;
  proposed.screening.htlv1 = ScreeningResult::kNegative;
  absl::StatusOr<Patient> next =
      DecidePatientUpdate(current, proposed, 1, "HTLV-1 result received", kNow, "qa.mori");
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->revision, 2);
  EXPECT_EQ(next->screening.htlv1, ScreeningResult::kNegative);
  EXPECT_EQ(next->updated_by, "qa.mori");
  EXPECT_EQ(next->update_reason, "HTLV-1 result received");
  EXPECT_EQ(next->updated_at, kNow);
  EXPECT_TRUE(CheckEligibleForBatch(*next).ok());
}

TEST(PatientUpdateTest, ReasonIsRequired) {
  Patient proposed = EligiblePatient();
  proposed.body_weight_kg = 64;
  absl::StatusOr<Patient> next = DecidePatientUpdate(EligiblePatient(), proposed, 1, "", kNow, "x");
  EXPECT_EQ(next.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(next.status().message(), HasSubstr("reason"));
}

TEST(PatientUpdateTest, AnUpdateThatChangesNothingIsRefused) {
  absl::StatusOr<Patient> next =
      DecidePatientUpdate(EligiblePatient(), EligiblePatient(), 1, "again", kNow, "x");
  EXPECT_EQ(next.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(next.status().message(), HasSubstr("changes nothing"));
}

TEST(PatientUpdateTest, ThePatientIdNeverChanges) {
  Patient proposed = EligiblePatient();
  proposed.patient_id = "PT-0002";
  proposed.body_weight_kg = 70;
  absl::StatusOr<Patient> next =
      DecidePatientUpdate(EligiblePatient(), proposed, 1, "typo", kNow, "x");
  EXPECT_EQ(next.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(next.status().message(), HasSubstr("never changes"));
}

TEST(PatientUpdateTest, ImplausibleValuesAreRefused) {
  Patient proposed = EligiblePatient();
  proposed.body_weight_kg = 900;
  absl::StatusOr<Patient> next =
      DecidePatientUpdate(EligiblePatient(), proposed, 1, "weighed again", kNow, "x");
  EXPECT_EQ(next.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(next.status().message(), HasSubstr("body_weight_kg"));
}

TEST(PatientUpdateTest, AStaleUpdateIsAbortedNamingWhatChanged) {
  Patient current = EligiblePatient();
  current.revision = 3;
  current.updated_by = "qa.mori";
  current.update_reason = "HTLV-1 positive";
  Patient proposed = current;
  proposed.body_weight_kg = 64;
  absl::StatusOr<Patient> next = DecidePatientUpdate(current, proposed, 2, "weighed", kNow, "x");
  EXPECT_EQ(next.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(next.status().message(), HasSubstr("now revision 3, by qa.mori: HTLV-1 positive"));
  next = DecidePatientUpdate(current, proposed, 0, "weighed", kNow, "x");
  EXPECT_EQ(next.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(next.status().message(), HasSubstr("expected_revision"));
  EXPECT_TRUE(DecidePatientUpdate(current, proposed, 3, "weighed", kNow, "x").ok());
}

}  // namespace
}  // namespace cpctrack::domain
