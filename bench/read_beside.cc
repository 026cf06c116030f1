#include "bench/read_beside.h"

#include <chrono>
#include <memory>
#include <random>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cpctrack/v1/batches.grpc.pb.h"

namespace cpctrack::bench {
namespace {

namespace v1 = ::cpctrack::v1;

std::unique_ptr<grpc::ClientContext> Context(const std::string& token) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) ctx->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return ctx;
}

}  // namespace

ClientResult RunReader(const std::string& address, const std::string& token,
                       absl::Duration interval, absl::Time until) {
  // Its own connection, as the writers have.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto stub = v1::BatchService::NewStub(
      grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args));
  ClientResult result;
  v1::CreateBatchRequest create;
  create.set_request_id(absl::StrCat("bench-reader-", absl::ToUnixNanos(absl::Now())));
  create.set_patient_id("P-BENCH");  // RegisterReferenceData's
  create.set_product_code("ADSC-STD");
  v1::Batch batch;
  const grpc::Status created = stub->CreateBatch(Context(token).get(), create, &batch);
  if (!created.ok()) {
    result.errors = 1;
    result.first_error = absl::StrCat("CreateBatch: ", created.error_message());
    return result;
  }
  v1::GetBatchRequest request;
  request.set_batch_id(batch.batch_id());
  request.set_view(v1::BATCH_VIEW_BASIC);
  std::mt19937_64 rng(absl::ToUnixNanos(absl::Now()));
  std::exponential_distribution<double> gap(1.0 / absl::ToDoubleMicroseconds(interval));
  for (absl::Time next = absl::Now(); next < until; next += absl::Microseconds(gap(rng))) {
    absl::SleepFor(next - absl::Now());
    const absl::Time start = absl::Now();
    v1::Batch response;
    const grpc::Status status = stub->GetBatch(Context(token).get(), request, &response);
    if (status.ok()) {
      result.latencies_us.push_back(absl::ToInt64Microseconds(absl::Now() - start));
    } else if (result.errors++ == 0) {
      result.first_error = absl::StrCat("GetBatch: ", status.error_message());
    }
  }
  return result;
}

}  // namespace cpctrack::bench
