#include "server/reply.h"

namespace cpctrack::server {

Reply Reply::Later(Start start) {
  Reply reply(absl::OkStatus());
  reply.start_ = std::move(start);
  return reply;
}

Reply Reply::Then(Next next) && {
  if (!start_) {
    if (!status_.ok()) return std::move(*this);
    return std::move(next)();
  }
  return Later([first = std::move(*this), next = std::move(next)](Done done) mutable {
    std::move(first).Deliver([next = std::move(next), done = std::move(done)](
                                 absl::Status status) mutable {
      if (!status.ok()) return std::move(done)(std::move(status));
      std::move(next)().Deliver(std::move(done));
    });
  });
}

void Reply::Deliver(Done done) && {
  if (!start_) return std::move(done)(std::move(status_));
  std::move(start_)(std::move(done));
}

}  // namespace cpctrack::server
