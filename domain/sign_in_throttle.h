// Limits on sign-in attempts (a login, a signature's or a reset's password),
// decided before any password is hashed or anything is written, so sign-in
// cannot be used against the system: per peer address, per user name from
// that peer, and for the whole server. A reservation is taken atomically and
// counts as a failure until the password is proven right, so a burst of
// concurrent guesses gets no more attempts than one guess after another.
// Failures are kept as counts per peer and reported once per window, not one
// record per attempt (21 CFR Part 11 §11.300(d): attempts detected and
// reported). A user throttled by guesses from one peer still signs in from
// any peer that has not failed.
//
// Thread-safe. Memory stays bounded: entries whose wait is over and whose
// window has been reported are forgotten.
#ifndef CPCTRACK_DOMAIN_SIGN_IN_THROTTLE_H_
#define CPCTRACK_DOMAIN_SIGN_IN_THROTTLE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace cpctrack::domain {

struct SignInLimits {
  // Consecutive failures of one user name from one peer before each further
  // attempt waits (see LoginBackoff: 2 s, 4 s, ... 5 min).
  int free_failures_per_user = 3;
  // Failures from one peer, whatever the names, before it waits likewise.
  int free_failures_per_peer = 20;
  // Attempts the whole server takes, per second, and in one burst.
  double attempts_per_second = 20;
  int burst = 40;
  // Attempts whose password is still being checked, whatever their source:
  // with the hashing threads this bounds both the hashes queued and the
  // memory they take, so a flood waits here, refused, not in a queue.
  int max_in_flight = 8;
  // Failures from one peer are reported once per window.
  absl::Duration report_window = absl::Minutes(1);
  // A peer's failures are forgotten after this long without one.
  absl::Duration peer_memory = absl::Minutes(15);
};

// Failed sign-ins from one peer in one window.
struct SignInFailureReport {
  std::string peer;
  absl::Time first;
  absl::Time last;
  int64_t failures = 0;   // passwords checked and wrong, or names unknown
  int64_t refused = 0;    // attempts refused by a limit, never checked
  int64_t unknown_names = 0;
  std::map<std::string, int64_t> by_user;  // known names only
};

// "203.0.113.7" from gRPC's "ipv4:203.0.113.7:51234", "::1" from
// "ipv6:[::1]:5123"; the text itself when it has no such form.
std::string PeerAddress(absl::string_view grpc_peer);

class SignInThrottle {
 public:
  explicit SignInThrottle(SignInLimits limits = {}) : limits_(limits) {}

  // One attempt. ResourceExhausted when a limit refuses it (the caller gives
  // the same answer as for a wrong password); the refusal is counted for
  // the peer's report.
  struct Ticket {
    std::string peer;
    std::string user_name;
  };
  absl::StatusOr<Ticket> Reserve(absl::string_view peer, absl::string_view user_name,
                                 absl::Time now);
  // The password was right: the name's failures from this peer are forgotten
  // (the peer's own count is not: a working account must not launder guesses).
  void Succeeded(const Ticket& ticket);
  // The password was wrong or the name unknown (`known_user` false).
  void Failed(const Ticket& ticket, bool known_user, absl::Time now);
  // Attempts reserved and not yet Succeeded or Failed.
  int InFlight() const;

  // The reports of windows that have ended by `now` (all windows with
  // `all`, e.g. at shutdown), each once.
  std::vector<SignInFailureReport> TakeReports(absl::Time now, bool all);

  const SignInLimits& limits() const { return limits_; }
  // Entries held (for tests of the memory bound, and metrics).
  size_t TrackedEntries() const;

 private:
  struct Failures {
    int count = 0;  // consecutive, reservations in flight included
    absl::Time last = absl::InfinitePast();
  };
  struct PeerState {
    Failures failures;
    SignInFailureReport window;  // failures == 0 && refused == 0: none open
  };
  void Refuse(PeerState& peer, absl::string_view address, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Forget(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const SignInLimits limits_;
  mutable absl::Mutex mu_;
  double tokens_ ABSL_GUARDED_BY(mu_) = -1;  // -1: full, not yet used
  absl::Time refilled_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::flat_hash_map<std::string, PeerState> peers_ ABSL_GUARDED_BY(mu_);
  // Keyed by peer + '\n' + user name.
  absl::flat_hash_map<std::string, Failures> users_ ABSL_GUARDED_BY(mu_);
  std::vector<SignInFailureReport> closed_ ABSL_GUARDED_BY(mu_);
  int64_t calls_ ABSL_GUARDED_BY(mu_) = 0;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_SIGN_IN_THROTTLE_H_
