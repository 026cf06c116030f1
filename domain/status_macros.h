// Early-return helpers for absl::Status, used by every layer (this is the
// lowest one). Abseil 20220623 does not ship public equivalents.
#ifndef CPCTRACK_DOMAIN_STATUS_MACROS_H_
#define CPCTRACK_DOMAIN_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define CPC_STATUS_CONCAT_INNER(a, b) a##b
#define CPC_STATUS_CONCAT(a, b) CPC_STATUS_CONCAT_INNER(a, b)

// Returns the status of `expr` from the enclosing function if it is not OK.
#define RETURN_IF_ERROR(expr)                          \
  do {                                                 \
    if (absl::Status cpc_status_ = (expr); !cpc_status_.ok()) { \
      return cpc_status_;                              \
    }                                                  \
  } while (0)

// `lhs = *expr` when `expr` (a StatusOr) is OK; otherwise returns its status.
#define ASSIGN_OR_RETURN(lhs, expr) \
  CPC_ASSIGN_OR_RETURN_IMPL(CPC_STATUS_CONCAT(cpc_statusor_, __LINE__), lhs, expr)
#define CPC_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = *std::move(tmp)

#endif  // CPCTRACK_DOMAIN_STATUS_MACROS_H_
