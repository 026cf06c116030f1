// cpcd stopped (SIGTERM) while clients write: every write in flight is
// answered, either committed and acknowledged or refused; none is lost (an
// acknowledged write is on disk) and none is written unanswered.
#include <gmock/gmock.h>

#include <atomic>
#include <map>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "tests/e2e/api_fixture.h"

namespace cpctrack::testing {
namespace {

constexpr int kWriters = 16;

class ShutdownTest : public ApiTest {};

struct Writer {
  std::vector<std::string> acknowledged;  // morphology tags
  std::optional<v1::RecordObservationRequest> unknown;  // fate not told
  std::string unexpected;
  int refused = 0;
};

TEST_F(ShutdownTest, WritesInFlightAtShutdownAreAnsweredAndNoneIsLost) {
  RegisterBasics();
  const std::string batch_id = BatchInCulture();
  Disconnect();
  std::vector<Writer> writers(kWriters);
  std::atomic<int> acknowledged{0};
  auto write = [&](int w) {
    Writer& writer = writers[w];
    auto channel = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    auto stub = v1::BatchService::NewStub(channel);
    for (int sent = 0;; ++sent) {
      v1::RecordObservationRequest request;
      request.set_request_id(NewRequestId());
      request.set_batch_id(batch_id);
      v1::Observation* o = request.mutable_observation();
      *o->mutable_observation_time() = Ts(now_ - absl::Hours(19) + absl::Seconds(sent));
      o->set_confluence_percent(sent % 100);
      o->set_morphology(absl::StrCat("writer ", w, " write ", sent));  // unique
      v1::RecordResponse response;
      auto ctx = Context();
      ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
      const grpc::Status status = stub->RecordObservation(ctx.get(), request, &response);
      if (status.ok()) {
        writer.acknowledged.push_back(o->morphology());
        ++acknowledged;
        continue;
      }
      if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
        ++writer.refused;  // cpcd is stopping or gone: not written
      } else if (status.error_code() == grpc::StatusCode::CANCELLED) {
        writer.unknown = request;  // cut off by the shutdown deadline: resent below
      } else {
        writer.unexpected = absl::StrCat(status.error_code(), " ", status.error_message());
      }
      return;
    }
  };
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) threads.emplace_back(write, w);
  // Stop while the writers are busy (not a timed assertion: only a start).
  while (acknowledged < 2 * kWriters) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(server_->Stop(), 0) << server_->Log();
  for (std::thread& t : threads) t.join();

  server_->Restart();
  // A write cut off without an answer is resent with its request ID: the
  // stored answer if it was written, else it is written now.
  int resent = 0;
  {
    auto channel = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    auto stub = v1::BatchService::NewStub(channel);
    for (Writer& writer : writers) {
      if (!writer.unknown) continue;
      v1::RecordResponse response;
      auto ctx = Context();
      const grpc::Status status = stub->RecordObservation(ctx.get(), *writer.unknown, &response);
      ASSERT_TRUE(status.ok()) << status.error_message();
      writer.acknowledged.push_back(writer.unknown->observation().morphology());
      ++resent;
    }
  }
  Connect();
  std::map<std::string, int> seen;
  int records = 0;
  const v1::Batch batch = Get(batch_id);
  for (const v1::BatchRecord& r : batch.records()) {
    if (!r.has_observation()) continue;
    ++seen[r.observation().morphology()];
    ++records;
  }
  int answered = 0;
  for (int w = 0; w < kWriters; ++w) {
    const Writer& writer = writers[w];
    EXPECT_EQ(writer.unexpected, "") << "writer " << w;
    // Each writer's last call ended with an answer: refused, or cut off and resent.
    EXPECT_EQ(writer.refused + (writer.unknown ? 1 : 0), 1) << "writer " << w;
    for (const std::string& tag : writer.acknowledged) {
      EXPECT_EQ(seen[tag], 1) << tag << " is recorded " << seen[tag] << " times";
      ++answered;
    }
  }
  // Nothing was written that was not acknowledged.
  EXPECT_EQ(records, answered);
  RecordProperty("acknowledged", answered);
  RecordProperty("resent", resent);
}

}  // namespace
}  // namespace cpctrack::testing
