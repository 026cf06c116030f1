#include "report/batch_record.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/report/report_fixture.h"

namespace cpctrack::report {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

bool AnyContains(const Document& doc, const std::string& text) {
  for (const std::string& s : AllText(doc)) {
    if (absl::StrContains(s, text)) return true;
  }
  return false;
}

TEST(BatchRecordDocument, HasEverySectionInOrder) {
  const Document doc = BatchRecordDocument(testing::SampleInput());
  std::vector<std::string> titles;
  for (const Section& s : doc.sections) titles.push_back(s.title);
  EXPECT_EQ(titles, (std::vector<std::string>{
                        kIdentitySection, kSpecificationSection, kRecordsSection,
                        kCorrectionsSection, kLateEntriesSection, kMaterialsSection,
                        kGrowthSection, kQcSection,
                        kCriteriaSection, kDeviationsSection, kUnitsSection, kReleaseSection}));
}

TEST(BatchRecordDocument, PrintsIdentityResultsAndSignature) {
  const Document doc = BatchRecordDocument(testing::SampleInput());
  EXPECT_TRUE(AnyContains(doc, "A9999 26 000001 8"));
  EXPECT_TRUE(AnyContains(doc, "TKY-<i>0042</i>"));
  EXPECT_TRUE(AnyContains(doc, "ADSC-STD version 2"));
  EXPECT_TRUE(AnyContains(doc, "TP-2026-0042"));
  EXPECT_TRUE(AnyContains(doc, "NEGATIVE"));
  EXPECT_TRUE(AnyContains(doc, "0.12 EU/mL"));
  EXPECT_TRUE(AnyContains(doc, "<= 0.5 EU/mL"));
  EXPECT_TRUE(AnyContains(doc, "USP <71> 14-day"));
  EXPECT_TRUE(AnyContains(doc, "qa.mori"));
  EXPECT_TRUE(AnyContains(doc, "Mori Kenji (qa.mori)"));
  EXPECT_TRUE(AnyContains(doc, "released for infusion"));
  EXPECT_TRUE(AnyContains(doc, "alpha-MEM"));
  EXPECT_TRUE(AnyContains(doc, "INC-01"));
  EXPECT_TRUE(AnyContains(doc, "A9999260000018-01"));
  EXPECT_TRUE(AnyContains(doc, "LN2-A/R1/B1/A1"));
  EXPECT_TRUE(AnyContains(doc, "continue: cells viable"));
}

TEST(BatchRecordDocument, CorrectionShowsOldToNewWithReasonAndAuthor) {
  const Document doc = BatchRecordDocument(testing::SampleInput());
  const Section* s = FindSection(doc, kCorrectionsSection);
  ASSERT_NE(s, nullptr);
  const Table& t = std::get<Table>(s->blocks[0]);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0][0], "#2 → #5 (P0 seeding)");
  EXPECT_EQ(t.rows[0][1], "cells seeded: 2.5e6 → 3e6");
  EXPECT_EQ(t.rows[0][2], "typo in the count <b>");
  EXPECT_THAT(t.rows[0][3], HasSubstr("tech.ito"));
}

TEST(BatchRecordDocument, LateEntriesListEveryStepRecordedLateWithItsReason) {
  const Document doc = BatchRecordDocument(testing::SampleInput());
  const Section* s = FindSection(doc, kLateEntriesSection);
  ASSERT_NE(s, nullptr);
  const Table& t = std::get<Table>(s->blocks[0]);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0][0], "units/A9999260000018-01/thaw");
  EXPECT_THAT(t.rows[0][1], HasSubstr("thawed_at"));
  EXPECT_THAT(t.rows[0][2], HasSubstr("tech.ito"));
  EXPECT_EQ(t.rows[0][3], "thaw sheet entered the next day <i>");
}

TEST(BatchRecordDocument, FooterCarriesReleaseHashAndAuditHead) {
  const Document doc = BatchRecordDocument(testing::SampleInput());
  EXPECT_THAT(doc.footer, Contains(HasSubstr(std::string(64, 'a'))));
  EXPECT_THAT(doc.footer, Contains(HasSubstr("42:" + std::string(64, 'b'))));
}

