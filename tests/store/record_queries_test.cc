// Transaction: a batch's records, one of every kind, with their lots and
// corrections.
#include <string>
#include <vector>

#include "domain/audit.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/store.h"
#include "tests/store/test_db.h"

namespace cpctrack::store {
namespace {

using domain::BatchRecord;
using ::testing::ElementsAre;
using testing::RawConnection;
using testing::StoreTest;
using testing::T;

BatchRecord Record(domain::RecordData data, int minutes) {
  BatchRecord r;
  r.recorded_at = T(minutes);
  r.recorded_by = "tech.ito";
  r.data = std::move(data);
  return r;
}

std::vector<BatchRecord> OneOfEachKind() {
  domain::TissueReceipt receipt;
  receipt.collection_time = T(0);
  receipt.receipt_time = T(95);
  receipt.collection_site = "abdomen";
  receipt.volume_ml = 18.5;
  receipt.transport_temperature_c = 4.2;
  receipt.collected_by = "dr.yamada";

  domain::Seeding seeding;
  seeding.seeding_time = T(300);
  seeding.cells_seeded = 12345678;
  seeding.vessel_type = "T175 flask";
  seeding.vessel_count = 3;
  seeding.surface_area_cm2 = 525.0;
  seeding.medium_lot = "MED-1";
  // Not alphabetical: order of entry must survive.
  seeding.reagent_lots = {"TRY-3", "COL-7"};
  seeding.incubator_id = "INC-01";
  seeding.cabinet_id = "BSC-01";

  domain::Observation observation{T(2000), 63.5, "spindle-shaped, uniform"};

  domain::MediumChange change;
  change.change_time = T(3000);
  change.medium_lot = "MED-1";
  change.reagent_lots = {"COL-7"};
  change.volume_ml = 45.25;

  domain::Passage passage;
  passage.passage_time = T(7000);
  passage.total_cells = 40000000;
  passage.viable_cells = 37000000;
  passage.viability_percent = 92.5;
  passage.counting_method = domain::CountingMethod::kHemocytometerTrypanBlue;
  passage.cells_reseeded = 9000000;
  passage.vessel_count = 6;
  passage.surface_area_cm2 = 1050.0;
  passage.medium_lot = "MED-1";
  passage.reagent_lots = {"TRY-3"};
  passage.incubator_id = "INC-01";
  passage.passage_number = 1;

  return {Record(receipt, 100), Record(seeding, 301), Record(observation, 2001),
          Record(change, 3001), Record(passage, 7001)};
}

void ExpectSameRecord(const BatchRecord& got, const BatchRecord& want) {
  EXPECT_EQ(got.record_id, want.record_id);
  EXPECT_EQ(got.recorded_at, want.recorded_at);
  EXPECT_EQ(got.recorded_by, want.recorded_by);
  EXPECT_EQ(got.corrects_record_id, want.corrects_record_id);
  EXPECT_EQ(got.correction_reason, want.correction_reason);
  EXPECT_EQ(got.data.index(), want.data.index());
  // The canonical JSON encodes every field of every kind, times to the
  // microsecond and doubles exactly.
  EXPECT_EQ(domain::ToJson(got.data), domain::ToJson(want.data));
}

class RecordQueriesTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    SeedReferenceData();
    batch_ = AddBatch(1, "P-001");
  }

  std::vector<BatchRecord> Load(const domain::Batch& batch) {
    std::vector<BatchRecord> out;
    CPC_EXPECT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
      absl::StatusOr<std::vector<BatchRecord>> got = tx.LoadRecords(batch.batch_id);
      if (!got.ok()) return got.status();
      out = *std::move(got);
      return absl::OkStatus();
    }));
    return out;
  }

  domain::Batch batch_{.batch_id = testing::SampleDin(1)};
};

