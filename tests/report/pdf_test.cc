// Draws documents and reads them back with pdftotext (poppler-utils): what a
// reader of the file sees, not what the model holds.
#include "report/pdf.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "report/batch_record.h"
#include "tests/report/report_fixture.h"

namespace cpctrack::report {
namespace {

std::string PdfText(const Document& doc, const std::string& name) {
  const std::string dir = ::testing::TempDir();
  const std::string pdf = absl::StrCat(dir, "/cpctrack_report_test_", name, ".pdf");
  const std::string txt = absl::StrCat(dir, "/cpctrack_report_test_", name, ".txt");
  EXPECT_TRUE(WritePdf(doc, pdf).ok());
  EXPECT_EQ(std::system(absl::StrCat("pdftotext -layout '", pdf, "' '", txt, "'").c_str()), 0);
  std::ifstream in(txt);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(RenderPdf, IsAPdf) {
  absl::StatusOr<std::string> bytes = RenderPdf(BatchRecordDocument(testing::SampleInput()));
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_TRUE(absl::StartsWith(*bytes, "%PDF-"));
}

// A batch record is patient data: its file is its owner's alone, whatever
// the umask, and writing it again keeps it so.
TEST(WritePdf, TheFileIsReadableByItsOwnerOnly) {
  const std::string pdf = absl::StrCat(::testing::TempDir(), "/cpctrack_report_test_mode.pdf");
  std::remove(pdf.c_str());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(WritePdf(BatchRecordDocument(testing::SampleInput()), pdf).ok());
    struct stat st {};
    ASSERT_EQ(stat(pdf.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
  }
}

TEST(RenderPdf, BatchRecordReadsBack) {
  const std::string text = PdfText(BatchRecordDocument(testing::SampleInput()), "record");
  EXPECT_TRUE(absl::StrContains(text, "Batch Record"));
  EXPECT_TRUE(absl::StrContains(text, "A9999 26 000001 8"));
  EXPECT_TRUE(absl::StrContains(text, "0.12 EU/mL"));
  EXPECT_TRUE(absl::StrContains(text, "Mori Kenji (qa.mori)"));
  EXPECT_TRUE(absl::StrContains(text, "Page 1 of "));
  EXPECT_TRUE(absl::StrContains(text, "42:bbbb"));
}

TEST(RenderPdf, CertificateOfAnalysisIsOnePage) {
  const std::string text = PdfText(CertificateOfAnalysis(testing::SampleInput()), "coa");
  EXPECT_TRUE(absl::StrContains(text, "FOR AUTOLOGOUS USE ONLY"));
  EXPECT_TRUE(absl::StrContains(text, "USP <71> 14-day"));
  EXPECT_TRUE(absl::StrContains(text, "Page 1 of 1"));
}

// Markup in user text prints as the characters typed: pango lays the text
// out as plain text, never as markup.
TEST(RenderPdf, MarkupInUserTextPrintsAsText) {
  Document doc{.title = "Escaping", .subtitle = "<b>not bold</b>"};
  doc.sections.push_back({"Note", {Paragraph{testing::kMarkupNote}}});
  const std::string text = PdfText(doc, "markup");
  EXPECT_TRUE(absl::StrContains(text, "<script>alert(1)</script> & <b>bold</b>")) << text;
  EXPECT_TRUE(absl::StrContains(text, "<b>not bold</b>"));
}

TEST(RenderPdf, JapanesePrints) {
  Document doc{.title = "バッチ記録", .subtitle = "患者 東京-0042"};
  doc.sections.push_back({"備考", {Paragraph{"無菌試験 陰性"}}});
  const std::string text = PdfText(doc, "japanese");
  EXPECT_TRUE(absl::StrContains(text, "バッチ記録"));
  EXPECT_TRUE(absl::StrContains(text, "無菌試験 陰性"));
}

TEST(RenderPdf, LongTablesContinueWithPageNumbers) {
  Document doc{.title = "Long", .subtitle = "table"};
  Table t{.header = {"n", "text"}};
  for (int i = 0; i < 200; ++i) t.rows.push_back({absl::StrCat(i), "row"});
  doc.sections.push_back({"Rows", {t}});
  const std::string text = PdfText(doc, "long");
  const size_t at = text.find("Page 1 of ");
  ASSERT_NE(at, std::string::npos);
  const int pages = std::atoi(text.c_str() + at + 10);
  EXPECT_GE(pages, 3);  // 200 rows do not fit on two pages
  EXPECT_TRUE(absl::StrContains(text, absl::StrCat("Page ", pages, " of ", pages)));
  EXPECT_FALSE(absl::StrContains(text, absl::StrCat("Page ", pages + 1, " of ")));
  EXPECT_TRUE(absl::StrContains(text, "199"));
  // The header row is repeated on every page.
  size_t headers = 0;
  for (size_t i = text.find("text"); i != std::string::npos; i = text.find("text", i + 1)) {
    ++headers;
  }
  EXPECT_EQ(headers, static_cast<size_t>(pages));
}

}  // namespace
}  // namespace cpctrack::report
