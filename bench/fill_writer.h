// Writes the events of a fill schedule through the application layer (app/),
// the same writes cpcd's services make: the domain decides each step (and
// refuses one the schedule got wrong), and app/ stores it with its audit
// entries, signatures and effects. Only who does what, and when, is the
// schedule's: the writer plays the lab's staff at the event's time.
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
#include "app/write_context.h"
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

  // Rows written; audit entries are counted from the chain's head.
  FillCounts& counts() { return counts_; }

 private:
  // What the events of one batch need from those before them.
  struct Live {
    std::optional<domain::Batch> batch;
    std::string tech;
    std::string qa;
    int64_t cells_in_culture = 0;
    int64_t last_viable_count = 0;  // the latest passage's: what units may hold
    int64_t day5_observation_id = 0;
    domain::Observation day5_observation;
    int64_t final_sample_id = 0;
    int64_t test_ids[kTestSlots] = {};
    int64_t late_deviation_id = 0;
    int64_t positive_deviation_id = 0;
    std::vector<domain::Unit> units;
    int64_t planned_infusion_ids[2] = {};
  };

  // `user` writing at `at`, under the event's request ID.
  app::WriteContext As(absl::string_view user, absl::Time at) const;
  absl::Status WriteStaff(store::Transaction& tx, absl::Time at);
  // Renews the staff's qualifications before they lapse; the first time at `at`.
  absl::Status Requalify(store::Transaction& tx, absl::Time at);
  // Calibrates every instrument that needs it once a year, as the lab's
  // upkeep schedule does; the first time at `at`.
  absl::Status Calibrate(store::Transaction& tx, absl::Time at);
  absl::StatusOr<std::string> Lot(store::Transaction& tx, absl::Time at, absl::string_view prefix);
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
  absl::Time next_calibration_ = absl::InfinitePast();
  absl::Time next_requalification_ = absl::InfinitePast();
  std::string request_id_;  // of the event being written
  FillCounts counts_;
};

// Creates `path` and writes MakeSchedule(options) into it, `per_commit`
// events per transaction; reports progress on `progress` when given.
absl::StatusOr<FillCounts> FillDatabase(const std::string& path, const FillOptions& options,
                                        int per_commit = 2000, std::ostream* progress = nullptr);

}  // namespace cpctrack::bench

#endif  // CPCTRACK_BENCH_FILL_WRITER_H_
