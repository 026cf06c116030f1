#include "client/pending_writes.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace cpc {
namespace {

class PendingWriteJournalTest : public testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/cpc_journal_test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  static PendingWrite Write(std::string id, std::string bytes) {
    return {.request_id = std::move(id),
            .method = "/cpctrack.v1.BatchService/RecordObservation",
            .request = std::move(bytes),
            .saved_time = absl::FromUnixSeconds(1795132800),
            .server = "cpc-server:50051",
            .user = "ana"};
  }
  static mode_t Mode(const std::string& path) {
    struct stat info;
    EXPECT_EQ(stat(path.c_str(), &info), 0) << path;
    return info.st_mode & 0777;
  }

  std::string root_;
};

TEST_F(PendingWriteJournalTest, SavesExactBytesPrivatelyAndLoadsThemBack) {
  // Not yet there: created, with its parents, only for the user.
  const PendingWriteJournal journal(root_ + "/state/cpc/pending");
  // Request bytes may hold anything, including blank lines and NULs.
  const std::string bytes("\n\n\0\x01request: x\n", 15);
  ASSERT_TRUE(journal.Save(Write("obs-1", bytes)).ok());
  EXPECT_EQ(Mode(journal.directory()), 0700u);
  EXPECT_EQ(Mode(journal.directory() + "/obs-1"), 0600u);

  absl::StatusOr<PendingWrite> loaded = journal.Load("obs-1");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->request, bytes);
  EXPECT_EQ(loaded->method, "/cpctrack.v1.BatchService/RecordObservation");
  EXPECT_EQ(loaded->saved_time, absl::FromUnixSeconds(1795132800));
  EXPECT_EQ(loaded->server, "cpc-server:50051");
  EXPECT_EQ(loaded->user, "ana");
  // Written through a temp file that is linked, then removed: nothing else is left.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(journal.directory()),
                          std::filesystem::directory_iterator()),
            1);
}

TEST_F(PendingWriteJournalTest, RemoveForgetsAndAbsentIsFine) {
  const PendingWriteJournal journal(root_);
  ASSERT_TRUE(journal.Save(Write("obs-1", "x")).ok());
  ASSERT_TRUE(journal.Remove("obs-1").ok());
  EXPECT_TRUE(absl::IsNotFound(journal.Load("obs-1").status()));
  EXPECT_TRUE(journal.Remove("obs-1").ok());
}

TEST_F(PendingWriteJournalTest, RefusesToReplaceADifferentPendingWrite) {
  const PendingWriteJournal journal(root_);
  ASSERT_TRUE(journal.Save(Write("obs-1", "first")).ok());
  // The same write again (e.g. the same --request-id re-run as typed) is fine.
  EXPECT_TRUE(journal.Save(Write("obs-1", "first")).ok());
  absl::Status replaced = journal.Save(Write("obs-1", "second"));
  EXPECT_TRUE(absl::IsFailedPrecondition(replaced)) << replaced;
  EXPECT_TRUE(absl::StrContains(replaced.message(), "cpc retry obs-1")) << replaced;
  EXPECT_EQ(journal.Load("obs-1")->request, "first");
}

TEST_F(PendingWriteJournalTest, ConcurrentSavesUnderOneRequestIdNeverReplaceOneAnother) {
  const PendingWriteJournal journal(root_);
  constexpr int kWriters = 8;
  for (int round = 0; round < 20; ++round) {
    ASSERT_TRUE(journal.Remove("obs-1").ok());
    std::vector<absl::Status> results(kWriters);
    std::vector<std::thread> writers;
    for (int i = 0; i < kWriters; ++i) {
      writers.emplace_back([&, i] {
        results[i] = journal.Save(Write("obs-1", absl::StrCat("write ", i)));
      });
    }
    for (std::thread& writer : writers) writer.join();
    // Exactly one was saved, and the entry is that one's.
    int saved = -1;
    for (int i = 0; i < kWriters; ++i) {
      if (results[i].ok()) {
        EXPECT_EQ(saved, -1) << "writes " << saved << " and " << i << " both saved";
        saved = i;
      } else {
        EXPECT_TRUE(absl::IsFailedPrecondition(results[i])) << results[i];
      }
    }
    ASSERT_NE(saved, -1);
    EXPECT_EQ(journal.Load("obs-1")->request, absl::StrCat("write ", saved));
  }
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(root_),
                          std::filesystem::directory_iterator()),
            1);  // no temp files left behind
}

TEST_F(PendingWriteJournalTest, NeverFollowsASymbolicLinkToAnEntry) {
  const PendingWriteJournal journal(root_);
  ASSERT_TRUE(PendingWriteJournal(root_ + "/elsewhere").Save(Write("obs-1", "planted")).ok());
  std::filesystem::create_symlink(root_ + "/elsewhere/obs-1", root_ + "/obs-1");
  EXPECT_FALSE(journal.Load("obs-1").ok());
  // Nor writes through one: the link's target keeps what it had.
  EXPECT_TRUE(absl::IsFailedPrecondition(journal.Save(Write("obs-1", "new"))));
  EXPECT_EQ(PendingWriteJournal(root_ + "/elsewhere").Load("obs-1")->request, "planted");
}

