#include "client/status_util.h"

#include "absl/strings/cord.h"

namespace cpc {
namespace {
constexpr absl::string_view kUsagePayload = "cpctrack.client/usage";
}  // namespace

absl::Status UsageError(absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kUsagePayload, absl::Cord("1"));
  return status;
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayload).has_value();
}

}  // namespace cpc
