#include "client/time_format.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "client/status_util.h"

namespace cpc {
namespace {

class ParseUserTimeTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(absl::LoadTimeZone("Asia/Tokyo", &ctx_.zone));
    ctx_.now = absl::FromCivil(absl::CivilMinute(2026, 11, 25, 12, 0), ctx_.zone);
  }
  absl::Time Tokyo(int y, int mo, int d, int h, int mi) {
    return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), ctx_.zone);
  }
  TimeContext ctx_;
};

TEST_F(ParseUserTimeTest, NowAndRelativeTimesCountBackFromNow) {
  EXPECT_EQ(*ParseUserTime("--at", "now", ctx_), ctx_.now);
  EXPECT_EQ(*ParseUserTime("--at", "-2h", ctx_), ctx_.now - absl::Hours(2));
  EXPECT_EQ(*ParseUserTime("--at", "-30m", ctx_), ctx_.now - absl::Minutes(30));
  EXPECT_EQ(*ParseUserTime("--at", "-1d", ctx_), ctx_.now - absl::Hours(24));
  EXPECT_EQ(*ParseUserTime("--at", "-1h30m", ctx_), ctx_.now - absl::Minutes(90));
}

TEST_F(ParseUserTimeTest, ZonelessTimesAreLocal) {
  EXPECT_EQ(*ParseUserTime("--at", "2026-11-25 09:30", ctx_), Tokyo(2026, 11, 25, 9, 30));
  EXPECT_EQ(*ParseUserTime("--at", "2026-11-25T09:30", ctx_), Tokyo(2026, 11, 25, 9, 30));
  EXPECT_EQ(*ParseUserTime("--at", "2026-11-25T09:30:00", ctx_), Tokyo(2026, 11, 25, 9, 30));
}

TEST_F(ParseUserTimeTest, ExplicitZonesWin) {
  EXPECT_EQ(*ParseUserTime("--at", "2026-11-25T00:30:00Z", ctx_), Tokyo(2026, 11, 25, 9, 30));
  EXPECT_EQ(*ParseUserTime("--at", "2026-11-25T09:30:00+09:00", ctx_),
            Tokyo(2026, 11, 25, 9, 30));
  EXPECT_EQ(*ParseUserTime("--at", "2026-11-25T01:30+01:00", ctx_), Tokyo(2026, 11, 25, 9, 30));
}

TEST_F(ParseUserTimeTest, RefusesOtherTextNamingTheFlag) {
  for (const char* text : {"yesterday", "+2h", "-2", "-2x", "2026-11-25", "09:30", ""}) {
    absl::StatusOr<absl::Time> time = ParseUserTime("--collected", text, ctx_);
    ASSERT_FALSE(time.ok()) << text;
    EXPECT_TRUE(IsUsageError(time.status()));
    EXPECT_TRUE(absl::StartsWith(time.status().message(), "--collected: \"")) << text;
  }
}

TEST_F(ParseUserTimeTest, FormatsInTheGivenZone) {
  absl::Time t = Tokyo(2026, 11, 25, 9, 30);
  EXPECT_EQ(FormatLocalTime(t, ctx_.zone), "2026-11-25 09:30");
  EXPECT_EQ(FormatLocalTimeWithZone(t, ctx_.zone), "2026-11-25 09:30 JST");
  EXPECT_EQ(FormatLocalTime(FromProto(google::protobuf::Timestamp()), ctx_.zone), "-");
}

TEST(FormatHoursTest, OneDecimal) {
  EXPECT_EQ(FormatHours(absl::Minutes(2112)), "35.2 h");
}

TEST(ZoneAbbreviationsTest, NamesEachZoneUsedOnce) {
  absl::TimeZone tokyo, berlin;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Tokyo", &tokyo));
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin));
  const absl::Time winter = absl::FromCivil(absl::CivilDay(2026, 1, 15), berlin);
  const absl::Time summer = absl::FromCivil(absl::CivilDay(2026, 7, 15), berlin);
  EXPECT_EQ(ZoneAbbreviations({winter, summer}, tokyo), "JST");
  // A timeline across a daylight-saving change shows both.
  EXPECT_EQ(ZoneAbbreviations({winter, winter, summer}, berlin), "CET/CEST");
  EXPECT_EQ(ZoneAbbreviations({}, tokyo), "");
}

}  // namespace
}  // namespace cpc