TEST_F(PendingWriteJournalTest, RefusesADirectoryOthersMayWriteTo) {
  const PendingWriteJournal journal(root_);
  ASSERT_TRUE(journal.Save(Write("obs-1", "x")).ok());
  ASSERT_EQ(chmod(root_.c_str(), 0770), 0);
  absl::Status saved = journal.Save(Write("obs-2", "x"));
  EXPECT_TRUE(absl::IsFailedPrecondition(saved)) << saved;
  EXPECT_TRUE(absl::StrContains(saved.message(), "others may write to it")) << saved;
  EXPECT_FALSE(journal.Load("obs-1").ok());
  EXPECT_FALSE(journal.List().ok());
  EXPECT_FALSE(journal.Remove("obs-1").ok());
  ASSERT_EQ(chmod(root_.c_str(), 0702), 0);
  EXPECT_FALSE(journal.Load("obs-1").ok());
  ASSERT_EQ(chmod(root_.c_str(), 0700), 0);
  EXPECT_TRUE(journal.Load("obs-1").ok());
}

TEST_F(PendingWriteJournalTest, RefusesADirectoryOfAnotherUser) {
  std::string theirs = root_ + "/theirs";
  ASSERT_EQ(mkdir(theirs.c_str(), 0700), 0);
  if (geteuid() == 0) {
    ASSERT_EQ(chown(theirs.c_str(), 65534, 65534), 0);  // nobody
  } else {
    theirs = "/";  // root's
  }
  absl::Status saved = PendingWriteJournal(theirs).Save(Write("obs-1", "x"));
  EXPECT_TRUE(absl::IsFailedPrecondition(saved)) << saved;
  EXPECT_TRUE(absl::StrContains(saved.message(), "not to you")) << saved;
  EXPECT_FALSE(PendingWriteJournal(theirs).List().ok());
}

TEST_F(PendingWriteJournalTest, ListsOldestFirstAndNamesDamagedFiles) {
  const PendingWriteJournal journal(root_);
  PendingWrite later = Write("later", "b");
  later.saved_time += absl::Minutes(5);
  ASSERT_TRUE(journal.Save(later).ok());
  ASSERT_TRUE(journal.Save(Write("earlier", "a")).ok());
  std::ofstream(root_ + "/damaged") << "not a journal file";
  absl::StatusOr<PendingWriteJournal::Listing> listing = journal.List();
  ASSERT_TRUE(listing.ok()) << listing.status();
  ASSERT_EQ(listing->writes.size(), 2u);
  EXPECT_EQ(listing->writes[0].request_id, "earlier");
  EXPECT_EQ(listing->writes[1].request_id, "later");
  EXPECT_EQ(listing->unreadable_files, std::vector<std::string>{root_ + "/damaged"});
}

TEST_F(PendingWriteJournalTest, AbsentDirectoryListsNothing) {
  absl::StatusOr<PendingWriteJournal::Listing> listing =
      PendingWriteJournal(root_ + "/never").List();
  ASSERT_TRUE(listing.ok());
  EXPECT_TRUE(listing->writes.empty());
}

TEST_F(PendingWriteJournalTest, RequestIdsThatCouldEscapeTheDirectoryAreRefused) {
  const PendingWriteJournal journal(root_);
  EXPECT_FALSE(journal.Save(Write("../escape", "x")).ok());
  EXPECT_FALSE(journal.Save(Write(".hidden", "x")).ok());
  EXPECT_FALSE(IsJournalSafeRequestId("a/b"));
  EXPECT_FALSE(IsJournalSafeRequestId(""));
  EXPECT_FALSE(IsJournalSafeRequestId(std::string(129, 'a')));
  EXPECT_TRUE(IsJournalSafeRequestId("0b6a52c4-1f0e-4a7d-9c1b-2f5e8d7a3c10"));
  EXPECT_TRUE(IsJournalSafeRequestId("obs_1.retry"));
}

TEST_F(PendingWriteJournalTest, NoDirectoryKnownSaysWhatToSet) {
  absl::Status status = PendingWriteJournal("").Save(Write("obs-1", "x"));
  EXPECT_TRUE(absl::StrContains(status.message(), "CPC_STATE_DIR")) << status;
}

TEST(PendingWriteDirectoryTest, CpcStateDirThenXdgStateHomeThenHome) {
  EXPECT_EQ(PendingWriteDirectory("/s", "/x", "/h"), "/s");
  EXPECT_EQ(PendingWriteDirectory("", "/x", "/h"), "/x/cpc/pending");
  EXPECT_EQ(PendingWriteDirectory(nullptr, nullptr, "/h"), "/h/.local/state/cpc/pending");
  EXPECT_EQ(PendingWriteDirectory(nullptr, nullptr, nullptr), "");
}

}  // namespace
}  // namespace cpc
