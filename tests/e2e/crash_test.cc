// cpcd killed with SIGKILL at random moments while clients write: every
// acknowledged write survives, a retry with the same request ID never writes
// twice, and the database file and its audit chain stay sound.
#include <gmock/gmock.h>

#include <atomic>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "tests/e2e/api_fixture.h"

namespace cpctrack::testing {
namespace {

constexpr int kCrashes = 20;
constexpr int kWriters = 8;

class CrashTest : public ApiTest {};

// One client: its writes in order, each sent until acknowledged; the one in
// flight when cpcd dies is resent after the restart with its request ID.
struct Writer {
  std::vector<v1::RecordObservationRequest> acknowledged;
  std::vector<int64_t> record_ids;  // what each acknowledgement named
  std::optional<v1::RecordObservationRequest> in_flight;
  int sent = 0;
  std::string unexpected;  // an error other than "cpcd is gone"
};

TEST_F(CrashTest, AcknowledgedWritesSurviveSigkillUnderConcurrentLoad) {
  RegisterBasics();
  const std::vector<std::string> batch_ids = {BatchInCulture(), BatchInCulture()};
  Disconnect();
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE(absl::StrCat("seed ", seed));
  std::mt19937 rng(seed);
  std::vector<Writer> writers(kWriters);

  // Sends `w`'s writes until cpcd stops answering or `stop` is set; with
  // `finish_only`, only the one in flight.
  auto write = [&](int w, const std::atomic<bool>& stop, bool finish_only) {
    Writer& writer = writers[w];
    auto channel = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    auto stub = v1::BatchService::NewStub(channel);
    while (!stop) {
      if (!writer.in_flight) {
        if (finish_only) return;
        v1::RecordObservationRequest request;
        request.set_request_id(NewRequestId());
        request.set_batch_id(batch_ids[(w + writer.sent) % batch_ids.size()]);
        v1::Observation* o = request.mutable_observation();
        *o->mutable_observation_time() = Ts(now_ - absl::Hours(19) + absl::Seconds(writer.sent));
        o->set_confluence_percent(writer.sent % 100);
        o->set_morphology(absl::StrCat("writer ", w, " write ", writer.sent));  // unique
        writer.in_flight = request;
        ++writer.sent;
      }
      v1::RecordResponse response;
      auto ctx = Context();
      ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
      const grpc::Status status = stub->RecordObservation(ctx.get(), *writer.in_flight, &response);
      if (!status.ok()) {
        if (status.error_code() != grpc::StatusCode::UNAVAILABLE &&
            status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED &&
            status.error_code() != grpc::StatusCode::CANCELLED && writer.unexpected.empty()) {
          writer.unexpected = absl::StrCat(status.error_code(), " ", status.error_message());
        }
        return;  // fate unknown: resent after the restart
      }
      writer.acknowledged.push_back(*writer.in_flight);
      writer.record_ids.push_back(response.record().record_id());
      writer.in_flight.reset();
    }
  };

  for (int crash = 0; crash < kCrashes; ++crash) {
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) threads.emplace_back(write, w, std::cref(stop), false);
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(20, 250)(rng)));
    server_->Kill();
    stop = true;
    for (std::thread& t : threads) t.join();
    server_->Restart();
  }
  // Finish what was in flight at the last crash, with the same request IDs.
  const std::atomic<bool> never{false};
  for (int w = 0; w < kWriters; ++w) {
    write(w, never, true);
    EXPECT_FALSE(writers[w].in_flight.has_value()) << "writer " << w << " could not finish";
  }

  Connect();
  std::map<std::string, int> seen;  // morphology -> how many records carry it
  std::map<int64_t, std::string> by_record_id;
  int64_t records = 0;
  for (const std::string& id : batch_ids) {
    const v1::Batch batch = Get(id);
    for (const v1::BatchRecord& r : batch.records()) {
      if (!r.has_observation()) continue;
      ++seen[r.observation().morphology()];
      by_record_id[r.record_id()] = r.observation().morphology();
      ++records;
    }
  }
  int64_t acknowledged = 0;
  for (int w = 0; w < kWriters; ++w) {
    const Writer& writer = writers[w];
    EXPECT_EQ(writer.unexpected, "") << "writer " << w;
    for (size_t i = 0; i < writer.acknowledged.size(); ++i) {
      const std::string& tag = writer.acknowledged[i].observation().morphology();
      EXPECT_EQ(seen[tag], 1) << tag << " is recorded " << seen[tag] << " times";
      EXPECT_EQ(by_record_id[writer.record_ids[i]], tag) << "record " << writer.record_ids[i];
      ++acknowledged;
    }
  }
  // Nothing was written that no client asked for (each unacknowledged write
  // was resent until acknowledged, so every record is an acknowledged one).
  EXPECT_EQ(records, acknowledged);
  EXPECT_GT(acknowledged, kCrashes) << "the writers barely wrote; the test proved little";
  Disconnect();
  ASSERT_EQ(server_->Stop(), 0) << server_->Log();
  server_.reset();
  EXPECT_EQ(IntegrityCheck(db_path()), "ok");
  // The audit trail's hash chain survived every kill unbroken.
  const CliResult verified = RunProgram({CPCD_PATH, "verify-audit", "--db", db_path()}, {}, "");
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_THAT(verified.out, ::testing::Not(::testing::HasSubstr("BROKEN")));
}

}  // namespace
}  // namespace cpctrack::testing
