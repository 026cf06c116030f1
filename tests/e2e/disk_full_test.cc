// The database file cannot grow (a file-size limit on cpcd: EFBIG, as a full
// disk gives ENOSPC; chmod would not stop root): writes fail with a clear
// UNAVAILABLE or RESOURCE_EXHAUSTED, reads go on, nothing acknowledged is lost.
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "tests/e2e/api_fixture.h"

namespace cpctrack::testing {
namespace {

// Room for a few commits in the write-ahead log, not for hundreds.
constexpr int64_t kHeadroomBytes = 256 * 1024;

class DiskFullTest : public ApiTest {
 protected:
  v1::RecordObservationRequest Observation(const std::string& batch_id, int n) {
    v1::RecordObservationRequest request;
    request.set_request_id(NewRequestId());
    request.set_batch_id(batch_id);
    *request.mutable_observation()->mutable_observation_time() =
        Ts(now_ - absl::Hours(19) + absl::Seconds(n));
    request.mutable_observation()->set_confluence_percent(n % 100);
    request.mutable_observation()->set_morphology(absl::StrCat("observation ", n));
    return request;
  }

  grpc::Status Write(const v1::RecordObservationRequest& request) {
    v1::RecordResponse response;
    return batches_->RecordObservation(Context().get(), request, &response);
  }
};

TEST_F(DiskFullTest, WritesFailClearlyReadsGoOnAndNothingAcknowledgedIsLost) {
  RegisterBasics();
  const std::string id = BatchInCulture();
  // A clean stop folds the write-ahead log into the file; then only a few
  // commits fit under the limit.
  Disconnect();
  ASSERT_EQ(server_->Stop(), 0) << server_->Log();
  const auto size = static_cast<int64_t>(std::filesystem::file_size(db_path()));
  ProcessOptions limited;
  limited.file_size_limit_bytes = size + kHeadroomBytes;
  server_->Restart(limited);
  Connect();

  int acknowledged = 0;
  grpc::Status refused;
  v1::RecordObservationRequest refused_request;
  for (int n = 0; n < 1000 && refused.ok(); ++n) {
    refused_request = Observation(id, n);
    refused = Write(refused_request);
    if (refused.ok()) ++acknowledged;
  }
  ASSERT_FALSE(refused.ok()) << "1000 writes fitted in " << kHeadroomBytes << " bytes";
  EXPECT_TRUE(refused.error_code() == grpc::StatusCode::UNAVAILABLE ||
              refused.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED)
      << refused.error_code() << " " << refused.error_message();
  EXPECT_NE(refused.error_message().find("database"), std::string::npos)
      << refused.error_message();

  // cpcd keeps serving reads, with every acknowledged write, and keeps
  // refusing writes the same way rather than dying.
  EXPECT_EQ(Get(id).records_size(), 2 + acknowledged);
  EXPECT_EQ(Write(Observation(id, 5000)).error_code(), refused.error_code());
  v1::ListBatchesRequest list;
  v1::ListBatchesResponse batches;
  ASSERT_TRUE(batches_->ListBatches(Context().get(), list, &batches).ok());
  EXPECT_EQ(batches.batches_size(), 1);

  // Room again: everything acknowledged is there, and the refused write can
  // be retried with its request ID.
  Disconnect();
  server_->Stop();
  server_->Restart(ProcessOptions{});
  Connect();
  EXPECT_EQ(Get(id).records_size(), 2 + acknowledged);
  ASSERT_TRUE(Write(refused_request).ok());
  ASSERT_TRUE(Write(refused_request).ok());
  EXPECT_EQ(Get(id).records_size(), 3 + acknowledged);
  Disconnect();
  ASSERT_EQ(server_->Stop(), 0) << server_->Log();
  server_.reset();
  EXPECT_EQ(IntegrityCheck(db_path()), "ok");
}

}  // namespace
}  // namespace cpctrack::testing
