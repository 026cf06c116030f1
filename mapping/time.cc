#include "mapping/time.h"

#include <cstdint>

namespace cpctrack::mapping {

bool IsUnset(const google::protobuf::Timestamp& t) { return t.seconds() == 0 && t.nanos() == 0; }

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  if (IsUnset(t)) return absl::InfinitePast();
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

void ToProto(absl::Time t, google::protobuf::Timestamp* out) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) {
    out->Clear();
    return;
  }
  // Whole seconds rounded down, so nanos stay in [0, 1e9) as Timestamp
  // requires, before 1970 too.
  const absl::Time seconds = absl::FromUnixSeconds(absl::ToUnixSeconds(t));
  const absl::Time floor = seconds > t ? seconds - absl::Seconds(1) : seconds;
  out->set_seconds(absl::ToUnixSeconds(floor));
  out->set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(t - floor)));
}

absl::Duration FromProto(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

void ToProto(absl::Duration d, google::protobuf::Duration* out) {
  const int64_t nanos = absl::ToInt64Nanoseconds(d);
  out->set_seconds(nanos / 1'000'000'000);
  out->set_nanos(static_cast<int32_t>(nanos % 1'000'000'000));
}

}  // namespace cpctrack::mapping
