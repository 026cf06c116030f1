// The whole audit trail of a test's database, in sequence order, for the
// app tests to check what a write appended (or that a refusal appended
// nothing).
#ifndef CPCTRACK_TESTS_APP_AUDIT_ENTRIES_H_
#define CPCTRACK_TESTS_APP_AUDIT_ENTRIES_H_

#include <cstdint>
#include <limits>
#include <vector>

#include "domain/audit.h"
#include "store/store.h"
#include "tests/store/test_db.h"

namespace cpctrack::app::testing {

inline std::vector<domain::AuditEntry> AuditEntries(store::Store& store) {
  std::vector<domain::AuditEntry> entries;
  CPC_EXPECT_OK(store.Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<store::Page<store::AuditRow>> page =
        tx.ListAudit({}, 0, std::numeric_limits<int64_t>::max(), 500);
    if (!page.ok()) return page.status();
    for (const store::AuditRow& row : page->items) entries.push_back(row.entry);
    return absl::OkStatus();
  }));
  return entries;
}

}  // namespace cpctrack::app::testing

#endif  // CPCTRACK_TESTS_APP_AUDIT_ENTRIES_H_
