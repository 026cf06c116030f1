#include "client/session_file.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace cpc {
namespace {

class SessionFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/cpc_session_test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::string root_;
};

TEST_F(SessionFileTest, IsWrittenOnlyForTheUserAndReadBack) {
  const std::string dir = root_ + "/cpctrack";
  const Session session{.server = "cpc.example:50051",
                        .user = "qa.tanaka",
                        .token = "abc_DEF-123",
                        .expires_at = absl::FromUnixSeconds(1'900'000'000)};
  ASSERT_TRUE(SaveSession(dir, session).ok());
  struct stat file_stat {};
  ASSERT_EQ(stat(SessionFilePath(dir, session.server).c_str(), &file_stat), 0);
  EXPECT_EQ(file_stat.st_mode & 0777, 0600u);
  ASSERT_EQ(stat(dir.c_str(), &file_stat), 0);
  EXPECT_EQ(file_stat.st_mode & 0777, 0700u);

  auto loaded = LoadSession(dir, session.server);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ((*loaded)->user, "qa.tanaka");
  EXPECT_EQ((*loaded)->token, "abc_DEF-123");
  EXPECT_EQ((*loaded)->expires_at, session.expires_at);

  // One session per server.
  auto other = LoadSession(dir, "localhost:50051");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());

  ASSERT_TRUE(RemoveSession(dir, session.server).ok());
  EXPECT_FALSE(LoadSession(dir, session.server)->has_value());
  EXPECT_TRUE(RemoveSession(dir, session.server).ok()) << "removing none is fine";
}

TEST_F(SessionFileTest, ConfigDirectoryFollowsXdg) {
  const char* home = std::getenv("HOME");
  const std::string saved_home = home ? home : "";
  setenv("XDG_CONFIG_HOME", root_.c_str(), 1);
  EXPECT_EQ(ConfigDirectoryFromEnvironment(), root_ + "/cpctrack");
  unsetenv("XDG_CONFIG_HOME");
  setenv("HOME", "/home/sato", 1);
  EXPECT_EQ(ConfigDirectoryFromEnvironment(), "/home/sato/.config/cpctrack");
  setenv("HOME", saved_home.c_str(), 1);
}

}  // namespace
}  // namespace cpc
