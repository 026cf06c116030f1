#ifndef CPCTRACK_TESTS_CLIENT_IN_PROCESS_SERVER_H_
#define CPCTRACK_TESTS_CLIENT_IN_PROCESS_SERVER_H_

#include <stdlib.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/commands.h"
#include "client/session_file.h"

namespace cpc {

// Runs cpc (cpc::Run) against fake services on a loopback port, in local
// time UTC, with a pending-write journal of its own.
class CpcAgainstFakeTest : public testing::Test {
 protected:
  // REQUIRES: the services outlive the test.
  void StartServer(std::vector<grpc::Service*> services) {
    setenv("TZ", "UTC", 1);  // the views print local times
    char pattern[] = "/tmp/cpc_state_test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    state_dir_ = pattern;
    setenv("CPC_STATE_DIR", state_dir_.c_str(), 1);
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    for (grpc::Service* service : services) builder.RegisterService(service);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    address_ = absl::StrCat("127.0.0.1:", port);
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
    if (!state_dir_.empty()) {
      std::filesystem::remove_all(state_dir_);
      std::filesystem::remove_all(state_dir_ + ".config");
    }
  }

  // Runs cpc logged in as `user` ("": not logged in) to the fake and to the
  // other addresses the tests name: a session file for each, as `cpc login`
  // leaves it, with the token "token-for-USER" (session_metadata.h).
  // `env_server` stands for $CPC_SERVER: the fake unless said otherwise
  // ("" is unset).
  int Cpc(std::vector<std::string> argv, std::string user = "ana",
          std::optional<std::string> env_server = std::nullopt) {
    out_.str("");
    err_.str("");
    const std::string config = absl::StrCat(state_dir_, ".config/", user.empty() ? "-" : user);
    if (!user.empty()) {
      for (const std::string& server : {address_, std::string("localhost:50051"),
                                        std::string("127.0.0.1:1")}) {
        EXPECT_TRUE(cpc::SaveSession(config, {.server = server,
                                              .user = user,
                                              .token = absl::StrCat("token-for-", user),
                                              .expires_at = absl::Now() + absl::Hours(1)})
                        .ok());
      }
    }
    return cpc::Run(argv, env_server.value_or(address_), config, out_, err_);
  }

  // Cpc() with `stdin_text` on std::cin (a signing command given
  // --password-stdin reads the password from it).
  int CpcWithStdin(std::vector<std::string> argv, const std::string& stdin_text,
                   std::string user = "ana") {
    std::istringstream in(stdin_text);
    std::streambuf* saved = std::cin.rdbuf(in.rdbuf());
    const int code = Cpc(std::move(argv), std::move(user));
    std::cin.rdbuf(saved);
    return code;
  }

  // Names of the files in the pending-write journal.
  std::vector<std::string> PendingFiles() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(state_dir_)) {
      names.push_back(entry.path().filename());
    }
    return names;
  }

  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  std::string state_dir_;
  std::ostringstream out_, err_;
};

}  // namespace cpc

#endif  // CPCTRACK_TESTS_CLIENT_IN_PROCESS_SERVER_H_
