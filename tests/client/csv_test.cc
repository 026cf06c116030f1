#include "client/csv.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpc {
namespace {

using ::testing::ElementsAre;

TEST(CsvTest, QuotedFieldsWithDelimitersQuotesAndLineBreaks) {
  absl::StatusOr<std::vector<CsvLine>> records =
      ParseCsv("a,b,c\n\"1,5\",\"say \"\"hi\"\"\",\"two\nlines\"\nx,,\"\"\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 3u);
  EXPECT_THAT((*records)[1].fields, ElementsAre("1,5", "say \"hi\"", "two\nlines"));
  EXPECT_EQ((*records)[1].line, 2);
  EXPECT_THAT((*records)[2].fields, ElementsAre("x", "", ""));
  EXPECT_EQ((*records)[2].line, 4) << "the record after a quoted line break";
}

TEST(CsvTest, BomCrlfBlankLinesAndNoFinalNewline) {
  absl::StatusOr<std::vector<CsvLine>> records =
      ParseCsv("\xEF\xBB\xBFid;n\r\n\r\nA;1\r\n\r\nB;2", ';');
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 3u);
  EXPECT_THAT((*records)[0].fields, ElementsAre("id", "n"));
  EXPECT_THAT((*records)[1].fields, ElementsAre("A", "1"));
  EXPECT_EQ((*records)[1].line, 3);
  EXPECT_THAT((*records)[2].fields, ElementsAre("B", "2"));
  EXPECT_EQ((*records)[2].line, 5);
}

TEST(CsvTest, MalformedQuotesNameTheLine) {
  EXPECT_THAT(ParseCsv("a\nb\"c\n").status().message(), ::testing::HasSubstr("line 2"));
  EXPECT_THAT(ParseCsv("a\n\"b\"c\n").status().message(), ::testing::HasSubstr("line 2"));
  EXPECT_THAT(ParseCsv("a\n\"open\n").status().message(),
              ::testing::HasSubstr("line 2: a quoted field is never closed"));
}

}  // namespace
}  // namespace cpc