TEST_F(RecordQueriesTest, EveryKindRoundTripsIdentically) {
  std::vector<BatchRecord> records = OneOfEachKind();
  for (BatchRecord& r : records) {
    MustWrite([&](Transaction& tx) { return tx.InsertRecord(batch_.batch_id, r); });
    EXPECT_NE(r.record_id, 0);
  }
  CPC_ASSERT_OK(Reopen());
  const std::vector<BatchRecord> loaded = Load(batch_);
  ASSERT_EQ(loaded.size(), records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    SCOPED_TRACE(i);
    ExpectSameRecord(loaded[i], records[i]);
  }
  // Spelled out, in case the encoder ever drops a field.
  const auto& seeding = std::get<domain::Seeding>(loaded[1].data);
  EXPECT_EQ(seeding.medium_lot, "MED-1");
  EXPECT_THAT(seeding.reagent_lots, ElementsAre("TRY-3", "COL-7"));
  EXPECT_EQ(seeding.cabinet_id, "BSC-01");
  EXPECT_EQ(seeding.seeding_time, T(300));
  const auto& change = std::get<domain::MediumChange>(loaded[3].data);
  EXPECT_EQ(change.medium_lot, "MED-1");
  EXPECT_THAT(change.reagent_lots, ElementsAre("COL-7"));
  EXPECT_EQ(change.volume_ml, 45.25);
  const auto& passage = std::get<domain::Passage>(loaded[4].data);
  EXPECT_EQ(passage.viable_cells, 37000000);
  EXPECT_EQ(passage.counting_method, domain::CountingMethod::kHemocytometerTrypanBlue);
  EXPECT_THAT(passage.reagent_lots, ElementsAre("TRY-3"));
  EXPECT_EQ(passage.passage_number, 1);
}

