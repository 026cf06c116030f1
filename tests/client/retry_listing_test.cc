// What `cpc retry` shows of leftover writes, `cpc retry --discard`, and a
// reply that cannot be read.
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "cpctrack/v1/batches.grpc.pb.h"
#include "tests/client/in_process_server.h"
#include "tests/client/recording_batch_service.h"

namespace cpc {
namespace {

using Answer = RecordingBatchService::Answer;

class RetryListingTest : public CpcAgainstFakeTest {
 protected:
  void SetUp() override { StartServer({&service_}); }

  // Leaves a pending write under `request_id` (cpcd says UNAVAILABLE).
  void LeavePending(const std::string& request_id, const std::string& user,
                    std::vector<std::string> flags) {
    service_.Then({Answer::kUnavailable});
    std::vector<std::string> argv = {"--request-id", request_id, "batch", "observe",
                                     "A9999260000018"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    ASSERT_EQ(Cpc(argv, user), 1) << err_.str();
  }

  RecordingBatchService service_;
};

TEST_F(RetryListingTest, ListsWhoWhereWhatAndHowOld) {
  LeavePending("obs-1", "ana", {"--confluence", "40"});
  LeavePending("obs-2", "ben", {"--confluence", "55", "--morphology", std::string(300, 'x')});
  ASSERT_EQ(Cpc({"retry"}), 0) << err_.str();
  const std::vector<std::string> lines = absl::StrSplit(out_.str(), '\n');
  ASSERT_GE(lines.size(), 5u) << out_.str();
  EXPECT_TRUE(absl::StartsWith(lines[0], "REQUEST ID  AGE  USER  SERVER")) << out_.str();
  EXPECT_TRUE(absl::StartsWith(lines[1], "obs-1       0s   ana   " + address_ +
                                             "  BatchService/RecordObservation"))
      << out_.str();
  // The request itself, decoded, so a person can tell what it was.
  EXPECT_TRUE(absl::StartsWith(lines[2], "            {\"batch_id\":\"A9999260000018\","
                                         "\"observation\":{\"observation_time\":\""))
      << out_.str();
  EXPECT_TRUE(absl::EndsWith(lines[2], "\"confluence_percent\":40}}")) << out_.str();
  EXPECT_TRUE(absl::StartsWith(lines[3], "obs-2       0s   ben ")) << out_.str();
  // Cut, to keep the listing readable.
  EXPECT_TRUE(absl::EndsWith(lines[4], "xxx...")) << out_.str();
  EXPECT_EQ(lines[4].size(), 12u + 160u) << out_.str();
  EXPECT_TRUE(absl::StrContains(out_.str(), "cpc retry --discard REQUEST_ID")) << out_.str();
}

TEST_F(RetryListingTest, DiscardPrintsTheWholeWriteThenForgetsIt) {
  LeavePending("obs-1", "ana", {"--confluence", "40", "--morphology", std::string(300, 'y')});
  ASSERT_EQ(Cpc({"retry", "--discard", "obs-1"}, /*user=*/"ben"), 0) << err_.str();
  const std::string out = out_.str();
  EXPECT_TRUE(absl::StartsWith(out, "Discarding obs-1: BatchService/RecordObservation saved "
                                    "0s ago ("))
      << out;
  EXPECT_TRUE(absl::StrContains(out, ") by ana for " + address_ +
                                         "\nRequest as saved: {\"batch_id\":\"A9999260000018\""))
      << out;
  EXPECT_TRUE(absl::StrContains(out, std::string(300, 'y'))) << out;
  EXPECT_TRUE(absl::EndsWith(out, "Discarded. If it reached cpcd, it is recorded there: check "
                                  "before entering it again.\n"))
      << out;
  EXPECT_TRUE(PendingFiles().empty());
  EXPECT_EQ(service_.received().size(), 1u);  // never sent again
}

// Answers every observation OK with bytes that are no RecordResponse.
class GarbledBatchService final
    : public cpctrack::v1::BatchService::WithRawCallbackMethod_RecordObservation<
          cpctrack::v1::BatchService::Service> {
 public:
  grpc::ServerUnaryReactor* RecordObservation(grpc::CallbackServerContext* context,
                                              const grpc::ByteBuffer*,
                                              grpc::ByteBuffer* response) override {
    // Field 1, length-delimited, 127 bytes long, of which none follow.
    grpc::Slice garbage(std::string("\x0a\x7f", 2));
    *response = grpc::ByteBuffer(&garbage, 1);
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

class BrokenReplyTest : public CpcAgainstFakeTest {
 protected:
  void SetUp() override { StartServer({&service_}); }
  GarbledBatchService service_;
};

TEST_F(BrokenReplyTest, AnUnreadableReplyIsAnErrorAndTheWriteStaysPending) {
  EXPECT_EQ(Cpc({"--request-id", "obs-1", "batch", "observe", "A9999260000018",
                 "--confluence", "40"}),
            1);
  EXPECT_TRUE(absl::StartsWith(err_.str(), "cpc: INTERNAL: cpcd's answer to "
                                           "/cpctrack.v1.BatchService/RecordObservation "
                                           "cannot be read"))
      << err_.str();
  EXPECT_TRUE(absl::StrContains(err_.str(), "the write may have been recorded")) << err_.str();
  EXPECT_EQ(PendingFiles(), std::vector<std::string>{"obs-1"});

  // So does the retry's (the answer is the same), and the entry stays.
  EXPECT_EQ(Cpc({"retry", "obs-1"}), 1);
  EXPECT_TRUE(absl::StrContains(err_.str(), "INTERNAL: cpcd's answer")) << err_.str();
  EXPECT_EQ(PendingFiles(), std::vector<std::string>{"obs-1"});
}

}  // namespace
}  // namespace cpc
