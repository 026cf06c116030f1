// cpc-lab runs in-process in the end-to-end tests; it finds its session in a
// config directory as `cpc login` leaves it.
#ifndef CPCTRACK_TESTS_E2E_LAB_SESSION_H_
#define CPCTRACK_TESTS_E2E_LAB_SESSION_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "client/session_file.h"
#include "tests/e2e/test_users.h"

namespace cpctrack::testing {

// Logs `user` in on `server` (through `channel`) and saves the session in the
// config directory `config`, which it answers.
inline std::string SaveLabSession(const std::string& config, const std::string& server,
                                  const std::shared_ptr<grpc::Channel>& channel,
                                  const std::string& user) {
  EXPECT_TRUE(cpc::SaveSession(config, {.server = server,
                                        .user = user,
                                        .token = LoginToken(channel, user),
                                        .expires_at = absl::Now() + absl::Hours(1)})
                  .ok());
  return config;
}

}  // namespace cpctrack::testing

#endif  // CPCTRACK_TESTS_E2E_LAB_SESSION_H_
