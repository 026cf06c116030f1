#include "server/sign_in.h"

#include <atomic>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "app/users.h"
#include "domain/audit.h"
#include "domain/patient.h"
#include "domain/status_macros.h"

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

// One "user.login_failures" entry per peer and window, under no user.
absl::Status AppendSignInReports(store::Transaction& tx,
                                 const std::vector<domain::SignInFailureReport>& reports,
                                 absl::Time now) {
  app::WriteContext ctx;
  ctx.now = now;
  ctx.user = "-";
  return app::RecordSignInFailures(tx, ctx, reports);
}

// Made at ConfigureSignIn (start-up), so no handler ever waits for it; made
// here, once, only when a tool or test checks a password without it.
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

// One attempt between its reservation and its verdict.
struct Attempt {
  domain::SignInThrottle::Ticket ticket;
  absl::StatusOr<store::UserAccount> account = absl::NotFoundError("no such user");
  std::string hash;  // the account's, or the dummy
};

// The limits before anything costs (no hash, no write), then the account.
absl::StatusOr<Attempt> Begin(store::Store& store, absl::string_view user_name,
                              absl::Time now, absl::string_view peer) {
  domain::SignInThrottle& throttle = SignInThrottle();
  const std::string address = peer.empty() ? "session" : domain::PeerAddress(peer);
  absl::StatusOr<domain::SignInThrottle::Ticket> ticket =
      throttle.Reserve(address, user_name, now);
  if (!ticket.ok()) {
    ++refusals;
    return absl::UnauthenticatedError(kSignInRefused);
  }
  Attempt attempt;
  attempt.ticket = *std::move(ticket);
  // A name no user can have is never looked up.
  if (domain::ValidateIdentifier("user", user_name).ok()) {
    absl::Status read = store.Read([&](store::Transaction& tx) -> absl::Status {
      attempt.account = tx.GetUser(user_name);
      if (absl::IsNotFound(attempt.account.status())) return absl::OkStatus();
      return attempt.account.status();
    });
    if (!read.ok()) {
      throttle.Failed(attempt.ticket, false, now);
      return read;
    }
  }
  attempt.hash = attempt.account.ok() ? attempt.account->password_hash : DummyHash();
  ++verifications;
  return attempt;
}

// The verdict: the throttle learns it; a refusal is the one answer.
absl::StatusOr<store::UserAccount> Finish(Attempt attempt, bool hash_matched, absl::Time now) {
  domain::SignInThrottle& throttle = SignInThrottle();
  if (hash_matched && attempt.account.ok()) {
    throttle.Succeeded(attempt.ticket);
    return *std::move(attempt.account);
  }
  throttle.Failed(attempt.ticket, attempt.account.ok(), now);
  ++failures;
  return absl::UnauthenticatedError(kSignInRefused);
}

// A report is due at most once per peer and window; it is queued, never
// waited for, and a full disk must not turn a refusal into another answer.
void QueueSignInReports(store::Store& store, absl::Time now);

}  // namespace

void ConfigureSignIn(const domain::SignInLimits& limits, PasswordHashing hashing) {
  SignInState& state = State();
  {
    absl::MutexLock lock(&state.mu);
    state.throttle = std::make_shared<domain::SignInThrottle>(limits);
    state.hashing = hashing;
    state.dummy_hash.clear();
  }
  (void)DummyHash();
}

domain::SignInThrottle& SignInThrottle() {
  SignInState& state = State();
  absl::MutexLock lock(&state.mu);
  return *state.throttle;
}

int64_t PasswordVerifications() { return verifications.load(); }
int64_t SignInFailures() { return failures.load(); }
int64_t SignInRefusals() { return refusals.load(); }

Reply CheckPassword(store::Store& store, PasswordPool& pool, absl::string_view user_name,
                    absl::string_view password, absl::string_view purpose, absl::Time now,
                    absl::string_view peer,
                    absl::AnyInvocable<Reply(store::UserAccount) &&> next) {
  (void)purpose;  // failures are reported per peer, not per purpose
  ASSIGN_OR_RETURN(Attempt attempt, Begin(store, user_name, now, peer));
  std::string hash = attempt.hash;
  return pool.AfterVerify(
      std::move(hash), std::string(password),
      [&store, attempt = std::move(attempt), now,
       next = std::move(next)](bool matches) mutable -> Reply {
        absl::StatusOr<store::UserAccount> account = Finish(std::move(attempt), matches, now);
        if (!account.ok()) {
          QueueSignInReports(store, now);
          return account.status();
        }
        return std::move(next)(*std::move(account));
      });
}

Reply LabelRefusal(Reply reply, std::string prefix) {
  return Reply::Later([reply = std::move(reply),
                       prefix = std::move(prefix)](Reply::Done done) mutable {
    std::move(reply).Deliver([done = std::move(done), prefix](absl::Status status) mutable {
      if (absl::IsUnauthenticated(status) && status.message() == kSignInRefused) {
        status = absl::UnauthenticatedError(absl::StrCat(prefix, status.message()));
      }
      std::move(done)(std::move(status));
    });
  });
}

absl::StatusOr<store::UserAccount> CheckPasswordNow(store::Store& store,
                                                    absl::string_view user_name,
                                                    absl::string_view password,
                                                    absl::string_view purpose, absl::Time now,
                                                    absl::string_view peer) {
  (void)purpose;
  ASSIGN_OR_RETURN(Attempt attempt, Begin(store, user_name, now, peer));
  const bool matches = PasswordMatches(attempt.hash, password);
  absl::StatusOr<store::UserAccount> account = Finish(std::move(attempt), matches, now);
  if (!account.ok()) (void)FlushSignInReports(store, now, false);
  return account;
}

namespace {

void QueueSignInReports(store::Store& store, absl::Time now) {
  std::vector<domain::SignInFailureReport> reports = SignInThrottle().TakeReports(now, false);
  if (reports.empty()) return;
  store.Enqueue(
      [reports = std::move(reports), now](store::Transaction& tx) {
        return AppendSignInReports(tx, reports, now);
      },
      [](absl::Status) {});
}

}  // namespace

absl::Status FlushSignInReports(store::Store& store, absl::Time now, bool all) {
  std::vector<domain::SignInFailureReport> reports = SignInThrottle().TakeReports(now, all);
  if (reports.empty()) return absl::OkStatus();
  return store.Write([&](store::Transaction& tx) -> absl::Status {
    return AppendSignInReports(tx, reports, now);
  });
}

}  // namespace cpctrack::server
