// Where-used, shared by ReportService's where-used calls and the excursions
// that open a deviation on every batch an event reached: the queries are
// app/where_used.h's; this reads a request's window.
#ifndef CPCTRACK_SERVER_WHERE_USED_SUPPORT_H_
#define CPCTRACK_SERVER_WHERE_USED_SUPPORT_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/where_used.h"
#include "google/protobuf/timestamp.pb.h"

namespace cpctrack::server {

// [from, to] of a request, from the epoch and to `now` when unset;
// InvalidArgument when it ends before it starts.
absl::StatusOr<app::Window> ReadWindow(const google::protobuf::Timestamp* from,
                                  const google::protobuf::Timestamp* to, absl::Time now);

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_WHERE_USED_SUPPORT_H_
