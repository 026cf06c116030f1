// Store::WriteOnce: a client's retry gets the first answer, never a second
// write.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/store.h"
#include "tests/store/test_db.h"

namespace cpctrack::store {
namespace {

using ::testing::HasSubstr;
using testing::RawConnection;
using testing::SamplePatient;
using testing::StoreTest;
using testing::T;

class IdempotencyTest : public StoreTest {
 protected:
  // Registers a patient and answers with bytes that include NUL, counting
  // how often it ran.
  absl::StatusOr<std::string> CreatePatient(absl::string_view request_id,
                                            absl::string_view fingerprint,
                                            absl::string_view patient_id) {
    return store_->WriteOnce(
        request_id, "CreatePatient", fingerprint,
        [&](Transaction& tx) -> absl::StatusOr<std::string> {
          ++runs_;
          if (absl::Status s = tx.InsertPatient(SamplePatient(patient_id)); !s.ok()) return s;
          return std::string("created\0", 8) + std::string(patient_id) + "#" +
                 std::to_string(runs_);
        });
  }

  int64_t Count(const std::string& table) {
    RawConnection raw(db_path_);
    return raw.QueryInt("SELECT count(*) FROM " + table);
  }

  int runs_ = 0;
};

TEST_F(IdempotencyTest, FirstCallRunsAndStoresTheAnswer) {
  absl::StatusOr<std::string> answer = CreatePatient("req-1", "fp-A", "P-1");
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(*answer, std::string("created\0P-1#1", 13));
  EXPECT_EQ(runs_, 1);
  EXPECT_EQ(Count("patients"), 1);
  CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<StoredResponse>> stored = tx.FindRequest("req-1");
    if (!stored.ok()) return stored.status();
    EXPECT_TRUE(stored->has_value());
    if (stored->has_value()) {
      EXPECT_EQ((*stored)->fingerprint, "fp-A");
      EXPECT_EQ((*stored)->response, *answer);
    }
    return absl::OkStatus();
  }));
}

TEST_F(IdempotencyTest, RetryReturnsTheStoredAnswerWithoutRunningAgain) {
  absl::StatusOr<std::string> first = CreatePatient("req-1", "fp-A", "P-1");
  ASSERT_TRUE(first.ok()) << first.status();
  // The retry would fail with AlreadyExists if the function ran again.
  absl::StatusOr<std::string> retry = CreatePatient("req-1", "fp-A", "P-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(*retry, *first);
  EXPECT_EQ(runs_, 1);
  EXPECT_EQ(Count("patients"), 1);
  EXPECT_EQ(Count("requests"), 1);
}

TEST_F(IdempotencyTest, RetryAfterReopenStillReturnsTheStoredAnswer) {
  absl::StatusOr<std::string> first = CreatePatient("req-1", "fp-A", "P-1");
  ASSERT_TRUE(first.ok()) << first.status();
  CPC_ASSERT_OK(Reopen());
  absl::StatusOr<std::string> retry = CreatePatient("req-1", "fp-A", "P-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(*retry, *first);
  EXPECT_EQ(runs_, 1);
}

TEST_F(IdempotencyTest, SameIdWithAnotherFingerprintIsInvalidArgument) {
  ASSERT_TRUE(CreatePatient("req-1", "fp-A", "P-1").ok());
  absl::StatusOr<std::string> reuse = CreatePatient("req-1", "fp-B", "P-2");
  ASSERT_FALSE(reuse.ok());
  EXPECT_EQ(reuse.status().code(), absl::StatusCode::kInvalidArgument) << reuse.status();
  EXPECT_THAT(reuse.status().message(), HasSubstr("req-1"));
  EXPECT_EQ(runs_, 1);
  EXPECT_EQ(Count("patients"), 1);  // P-2 was not written
}

TEST_F(IdempotencyTest, DifferentIdsRunIndependently) {
  ASSERT_TRUE(CreatePatient("req-1", "fp-A", "P-1").ok());
  ASSERT_TRUE(CreatePatient("req-2", "fp-A", "P-2").ok());
  EXPECT_EQ(runs_, 2);
  EXPECT_EQ(Count("patients"), 2);
  EXPECT_EQ(Count("requests"), 2);
}

TEST_F(IdempotencyTest, FailureStoresNothingSoARetryRunsAgain) {
  int attempts = 0;
  auto flaky = [&](Transaction& tx) -> absl::StatusOr<std::string> {
    ++attempts;
    if (absl::Status s = tx.InsertPatient(SamplePatient("P-9")); !s.ok()) return s;
    if (attempts == 1) return absl::UnavailableError("counter offline");
    return std::string("ok");
  };
  absl::StatusOr<std::string> first = store_->WriteOnce("req-9", "CreatePatient", "fp", flaky);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Count("requests"), 0);
  EXPECT_EQ(Count("patients"), 0);  // the insert before the failure was rolled back

  absl::StatusOr<std::string> retry = store_->WriteOnce("req-9", "CreatePatient", "fp", flaky);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(*retry, "ok");
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(Count("patients"), 1);
  EXPECT_EQ(Count("requests"), 1);
}

TEST_F(IdempotencyTest, ARefusalIsNotRememberedEither) {
  MustWrite([](Transaction& tx) { return tx.InsertPatient(SamplePatient("P-1")); });
  absl::StatusOr<std::string> dup = CreatePatient("req-1", "fp-A", "P-1");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Count("requests"), 0);
  // The same request ID may be used for a corrected request afterwards.
  absl::StatusOr<std::string> fixed = CreatePatient("req-1", "fp-B", "P-2");
  EXPECT_TRUE(fixed.ok()) << fixed.status();
}

}  // namespace
}  // namespace cpctrack::store
