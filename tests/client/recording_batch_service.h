#ifndef CPCTRACK_TESTS_CLIENT_RECORDING_BATCH_SERVICE_H_
#define CPCTRACK_TESTS_CLIENT_RECORDING_BATCH_SERVICE_H_

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/time/clock.h"
#include "cpctrack/v1/batches.grpc.pb.h"
#include "tests/client/session_metadata.h"

namespace cpc {

// Records every observation it receives and answers each as the test said
// beforehand. Nothing depends on how fast the machine is: a held call is
// answered only once cpc has given up on it, and every other call at once.
class RecordingBatchService final : public cpctrack::v1::BatchService::Service {
 public:
  enum class Answer {
    kRecord,      // record it and answer OK
    kHold,        // never answer: cpc's deadline expires
    kUnavailable  // cpcd itself says UNAVAILABLE, so the write's fate is unknown
  };

  // The next calls get these answers, in order; calls after them are recorded.
  void Then(std::vector<Answer> answers) {
    std::lock_guard<std::mutex> lock(mutex_);
    answers_.insert(answers_.end(), answers.begin(), answers.end());
  }
  // Every call (after those given to Then) is refused with `status`.
  void Refuse(grpc::Status status) {
    std::lock_guard<std::mutex> lock(mutex_);
    refusal_ = std::move(status);
  }

  grpc::Status RecordObservation(grpc::ServerContext* context,
                                 const cpctrack::v1::RecordObservationRequest* request,
                                 cpctrack::v1::RecordResponse* response) override {
    Answer answer = Answer::kRecord;
    grpc::Status refusal;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      received_.push_back(*request);
      users_.push_back(FirstUser(*context));
      if (!answers_.empty()) {
        answer = answers_.front();
        answers_.pop_front();
      }
      refusal = refusal_;
    }
    switch (answer) {
      case Answer::kHold: {
        // Until the client's deadline cancels the call; bounded so that a
        // broken test cannot hang.
        const absl::Time give_up = absl::Now() + absl::Seconds(30);
        while (!context->IsCancelled() && absl::Now() < give_up) {
          absl::SleepFor(absl::Milliseconds(10));
        }
        return grpc::Status(grpc::StatusCode::CANCELLED, "held");
      }
      case Answer::kUnavailable:
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, "cpcd is shutting down");
      case Answer::kRecord:
        break;
    }
    if (!refusal.ok()) return refusal;
    response->mutable_batch()->set_batch_id(request->batch_id());
    response->mutable_record()->set_record_id(5);
    *response->mutable_record()->mutable_observation() = request->observation();
    return grpc::Status::OK;
  }

  std::vector<cpctrack::v1::RecordObservationRequest> received() {
    std::lock_guard<std::mutex> lock(mutex_);
    return received_;
  }
  std::vector<std::string> users() {
    std::lock_guard<std::mutex> lock(mutex_);
    return users_;
  }

 private:
  static std::string FirstUser(const grpc::ServerContext& context) {
    return SessionUser(context, "");
  }

  std::mutex mutex_;
  std::deque<Answer> answers_;
  grpc::Status refusal_ = grpc::Status::OK;
  std::vector<cpctrack::v1::RecordObservationRequest> received_;
  std::vector<std::string> users_;
};

}  // namespace cpc

#endif  // CPCTRACK_TESTS_CLIENT_RECORDING_BATCH_SERVICE_H_
