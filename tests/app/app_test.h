// What the tests of app/'s writes share: a store on a real SQLite file with
// the reference data, tech.ito (technician) and qa.tanaka (reviewer), a
// write context for either, and the audit trail as stored.
#ifndef CPCTRACK_TESTS_APP_APP_TEST_H_
#define CPCTRACK_TESTS_APP_APP_TEST_H_

#include <limits>
#include <string>
#include <vector>

#include "app/write_context.h"
#include "domain/audit.h"
#include "domain/qualification.h"
#include "tests/store/test_db.h"

namespace cpctrack::app::testing {

class AppTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    SeedReferenceData();
    for (const auto& [name, role] : {std::pair{"tech.ito", domain::Role::kTechnician},
                                     std::pair{"qa.tanaka", domain::Role::kReviewer}}) {
      const domain::User user{name, name, {role}, false, store::testing::T(0), "admin"};
      MustWrite([&](store::Transaction& tx) {
        return tx.InsertUser(user, "$argon2id$v=19$m=8,t=1,p=1$no-login", "admin");
      });
    }
  }

  static WriteContext Context(absl::string_view user, absl::Time at,
                              absl::string_view request_id) {
    return WriteContext{.now = at,
                        .zone = absl::UTCTimeZone(),
                        .user = std::string(user),
                        .full_name = absl::StrCat(user, " (full name)"),
                        .request_id = std::string(request_id)};
  }

  // `user` qualified for `procedure` through 2027.
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

  std::vector<domain::AuditEntry> Audit() {
    std::vector<domain::AuditEntry> entries;
    CPC_EXPECT_OK(store_->Read([&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<store::Page<store::AuditRow>> page =
          tx.ListAudit({}, 0, std::numeric_limits<int64_t>::max(), 500);
      if (!page.ok()) return page.status();
      for (const store::AuditRow& row : page->items) entries.push_back(row.entry);
      return absl::OkStatus();
    }));
    return entries;
  }
};

}  // namespace cpctrack::app::testing

#endif  // CPCTRACK_TESTS_APP_APP_TEST_H_
