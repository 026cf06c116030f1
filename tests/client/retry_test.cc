// The pending-write journal end to end: which outcomes keep a write for
// `cpc retry`, and that a retry sends the very bytes first sent.
#include <mutex>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "client/pending_writes.h"
#include "cpctrack/v1/batches.grpc.pb.h"
#include "tests/client/in_process_server.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

// Records every observation it receives; answers slowly or refuses on demand.
class RecordingBatchService final : public v1::BatchService::Service {
 public:
  grpc::Status RecordObservation(grpc::ServerContext* context,
                                 const v1::RecordObservationRequest* request,
                                 v1::RecordResponse* response) override {
    absl::Duration delay;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      received_.push_back(*request);
      users_.push_back(FirstUser(*context));
      if (slow_calls_ > 0) {
        --slow_calls_;
        delay = absl::Milliseconds(600);
      }
    }
    absl::SleepFor(delay);  // longer than the tests' --timeout
    if (!answer_.ok()) return answer_;
    response->mutable_batch()->set_batch_id(request->batch_id());
    response->mutable_record()->set_record_id(5);
    *response->mutable_record()->mutable_observation() = request->observation();
    return grpc::Status::OK;
  }

  void AnswerSlowly(int calls) {
    std::lock_guard<std::mutex> lock(mutex_);
    slow_calls_ = calls;
  }
  void Refuse(grpc::Status answer) { answer_ = std::move(answer); }
  std::vector<v1::RecordObservationRequest> received() {
    std::lock_guard<std::mutex> lock(mutex_);
    return received_;
  }
  std::vector<std::string> users() {
    std::lock_guard<std::mutex> lock(mutex_);
    return users_;
  }

 private:
  static std::string FirstUser(const grpc::ServerContext& context) {
    auto it = context.client_metadata().find("x-cpc-user");
    return it == context.client_metadata().end() ? "" : std::string(it->second.data(),
                                                                     it->second.size());
  }

  std::mutex mutex_;
  int slow_calls_ = 0;
  grpc::Status answer_ = grpc::Status::OK;
  std::vector<v1::RecordObservationRequest> received_;
  std::vector<std::string> users_;
};

class RetryTest : public CpcAgainstFakeTest {
 protected:
  void SetUp() override { StartServer({&service_}); }

  // An observation "an hour ago": a command that cannot be re-run as the
  // same request, since "-1h" is read against a new "now".
  static std::vector<std::string> Observe(std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {"--request-id", "obs-1", "--timeout", "0.2", "batch",
                                     "observe", "A999926000001K", "--confluence", "40",
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
  EXPECT_EQ(Cpc({"batch", "show", "A999926000001K"}), 1);  // UNIMPLEMENTED by the fake
  EXPECT_TRUE(PendingFiles().empty());
}

TEST_F(RetryTest, ATimeoutIsResentOnceWithTheSameBytes) {
  service_.AnswerSlowly(1);
  ASSERT_EQ(Cpc(Observe()), 0) << err_.str();
  std::vector<v1::RecordObservationRequest> received = service_.received();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[1].SerializeAsString(), received[0].SerializeAsString());
  EXPECT_EQ(received[0].request_id(), "obs-1");
  EXPECT_TRUE(PendingFiles().empty());
}

TEST_F(RetryTest, AWriteOfUnknownFateIsKeptAndRetryFinishesItWithTheSameBytes) {
  service_.AnswerSlowly(2);
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
  ASSERT_EQ(Cpc({"retry", "obs-1"}, /*user=*/"someone-else"), 0) << err_.str();
  std::vector<v1::RecordObservationRequest> received = service_.received();
  ASSERT_EQ(received.size(), 3u);
  for (const v1::RecordObservationRequest& request : received) {
    EXPECT_EQ(request.SerializeAsString(), saved.request);
  }
  // Sent as the user who did the work, not whoever runs the retry.
  EXPECT_EQ(service_.users().back(), "ana");
  EXPECT_TRUE(absl::StartsWith(out_.str(), "Done: BatchService/RecordObservation (request ID "
                                           "obs-1, saved "))
      << out_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "\"record_id\": \"5\"")) << out_.str();
  EXPECT_TRUE(PendingFiles().empty());
}

TEST_F(RetryTest, AnUnreachableServerKeepsTheWriteToSendLaterAsTyped) {
  EXPECT_EQ(Cpc(Observe({"--server", "127.0.0.1:1"})), 1);
  EXPECT_TRUE(absl::StartsWith(err_.str(), "cpc: UNAVAILABLE: cannot reach cpcd at 127.0.0.1:1"))
      << err_.str();
  EXPECT_TRUE(absl::EndsWith(err_.str(), "; the write is saved: run `cpc retry obs-1` once "
                                         "cpcd is reachable, to send it exactly as typed\n"))
      << err_.str();
  const PendingWrite saved = Saved("obs-1");
  EXPECT_EQ(saved.server, "127.0.0.1:1");

  ASSERT_EQ(Cpc({"retry"}), 0) << err_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "\nobs-1       BatchService/RecordObservation  ")) << out_.str();

  ASSERT_EQ(Cpc({"retry", "obs-1", "--json"}), 0) << err_.str();
  EXPECT_EQ(err_.str(), absl::StrCat("cpc: note: first sent to 127.0.0.1:1; sending to ",
                                     address_, "\n"));
  EXPECT_TRUE(absl::StartsWith(out_.str(), "{")) << out_.str();
  ASSERT_EQ(service_.received().size(), 1u);
  EXPECT_EQ(service_.received()[0].SerializeAsString(), saved.request);
  EXPECT_TRUE(PendingFiles().empty());
}

TEST_F(RetryTest, AnotherWriteUnderAPendingRequestIdIsNotSent) {
  EXPECT_EQ(Cpc(Observe({"--server", "127.0.0.1:1"})), 1);
  EXPECT_EQ(Cpc({"--request-id", "obs-1", "batch", "observe", "A999926000001K",
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
  EXPECT_EQ(Cpc({"retry"}), 0);
  EXPECT_EQ(out_.str(), "No pending writes.\n");
  EXPECT_EQ(Cpc({"--request-id", "../x", "batch", "observe", "A1", "--confluence", "1"}), 2);
  EXPECT_TRUE(absl::StartsWith(err_.str(), "cpc: --request-id: \"../x\" may use only")) << err_.str();
}

}  // namespace
}  // namespace cpc
