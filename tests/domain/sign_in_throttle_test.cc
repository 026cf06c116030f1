#include "domain/sign_in_throttle.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"

namespace cpctrack::domain {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1'790'000'000);

TEST(SignInThrottleTest, ConcurrentGuessesAreCountedBeforeTheyAreChecked) {
  SignInThrottle throttle;
  std::atomic<int> reserved{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      if (throttle.Reserve("203.0.113.7", "qa.mori", kT0).ok()) ++reserved;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(reserved.load(), 3) << "three free failures, not three per thread";
}

TEST(SignInThrottleTest, AThrottledUserStillSignsInFromAnotherAddress) {
  SignInThrottle throttle;
  for (int i = 0; i < 3; ++i) {
    auto ticket = throttle.Reserve("203.0.113.7", "qa.mori", kT0);
    ASSERT_TRUE(ticket.ok());
    throttle.Failed(*ticket, true, kT0);
  }
  EXPECT_FALSE(throttle.Reserve("203.0.113.7", "qa.mori", kT0 + absl::Seconds(1)).ok());
  // Her own workstation has not failed.
  auto hers = throttle.Reserve("10.1.2.3", "qa.mori", kT0 + absl::Seconds(1));
  ASSERT_TRUE(hers.ok());
  throttle.Succeeded(*hers);
  // The attacker's wait doubles only with further checked failures.
  EXPECT_TRUE(throttle.Reserve("203.0.113.7", "qa.mori", kT0 + absl::Seconds(2)).ok());
}

TEST(SignInThrottleTest, OneAddressCannotSprayManyNames) {
  SignInThrottle throttle;
  int reserved = 0;
  for (int i = 0; i < 100; ++i) {
    auto ticket = throttle.Reserve("203.0.113.7", absl::StrCat("user.", i), kT0);
    if (!ticket.ok()) continue;
    ++reserved;
    throttle.Failed(*ticket, false, kT0);
  }
  EXPECT_EQ(reserved, SignInLimits().free_failures_per_peer);
  EXPECT_TRUE(throttle.Reserve("198.51.100.1", "user.1", kT0).ok());
}

TEST(SignInThrottleTest, TheWholeServerTakesABoundedRate) {
  SignInLimits limits;
  limits.attempts_per_second = 10;
  limits.burst = 20;
  SignInThrottle throttle(limits);
  int reserved = 0;
  for (int i = 0; i < 100; ++i) {
    auto ticket = throttle.Reserve(absl::StrCat("10.0.", i / 250, ".", i % 250), "x", kT0);
    if (!ticket.ok()) continue;
    ++reserved;
    throttle.Failed(*ticket, false, kT0);
  }
  EXPECT_EQ(reserved, 20);
  EXPECT_TRUE(throttle.Reserve("10.9.9.9", "x", kT0 + absl::Milliseconds(100)).ok());
}

TEST(SignInThrottleTest, OnlyAFewAttemptsAreCheckedAtOnce) {
  SignInThrottle throttle;
  std::vector<SignInThrottle::Ticket> checking;
  for (int i = 0; i < 30; ++i) {
    auto ticket = throttle.Reserve(absl::StrCat("10.0.0.", i), "x", kT0);
    if (ticket.ok()) checking.push_back(*ticket);
  }
  EXPECT_EQ(checking.size(), static_cast<size_t>(SignInLimits().max_in_flight));
  EXPECT_EQ(throttle.InFlight(), SignInLimits().max_in_flight);
  throttle.Failed(checking.back(), false, kT0);
  EXPECT_EQ(throttle.InFlight(), SignInLimits().max_in_flight - 1);
  EXPECT_TRUE(throttle.Reserve("10.0.1.1", "x", kT0).ok()) << "one finished, one more checked";
}

TEST(SignInThrottleTest, FailuresAreReportedInAggregatePerAddressAndWindow) {
  SignInThrottle throttle;
  for (int i = 0; i < 50; ++i) {
    auto ticket = throttle.Reserve("203.0.113.7", i % 2 ? "qa.mori" : "nobody", kT0);
    if (ticket.ok()) throttle.Failed(*ticket, ticket->user_name == "qa.mori", kT0);
  }
  EXPECT_TRUE(throttle.TakeReports(kT0 + absl::Seconds(30), false).empty()) << "window open";
  std::vector<SignInFailureReport> reports = throttle.TakeReports(kT0 + absl::Minutes(1), false);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].peer, "203.0.113.7");
  EXPECT_EQ(reports[0].failures + reports[0].refused, 50);
  EXPECT_EQ(reports[0].by_user.at("qa.mori") + reports[0].unknown_names, reports[0].failures);
  EXPECT_TRUE(throttle.TakeReports(kT0 + absl::Minutes(2), true).empty()) << "each once";
}

TEST(SignInThrottleTest, MemoryStaysBoundedUnderAFloodOfNames) {
  SignInThrottle throttle;
  for (int minute = 0; minute < 60; ++minute) {
    const absl::Time now = kT0 + absl::Minutes(minute);
    for (int i = 0; i < 200; ++i) {
      const std::string peer = absl::StrCat("10.", minute, ".", i / 100, ".", i % 100);
      auto ticket = throttle.Reserve(peer, absl::StrCat("n", minute, "-", i), now);
      if (ticket.ok()) throttle.Failed(*ticket, false, now);
    }
    throttle.TakeReports(now, true);
  }
  // 12,000 names from 12,000 addresses; only the last quarter hour is held.
  EXPECT_LT(throttle.TrackedEntries(), 16u * 2 * 200);
}

TEST(SignInThrottleTest, PeerAddressDropsThePort) {
  EXPECT_EQ(PeerAddress("ipv4:203.0.113.7:51234"), "203.0.113.7");
  EXPECT_EQ(PeerAddress("ipv6:[::1]:5123"), "::1");
  EXPECT_EQ(PeerAddress("unix:/run/cpcd.sock"), "unix:/run/cpcd.sock");
}

}  // namespace
}  // namespace cpctrack::domain
