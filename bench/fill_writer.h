// Writes the events of a fill schedule through the store's Transaction API,
// as cpcd's services would: the domain types, the real schema and triggers,
// one audit entry per change (appended to the hash chain) and signatures for
// reviews, dispositions and releases. Nothing here decides like the domain
// does: the schedule already says what happens.
#ifndef CPCTRACK_BENCH_FILL_WRITER_H_
#define CPCTRACK_BENCH_FILL_WRITER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/audit_action.h"
#include "bench/fill_schedule.h"
#include "domain/batch.h"
#include "domain/qc.h"
#include "domain/units.h"
#include "store/store.h"

namespace cpctrack::bench {

// Rows written, by kind.
struct FillCounts {
  int64_t events = 0;
  int64_t patients = 0;
  int64_t batches = 0;
  int64_t records = 0;  // batch records, corrections included
  int64_t qc_samples = 0;
  int64_t qc_tests = 0;
  int64_t qc_results = 0;
  int64_t deviations = 0;
  int64_t units = 0;
  int64_t plans = 0;
  int64_t releases = 0;
  int64_t infusions = 0;
  int64_t audit_entries = 0;
};

class HistoryWriter {
 public:
  explicit HistoryWriter(const Schedule& schedule);

  // Product, users and equipment, at `at` (before the first event).
  absl::Status WriteReferenceData(store::Transaction& tx, absl::Time at);
  absl::Status Apply(store::Transaction& tx, const Event& event);

  const FillCounts& counts() const { return counts_; }

 private:
  // What the events of one batch need from those before them.
  struct Live {
    std::optional<domain::Batch> batch;
    std::string tech;
    std::string qa;
    int64_t seeded_cells = 0;
    int64_t cells_in_culture = 0;
    int64_t day5_observation_id = 0;
    domain::Observation day5_observation;
    int64_t final_sample_id = 0;
    int64_t test_ids[kTestSlots] = {};
    int64_t result_ids[kTestSlots] = {};
    int64_t late_deviation_id = 0;
    int64_t positive_deviation_id = 0;
    std::vector<domain::Unit> units;
    int64_t planned_infusion_ids[2] = {};
  };

  absl::Status WriteQualifications(store::Transaction& tx, absl::Time at);
  absl::Status Audit(store::Transaction& tx, absl::Time at, absl::string_view actor,
                     domain::AuditAction action, absl::string_view resource,
                     std::string old_value, std::string new_value,
                     absl::string_view reason = "");
  absl::Status Sign(store::Transaction& tx, absl::Time at, absl::string_view signer,
                    int meaning, absl::string_view resource, absl::string_view content);
  // Changes the batch's summary; `effect` (QC, freezing, release,
  // disposal) also records the state change, as cpcd's effects do.
  absl::Status ChangeBatch(store::Transaction& tx, Live& live, absl::Time at,
                           absl::string_view actor, domain::BatchState state, int passage,
                           bool effect, absl::string_view reason);
  absl::StatusOr<int64_t> Record(store::Transaction& tx, Live& live, absl::Time at,
                                 domain::AuditAction action, domain::RecordData data,
                                 const domain::BatchRecord* corrects = nullptr);
  std::string Lot(store::Transaction& tx, absl::Time at, absl::string_view prefix,
                  absl::Status& status);
  absl::StatusOr<domain::Position> NextPosition(store::Transaction& tx, absl::Time at);

  absl::Status Register(store::Transaction& tx, int index, Live& live, absl::Time at);
  absl::Status Culture(store::Transaction& tx, int index, Live& live, const Event& e,
                       absl::Time at);
  absl::Status DrawSample(store::Transaction& tx, Live& live, absl::Time at, bool final_product);
  absl::Status Result(store::Transaction& tx, int index, Live& live, int slot, absl::Time at);
  absl::Status Review(store::Transaction& tx, Live& live, int slot, absl::Time at);
  absl::Status Invalidate(store::Transaction& tx, Live& live, absl::Time at);
  absl::Status Freeze(store::Transaction& tx, Live& live, absl::Time at);
  absl::Status Close(store::Transaction& tx, Live& live, int64_t deviation_id,
                     domain::Disposition disposition, absl::string_view reason, absl::Time at);
  absl::Status Dispose(store::Transaction& tx, Live& live, absl::Time at);
  absl::Status Release(store::Transaction& tx, Live& live, absl::Time at);
  absl::Status Plan(store::Transaction& tx, int index, Live& live, absl::Time at);
  absl::Status Infuse(store::Transaction& tx, Live& live, int which, absl::Time at);

  const Schedule& schedule_;
  std::vector<Live> live_;
  std::map<int, int> din_sequence_by_year_;
  int patient_count_ = 0;
  absl::flat_hash_set<std::string> lots_;
  int64_t positions_used_ = 0;
  std::string request_id_;  // of the event being written
  FillCounts counts_;
};

// Creates `path` and writes MakeSchedule(options) into it, `per_commit`
// events per transaction; reports progress on `progress` when given.
absl::StatusOr<FillCounts> FillDatabase(const std::string& path, const FillOptions& options,
                                        int per_commit = 2000, std::ostream* progress = nullptr);

}  // namespace cpctrack::bench

#endif  // CPCTRACK_BENCH_FILL_WRITER_H_
