// The pending-write journal end to end: which outcomes keep a write for
// `cpc retry`, that a retry sends the very bytes first sent, and only to the
// server it was saved for, as the user who first sent it.
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "client/pending_writes.h"
#include "tests/client/in_process_server.h"
#include "tests/client/recording_batch_service.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;
using Answer = RecordingBatchService::Answer;

class RetryTest : public CpcAgainstFakeTest {
 protected:
  void SetUp() override { StartServer({&service_}); }

  // An observation "an hour ago": a command that cannot be re-run as the
  // same request, since "-1h" is read against a new "now". The timeout only
  // ends calls the fake holds; every other call is answered at once, so a
  // slow machine would need seconds to time one out by mistake.
  static std::vector<std::string> Observe(std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {"--request-id", "obs-1", "--timeout", "2", "batch",
                                     "observe", "A9999260000018", "--confluence", "40",
                                     "--at", "-1h"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }
  PendingWrite Saved(const std::string& request_id) {
    absl::StatusOr<PendingWrite> write = PendingWriteJournal(state_dir_).Load(request_id);
    EXPECT_TRUE(write.ok()) << write.status();
    return write.value_or(PendingWrite());
  }

  RecordingBatchService service_;
};

TEST_F(RetryTest, SuccessLeavesNothingPending) {
  ASSERT_EQ(Cpc(Observe()), 0) << err_.str();
  EXPECT_EQ(service_.received().size(), 1u);
  EXPECT_TRUE(PendingFiles().empty());
}

TEST_F(RetryTest, TheServersRefusalIsFinalSoNothingIsPending) {
  service_.Refuse(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "batch is released"));
  EXPECT_EQ(Cpc(Observe()), 1);
  EXPECT_EQ(err_.str(), "cpc: FAILED_PRECONDITION: batch is released\n");
  EXPECT_TRUE(PendingFiles().empty());
}

TEST_F(RetryTest, ReadsAreNotJournaled) {
  EXPECT_EQ(Cpc({"batch", "show", "A9999260000018"}), 1);  // UNIMPLEMENTED by the fake
  EXPECT_TRUE(PendingFiles().empty());
}

TEST_F(RetryTest, ATimeoutIsResentOnceWithTheSameBytes) {
  service_.Then({Answer::kHold});
  ASSERT_EQ(Cpc(Observe()), 0) << err_.str();
  std::vector<v1::RecordObservationRequest> received = service_.received();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[1].SerializeAsString(), received[0].SerializeAsString());
  EXPECT_EQ(received[0].request_id(), "obs-1");
  EXPECT_TRUE(PendingFiles().empty());
}

TEST_F(RetryTest, AWriteOfUnknownFateIsKeptAndRetryFinishesItWithTheSameBytes) {
  service_.Then({Answer::kHold, Answer::kHold});
  EXPECT_EQ(Cpc(Observe()), 1);
  EXPECT_TRUE(absl::StartsWith(err_.str(), "cpc: DEADLINE_EXCEEDED: no answer from ")) << err_.str();
  EXPECT_TRUE(absl::EndsWith(err_.str(), "; the write may have been recorded: run "
                                         "`cpc retry obs-1` to finish it safely\n"))
      << err_.str();
  EXPECT_EQ(service_.received().size(), 2u);  // once more, no more
  ASSERT_EQ(PendingFiles(), std::vector<std::string>{"obs-1"});
  const PendingWrite saved = Saved("obs-1");
  EXPECT_EQ(saved.method, "/cpctrack.v1.BatchService/RecordObservation");
  EXPECT_EQ(saved.user, "ana");

  absl::SleepFor(absl::Seconds(1));  // a re-run would now read "-1h" differently
  ASSERT_EQ(Cpc({"retry", "obs-1"}), 0) << err_.str();
  std::vector<v1::RecordObservationRequest> received = service_.received();
  ASSERT_EQ(received.size(), 3u);
  for (const v1::RecordObservationRequest& request : received) {
    EXPECT_EQ(request.SerializeAsString(), saved.request);
  }
  EXPECT_EQ(service_.users(), std::vector<std::string>(3, "ana"));
  EXPECT_TRUE(absl::StartsWith(out_.str(), "Done: BatchService/RecordObservation (request ID "
                                           "obs-1, saved "))
      << out_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "\"record_id\": \"5\"")) << out_.str();
  EXPECT_TRUE(PendingFiles().empty());
}

TEST_F(RetryTest, OnlyTheUserWhoSavedAWriteMayRetryIt) {
  service_.Then({Answer::kUnavailable});
  ASSERT_EQ(Cpc(Observe()), 1);
  ASSERT_EQ(PendingFiles(), std::vector<std::string>{"obs-1"});

  // Sending it would record ana's work as ben's, or ana's name for ben's act.
  EXPECT_EQ(Cpc({"retry", "obs-1"}, /*user=*/"ben"), 2);
  EXPECT_EQ(err_.str(), "cpc: retry: request ID obs-1 was saved by ana, but you are ben "
                        "(`cpc login`): only ana may retry it, so that the record "
                        "names who did the work\n");
  EXPECT_EQ(Cpc({"retry", "obs-1"}, /*user=*/""), 2);
  EXPECT_TRUE(absl::StrContains(err_.str(), "but you are (not logged in)")) << err_.str();
  EXPECT_EQ(service_.received().size(), 1u);
  EXPECT_EQ(PendingFiles(), std::vector<std::string>{"obs-1"});

  ASSERT_EQ(Cpc({"retry", "obs-1"}, /*user=*/"ana"), 0) << err_.str();
  EXPECT_EQ(service_.users(), (std::vector<std::string>{"ana", "ana"}));
  EXPECT_TRUE(PendingFiles().empty());
}

