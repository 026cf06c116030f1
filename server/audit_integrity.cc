#include "server/audit_integrity.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "app/audit_records.h"
#include "domain/patient.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"
#include "server/sign_in.h"

namespace cpctrack::server {

namespace {

// OK, or the refusal every write gets while the trail does not hold.
absl::Status WriteRefusal(const domain::AuditVerification& v, absl::string_view db_path) {
  if (const domain::AuditBreak* b = v.FirstUnacknowledged(); b != nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the audit trail is broken: ", b->Describe(),
        ". cpcd serves reads but refuses writes until an administrator acknowledges the "
        "break on the server: stop cpcd, run `cpcd --db ", db_path,
        " --acknowledge_audit_break=REASON --acknowledged_by=NAME` and start it again "
        "(docs/operations.md, \"Audit trail: verifying and acknowledging\")"));
  }
  if (v.head_mismatch.has_value()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the audit trail does not hold a signed checkpoint: ", *v.head_mismatch,
        ". cpcd serves reads but refuses writes: compare with a backup and the checkpoints "
        "(`cpcd verify-audit --db ",
        db_path, " --checkpoint FILE`)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<StartUpAuditCheck> CheckAuditChainAtStartUp(
    store::Store& store, absl::string_view db_path, std::optional<domain::AuditHead> trusted) {
  StartUpAuditCheck check;
  check.from_checkpoint = trusted;
  const absl::Time start = absl::Now();
  RETURN_IF_ERROR(store.Read([&](store::Transaction& tx) -> absl::Status {
    if (trusted.has_value()) {
      ASSIGN_OR_RETURN(check.verification, tx.VerifyAuditChainAfter(*trusted));
    } else {
      ASSIGN_OR_RETURN(check.verification, tx.VerifyAuditChain());
    }
    return absl::OkStatus();
  }));
  check.took = absl::Now() - start;
  check.write_refusal = WriteRefusal(check.verification, db_path);
  if (!check.write_refusal.ok()) store.RefuseWrites(check.write_refusal);
  return check;
}

absl::StatusOr<domain::AuditVerification> VerifyWholeAuditTrail(store::Store& store,
                                                                absl::string_view db_path) {
  domain::AuditVerification v;
  RETURN_IF_ERROR(store.Read([&](store::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(v, tx.VerifyAuditChain());
    return absl::OkStatus();
  }));
  if (absl::Status refusal = WriteRefusal(v, db_path); !refusal.ok()) store.RefuseWrites(refusal);
  return v;
}

absl::StatusOr<std::vector<domain::AuditBreak>> AcknowledgeAuditBreaks(
    store::Store& store, absl::string_view administrator, absl::string_view password,
    absl::string_view reason) {
  RETURN_IF_ERROR(domain::ValidateIdentifier("--acknowledged_by", administrator));
  if (reason.empty()) {
    return absl::InvalidArgumentError(
        "--acknowledge_audit_break: give the reason (what was found and done)");
  }
  RETURN_IF_ERROR(domain::CheckFreeText("--acknowledge_audit_break", reason, 2000, true));
  absl::StatusOr<store::UserAccount> account =
      CheckPasswordNow(store, administrator, password, "audit break acknowledgement", absl::Now(),
                    "console");
  if (!account.ok()) {
    return absl::UnauthenticatedError(absl::StrCat(
        "--acknowledged_by ", administrator, ": ", account.status().message()));
  }
  if (account->user.disabled || !domain::ManagesUsers(account->user.roles)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "--acknowledged_by ", administrator, ": not an enabled administrator"));
  }
  std::vector<domain::AuditBreak> acknowledged;
  RETURN_IF_ERROR(store.Write([&](store::Transaction& tx) -> absl::Status {
    // On the server's console: no session, no request.
    app::WriteContext write;
    write.now = absl::Now();
    write.user = std::string(administrator);
    ASSIGN_OR_RETURN(acknowledged, app::AcknowledgeAuditBreaks(tx, write, reason));
    return absl::OkStatus();
  }));
  return acknowledged;
}

}  // namespace cpctrack::server
