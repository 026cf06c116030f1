#include "domain/text.h"

#include <gtest/gtest.h>

#include "domain/audit.h"
#include "domain/plausibility.h"

namespace cpctrack::domain {
namespace {

TEST(TextTest, OneLineRefusesControlCharactersAndNamesThem) {
  EXPECT_TRUE(ValidateText("name", "alpha-MEM 10% FBS, 東京").ok());
  const absl::Status s = ValidateText("name", "alpha\nMEM");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("name: character 5"), absl::string_view::npos) << s;
  EXPECT_NE(s.message().find("U+000A"), absl::string_view::npos) << s;
  for (absl::string_view bad : {"a\rb", "a\tb", "a\x1b[2Jb", "a\x7f", "a\xc2\x85",
                                "a\xe2\x80\xae" "b", "a\xe2\x80\xa8", "\xff", "\xc0\xaf"}) {
    EXPECT_FALSE(ValidateText("f", bad).ok()) << EscapeUnprintable(bad);
  }
}

TEST(TextTest, FreeTextAllowsOnlyLineBreaks) {
  EXPECT_TRUE(ValidateFreeText("reason", "first line\nsecond line").ok());
  EXPECT_FALSE(ValidateFreeText("reason", "a\r\nb").ok());
  EXPECT_FALSE(ValidateFreeText("reason", "a\x1b[1mb").ok());
}

TEST(TextTest, EscapingShowsAForgedNewlineAsText) {
  EXPECT_EQ(EscapeUnprintable("ok\nFORGED 2026-12-03 admin.kato user.create"),
            "ok\\nFORGED 2026-12-03 admin.kato user.create");
  EXPECT_EQ(EscapeUnprintable("a\tb\rc\x1b"), "a\\tb\\rc\\x1B");
  EXPECT_EQ(EscapeUnprintable("R\xe2\x80\xaeL \xff"), "R\\u{202E}L \\xFF");
  EXPECT_EQ(EscapeUnprintable("東京 ok"), "東京 ok");
}

TEST(TextTest, StoredFieldsGoThroughTheTextRules) {
  EXPECT_FALSE(CheckText("vessel_type", "T75\n", 50, true).ok());
  EXPECT_TRUE(CheckFreeText("reason", "pipette\nslipped", 1000, true).ok());
  EXPECT_FALSE(CheckFreeText("reason", "pipette\x1b[2J", 1000, true).ok());
}

TEST(TextTest, AuditFilterFieldsAreBounded) {
  EXPECT_TRUE(ValidateAuditFilter("", "").ok());
  EXPECT_TRUE(ValidateAuditFilter("qa.mori", "batch.release").ok());
  EXPECT_FALSE(ValidateAuditFilter(std::string(1 << 20, 'a'), "").ok());
  EXPECT_FALSE(ValidateAuditFilter("", std::string(1 << 20, 'a')).ok());
  EXPECT_FALSE(ValidateAuditFilter("", "batch.\nrelease").ok());
}

}  // namespace
}  // namespace cpctrack::domain
