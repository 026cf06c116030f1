#include "server/sign_in.h"

#include <atomic>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "domain/audit.h"
#include "domain/patient.h"
#include "domain/status_macros.h"
#include "server/audit_support.h"

namespace cpctrack::server {
namespace {

// Process-wide, like the hashing cost: every service checks passwords
// against the same counts.
struct SignInState {
  absl::Mutex mu;
  std::shared_ptr<domain::SignInThrottle> throttle =
      std::make_shared<domain::SignInThrottle>();
  PasswordHashing hashing = PasswordHashing::kInteractive;
  std::string dummy_hash;  // made lazily, at `hashing`'s cost
};

SignInState& State() {
  static auto* state = new SignInState;
  return *state;
}

std::atomic<int64_t> verifications{0};
std::atomic<int64_t> failures{0};
std::atomic<int64_t> refusals{0};

std::string DummyHash() {
  SignInState& state = State();
  absl::MutexLock lock(&state.mu);
  if (state.dummy_hash.empty()) {
    // A random password nobody knows; only its cost matters.
    absl::StatusOr<std::string> hash = HashPassword(NewSessionToken(), state.hashing);
    state.dummy_hash = hash.ok() ? *hash : "";
  }
  return state.dummy_hash;
}

}  // namespace

void ConfigureSignIn(const domain::SignInLimits& limits, PasswordHashing hashing) {
  SignInState& state = State();
  absl::MutexLock lock(&state.mu);
  state.throttle = std::make_shared<domain::SignInThrottle>(limits);
  state.hashing = hashing;
  state.dummy_hash.clear();
}

domain::SignInThrottle& SignInThrottle() {
  SignInState& state = State();
  absl::MutexLock lock(&state.mu);
  return *state.throttle;
}

bool VerifyPasswordOrDummy(absl::string_view stored_hash, absl::string_view password) {
  ++verifications;
  if (stored_hash.empty()) {
    (void)PasswordMatches(DummyHash(), password);
    return false;
  }
  return PasswordMatches(stored_hash, password);
}

int64_t PasswordVerifications() { return verifications.load(); }
int64_t SignInFailures() { return failures.load(); }
int64_t SignInRefusals() { return refusals.load(); }

absl::StatusOr<store::UserAccount> CheckPassword(store::Store& store, absl::string_view user_name,
                                                 absl::string_view password,
                                                 absl::string_view purpose, absl::Time now,
                                                 absl::string_view peer) {
  domain::SignInThrottle& throttle = SignInThrottle();
  const std::string address = peer.empty() ? "session" : domain::PeerAddress(peer);
  // The limits before anything costs: no hash, no write.
  absl::StatusOr<domain::SignInThrottle::Ticket> ticket =
      throttle.Reserve(address, user_name, now);
  if (!ticket.ok()) {
    ++refusals;
    return absl::UnauthenticatedError(kSignInRefused);
  }
  absl::StatusOr<store::UserAccount> account = absl::NotFoundError("no such user");
  // A name no user can have is never looked up.
  if (domain::ValidateIdentifier("user", user_name).ok()) {
    RETURN_IF_ERROR(store.Read([&](store::Transaction& tx) -> absl::Status {
      account = tx.GetUser(user_name);
      if (absl::IsNotFound(account.status())) return absl::OkStatus();
      return account.status();
    }));
  }
  // One Argon2id verification whether or not the name exists.
  const bool matches =
      VerifyPasswordOrDummy(account.ok() ? account->password_hash : "", password) &&
      account.ok();
  if (matches) {
    throttle.Succeeded(*ticket);
    return *std::move(account);
  }
  throttle.Failed(*ticket, account.ok(), now);
  ++failures;
  // A report is due at most once per peer and window.
  absl::Status flushed = FlushSignInReports(store, now, false);
  (void)flushed;  // a full disk must not turn a refusal into another answer
  (void)purpose;
  return absl::UnauthenticatedError(kSignInRefused);
}

absl::Status FlushSignInReports(store::Store& store, absl::Time now, bool all) {
  std::vector<domain::SignInFailureReport> reports = SignInThrottle().TakeReports(now, all);
  if (reports.empty()) return absl::OkStatus();
  return store.Write([&](store::Transaction& tx) -> absl::Status {
    for (const domain::SignInFailureReport& r : reports) {
      domain::JsonObject users;
      for (const auto& [name, count] : r.by_user) users.Add(name, count);
      domain::JsonObject value;
      value.Add("peer", r.peer)
          .Add("first", r.first)
          .Add("last", r.last)
          .Add("failures", r.failures)
          .Add("refused_by_limits", r.refused)
          .Add("unknown_names", r.unknown_names)
          .AddRaw("by_user", users.Build());
      RETURN_IF_ERROR(AppendAudit(
          tx, now, "-", "user.login_failures", absl::StrCat("peers/", r.peer), "", value.Build(),
          absl::StrCat(r.failures, " failed and ", r.refused, " refused sign-ins from ", r.peer),
          ""));
    }
    return absl::OkStatus();
  });
}

}  // namespace cpctrack::server
