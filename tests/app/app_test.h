// What the application layer's tests share: a store on a real temporary
// SQLite file (tests/store/test_db.h), a write context and the audit trail
// as stored.
#ifndef CPCTRACK_TESTS_APP_APP_TEST_H_
#define CPCTRACK_TESTS_APP_APP_TEST_H_

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "app/write_context.h"
#include "domain/audit.h"
#include "domain/qualification.h"
#include "domain/status_macros.h"
#include "tests/store/test_db.h"

namespace cpctrack::app::testing {

// The whole audit trail of `store`, in sequence order: what a write appended
// (or that a refusal appended nothing).
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

class AppTest : public store::testing::StoreTest {
 protected:
  // `user` writing at `at` under `request_id`, in UTC.
  static WriteContext Context(absl::Time at, absl::string_view user,
                              absl::string_view request_id) {
    return WriteContext{.now = at,
                        .zone = absl::UTCTimeZone(),
                        .user = std::string(user),
                        .full_name = std::string(user) + " (full name)",
                        .request_id = std::string(request_id)};
  }

  // Runs `fn` in a write transaction and answers its status: a refusal
  // rolls the transaction back.
  absl::Status Write(absl::FunctionRef<absl::Status(store::Transaction&)> fn) {
    return store_->Write(fn);
  }

  std::vector<domain::AuditEntry> Audit() { return AuditEntries(*store_); }

  // tech.ito (technician) and qa.tanaka (reviewer), who can log in to no
  // one: the people QC's, units' and deviations' tests write as.
  void AddStaff() {
    for (const auto& [name, role] : {std::pair{"tech.ito", domain::Role::kTechnician},
                                     std::pair{"qa.tanaka", domain::Role::kReviewer}}) {
      const domain::User user{name, name, {role}, false, store::testing::T(0), "admin"};
      MustWrite([&](store::Transaction& tx) {
        return tx.InsertUser(user, "$argon2id$v=19$m=8,t=1,p=1$no-login", "admin");
      });
    }
  }

  // `user` qualified for `procedure` from 2025-06-01 to 2027-06-01.
  void Qualify(absl::string_view user, domain::Procedure procedure) {
    MustWrite([&](store::Transaction& tx) {
      domain::Qualification q;
      q.user_name = std::string(user);
      q.procedure = procedure;
      q.qualified_on = absl::CivilDay(2025, 6, 1);
      q.expires_on = absl::CivilDay(2027, 6, 1);
      q.evidence = "TR-7";
      q.recorded_at = store::testing::T(0);
      q.recorded_by = "qa.tanaka";
      return tx.InsertQualification(q);
    });
  }

  // Tissue collected at T(20) and received at T(60): what a batch's record
  // starts with.
  static domain::TissueReceipt Receipt() {
    domain::TissueReceipt r;
    r.collection_time = store::testing::T(20);
    r.receipt_time = store::testing::T(60);
    r.collection_site = "abdominal subcutaneous fat";
    r.volume_ml = 20;
    r.transport_temperature_c = 4;
    r.collected_by = "Dr. Sato";
    return r;
  }

  static std::string Name(domain::AuditAction action) {
    return std::string(domain::AuditActionName(action));
  }
};

}  // namespace cpctrack::app::testing

#endif  // CPCTRACK_TESTS_APP_APP_TEST_H_
