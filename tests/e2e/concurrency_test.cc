// Several clients writing to the same batch at once through the real cpcd.
#include <set>
#include <thread>

#include "tests/e2e/api_fixture.h"

namespace cpctrack::testing {
namespace {

class ConcurrencyTest : public ApiTest {};

TEST_F(ConcurrencyTest, ConcurrentWritersAreAllRecordedOnceAndNoneIsRefused) {
  RegisterBasics();
  const std::string id = CreateBatch();
  Receive(id);
  Seed(id, now_ - absl::Hours(20));

  constexpr int kClients = 8;
  constexpr int kWritesEach = 15;
  std::vector<std::vector<std::string>> request_ids(kClients);
  std::vector<std::string> failures[kClients];
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      // Each client has its own channel, as separate bench PCs would.
      auto channel = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
      auto stub = v1::BatchService::NewStub(channel);
      for (int i = 0; i < kWritesEach; ++i) {
        v1::RecordObservationRequest request;
        request.set_request_id(NewRequestId());
        request.set_batch_id(id);
        *request.mutable_observation()->mutable_observation_time() =
            Ts(now_ - absl::Minutes(60 - i));
        request.mutable_observation()->set_confluence_percent(c * 10 + i % 10);
        v1::RecordResponse response;
        grpc::Status status = stub->RecordObservation(Context().get(), request, &response);
        // A retry of every write with the same ID must change nothing.
        if (status.ok()) status = stub->RecordObservation(Context().get(), request, &response);
        if (!status.ok()) failures[c].push_back(status.error_message());
        request_ids[c].push_back(request.request_id());
      }
    });
  }
  for (std::thread& t : clients) t.join();
  for (int c = 0; c < kClients; ++c) EXPECT_TRUE(failures[c].empty()) << failures[c][0];

  const v1::Batch batch = Get(id);
  EXPECT_EQ(batch.records_size(), 2 + kClients * kWritesEach);
  std::set<int64_t> ids;
  for (const v1::BatchRecord& r : batch.records()) ids.insert(r.record_id());
  EXPECT_EQ(ids.size(), static_cast<size_t>(batch.records_size())) << "record IDs are unique";
}

}  // namespace
}  // namespace cpctrack::testing
