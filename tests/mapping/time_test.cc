// The one Timestamp conversion (mapping/time.h) and its one rule for unset.
#include "mapping/time.h"

#include "gtest/gtest.h"

namespace cpctrack::mapping {
namespace {

TEST(TimestampTest, RoundTripsToTheNanosecond) {
  const absl::Time t = absl::FromUnixSeconds(1795000000) + absl::Nanoseconds(250'000'001);
  google::protobuf::Timestamp timestamp;
  ToProto(t, &timestamp);
  EXPECT_EQ(timestamp.seconds(), 1795000000);
  EXPECT_EQ(timestamp.nanos(), 250'000'001);
  EXPECT_EQ(FromProto(timestamp), t);
}

TEST(TimestampTest, UnsetIsInfinitePastBothWays) {
  EXPECT_EQ(FromProto(google::protobuf::Timestamp()), absl::InfinitePast());
  EXPECT_TRUE(IsUnset(google::protobuf::Timestamp()));
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(5);
  ToProto(absl::InfinitePast(), &timestamp);
  EXPECT_TRUE(IsUnset(timestamp));
  timestamp.set_seconds(5);
  ToProto(absl::InfiniteFuture(), &timestamp);
  EXPECT_TRUE(IsUnset(timestamp));
}

TEST(TimestampTest, BeforeTheEpochKeepsNanosInRange) {
  const absl::Time t = absl::FromUnixSeconds(-10) + absl::Milliseconds(250);  // -9.75 s
  google::protobuf::Timestamp timestamp;
  ToProto(t, &timestamp);
  EXPECT_EQ(timestamp.seconds(), -10);
  EXPECT_EQ(timestamp.nanos(), 250'000'000);
  EXPECT_EQ(FromProto(timestamp), t);
}

TEST(DurationTest, RoundTrips) {
  google::protobuf::Duration d;
  ToProto(absl::Hours(36) + absl::Milliseconds(5), &d);
  EXPECT_EQ(d.seconds(), 36 * 3600);
  EXPECT_EQ(d.nanos(), 5'000'000);
  EXPECT_EQ(FromProto(d), absl::Hours(36) + absl::Milliseconds(5));
}

}  // namespace
}  // namespace cpctrack::mapping
