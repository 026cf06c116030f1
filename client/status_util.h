#ifndef CPCTRACK_CLIENT_STATUS_UTIL_H_
#define CPCTRACK_CLIENT_STATUS_UTIL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace cpc {

// A mistake on the command line (exit 2), as opposed to a failed call (exit 1).
// Both are INVALID_ARGUMENT-shaped, so usage errors carry a payload to tell them
// apart from the server's own INVALID_ARGUMENT.
absl::Status UsageError(absl::string_view message);
bool IsUsageError(const absl::Status& status);

}  // namespace cpc

#define CPC_STATUS_CONCAT_INNER_(a, b) a##b
#define CPC_STATUS_CONCAT_(a, b) CPC_STATUS_CONCAT_INNER_(a, b)

#define CPC_RETURN_IF_ERROR(expr)                 \
  do {                                            \
    if (absl::Status cpc_status_ = (expr);        \
        !cpc_status_.ok()) {                      \
      return cpc_status_;                         \
    }                                             \
  } while (0)

#define CPC_ASSIGN_OR_RETURN(lhs, expr) \
  CPC_ASSIGN_OR_RETURN_IMPL_(CPC_STATUS_CONCAT_(cpc_statusor_, __LINE__), lhs, expr)

#define CPC_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(*tmp)

#endif  // CPCTRACK_CLIENT_STATUS_UTIL_H_