TEST_F(RetryTest, RetryGoesToTheSavedServerAndRefusesAnotherOneGivenExplicitly) {
  EXPECT_EQ(Cpc(Observe({"--server", "127.0.0.1:1"})), 1);
  EXPECT_TRUE(absl::StartsWith(err_.str(), "cpc: UNAVAILABLE: cannot reach cpcd at 127.0.0.1:1"))
      << err_.str();
  EXPECT_TRUE(absl::EndsWith(err_.str(), "; the write is saved: run `cpc retry obs-1` once "
                                         "cpcd is reachable, to send it exactly as typed\n"))
      << err_.str();
  EXPECT_EQ(Saved("obs-1").server, "127.0.0.1:1");

  // CPC_SERVER (the fake) names another server: it might record it a second time.
  EXPECT_EQ(Cpc({"retry", "obs-1"}), 2);
  EXPECT_EQ(err_.str(), absl::StrCat("cpc: retry: request ID obs-1 was saved for cpcd at "
                                     "127.0.0.1:1, not ", address_,
                                     " (--server or CPC_SERVER): retrying it elsewhere could "
                                     "record it in two databases. Run it without --server "
                                     "and with CPC_SERVER unset or set to 127.0.0.1:1\n"));
  EXPECT_EQ(Cpc({"retry", "obs-1", "--server", address_}, "ana", /*env_server=*/""), 2);
  EXPECT_TRUE(service_.received().empty());

  // Unset, or the same: it goes to the saved server (still down), and stays pending.
  EXPECT_EQ(Cpc({"retry", "obs-1"}, "ana", /*env_server=*/""), 1);
  EXPECT_TRUE(absl::StrContains(err_.str(), "cannot reach cpcd at 127.0.0.1:1")) << err_.str();
  EXPECT_EQ(Cpc({"retry", "obs-1", "--server", "127.0.0.1:1"}), 1);
  EXPECT_TRUE(absl::StrContains(err_.str(), "cannot reach cpcd at 127.0.0.1:1")) << err_.str();
  EXPECT_TRUE(service_.received().empty());
  EXPECT_EQ(PendingFiles(), std::vector<std::string>{"obs-1"});
}

TEST_F(RetryTest, WithoutServerSettingsRetrySendsToTheSavedServer) {
  service_.Then({Answer::kUnavailable});
  EXPECT_EQ(Cpc(Observe()), 1);
  EXPECT_TRUE(absl::EndsWith(err_.str(), "; the write may have been recorded: run "
                                         "`cpc retry obs-1` to finish it safely\n"))
      << err_.str();
  const PendingWrite saved = Saved("obs-1");
  EXPECT_EQ(saved.server, address_);

  // Not localhost:50051, the default.
  ASSERT_EQ(Cpc({"retry", "obs-1", "--json"}, "ana", /*env_server=*/""), 0) << err_.str();
  EXPECT_TRUE(absl::StartsWith(err_.str(), "cpc: sending obs-1: BatchService/RecordObservation saved "))
      << err_.str();
  EXPECT_TRUE(absl::StrContains(err_.str(), absl::StrCat(" by ana for ", address_, ": {\"batch_id\":"
                                                         "\"A9999260000018\",\"observation\":{")))
      << err_.str();
  EXPECT_TRUE(absl::StartsWith(out_.str(), "{")) << out_.str();
  ASSERT_EQ(service_.received().size(), 2u);
  EXPECT_EQ(service_.received()[1].SerializeAsString(), saved.request);
  EXPECT_TRUE(PendingFiles().empty());
}

TEST_F(RetryTest, AnotherWriteUnderAPendingRequestIdIsNotSent) {
  EXPECT_EQ(Cpc(Observe({"--server", "127.0.0.1:1"})), 1);
  EXPECT_EQ(Cpc({"--request-id", "obs-1", "batch", "observe", "A9999260000018",
                 "--confluence", "50"}),
            1);
  EXPECT_TRUE(absl::StrContains(err_.str(), "write not sent: a different write is already "
                                            "pending under request ID obs-1"))
      << err_.str();
  EXPECT_TRUE(service_.received().empty());
}

TEST_F(RetryTest, UnknownRequestIdsAndUnsafeOnesAreUsageErrors) {
  EXPECT_EQ(Cpc({"retry", "nope"}), 2);
  EXPECT_EQ(err_.str(), "cpc: retry: no pending write with request ID \"nope\" "
                        "(run `cpc retry` to list them)\n");
  EXPECT_EQ(Cpc({"retry", "--discard", "nope"}), 2);
  EXPECT_EQ(Cpc({"retry", "--discard"}), 2);
  EXPECT_EQ(err_.str(), "cpc: retry: --discard needs the REQUEST_ID to forget\n");
  EXPECT_EQ(Cpc({"retry"}), 0);
  EXPECT_EQ(out_.str(), "No pending writes.\n");
  EXPECT_EQ(Cpc({"--request-id", "../x", "batch", "observe", "A1", "--confluence", "1"}), 2);
  EXPECT_TRUE(absl::StartsWith(err_.str(), "cpc: --request-id: \"../x\" may use only")) << err_.str();
}

}  // namespace
}  // namespace cpc
