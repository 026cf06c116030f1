// Argon2id off the gRPC threads: password checks (sign-in, signatures) and new
// password hashes run on a few threads the server owns, and the answer comes
// back as a callback there. The pool's size also caps how many hashes run at
// once, and with it the memory they take (64 MiB each at the interactive
// cost): a burst of sign-ins queues here instead of exhausting memory.
#ifndef CPCTRACK_SERVER_PASSWORD_POOL_H_
#define CPCTRACK_SERVER_PASSWORD_POOL_H_

#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/credentials.h"
#include "server/reply.h"

namespace cpctrack::server {

class PasswordPool {
 public:
  // At most `threads` hashes at once (at least one).
  explicit PasswordPool(int threads);
  // Finishes every job queued, then stops.
  ~PasswordPool();
  PasswordPool(const PasswordPool&) = delete;
  PasswordPool& operator=(const PasswordPool&) = delete;

  // Whether `password` matches `hash` (crypto_pwhash_str format); `done`
  // runs on a pool thread.
  void Verify(std::string hash, std::string password, absl::AnyInvocable<void(bool) &&> done);
  // A new Argon2id hash of `password` at `cost`; `done` runs on a pool thread.
  void Hash(std::string password, PasswordHashing cost,
            absl::AnyInvocable<void(absl::StatusOr<std::string>) &&> done);

  // The same as a Reply: `next` gets the answer (on a pool thread) and says
  // what the call answers. `next` must capture copies, not references to a
  // handler's locals (see Reply::Then).
  Reply AfterVerify(std::string hash, std::string password,
                    absl::AnyInvocable<Reply(bool matches) &&> next);
  Reply AfterHash(std::string password, PasswordHashing cost,
                  absl::AnyInvocable<Reply(std::string hash) &&> next);

 private:
  void Run(absl::AnyInvocable<void() &&> job);
  void Work();

  absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> jobs_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_PASSWORD_POOL_H_
