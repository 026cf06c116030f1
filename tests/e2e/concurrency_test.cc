// Several clients writing to the same batch at once through the real cpcd.
#include <algorithm>
#include <mutex>
#include <set>
#include <thread>
#include <variant>

#include "absl/strings/str_cat.h"

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

// A write one client sent, and the record ID its acknowledgement named.
struct Acknowledged {
  int64_t record_id = 0;
  std::variant<v1::RecordObservationRequest, v1::RecordMediumChangeRequest,
               v1::RecordPassageRequest>
      request;
};

grpc::Status Send(v1::BatchService::Stub& stub, grpc::ClientContext* ctx,
                  const Acknowledged& write, v1::RecordResponse* response) {
  return std::visit(
      [&](const auto& r) -> grpc::Status {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, v1::RecordObservationRequest>) {
          return stub.RecordObservation(ctx, r, response);
        } else if constexpr (std::is_same_v<T, v1::RecordMediumChangeRequest>) {
          return stub.RecordMediumChange(ctx, r, response);
        } else {
          return stub.RecordPassage(ctx, r, response);
        }
      },
      write.request);
}

// What a batch's history amounts to, without the server's clock: the data
// of each record in order, state, passage, growth and deviations.
std::string Outcome(const v1::Batch& batch) {
  std::string out = absl::StrCat("state ", batch.state(), " passage ", batch.current_passage(),
                                 " open deviations ", batch.open_deviation_count(), "\n");
  for (const v1::BatchRecord& r : batch.records()) {
    v1::BatchRecord data = r;
    data.clear_record_time();
    absl::StrAppend(&out, data.ShortDebugString(), "\n");
  }
  absl::StrAppend(&out, batch.growth().ShortDebugString(), "\n");
  for (const v1::Deviation& d : batch.deviations()) {
    absl::StrAppend(&out, d.description(), " record ", d.record_id(), "\n");
  }
  return out;
}

TEST_F(ConcurrencyTest, ThirtyTwoClientsEndWhereTheSerialOrderOfTheirAcknowledgedWritesEnds) {
  RegisterBasics();
  const std::vector<std::string> ids = {BatchInCulture(), BatchInCulture()};
  const absl::Time seeded = now_ - absl::Hours(20);

  constexpr int kClients = 32;
  constexpr int kWritesEach = 6;
  std::mutex mu;
  std::vector<Acknowledged> acknowledged;
  std::vector<std::string> errors;
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      auto channel = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
      auto stub = v1::BatchService::NewStub(channel);
      for (int i = 0; i < kWritesEach; ++i) {
        Acknowledged write;
        const std::string& batch_id = ids[(c + i) % ids.size()];
        // Passage times race: one that lands after a later-timed passage is
        // refused, as it would be in that serial order.
        const absl::Time t = seeded + absl::Minutes(10 + c * kWritesEach + i);
        if (i % 3 == 2) {
          v1::RecordPassageRequest r;
          r.set_request_id(NewRequestId());
          r.set_batch_id(batch_id);
          *r.mutable_passage() = PassageAt(t, 8'000'000, 2'000'000);
          write.request = r;
        } else if (i % 3 == 1) {
          v1::RecordMediumChangeRequest r;
          r.set_request_id(NewRequestId());
          r.set_batch_id(batch_id);
          *r.mutable_medium_change()->mutable_change_time() = Ts(t);
          r.mutable_medium_change()->set_medium_lot("MED-1");
          write.request = r;
        } else {
          v1::RecordObservationRequest r;
          r.set_request_id(NewRequestId());
          r.set_batch_id(batch_id);
          *r.mutable_observation()->mutable_observation_time() = Ts(t);
          r.mutable_observation()->set_confluence_percent(c + i);
          write.request = r;
        }
        v1::RecordResponse response;
        const grpc::Status status = Send(*stub, Context().get(), write, &response);
        std::lock_guard<std::mutex> lock(mu);
        if (status.ok()) {
          write.record_id = response.record().record_id();
          acknowledged.push_back(std::move(write));
        } else if (status.error_code() != grpc::StatusCode::INVALID_ARGUMENT) {
          errors.push_back(absl::StrCat(status.error_code(), " ", status.error_message()));
        }
      }
    });
  }
  for (std::thread& t : clients) t.join();
  // No SQLITE_BUSY, lock or other server trouble reached a client: the only
  // refusals are the domain's (a passage out of time order).
  EXPECT_TRUE(errors.empty()) << errors.size() << " errors, first: " << errors[0];
  ASSERT_GT(acknowledged.size(), kClients * kWritesEach / 2);
  std::vector<std::string> concurrent;
  for (const std::string& id : ids) concurrent.push_back(Outcome(Get(id)));

  // The same acknowledged writes, one at a time in commit order, on a fresh
  // server set up the same way (so the batch IDs are the same).
  std::sort(acknowledged.begin(), acknowledged.end(),
            [](const Acknowledged& a, const Acknowledged& b) { return a.record_id < b.record_id; });
  Disconnect();
  ASSERT_EQ(server_->Stop(), 0);
  dir_ = std::make_unique<TempDir>();
  server_ = std::make_unique<ServerProcess>(db_path());
  tokens_.clear();  // sessions of the first server mean nothing to this one
  Connect();
  RegisterBasics();
  ASSERT_EQ(BatchInCulture(), ids[0]);
  ASSERT_EQ(BatchInCulture(), ids[1]);
  for (const Acknowledged& write : acknowledged) {
    v1::RecordResponse response;
    const grpc::Status status = Send(*batches_, Context().get(), write, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.record().record_id(), write.record_id);
  }
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(Outcome(Get(ids[i])), concurrent[i]);
}

}  // namespace
}  // namespace cpctrack::testing
