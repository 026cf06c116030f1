// cpc-bench-noopd: the baseline for the load generator. It serves the same
// BatchService over the same gRPC stack as cpcd, and every method answers at
// once without touching a disk, so the generator's figures against it are
// the ceiling set by gRPC, loopback and the two processes sharing the CPUs.
#include <grpcpp/grpcpp.h>

#include <csignal>
#include <cstdio>
#include <pthread.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "cpctrack/v1/batches.grpc.pb.h"

ABSL_FLAG(int, port, 0, "port to listen on; 0 picks a free port and prints it");

namespace {

namespace v1 = ::cpctrack::v1;

// Every write answers OK with an empty record; CreateBatch names a batch so
// the generator's sequence of calls is the same as against cpcd.
class NoopBatchService final : public v1::BatchService::CallbackService {
 public:
  grpc::ServerUnaryReactor* CreateBatch(grpc::CallbackServerContext* ctx,
                                        const v1::CreateBatchRequest*,
                                        v1::Batch* response) override {
    response->set_batch_id("W123426000001");
    return Done(ctx);
  }
  // cpc-bench-load's readers fetch the batch they created.
  grpc::ServerUnaryReactor* GetBatch(grpc::CallbackServerContext* ctx,
                                     const v1::GetBatchRequest* request,
                                     v1::Batch* response) override {
    response->set_batch_id(request->batch_id());
    return Done(ctx);
  }
  grpc::ServerUnaryReactor* ReceiveTissue(grpc::CallbackServerContext* ctx,
                                          const v1::ReceiveTissueRequest*,
                                          v1::RecordResponse*) override {
    return Done(ctx);
  }
  grpc::ServerUnaryReactor* SeedCulture(grpc::CallbackServerContext* ctx,
                                        const v1::SeedCultureRequest*,
                                        v1::RecordResponse*) override {
    return Done(ctx);
  }
  grpc::ServerUnaryReactor* RecordObservation(grpc::CallbackServerContext* ctx,
                                              const v1::RecordObservationRequest*,
                                              v1::RecordResponse*) override {
    return Done(ctx);
  }
  grpc::ServerUnaryReactor* RecordMediumChange(grpc::CallbackServerContext* ctx,
                                               const v1::RecordMediumChangeRequest*,
                                               v1::RecordResponse*) override {
    return Done(ctx);
  }
  grpc::ServerUnaryReactor* RecordPassage(grpc::CallbackServerContext* ctx,
                                          const v1::RecordPassageRequest*,
                                          v1::RecordResponse*) override {
    return Done(ctx);
  }

 private:
  static grpc::ServerUnaryReactor* Done(grpc::CallbackServerContext* ctx) {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  NoopBatchService service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(absl::StrCat("127.0.0.1:", absl::GetFlag(FLAGS_port)),
                           grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "cpc-bench-noopd: cannot listen\n");
    return 1;
  }
  std::printf("cpc-bench-noopd listening on 127.0.0.1:%d\n", port);
  std::fflush(stdout);
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return 0;
}
