// The audit hash chain in the database: written with every entry, chained
// for an existing trail by migration 4, and verified from the file.
#include "store/audit_chain.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/schema.h"
#include "store/store.h"
#include "tests/store/test_db.h"

namespace cpctrack::store {
namespace {

using domain::AuditEntry;
using testing::RawConnection;
using testing::StoreTest;
using testing::T;

AuditEntry Entry(int i, absl::string_view actor = "tech.ito",
                 absl::string_view resource = "batches/A9999260000018") {
  return AuditEntry{.at = T(i),
                    .actor = std::string(actor),
                    .action = i % 2 == 0 ? "batch.record_passage" : "qc.record_result",
                    .resource = absl::StrCat(resource, "/records/", i),
                    .new_value = absl::StrCat("{\"n\":", i, "}"),
                    .request_id = absl::StrCat("req-", i)};
}

class AuditChainTest : public StoreTest {
 protected:
  void Append(int n) {
    for (int i = 1; i <= n; ++i) {
      MustWrite([&](Transaction& tx) {
        AuditEntry e = Entry(i);
        return tx.AppendAudit(e);
      });
    }
  }
  domain::AuditVerification Verify(std::optional<domain::AuditHead> expect = std::nullopt) {
    domain::AuditVerification v;
    CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
      absl::StatusOr<domain::AuditVerification> got = tx.VerifyAuditChain(expect);
      if (!got.ok()) return got.status();
      v = *std::move(got);
      return absl::OkStatus();
    }));
    return v;
  }
  domain::AuditHead Head() {
    domain::AuditHead head;
    CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
      absl::StatusOr<domain::AuditHead> got = tx.AuditHead();
      if (!got.ok()) return got.status();
      head = *got;
      return absl::OkStatus();
    }));
    return head;
  }
};

TEST_F(AuditChainTest, EveryAppendedEntryIsLinkedAndTheChainHolds) {
  Append(5);
  const domain::AuditVerification v = Verify();
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(v.entries, 5);
  EXPECT_EQ(v.head.entries, 5);
  EXPECT_EQ(Head().hash, v.head.hash);
  EXPECT_NE(v.head.hash, domain::kGenesisHash);
}

TEST_F(AuditChainTest, ARowEditedInTheShellIsTheBreakNamed) {
  Append(4);
  RawConnection raw(db_path_);
  // What someone with the sqlite3 shell and the file can do.
  ASSERT_EQ(raw.Exec("DROP TRIGGER audit_log_no_update"), SQLITE_OK) << raw.last_error();
  ASSERT_EQ(raw.Exec("UPDATE audit_log SET reason = 'nothing happened' WHERE sequence = 3"),
            SQLITE_OK);
  const domain::AuditVerification v = Verify();
  EXPECT_FALSE(v.ok());
  ASSERT_NE(v.FirstUnacknowledged(), nullptr);
  EXPECT_EQ(v.FirstUnacknowledged()->sequence, 3);
  EXPECT_EQ(v.FirstUnacknowledged()->kind, domain::AuditBreakKind::kChangedEntry);
}

TEST_F(AuditChainTest, ARowDeletedInTheShellIsNamedAsMissing) {
  Append(4);
  RawConnection raw(db_path_);
  ASSERT_EQ(raw.Exec("DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_chain_no_delete;"
                     "DELETE FROM audit_chain WHERE sequence = 2;"
                     "DELETE FROM audit_log WHERE sequence = 2"),
            SQLITE_OK)
      << raw.last_error();
  const domain::AuditVerification v = Verify();
  ASSERT_NE(v.FirstUnacknowledged(), nullptr);
  EXPECT_EQ(v.FirstUnacknowledged()->sequence, 2);
  EXPECT_EQ(v.FirstUnacknowledged()->kind, domain::AuditBreakKind::kMissingEntries);
}

TEST_F(AuditChainTest, ChainLinksAreAppendOnly) {
  Append(2);
  RawConnection raw(db_path_);
  EXPECT_NE(raw.Exec("UPDATE audit_chain SET hash = prev_hash"), SQLITE_OK);
  EXPECT_THAT(raw.last_error(), ::testing::HasSubstr("append-only"));
  EXPECT_NE(raw.Exec("DELETE FROM audit_chain"), SQLITE_OK);
  EXPECT_THAT(raw.last_error(), ::testing::HasSubstr("append-only"));
}

