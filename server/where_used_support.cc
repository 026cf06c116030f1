// Where-used reads: a request's window; the queries are app/where_used.h's.
#include "server/where_used_support.h"

#include "absl/strings/str_cat.h"
#include "domain/plausibility.h"
#include "server/api_mapping.h"

namespace cpctrack::server {

absl::StatusOr<app::Window> ReadWindow(const google::protobuf::Timestamp* from,
                                  const google::protobuf::Timestamp* to, absl::Time now) {
  app::Window w{from != nullptr ? FromProto(*from) : absl::UnixEpoch(),
           to != nullptr ? FromProto(*to) : now};
  if (w.to < w.from) {
    return absl::InvalidArgumentError(absl::StrCat("to_time: ", domain::FormatUtc(w.to),
                                                   " is before from_time (",
                                                   domain::FormatUtc(w.from), ")"));
  }
  return w;
}

}  // namespace cpctrack::server