// User text is data: kept exactly as typed, markup characters included, so
// the plain-text renderer prints them as characters.
TEST(BatchRecordDocument, NoteWithMarkupIsKeptAsText) {
  const Document doc = BatchRecordDocument(testing::SampleInput());
  const Section* s = FindSection(doc, kDeviationsSection);
  ASSERT_NE(s, nullptr);
  EXPECT_THAT(std::get<Table>(s->blocks[0]).rows[0][3], HasSubstr(testing::kMarkupNote));
  EXPECT_FALSE(AnyContains(doc, "&lt;"));  // not double-escaped either
}

TEST(BatchRecordDocument, UnreleasedBatchSaysSo) {
  BatchRecordInput in = testing::SampleInput();
  in.readiness.clear_release();
  const Document doc = BatchRecordDocument(in);
  EXPECT_TRUE(AnyContains(doc, "Not released"));
  EXPECT_THAT(doc.footer, Contains("Release record hash: not released"));
}

TEST(BatchRecordDocument, RevokedReleaseIsFlagged) {
  BatchRecordInput in = testing::SampleInput();
  in.readiness.set_record_hash(std::string(64, 'c'));
  EXPECT_TRUE(AnyContains(BatchRecordDocument(in), "REVOKED"));
}

TEST(BatchRecordDocument, NonConformingBatchSaysSoAndNamesTheDeviation) {
  EXPECT_FALSE(AnyContains(BatchRecordDocument(testing::SampleInput()), "NON-CONFORMING"));
  BatchRecordInput in = testing::SampleInput();
  const std::string named = "NON-CONFORMING under deviation 3 (physician dr.ito's request)";
  in.readiness.set_non_conforming(named);
  ::cpctrack::v1::DeviationClosure* closure = in.batch.mutable_deviations(0)->mutable_closure();
  closure->set_disposition(::cpctrack::v1::DISPOSITION_USE_UNDER_PHYSICIAN_RESPONSIBILITY);
  closure->set_physician("dr.ito");
  const Document doc = BatchRecordDocument(in);
  EXPECT_THAT(doc.subtitle, HasSubstr("NON-CONFORMING"));
  const Section* release = FindSection(doc, kReleaseSection);
  ASSERT_NE(release, nullptr);
  const auto* first = std::get_if<Paragraph>(&release->blocks[0]);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->text, named);
  EXPECT_TRUE(first->strong);
  EXPECT_TRUE(AnyContains(doc, "at the signed request of physician dr.ito: NON-CONFORMING"));
  EXPECT_TRUE(AnyContains(CertificateOfAnalysis(in), named));
}

TEST(CertificateOfAnalysis, HasTheCertificateContent) {
  const Document doc = CertificateOfAnalysis(testing::SampleInput());
  EXPECT_EQ(doc.title, "Certificate of Analysis");
  EXPECT_TRUE(AnyContains(doc, "FOR AUTOLOGOUS USE ONLY"));
  EXPECT_TRUE(AnyContains(doc, "TKY-<i>0042</i>"));
  EXPECT_TRUE(AnyContains(doc, "A9999 26 000001 8"));
  const Section* tests = FindSection(doc, "Release tests");
  ASSERT_NE(tests, nullptr);
  const Table& t = std::get<Table>(tests->blocks[0]);
  ASSERT_EQ(t.rows.size(), 2u);  // the required tests: sterility and endotoxin
  EXPECT_EQ(t.rows[0][0], "sterility (test 7)");
  EXPECT_EQ(t.rows[0][1], "USP <71> 14-day");
  EXPECT_EQ(t.rows[0][2], "NEGATIVE");
  EXPECT_EQ(t.rows[0][3], "NEGATIVE");
  EXPECT_THAT(t.rows[0][4], HasSubstr("qa.mori"));
  EXPECT_EQ(t.rows[1][3], "0.12 EU/mL");
  EXPECT_TRUE(AnyContains(doc, "Mori Kenji (qa.mori)"));
}

TEST(LotsAndEquipmentNamed, EachOnceInFirstUseOrder) {
  const BatchRecordInput in = testing::SampleInput();
  EXPECT_EQ(LotsNamed(in.batch), std::vector<std::string>{"MEM-2611"});
  EXPECT_EQ(EquipmentNamed(in.batch), (std::vector<std::string>{"INC-01", "BACT-01"}));
}

}  // namespace
}  // namespace cpctrack::report