TEST_F(AuditChainTest, MigrationFourChainsTheEntriesOfAVersionThreeFile) {
  store_.reset();
  {
    // A version 3 file with a trail: as shipped, before the chain (every
    // migration after 3 undone: 7's index, 5's tables, 4's chain).
    RawConnection raw(db_path_);
    ASSERT_EQ(raw.Exec("DROP INDEX qc_tests_by_start; DROP TABLE signatures; DROP TABLE sessions; "
                       "DROP TABLE user_roles; DROP TABLE users; DROP TABLE audit_chain; "
                       "PRAGMA user_version = 3"),
              SQLITE_OK)
        << raw.last_error();
    for (int i = 1; i <= 3; ++i) {
      ASSERT_EQ(raw.Exec(absl::StrCat(
                    "INSERT INTO audit_log (at, actor, action, resource, old_value, new_value, "
                    "reason, request_id) VALUES (",
                    absl::ToUnixMicros(T(i)), ", 'tech.ito', 'patient.create', 'patients/P-00",
                    i, "', '', '{}', '', 'req-", i, "')")),
                SQLITE_OK)
          << raw.last_error();
    }
  }
  CPC_ASSERT_OK(Reopen());
  EXPECT_EQ(store_->schema_version(), LatestSchemaVersion());
  Append(1);  // and new entries link on after them
  const domain::AuditVerification v = Verify();
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(v.entries, 4);
  RawConnection raw(db_path_);
  EXPECT_EQ(raw.QueryInt("SELECT COUNT(*) FROM audit_chain"), 4);
}

TEST_F(AuditChainTest, AnEarlierHeadHoldsAfterMoreWritesAndFailsAfterARewrite) {
  Append(3);
  const domain::AuditHead seen = Head();
  Append(2);
  EXPECT_TRUE(Verify(seen).ok());

  // Rewrite entry 2 and recompute every hash after it: the chain holds, the
  // head does not.
  RawConnection raw(db_path_);
  ASSERT_EQ(raw.Exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_chain_no_update;"
                     "UPDATE audit_log SET reason = 'rewritten' WHERE sequence = 2"),
            SQLITE_OK);
  std::string prev = domain::kGenesisHash;
  for (int64_t sequence = 1; sequence <= 5; ++sequence) {
    std::optional<AuditRow> row;
    CPC_ASSERT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
      absl::StatusOr<std::optional<AuditRow>> got = tx.GetAuditEntry(sequence);
      if (!got.ok()) return got.status();
      row = *got;
      return absl::OkStatus();
    }));
    ASSERT_TRUE(row.has_value());
    const std::string hash = domain::AuditHash(row->entry, prev);
    ASSERT_EQ(raw.Exec(absl::StrCat("UPDATE audit_chain SET prev_hash = '", prev, "', hash = '",
                                    hash, "' WHERE sequence = ", sequence)),
              SQLITE_OK);
    prev = hash;
  }
  EXPECT_TRUE(Verify().ok());
  const domain::AuditVerification v = Verify(seen);
  EXPECT_FALSE(v.ok());
  EXPECT_TRUE(v.head_mismatch.has_value());
}

TEST_F(AuditChainTest, RefusedWritesLeaveReadsAndRecordedReads) {
  Append(1);
  store_->RefuseWrites(absl::FailedPreconditionError("the audit trail is broken"));
  AuditEntry e = Entry(2);
  EXPECT_EQ(store_->Write([&](Transaction& tx) { return tx.AppendAudit(e); }).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->WriteOnce("r", "M", "f", [](Transaction&) -> absl::StatusOr<std::string> {
                     return std::string("x");
                   }).status().code(),
            absl::StatusCode::kFailedPrecondition);
  CPC_EXPECT_OK(store_->Read([](Transaction& tx) { return tx.AuditHead().status(); }));
  CPC_EXPECT_OK(store_->RecordRead([&](Transaction& tx) { return tx.AppendAudit(e); }));
  EXPECT_EQ(Head().entries, 2);
}

TEST_F(AuditChainTest, ListAuditFiltersAndStopsAtItsBound) {
  for (int i = 1; i <= 6; ++i) {
    MustWrite([&](Transaction& tx) {
      AuditEntry e = Entry(i, i <= 3 ? "tech.ito" : "qa.kato",
                           i % 2 == 0 ? "batches/A9999260000018" : "batches/A9999260000026");
      return tx.AppendAudit(e);
    });
  }
  auto list = [&](const AuditFilter& filter, int64_t after, int64_t through, int limit) {
    Page<AuditRow> page;
    CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
      absl::StatusOr<Page<AuditRow>> got = tx.ListAudit(filter, after, through, limit);
      if (!got.ok()) return got.status();
      page = *std::move(got);
      return absl::OkStatus();
    }));
    std::vector<int64_t> sequences;
    for (const AuditRow& row : page.items) {
      sequences.push_back(row.entry.sequence);
      EXPECT_EQ(row.hash.size(), 64u);
    }
    return std::make_pair(sequences, page.next_key);
  };
  EXPECT_EQ(list({.batch_id = "A9999260000018"}, 0, 6, 10).first,
            (std::vector<int64_t>{2, 4, 6}));
  EXPECT_EQ(list({.actor = "qa.kato"}, 0, 5, 10).first, (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(list({.action = "qc.record_result"}, 0, 6, 10).first,
            (std::vector<int64_t>{1, 3, 5}));
  EXPECT_EQ(list({.from = T(2), .before = T(4)}, 0, 6, 10).first,
            (std::vector<int64_t>{2, 3}));
  auto first = list({}, 0, 6, 4);
  EXPECT_EQ(first.first, (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(first.second, "4");
  auto second = list({}, 4, 6, 4);
  EXPECT_EQ(second.first, (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(second.second, "");
}

}  // namespace
}  // namespace cpctrack::store
