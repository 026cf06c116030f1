#include "server/password_pool.h"

#include <algorithm>
#include <utility>

namespace cpctrack::server {

PasswordPool::PasswordPool(int threads) {
  for (int i = 0; i < std::max(threads, 1); ++i) threads_.emplace_back([this] { Work(); });
}

PasswordPool::~PasswordPool() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& t : threads_) t.join();
}

void PasswordPool::Run(absl::AnyInvocable<void() &&> job) {
  absl::MutexLock lock(&mu_);
  jobs_.push_back(std::move(job));
}

void PasswordPool::Work() {
  for (;;) {
    absl::AnyInvocable<void() &&> job;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](PasswordPool* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) {
            return !p->jobs_.empty() || p->stopping_;
          },
          this));
      if (jobs_.empty()) return;  // stopping, and nothing is left
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    std::move(job)();
  }
}

void PasswordPool::Verify(std::string hash, std::string password,
                          absl::AnyInvocable<void(bool) &&> done) {
  Run([hash = std::move(hash), password = std::move(password),
       done = std::move(done)]() mutable {
    const bool matches = PasswordMatches(hash, password);
    std::move(done)(matches);
  });
}

void PasswordPool::Hash(std::string password, PasswordHashing cost,
                        absl::AnyInvocable<void(absl::StatusOr<std::string>) &&> done) {
  Run([password = std::move(password), cost, done = std::move(done)]() mutable {
    std::move(done)(HashPassword(password, cost));
  });
}

Reply PasswordPool::AfterVerify(std::string hash, std::string password,
                                absl::AnyInvocable<Reply(bool matches) &&> next) {
  return Reply::Later([this, hash = std::move(hash), password = std::move(password),
                       next = std::move(next)](Reply::Done done) mutable {
    Verify(std::move(hash), std::move(password),
           [next = std::move(next), done = std::move(done)](bool matches) mutable {
             std::move(next)(matches).Deliver(std::move(done));
           });
  });
}

Reply PasswordPool::AfterHash(std::string password, PasswordHashing cost,
                              absl::AnyInvocable<Reply(std::string hash) &&> next) {
  return Reply::Later([this, password = std::move(password), cost,
                       next = std::move(next)](Reply::Done done) mutable {
    Hash(std::move(password), cost,
         [next = std::move(next), done = std::move(done)](
             absl::StatusOr<std::string> hash) mutable {
           if (!hash.ok()) return std::move(done)(hash.status());
           std::move(next)(*std::move(hash)).Deliver(std::move(done));
         });
  });
}

}  // namespace cpctrack::server
