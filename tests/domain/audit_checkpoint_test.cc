#include "domain/audit_checkpoint.h"

#include <gtest/gtest.h>

#include <string>

namespace cpctrack::domain {
namespace {

const AuditHead kHead{1042, std::string(64, 'a')};
const absl::Time kAt = absl::FromUnixSeconds(1'796'300'000);

TEST(AuditCheckpointTest, ASignedHeadRoundTripsAndVerifies) {
  const CheckpointKey key = NewCheckpointKey();
  const AuditCheckpoint cp = SignCheckpoint(kHead, kAt, key);
  absl::StatusOr<AuditCheckpoint> parsed = ParseCheckpoint(FormatCheckpoint(cp));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->head.entries, 1042);
  EXPECT_EQ(parsed->at, kAt);
  EXPECT_TRUE(VerifyCheckpoint(*parsed, key.PublicHex()).ok());
  // The syslog line parses the same.
  absl::StatusOr<AuditCheckpoint> from_log = ParseCheckpoint(CheckpointLogLine(cp));
  ASSERT_TRUE(from_log.ok()) << from_log.status();
  EXPECT_TRUE(VerifyCheckpoint(*from_log, key.PublicHex()).ok());
}

TEST(AuditCheckpointTest, AnAlteredHeadOrAnotherKeyIsNotTrusted) {
  const CheckpointKey key = NewCheckpointKey();
  AuditCheckpoint cp = SignCheckpoint(kHead, kAt, key);
  AuditCheckpoint moved = cp;
  moved.head.entries = 2000;
  EXPECT_EQ(VerifyCheckpoint(moved, key.PublicHex()).code(), absl::StatusCode::kPermissionDenied);
  // A forger signs with a key of their own: valid, but not the trusted key.
  const AuditCheckpoint forged = SignCheckpoint(kHead, kAt, NewCheckpointKey());
  EXPECT_TRUE(VerifyCheckpoint(forged).ok());
  EXPECT_EQ(VerifyCheckpoint(forged, key.PublicHex()).code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<CheckpointKey> again = CheckpointKeyFromSecret(key.secret_key);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->PublicHex(), key.PublicHex());
}

TEST(AuditCheckpointTest, VerificationCanStartAfterATrustedHead) {
  // Entries 1..2 vouched for; entry 3 must link to entry 2's hash.
  AuditEntry e3;
  e3.sequence = 3;
  e3.at = kAt;
  e3.actor = "tech.sato";
  e3.action = "batch.create";
  e3.resource = "batches/A";
  const std::string h2(64, 'b');
  AuditChainVerifier ok;
  ok.StartAfter({2, h2});
  const AuditLink link{h2, AuditHash(e3, h2)};
  ok.Add(3, &e3, &link);
  EXPECT_TRUE(ok.Finish().ok());
  AuditChainVerifier broken;
  broken.StartAfter({2, std::string(64, 'c')});
  broken.Add(3, &e3, &link);
  EXPECT_FALSE(broken.Finish().ok());
}

}  // namespace
}  // namespace cpctrack::domain
