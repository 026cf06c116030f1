#include "domain/audit_chain.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace cpctrack::domain {
namespace {

// FIPS 180-2 / NIST CSRC published vectors.
TEST(Sha256Test, MatchesPublishedTestVectors) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

AuditEntry Entry(int64_t sequence, std::string reason = "") {
  AuditEntry e;
  e.sequence = sequence;
  e.at = absl::FromUnixMicros(1'767'225'600'123'456 + sequence);
  e.actor = "tech.sato";
  e.action = "batch.record_passage";
  e.resource = absl::StrCat("batches/A9999260000018/records/", sequence);
  e.new_value = R"({"passage":1})";
  e.reason = std::move(reason);
  e.request_id = absl::StrCat("req-", sequence);
  return e;
}

TEST(CanonicalAuditBytesTest, FieldsCannotBleedIntoEachOther) {
  AuditEntry a = Entry(1);
  AuditEntry b = a;
  a.actor = "ab";
  a.action = "c";
  b.actor = "a";
  b.action = "bc";
  EXPECT_NE(CanonicalAuditBytes(a, kGenesisHash), CanonicalAuditBytes(b, kGenesisHash));
}

TEST(CanonicalAuditBytesTest, CoversTheMicrosecondAndThePreviousHash) {
  AuditEntry a = Entry(1);
  AuditEntry b = a;
  b.at += absl::Microseconds(1);
  EXPECT_NE(AuditHash(a, kGenesisHash), AuditHash(b, kGenesisHash));
  EXPECT_NE(AuditHash(a, kGenesisHash), AuditHash(a, std::string(64, '1')));
  EXPECT_EQ(AuditHash(a, kGenesisHash), AuditHash(Entry(1), kGenesisHash));
}

TEST(AuditHeadTest, FormatsAndParsesNColonHash) {
  const AuditHead head{42, std::string(64, 'a')};
  absl::StatusOr<AuditHead> parsed = ParseHead(FormatHead(head));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->entries, 42);
  EXPECT_EQ(parsed->hash, head.hash);
  for (const char* bad : {"", "42", "42:abc", "x:" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                          "-1:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                          "1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
    EXPECT_FALSE(ParseHead(bad).ok()) << bad;
  }
}

// A trail as the store keeps it: entries and their links.
struct Stored {
  std::vector<std::optional<AuditEntry>> entries;
  std::vector<std::optional<AuditLink>> links;

  void Append(AuditEntry e) {
    e.sequence = static_cast<int64_t>(entries.size()) + 1;
    std::string prev = kGenesisHash;
    for (auto it = links.rbegin(); it != links.rend(); ++it) {
      if (it->has_value()) {
        prev = (*it)->hash;
        break;
      }
    }
    links.push_back(AuditLink{prev, AuditHash(e, prev)});
    entries.push_back(std::move(e));
  }
  AuditHead Head() const { return {static_cast<int64_t>(links.size()), links.back()->hash}; }

  AuditVerification Verify(std::optional<AuditHead> expect = std::nullopt) const {
    AuditChainVerifier verifier(expect);
    for (size_t i = 0; i < entries.size(); ++i) {
      if (!entries[i].has_value() && !links[i].has_value()) continue;
      verifier.Add(static_cast<int64_t>(i) + 1, entries[i] ? &*entries[i] : nullptr,
                   links[i] ? &*links[i] : nullptr);
    }
    return verifier.Finish();
  }
};

Stored Trail(int n) {
  Stored s;
  for (int i = 1; i <= n; ++i) s.Append(Entry(i));
  return s;
}

TEST(AuditChainVerifierTest, AnIntactTrailHoldsAndReportsItsHead) {
  const Stored s = Trail(5);
  const AuditVerification v = s.Verify();
  EXPECT_TRUE(v.ok());
  EXPECT_TRUE(v.breaks.empty());
  EXPECT_EQ(v.entries, 5);
  EXPECT_EQ(v.head.entries, 5);
  EXPECT_EQ(v.head.hash, s.Head().hash);
}

TEST(AuditChainVerifierTest, AnEmptyTrailHoldsWithTheGenesisHead) {
  const AuditVerification v = AuditChainVerifier().Finish();
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(FormatHead(v.head), absl::StrCat("0:", kGenesisHash));
}

TEST(AuditChainVerifierTest, AnEditedEntryIsTheOneBreakNamed) {
  Stored s = Trail(5);
  s.entries[2]->reason = "edited in the sqlite3 shell";
  const AuditVerification v = s.Verify();
  EXPECT_FALSE(v.ok());
  ASSERT_EQ(v.breaks.size(), 1u);
  EXPECT_EQ(v.breaks[0].sequence, 3);
  EXPECT_EQ(v.breaks[0].kind, AuditBreakKind::kChangedEntry);
  EXPECT_EQ(v.breaks[0].expected, s.links[2]->hash);
  EXPECT_NE(v.FirstUnacknowledged()->Describe().find("entry 3 was changed"), std::string::npos);
}

TEST(AuditChainVerifierTest, ADeletedEntryIsNamedAsMissing) {
  Stored s = Trail(5);
  s.entries[1].reset();
  s.links[1].reset();
  const AuditVerification v = s.Verify();
  ASSERT_EQ(v.breaks.size(), 1u);
  EXPECT_EQ(v.breaks[0].sequence, 2);
  EXPECT_EQ(v.breaks[0].kind, AuditBreakKind::kMissingEntries);
  EXPECT_NE(v.breaks[0].Describe().find("entry 2 is missing"), std::string::npos);
}

TEST(AuditChainVerifierTest, AnEntryDeletedWithItsHashLeftIsNamed) {
  Stored s = Trail(3);
  s.entries[2].reset();
  const AuditVerification v = s.Verify();
  ASSERT_EQ(v.breaks.size(), 1u);
  EXPECT_EQ(v.breaks[0].sequence, 3);
  EXPECT_NE(v.breaks[0].Describe().find("entry 3 was deleted"), std::string::npos);
}

TEST(AuditChainVerifierTest, AnEntryWithoutAHashIsNamed) {
  Stored s = Trail(3);
  s.links[2].reset();
  const AuditVerification v = s.Verify();
  ASSERT_EQ(v.breaks.size(), 1u);
  EXPECT_EQ(v.breaks[0].kind, AuditBreakKind::kMissingHash);
}

TEST(AuditChainVerifierTest, AnEntryWithItsHashRecomputedBreaksTheNextLink) {
  Stored s = Trail(4);
  s.entries[1]->reason = "edited";
  s.links[1]->hash = AuditHash(*s.entries[1], s.links[1]->prev_hash);
  const AuditVerification v = s.Verify();
  ASSERT_EQ(v.breaks.size(), 1u);
  EXPECT_EQ(v.breaks[0].sequence, 3);
  EXPECT_EQ(v.breaks[0].kind, AuditBreakKind::kBrokenLink);
}

TEST(AuditChainVerifierTest, AnAcknowledgedBreakStaysOnRecordButPasses) {
  Stored s = Trail(4);
  s.entries[1]->reason = "edited";
  const AuditBreak b = s.Verify().breaks.at(0);
  AuditEntry ack = Entry(0, "row 2 edited by the vendor's script; ticket 77");
  ack.action = std::string(AuditActionName(AuditAction::kAuditAcknowledgeBreak));
  ack.new_value = AcknowledgementValue(b);
  s.Append(ack);
  const AuditVerification v = s.Verify();
  EXPECT_TRUE(v.ok());
  ASSERT_EQ(v.breaks.size(), 1u);
  EXPECT_EQ(v.breaks[0].acknowledged_by, 5);
  EXPECT_NE(v.breaks[0].Describe().find("acknowledged in entry 5"), std::string::npos);
}

TEST(AuditChainVerifierTest, AnAcknowledgementCoversOnlyTheChangeItSaw) {
  Stored s = Trail(4);
  s.entries[1]->reason = "edited";
  AuditEntry ack = Entry(0);
  ack.action = std::string(AuditActionName(AuditAction::kAuditAcknowledgeBreak));
  ack.new_value = AcknowledgementValue(s.Verify().breaks.at(0));
  s.Append(ack);
  s.entries[1]->reason = "edited again";
  const AuditVerification v = s.Verify();
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.FirstUnacknowledged()->sequence, 2);
}

TEST(AuditChainVerifierTest, AnEarlierHeadHoldsWhileTheTrailOnlyGrows) {
  Stored s = Trail(3);
  const AuditHead seen = s.Head();
  s.Append(Entry(4));
  s.Append(Entry(5));
  const AuditVerification v = s.Verify(seen);
  EXPECT_TRUE(v.ok());
  EXPECT_FALSE(v.head_mismatch.has_value());
}

TEST(AuditChainVerifierTest, ATrailRewrittenWithEveryHashRecomputedFailsAnEarlierHead) {
  Stored s = Trail(5);
  const AuditHead seen{3, s.links[2]->hash};
  Stored rewritten;
  for (int i = 1; i <= 5; ++i) rewritten.Append(Entry(i, i == 2 ? "rewritten" : ""));
  ASSERT_TRUE(rewritten.Verify().ok());  // the chain alone cannot tell
  const AuditVerification v = rewritten.Verify(seen);
  EXPECT_FALSE(v.ok());
  ASSERT_TRUE(v.head_mismatch.has_value());
  EXPECT_NE(v.head_mismatch->find("rewritten at or before entry 3"), std::string::npos);
}

TEST(AuditChainVerifierTest, ATruncatedTrailFailsAnEarlierHead) {
  Stored s = Trail(5);
  const AuditHead seen = s.Head();
  s.entries.resize(3);
  s.links.resize(3);
  const AuditVerification v = s.Verify(seen);
  ASSERT_TRUE(v.head_mismatch.has_value());
  EXPECT_NE(v.head_mismatch->find("ends at entry 3"), std::string::npos);
}

TEST(AuditChainVerifierTest, AnAcknowledgedBreakWithinAnEarlierHeadStillFailsIt) {
  Stored s = Trail(4);
  const AuditHead seen = s.Head();
  s.entries[1]->reason = "edited";
  AuditEntry ack = Entry(0);
  ack.action = std::string(AuditActionName(AuditAction::kAuditAcknowledgeBreak));
  ack.new_value = AcknowledgementValue(s.Verify().breaks.at(0));
  s.Append(ack);
  const AuditVerification v = s.Verify(seen);
  EXPECT_EQ(v.FirstUnacknowledged(), nullptr);
  EXPECT_TRUE(v.head_mismatch.has_value());
  EXPECT_FALSE(v.ok());
}

}  // namespace
}  // namespace cpctrack::domain
