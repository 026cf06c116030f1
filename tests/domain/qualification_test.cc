#include "domain/qualification.h"

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "domain/inventory.h"

namespace cpctrack::domain {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

const absl::CivilDay kToday(2026, 12, 7);

Qualification Freezing(absl::CivilDay from, absl::CivilDay until, int64_t id = 1) {
  Qualification q;
  q.qualification_id = id;
  q.user_name = "tech.kato";
  q.procedure = Procedure::kFreezing;
  q.qualified_on = from;
  q.expires_on = until;
  q.evidence = "TR-2026-014";
  q.recorded_by = "qa.mori";
  return q;
}

TEST(QualificationTest, EveryStepHasItsProcedure) {
  EXPECT_EQ(ProcedureOf(Step::kTissueReceipt), Procedure::kAsepticProcessing);
  EXPECT_EQ(ProcedureOf(Step::kSeeding), Procedure::kAsepticProcessing);
  EXPECT_EQ(ProcedureOf(Step::kObservation), Procedure::kAsepticProcessing);
  EXPECT_EQ(ProcedureOf(Step::kMediumChange), Procedure::kAsepticProcessing);
  EXPECT_EQ(ProcedureOf(Step::kFormulate), Procedure::kAsepticProcessing);
  EXPECT_EQ(ProcedureOf(Step::kPassage), Procedure::kPassage);
  EXPECT_EQ(ProcedureOf(Step::kFreeze), Procedure::kFreezing);
  EXPECT_EQ(ProcedureOf(Step::kThaw), Procedure::kFreezing);
  EXPECT_EQ(ProcedureOf(Step::kQcSample), Procedure::kQcTesting);
  EXPECT_EQ(ProcedureOf(Step::kQcOrder), Procedure::kQcTesting);
  EXPECT_EQ(ProcedureOf(Step::kQcResult), Procedure::kQcTesting);
  EXPECT_EQ(ProcedureOf(Step::kInfusion), Procedure::kInfusion);
  EXPECT_EQ(StepOf(RecordKind::kPassage), Step::kPassage);
  EXPECT_EQ(StepOf(RecordKind::kSeeding), Step::kSeeding);
}

TEST(QualificationTest, AuditActionsNameTheirSteps) {
  EXPECT_EQ(StepOfAction("unit.freeze"), Step::kFreeze);
  EXPECT_EQ(StepOfAction("batch.record_passage"), Step::kPassage);
  EXPECT_EQ(StepOfAction("infusion.record"), Step::kInfusion);
  EXPECT_EQ(StepOfAction("qc.review_result"), std::nullopt);
  EXPECT_EQ(StepOfAction("user.create"), std::nullopt);
}

TEST(QualificationTest, ProcedureNamesRoundTrip) {
  for (Procedure p : AllProcedures()) {
    absl::StatusOr<Procedure> parsed = ParseProcedure(ProcedureName(p));
    ASSERT_TRUE(parsed.ok()) << ProcedureName(p);
    EXPECT_EQ(*parsed, p);
  }
  absl::StatusOr<Procedure> bad = ParseProcedure("cooking");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), AllOf(HasSubstr("\"cooking\""), HasSubstr("freezing")));
}

TEST(QualificationTest, MissingQualificationIsRefusedNamingPersonAndProcedure) {
  absl::Status s = CheckQualified("tech.kato", {}, Step::kFreeze, kToday);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("tech.kato is not qualified for freezing"),
                                 HasSubstr("no qualification on record")));
  // A qualification for another procedure does not count.
  Qualification passage = Freezing(kToday - 30, kToday + 300);
  passage.procedure = Procedure::kPassage;
  EXPECT_EQ(CheckQualified("tech.kato", {passage}, Step::kThaw, kToday).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(QualificationTest, ValidQualificationAllowsTheStepThroughItsExpiryDay) {
  const Qualification q = Freezing(kToday - 30, kToday);
  EXPECT_TRUE(CheckQualified("tech.kato", {q}, Step::kFreeze, kToday).ok());
  EXPECT_TRUE(CheckQualified("tech.kato", {q}, Step::kThaw, kToday - 30).ok());
}

TEST(QualificationTest, ExpiredQualificationIsRefusedNamingTheExpiry) {
  const Qualification q = Freezing(absl::CivilDay(2025, 1, 10), absl::CivilDay(2026, 11, 30));
  absl::Status s = CheckQualified("tech.kato", {q}, Step::kFreeze, kToday);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("freezing"), HasSubstr("expired on 2026-11-30"),
                                 HasSubstr("2026-12-07")));
}

