// Transaction: patients.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/store.h"
#include "tests/store/test_db.h"

namespace cpctrack::store {
namespace {

using ::testing::HasSubstr;
using testing::SamplePatient;
using testing::StoreTest;
using testing::T;

void ExpectSamePatient(const domain::Patient& got, const domain::Patient& want) {
  EXPECT_EQ(got.patient_id, want.patient_id);
  EXPECT_EQ(got.body_weight_kg, want.body_weight_kg);
  EXPECT_EQ(got.screening.hbv, want.screening.hbv);
  EXPECT_EQ(got.screening.hcv, want.screening.hcv);
  EXPECT_EQ(got.screening.hiv, want.screening.hiv);
  EXPECT_EQ(got.screening.htlv1, want.screening.htlv1);
  EXPECT_EQ(got.screening.syphilis, want.screening.syphilis);
  EXPECT_EQ(got.consent.given, want.consent.given);
  EXPECT_EQ(got.consent.consent_time, want.consent.consent_time);
  EXPECT_EQ(got.consent.document_ref, want.consent.document_ref);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.created_by, want.created_by);
}

TEST_F(StoreTest, PatientRoundTrips) {
  const domain::Patient patient = SamplePatient("P-RT");
  MustWrite([&](Transaction& tx) { return tx.InsertPatient(patient); });
  CPC_ASSERT_OK(Reopen());
  CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<domain::Patient> got = tx.GetPatient("P-RT");
    if (!got.ok()) return got.status();
    ExpectSamePatient(*got, patient);
    return absl::OkStatus();
  }));
}

TEST_F(StoreTest, PatientReadsAsItsLatestRevisionAndKeepsTheEarlierOnes) {
  domain::Patient patient = SamplePatient("P-REV");
  patient.screening.htlv1 = domain::ScreeningResult::kPending;
  MustWrite([&](Transaction& tx) { return tx.InsertPatient(patient); });
  domain::Patient next = patient;
  next.screening.htlv1 = domain::ScreeningResult::kNegative;
  next.revision = 2;
  next.updated_at = T(5);
  next.updated_by = "qa.mori";
  next.update_reason = "HTLV-1 result received";
  MustWrite([&](Transaction& tx) { return tx.InsertPatientRevision(next); });
  CPC_ASSERT_OK(Reopen());
  CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<domain::Patient> got = tx.GetPatient("P-REV");
    if (!got.ok()) return got.status();
    EXPECT_EQ(got->revision, 2);
    EXPECT_EQ(got->screening.htlv1, domain::ScreeningResult::kNegative);
    EXPECT_EQ(got->updated_by, "qa.mori");
    EXPECT_EQ(got->update_reason, "HTLV-1 result received");
    EXPECT_EQ(got->created_by, patient.created_by);
    absl::StatusOr<Page<domain::Patient>> page = tx.ListPatients("", 10);
    if (!page.ok()) return page.status();
    EXPECT_EQ(page->items.size(), 1u);
    EXPECT_EQ(page->items[0].revision, 2);
    return absl::OkStatus();
  }));
  // The same revision number twice is refused: revisions only append.
  absl::Status again = store_->Write([&](Transaction& tx) { return tx.InsertPatientRevision(next); });
  EXPECT_FALSE(again.ok());
}

TEST_F(StoreTest, PatientWithoutConsentHasNoConsentTime) {
  domain::Patient patient = SamplePatient("P-NC");
  patient.consent.given = false;
  patient.consent.document_ref = "";
  MustWrite([&](Transaction& tx) { return tx.InsertPatient(patient); });
  CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<domain::Patient> got = tx.GetPatient("P-NC");
    if (!got.ok()) return got.status();
    EXPECT_FALSE(got->consent.given);
    EXPECT_EQ(got->consent.consent_time, absl::InfinitePast());
    return absl::OkStatus();
  }));
}

TEST_F(StoreTest, DuplicatePatientIsAlreadyExistsNamingTheId) {
  MustWrite([](Transaction& tx) { return tx.InsertPatient(SamplePatient("P-DUP")); });
  domain::Patient again = SamplePatient("P-DUP");
  again.body_weight_kg = 80;
  const absl::Status status = store_->Write([&](Transaction& tx) { return tx.InsertPatient(again); });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
  EXPECT_THAT(status.message(), HasSubstr("P-DUP"));
  CPC_EXPECT_OK(store_->Read([](Transaction& tx) -> absl::Status {
    absl::StatusOr<domain::Patient> got = tx.GetPatient("P-DUP");
    if (!got.ok()) return got.status();
    EXPECT_EQ(got->body_weight_kg, 61.75);  // the first one, untouched
    return absl::OkStatus();
  }));
}

TEST_F(StoreTest, UnknownPatientIsNotFoundNamingTheId) {
  const absl::Status status =
      store_->Read([](Transaction& tx) { return tx.GetPatient("P-GHOST").status(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("P-GHOST"));
}

TEST_F(StoreTest, ListPatientsPagesThroughEveryPatientOnce) {
  constexpr int kPatients = 23;
  MustWrite([](Transaction& tx) -> absl::Status {
    // Inserted out of order: pages follow the key, not the insertion order.
    for (int i = kPatients - 1; i >= 0; --i) {
      if (absl::Status s = tx.InsertPatient(SamplePatient(absl::StrFormat("P-%03d", i)));
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  });
  for (int limit : {1, 5, 23, 50}) {
    SCOPED_TRACE(limit);
    int pages = 0;
    std::vector<domain::Patient> seen = testing::CollectPages<domain::Patient>(
        *store_, limit,
        [](Transaction& tx, absl::string_view key, int n) { return tx.ListPatients(key, n); },
        &pages);
    ASSERT_EQ(static_cast<int>(seen.size()), kPatients);
    for (int i = 0; i < kPatients; ++i) EXPECT_EQ(seen[i].patient_id, absl::StrFormat("P-%03d", i));
    EXPECT_EQ(pages, (kPatients + limit - 1) / limit);
  }
  // Every item is complete, not just its key.
  int pages = 0;
  std::vector<domain::Patient> all = testing::CollectPages<domain::Patient>(
      *store_, 7,
      [](Transaction& tx, absl::string_view key, int n) { return tx.ListPatients(key, n); },
      &pages);
  ASSERT_EQ(static_cast<int>(all.size()), kPatients);
  ExpectSamePatient(all[4], SamplePatient("P-004"));
}

TEST_F(StoreTest, ListPatientsOfAnEmptyStoreIsOneEmptyPage) {
  CPC_EXPECT_OK(store_->Read([](Transaction& tx) -> absl::Status {
    absl::StatusOr<Page<domain::Patient>> page = tx.ListPatients("", 10);
    if (!page.ok()) return page.status();
    EXPECT_THAT(page->items, ::testing::IsEmpty());
    EXPECT_EQ(page->next_key, "");
    return absl::OkStatus();
  }));
}

// An empty absl::string_view, however made, means "from the start".
TEST_F(StoreTest, ListPatientsFromADefaultConstructedKeyStartsAtTheBeginning) {
  MustWrite([](Transaction& tx) { return tx.InsertPatient(SamplePatient("P-A")); });
  CPC_EXPECT_OK(store_->Read([](Transaction& tx) -> absl::Status {
    absl::StatusOr<Page<domain::Patient>> page = tx.ListPatients(absl::string_view(), 10);
    if (!page.ok()) return page.status();
    EXPECT_EQ(page->items.size(), 1u);
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace cpctrack::store
