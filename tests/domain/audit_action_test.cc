// The audit trail's one vocabulary (domain/audit_action.h).
#include "domain/audit_action.h"

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "domain/audit.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cpctrack::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

TEST(AuditActionTest, EveryActionHasOneStoredNameOfTheFormNounDotVerb) {
  std::set<std::string> seen;
  for (AuditAction action : AllAuditActions()) {
    const std::string name(AuditActionName(action));
    EXPECT_THAT(name, MatchesRegex("[a-z]+\\.[a-z_]+")) << static_cast<int>(action);
    EXPECT_TRUE(seen.insert(name).second) << name << " names two actions";
    EXPECT_EQ(ParseAuditAction(name), action) << name;
  }
  EXPECT_EQ(seen.size(), AllAuditActions().size());
  // The list is every value: the one after it has no name (a value the
  // switch forgot would end the list early, and this would see the rest).
  EXPECT_EQ(AuditActionName(static_cast<AuditAction>(AllAuditActions().size())), "unknown");
  EXPECT_EQ(AuditActionName(static_cast<AuditAction>(AllAuditActions().size() + 1)), "unknown");
  EXPECT_GE(AllAuditActions().size(), 60u);
}

TEST(AuditActionTest, NamesTheTrailAlreadyHoldsStayTheSame) {
  // Stored and hashed into the chain: renaming one would split an auditor's
  // search in two.
  EXPECT_EQ(AuditActionName(AuditAction::kBatchRecordPassage), "batch.record_passage");
  EXPECT_EQ(AuditActionName(AuditAction::kBatchRelease), "batch.release");
  EXPECT_EQ(AuditActionName(AuditAction::kLotAccept), "lot.accept");
  EXPECT_EQ(AuditActionName(AuditAction::kAuditAcknowledgeBreak), "audit.acknowledge_break");
  EXPECT_EQ(AuditActionName(AuditAction::kUserLoginFailures), "user.login_failures");
  EXPECT_FALSE(ParseAuditAction("batch.recordpassage").has_value());
}

TEST(AuditFilterTest, AnActionNoEntryCanHaveIsRefusedNamingItsKind) {
  EXPECT_TRUE(ValidateAuditFilter("", "qc.record_result").ok());
  const absl::Status typo = ValidateAuditFilter("", "batch.pasage");
  EXPECT_EQ(typo.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(typo.message(), HasSubstr("filter.action: \"batch.pasage\" is not an action"));
  EXPECT_THAT(typo.message(), HasSubstr("batch.record_passage"));
  const absl::Status noun = ValidateAuditFilter("", "vial.thaw");
  EXPECT_THAT(noun.message(), HasSubstr("actions begin with one of: audit, batch,"));
  EXPECT_THAT(ValidateAuditFilter("", "x\x1b[31m").message(), Not(HasSubstr("\x1b")));
}

}  // namespace
}  // namespace cpctrack::domain
