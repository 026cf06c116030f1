// cpc never sends a password or a session token in plain text off this
// machine: "this machine" is a loopback address, not a name that looks like one.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "domain/network.h"
#include "tests/client/in_process_server.h"
#include "tests/client/recording_batch_service.h"

namespace cpc {
namespace {

using cpctrack::domain::IsLoopbackHost;
using cpctrack::domain::TargetHost;

TEST(LoopbackTest, IsAnAddressNotANamePrefix) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost",
                           "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host : {"127.0.0.1.nip.io", "127.evil.example", "10.0.0.5", "::2",
                           "0.0.0.0", "[::1", "localhost.example", ""}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
  EXPECT_EQ(TargetHost("127.0.0.1.nip.io:50051"), "127.0.0.1.nip.io");
  EXPECT_EQ(TargetHost("[::1]:50051"), "[::1]");
  EXPECT_EQ(TargetHost("dns:///cpcd.lab:443"), "cpcd.lab");
  EXPECT_EQ(TargetHost("unix:/run/cpcd.sock"), "localhost");
}

class TransportTest : public CpcAgainstFakeTest {
 protected:
  // A server on loopback, which the refused calls never reach.
  void SetUp() override { StartServer({&service_}); }
  RecordingBatchService service_;
};

TEST_F(TransportTest, APasswordIsNotSentInPlainTextToAnotherMachine) {
  for (const char* server : {"192.0.2.10:50051", "127.0.0.1.nip.io:50051"}) {
    EXPECT_EQ(CpcWithStdin({"--server", server, "login", "qa.mori", "--password-stdin"},
                           "her password\n", ""),
              1)
        << server;
    EXPECT_TRUE(absl::StrContains(err_.str(), "not sending a password in plain text"))
        << err_.str();
    EXPECT_TRUE(absl::StrContains(err_.str(), "--insecure")) << err_.str();
  }
}

TEST_F(TransportTest, ASessionTokenIsNotSentInPlainTextToAnotherMachine) {
  // A session saved for that server (as an earlier `cpc login --insecure` left it).
  const std::string config = absl::StrCat(state_dir_, ".config/remote");
  ASSERT_TRUE(SaveSession(config, {.server = "192.0.2.10:50051",
                                   .user = "qa.mori",
                                   .token = "secret-token",
                                   .expires_at = absl::Now() + absl::Hours(1)})
                  .ok());
  const int code =
      cpc::Run({"--server", "192.0.2.10:50051", "patient", "list"}, address_, config, out_, err_);
  EXPECT_EQ(code, 1);
  EXPECT_TRUE(absl::StrContains(err_.str(), "not sending a session token in plain text"))
      << err_.str();
}

}  // namespace
}  // namespace cpc
