// The one conversion between API times and absl times, for cpcd and its
// clients alike. One rule for "unset": a Timestamp with neither seconds nor
// nanos is no time at all, absl::InfinitePast(), and an infinite time is sent
// as an unset Timestamp. (1970-01-01T00:00:00Z is never a real time here: no
// cell batch predates the system.)
#ifndef CPCTRACK_MAPPING_TIME_H_
#define CPCTRACK_MAPPING_TIME_H_

#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace cpctrack::mapping {

absl::Time FromProto(const google::protobuf::Timestamp& t);
void ToProto(absl::Time t, google::protobuf::Timestamp* out);
// True for the unset Timestamp (FromProto answers absl::InfinitePast()).
bool IsUnset(const google::protobuf::Timestamp& t);

absl::Duration FromProto(const google::protobuf::Duration& d);
void ToProto(absl::Duration d, google::protobuf::Duration* out);

}  // namespace cpctrack::mapping

#endif  // CPCTRACK_MAPPING_TIME_H_
