#include "domain/sign_in_throttle.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "domain/access.h"

namespace cpctrack::domain {
namespace {

std::string UserKey(absl::string_view peer, absl::string_view user_name) {
  return absl::StrCat(peer, "\n", user_name);
}

// After `free` failures, each further attempt waits as LoginBackoff says
// after the same number of failures beyond the free ones.
absl::Time NextAttempt(int failures, int free, absl::Time last) {
  if (failures < free) return absl::InfinitePast();
  return last + LoginBackoff(failures - free + 4);
}

}  // namespace

std::string PeerAddress(absl::string_view peer) {
  if (absl::ConsumePrefix(&peer, "ipv4:")) {
    return std::string(peer.substr(0, peer.rfind(':')));
  }
  if (absl::ConsumePrefix(&peer, "ipv6:")) {
    if (absl::ConsumePrefix(&peer, "[")) return std::string(peer.substr(0, peer.find(']')));
    return std::string(peer);
  }
  return std::string(peer);
}

absl::StatusOr<SignInThrottle::Ticket> SignInThrottle::Reserve(absl::string_view peer,
                                                              absl::string_view user_name,
                                                              absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (++calls_ % 256 == 0) Forget(now);
  PeerState& state = peers_[peer];
  // The peer first: one source cannot spend the server's attempts.
  if (now < NextAttempt(state.failures.count, limits_.free_failures_per_peer,
                        state.failures.last)) {
    Refuse(state, peer, now);
    return absl::ResourceExhaustedError("too many failed sign-ins from this address");
  }
  Failures& user = users_[UserKey(peer, user_name)];
  if (now < NextAttempt(user.count, limits_.free_failures_per_user, user.last)) {
    Refuse(state, peer, now);
    return absl::ResourceExhaustedError("too many failed sign-ins for this name here");
  }
  // The whole server: a token bucket.
  if (tokens_ < 0) {
    tokens_ = limits_.burst;
    refilled_ = now;
  }
  tokens_ = std::min<double>(
      limits_.burst,
      tokens_ + absl::ToDoubleSeconds(std::max(now - refilled_, absl::ZeroDuration())) *
                    limits_.attempts_per_second);
  refilled_ = std::max(refilled_, now);
  if (tokens_ < 1) {
    Refuse(state, peer, now);
    return absl::ResourceExhaustedError("too many sign-ins on this server");
  }
  if (in_flight_ >= limits_.max_in_flight) {
    Refuse(state, peer, now);
    return absl::ResourceExhaustedError("too many sign-ins being checked on this server");
  }
  tokens_ -= 1;
  ++in_flight_;
  // Counted as failed until proven right: concurrent guesses see each other.
  ++user.count;
  user.last = now;
  ++state.failures.count;
  state.failures.last = now;
  return Ticket{std::string(peer), std::string(user_name)};
}

void SignInThrottle::Succeeded(const Ticket& ticket) {
  absl::MutexLock lock(&mu_);
  --in_flight_;
  users_.erase(UserKey(ticket.peer, ticket.user_name));
  if (auto it = peers_.find(ticket.peer); it != peers_.end() && it->second.failures.count > 0) {
    --it->second.failures.count;  // this attempt was no failure
  }
}

void SignInThrottle::Failed(const Ticket& ticket, bool known_user, absl::Time now) {
  absl::MutexLock lock(&mu_);
  --in_flight_;
  PeerState& state = peers_[ticket.peer];
  SignInFailureReport& w = state.window;
  if (w.failures == 0 && w.refused == 0) {
    w.peer = ticket.peer;
    w.first = now;
  }
  w.last = now;
  ++w.failures;
  if (known_user) {
    ++w.by_user[ticket.user_name];
  } else {
    ++w.unknown_names;
  }
}

void SignInThrottle::Refuse(PeerState& state, absl::string_view peer, absl::Time now) {
  SignInFailureReport& w = state.window;
  if (w.failures == 0 && w.refused == 0) {
    w.peer = std::string(peer);
    w.first = now;
  }
  w.last = now;
  ++w.refused;
}

std::vector<SignInFailureReport> SignInThrottle::TakeReports(absl::Time now, bool all) {
  absl::MutexLock lock(&mu_);
  for (auto& [address, state] : peers_) {
    SignInFailureReport& w = state.window;
    if (w.failures == 0 && w.refused == 0) continue;
    if (all || now >= w.first + limits_.report_window) {
      closed_.push_back(std::move(w));
      w = SignInFailureReport{};
    }
  }
  std::vector<SignInFailureReport> out;
  out.swap(closed_);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, a.peer) < std::tie(b.first, b.peer);
  });
  return out;
}

int SignInThrottle::InFlight() const {
  absl::MutexLock lock(&mu_);
  return in_flight_;
}

size_t SignInThrottle::TrackedEntries() const {
  absl::MutexLock lock(&mu_);
  return peers_.size() + users_.size();
}

void SignInThrottle::Forget(absl::Time now) {
  // Past the longest wait, a name's count no longer delays anyone.
  const absl::Duration longest = absl::Minutes(5);
  absl::erase_if(users_, [&](const auto& entry) { return now >= entry.second.last + longest; });
  absl::erase_if(peers_, [&](const auto& entry) {
    const PeerState& state = entry.second;
    const bool window_open = state.window.failures > 0 || state.window.refused > 0;
    return !window_open && now >= state.failures.last + limits_.peer_memory;
  });
}

}  // namespace cpctrack::domain
