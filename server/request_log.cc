#include "server/request_log.h"

#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "domain/audit.h"
#include "domain/text.h"
#include "server/metrics.h"
#include "server/call_support.h"

namespace cpctrack::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

class RequestLog : public grpc::experimental::Interceptor {
 public:
  RequestLog(grpc::experimental::ServerRpcInfo* info, LogFormat format)
      : method_(info->method()), start_(absl::Now()), format_(format) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      // The authenticated user, as Respond() found it; not sent on.
      auto* trailers = methods->GetSendTrailingMetadata();
      if (auto it = trailers->find(kUserTrailerKey); it != trailers->end()) {
        user_ = it->second;
        trailers->erase(it);
      }
      const grpc::Status status = methods->GetSendStatus();
      const absl::Time now = absl::Now();
      // grpc::StatusCode and absl::StatusCode share their numbering.
      const auto code = static_cast<absl::StatusCode>(status.error_code());
      ProcessMetrics().RecordRequest(method_, absl::StatusCodeToString(code), now - start_);
      const std::string time = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", now, absl::UTCTimeZone());
      // One write per line so concurrent RPCs never interleave within a line.
      std::string line =
          format_ == LogFormat::kJson
              ? absl::StrCat(domain::JsonObject()
                                 .Add("time", time)
                                 .Add("method", method_)
                                 .Add("user", user_)
                                 .Add("code", absl::StatusCodeToString(code))
                                 .Add("duration_ms", absl::ToDoubleMilliseconds(now - start_))
                                 .Add("message", status.error_message())
                                 .Build(),
                             "\n")
              : absl::StrFormat(
                    "%s %s user=%s %s %.1fms%s%s\n", time, method_,
                    user_.empty() ? "-" : domain::EscapeUnprintable(user_),
                    absl::StatusCodeToString(code), absl::ToDoubleMilliseconds(now - start_),
                    status.ok() ? "" : " ", domain::EscapeUnprintable(status.error_message()));
      std::fwrite(line.data(), 1, line.size(), stderr);
    }
    methods->Proceed();
  }

 private:
  std::string method_;
  std::string user_;
  absl::Time start_;
  LogFormat format_;
};

}  // namespace

grpc::experimental::Interceptor* RequestLogFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RequestLog(info, format_);
}

}  // namespace cpctrack::server