TEST_F(RecordQueriesTest, ManyRecordsInOneTransactionKeepWriteOrder) {
  std::vector<BatchRecord> records = OneOfEachKind();
  MustWrite([&](Transaction& tx) -> absl::Status {
    for (BatchRecord& r : records) {
      if (absl::Status s = tx.InsertRecord(batch_.batch_id, r); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
  const std::vector<BatchRecord> loaded = Load(batch_);
  ASSERT_EQ(loaded.size(), records.size());
  for (size_t i = 0; i < records.size(); ++i) ExpectSameRecord(loaded[i], records[i]);
}

TEST_F(RecordQueriesTest, OptionalFieldsStayEmpty) {
  domain::Seeding seeding = std::get<domain::Seeding>(OneOfEachKind()[1].data);
  seeding.cabinet_id = "";
  seeding.reagent_lots = {};
  domain::MediumChange change;
  change.change_time = T(10);
  change.medium_lot = "";  // a change with nothing but a time is allowed here
  std::vector<BatchRecord> records = {Record(seeding, 1), Record(change, 2)};
  MustWrite([&](Transaction& tx) -> absl::Status {
    for (BatchRecord& r : records) {
      if (absl::Status s = tx.InsertRecord(batch_.batch_id, r); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
  const std::vector<BatchRecord> loaded = Load(batch_);
  ASSERT_EQ(loaded.size(), 2u);
  ExpectSameRecord(loaded[0], records[0]);
  ExpectSameRecord(loaded[1], records[1]);
  RawConnection raw(db_path_);
  EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM seedings WHERE cabinet_id IS NULL"), 1);
}

TEST_F(RecordQueriesTest, RecordsBelongToTheirOwnBatch) {
  const domain::Batch other = AddBatch(2, "P-001");
  std::vector<BatchRecord> records = OneOfEachKind();
  MustWrite([&](Transaction& tx) -> absl::Status {
    // Interleaved between the two batches.
    for (size_t i = 0; i < records.size(); ++i) {
      const domain::Din& din = i % 2 == 0 ? batch_.batch_id : other.batch_id;
      if (absl::Status s = tx.InsertRecord(din, records[i]); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
  const std::vector<BatchRecord> mine = Load(batch_);
  const std::vector<BatchRecord> theirs = Load(other);
  ASSERT_EQ(mine.size(), 3u);
  ASSERT_EQ(theirs.size(), 2u);
  ExpectSameRecord(mine[0], records[0]);
  ExpectSameRecord(mine[1], records[2]);
  ExpectSameRecord(mine[2], records[4]);
  ExpectSameRecord(theirs[0], records[1]);
  ExpectSameRecord(theirs[1], records[3]);
}

TEST_F(RecordQueriesTest, CorrectionKeepsTheOriginalAndNamesItWithAReason) {
  std::vector<BatchRecord> records = OneOfEachKind();
  BatchRecord& passage = records[4];
  MustWrite([&](Transaction& tx) { return tx.InsertRecord(batch_.batch_id, passage); });

  domain::Passage fixed = std::get<domain::Passage>(passage.data);
  fixed.viable_cells = 36000000;
  fixed.reagent_lots = {"COL-7", "TRY-3"};
  BatchRecord correction = Record(fixed, 8000);
  correction.recorded_by = "qa.abe";
  correction.corrects_record_id = passage.record_id;
  correction.correction_reason = "transcription error: 3.7e7 read as 3.6e7 on the counter";
  MustWrite([&](Transaction& tx) { return tx.InsertRecord(batch_.batch_id, correction); });
  EXPECT_GT(correction.record_id, passage.record_id);

  const std::vector<BatchRecord> loaded = Load(batch_);
  ASSERT_EQ(loaded.size(), 2u);
  ExpectSameRecord(loaded[0], passage);
  ExpectSameRecord(loaded[1], correction);
  EXPECT_EQ(loaded[1].corrects_record_id, passage.record_id);
  EXPECT_EQ(loaded[1].correction_reason, correction.correction_reason);
  EXPECT_EQ(loaded[0].corrects_record_id, 0);
  EXPECT_EQ(loaded[0].correction_reason, "");
  EXPECT_EQ(std::get<domain::Passage>(loaded[0].data).viable_cells, 37000000);
}

TEST_F(RecordQueriesTest, SecondCorrectionOfTheSameRecordIsRefused) {
  std::vector<BatchRecord> records = OneOfEachKind();
  BatchRecord& observation = records[2];
  MustWrite([&](Transaction& tx) { return tx.InsertRecord(batch_.batch_id, observation); });
  BatchRecord fix1 = Record(observation.data, 10);
  fix1.corrects_record_id = observation.record_id;
  fix1.correction_reason = "first";
  MustWrite([&](Transaction& tx) { return tx.InsertRecord(batch_.batch_id, fix1); });
  BatchRecord fix2 = fix1;
  fix2.correction_reason = "second";
  const absl::Status status =
      store_->Write([&](Transaction& tx) { return tx.InsertRecord(batch_.batch_id, fix2); });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_EQ(Load(batch_).size(), 2u);
}

TEST_F(RecordQueriesTest, RecordNamingAnUnknownLotIsRefusedAndLeavesNothing) {
  domain::Seeding seeding = std::get<domain::Seeding>(OneOfEachKind()[1].data);
  seeding.reagent_lots = {"COL-7", "NOT-A-LOT"};
  BatchRecord record = Record(seeding, 1);
  const absl::Status status =
      store_->Write([&](Transaction& tx) { return tx.InsertRecord(batch_.batch_id, record); });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_THAT(Load(batch_), ::testing::IsEmpty());
  RawConnection raw(db_path_);
  EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM seedings"), 0);
  EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM record_lots"), 0);
}

TEST_F(RecordQueriesTest, RecordForUnknownBatchIsNotFound) {
  BatchRecord record = OneOfEachKind()[2];
  const domain::Din ghost = testing::SampleDin(999);
  const absl::Status status =
      store_->Write([&](Transaction& tx) { return tx.InsertRecord(ghost, record); });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
}

TEST_F(RecordQueriesTest, LotsAreIndexedByRoleAndPosition) {
  std::vector<BatchRecord> records = OneOfEachKind();
  MustWrite([&](Transaction& tx) { return tx.InsertRecord(batch_.batch_id, records[1]); });
  RawConnection raw(db_path_);
  // "Which records used lot COL-7?" is answerable from the table alone.
  EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM record_lots WHERE lot_number = 'COL-7' "
                         "AND role = 'reagent' AND position = 2"),
            1);
  EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM record_lots WHERE lot_number = 'MED-1' "
                         "AND role = 'medium' AND position = 0"),
            1);
}


TEST_F(RecordQueriesTest, FinalHarvestRoundTripsWithNothingReseeded) {
  std::vector<BatchRecord> records = OneOfEachKind();
  BatchRecord& harvest = records[4];
  auto& p = std::get<domain::Passage>(harvest.data);
  p.final_harvest = true;
  p.cells_reseeded = 0;
  MustWrite([&](Transaction& tx) { return tx.InsertRecord(batch_.batch_id, harvest); });
  const std::vector<BatchRecord> loaded = Load(batch_);
  ASSERT_EQ(loaded.size(), 1u);
  ExpectSameRecord(loaded[0], harvest);
  EXPECT_TRUE(std::get<domain::Passage>(loaded[0].data).final_harvest);
  EXPECT_EQ(std::get<domain::Passage>(loaded[0].data).cells_reseeded, 0);
}

TEST_F(RecordQueriesTest, SchemaRefusesAPassageThatReseedsNothingUnlessItIsTheFinalHarvest) {
  for (bool final_harvest : {false, true}) {
    SCOPED_TRACE(final_harvest);
    std::vector<BatchRecord> records = OneOfEachKind();
    BatchRecord& passage = records[4];
    auto& p = std::get<domain::Passage>(passage.data);
    p.final_harvest = final_harvest;
    p.cells_reseeded = final_harvest ? 1'000'000 : 0;  // each the wrong way round
    absl::Status status = store_->Write(
        [&](Transaction& tx) { return tx.InsertRecord(batch_.batch_id, passage); });
    EXPECT_FALSE(status.ok());
    EXPECT_THAT(std::string(status.message()), ::testing::HasSubstr("CHECK"));
  }
  EXPECT_TRUE(Load(batch_).empty());
}

TEST_F(RecordQueriesTest, LateEntriesAreKeptWithTheirBatchInWriteOrder) {
  const domain::Batch other = AddBatch(2, "P-001");
  const domain::LateEntry first{"records/1", "passage_time", T(0), T(3000), "tech.ito",
                                "paper form transcribed"};
  const domain::LateEntry second{"units/X-01/thaw", "thawed_at", T(10), T(4000), "nurse.abe",
                                 "entered after the night shift"};
  MustWrite([&](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.InsertLateEntry(batch_.batch_id, first); !s.ok()) return s;
    if (absl::Status s = tx.InsertLateEntry(other.batch_id, first); !s.ok()) return s;
    return tx.InsertLateEntry(batch_.batch_id, second);
  });
  CPC_ASSERT_OK(Reopen());
  std::vector<domain::LateEntry> got;
  CPC_ASSERT_OK(store_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<domain::LateEntry>> entries = tx.LoadLateEntries(batch_.batch_id);
    if (!entries.ok()) return entries.status();
    got = *std::move(entries);
    return absl::OkStatus();
  }));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].resource, "records/1");
  EXPECT_EQ(got[0].event_time, T(0));
  EXPECT_EQ(got[0].recorded_at, T(3000));
  EXPECT_EQ(got[1].recorded_by, "nurse.abe");
  EXPECT_EQ(got[1].reason, "entered after the night shift");
}

TEST_F(RecordQueriesTest, LateEntryWithoutAReasonIsRefused) {
  const domain::LateEntry bare{"records/1", "passage_time", T(0), T(3000), "tech.ito", ""};
  EXPECT_FALSE(store_->Write([&](Transaction& tx) {
                       return tx.InsertLateEntry(batch_.batch_id, bare);
                     }).ok());
}

TEST_F(RecordQueriesTest, ARecordIsLateOnceOnly) {
  const domain::LateEntry thaw{"units/X-01/thaw", "thawed_at", T(10), T(4000), "nurse.abe",
                               "entered after the night shift"};
  MustWrite([&](Transaction& tx) { return tx.InsertLateEntry(batch_.batch_id, thaw); });
  domain::LateEntry again = thaw;
  again.reason = "a second story";
  EXPECT_FALSE(store_->Write([&](Transaction& tx) {
                       return tx.InsertLateEntry(batch_.batch_id, again);
                     }).ok());
  // Another record of the batch may be late too.
  again.resource = "units/X-02/thaw";
  MustWrite([&](Transaction& tx) { return tx.InsertLateEntry(batch_.batch_id, again); });
}

}  // namespace
}  // namespace cpctrack::store