TEST(QualificationTest, LateEntryIsJudgedOnTheStepsDay) {
  // Qualified until the 30th: a freeze done on the 29th and typed in today
  // was done while qualified; one done on the 1st of December was not.
  const Qualification q = Freezing(absl::CivilDay(2025, 1, 10), absl::CivilDay(2026, 11, 30));
  EXPECT_TRUE(CheckQualified("tech.kato", {q}, Step::kFreeze, absl::CivilDay(2026, 11, 29)).ok());
  EXPECT_THAT(CheckQualified("tech.kato", {q}, Step::kFreeze, absl::CivilDay(2026, 12, 1))
                  .message(),
              HasSubstr("expired on 2026-11-30"));
  // A renewal recorded today does not reach back before the day it was earned.
  const Qualification renewal = Freezing(kToday, kToday + 365, 2);
  EXPECT_TRUE(CheckQualified("tech.kato", {q, renewal}, Step::kFreeze, kToday).ok());
  EXPECT_THAT(CheckQualified("tech.kato", {q, renewal}, Step::kFreeze, kToday - 3).message(),
              HasSubstr("expired on 2026-11-30"));
  EXPECT_THAT(CheckQualified("tech.kato", {renewal}, Step::kFreeze, kToday - 3).message(),
              HasSubstr("qualified only from 2026-12-07"));
}

TEST(QualificationTest, UsesCountAgainstTheLatestCoveringQualification) {
  const Qualification first = Freezing(kToday - 300, kToday + 10, 1);
  const Qualification renewal = Freezing(kToday - 5, kToday + 365, 2);
  EXPECT_EQ(QualificationFor({first, renewal}, Procedure::kFreezing, kToday)->qualification_id, 2);
  EXPECT_EQ(QualificationFor({first, renewal}, Procedure::kFreezing, kToday - 50)
                ->qualification_id,
            1);
  EXPECT_EQ(QualificationFor({first, renewal}, Procedure::kPassage, kToday), nullptr);
}

TEST(QualificationTest, ValidQualificationIsAccepted) {
  EXPECT_TRUE(ValidateQualification(Freezing(kToday - 3, kToday + 365), kToday).ok());
  EXPECT_TRUE(ValidateQualification(Freezing(kToday, kToday + 5 * 365), kToday).ok());
}

TEST(QualificationTest, ExpiryMustFollowTheGrantWithinFiveYears) {
  for (const Qualification& q :
       {Freezing(kToday - 3, kToday - 3), Freezing(kToday - 30, kToday - 1),
        Freezing(kToday, kToday + 6 * 365)}) {
    absl::Status s = ValidateQualification(q, kToday);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << FormatDate(q.expires_on);
    EXPECT_THAT(s.message(), AllOf(HasSubstr("expires_on"), HasSubstr("within 5 years")));
  }
  absl::Status future = ValidateQualification(Freezing(kToday + 1, kToday + 30), kToday);
  EXPECT_EQ(future.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(future.message(), HasSubstr("qualified_on: 2026-12-08 is after today"));
}

TEST(QualificationTest, EvidenceIsRequiredPlainText) {
  Qualification q = Freezing(kToday - 3, kToday + 365);
  q.evidence = "";
  EXPECT_THAT(ValidateQualification(q, kToday).message(), HasSubstr("evidence"));
  q.evidence = "TR-1\nforged line";
  absl::Status s = ValidateQualification(q, kToday);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("evidence"));
  q.evidence = std::string(kMaxEvidence + 1, 'x');
  EXPECT_THAT(ValidateQualification(q, kToday).message(), HasSubstr("evidence"));
}

TEST(QualificationTest, NoOneQualifiesThemselves) {
  Qualification q = Freezing(kToday - 3, kToday + 365);
  q.recorded_by = q.user_name;
  absl::Status s = ValidateQualification(q, kToday);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(s.message(), HasSubstr("no one records their own qualification"));
}

TEST(QualificationTest, ProcedureIsRequired) {
  Qualification q = Freezing(kToday - 3, kToday + 365);
  q.procedure = Procedure::kUnspecified;
  EXPECT_THAT(ValidateQualification(q, kToday).message(), HasSubstr("procedure: required"));
}

}  // namespace
}  // namespace cpctrack::domain
