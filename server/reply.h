// What a handler answers: a status now, or work that answers later without
// holding a thread (a queued write, a password hash on the pool). Respond()
// (call_support.h) finishes the call when the answer is known, on whichever
// thread knows it: the handler's, the store's committer or a hashing thread.
#ifndef CPCTRACK_SERVER_REPLY_H_
#define CPCTRACK_SERVER_REPLY_H_

#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"

namespace cpctrack::server {

class Reply {
 public:
  // Receives the answer, exactly once.
  using Done = absl::AnyInvocable<void(absl::Status) &&>;
  // Starts the work; the work calls `done` when it ends.
  using Start = absl::AnyInvocable<void(Done) &&>;
  using Next = absl::AnyInvocable<Reply() &&>;

  // Answered now. Implicit, so a handler's `return status;`, RETURN_IF_ERROR
  // and ASSIGN_OR_RETURN work unchanged.
  Reply(absl::Status status) : status_(std::move(status)) {}  // NOLINT
  Reply(Reply&&) = default;
  Reply& operator=(Reply&&) = default;

  // Answered when `start`'s work calls its `done`.
  static Reply Later(Start start);

  // This work, then, if it succeeded, `next`'s; the first failure answers.
  // `next` runs on the thread that ended this work: what it captures must
  // outlive the call (copies, or the request and response, which live until
  // the call is finished), never references to a handler's locals.
  Reply Then(Next next) &&;

  // Hands the answer to `done`: now, or when the work ends.
  void Deliver(Done done) &&;

 private:
  absl::Status status_;
  Start start_;  // empty when answered now
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_REPLY_H_
