// A batch, its deviations, and the history of its records.
#ifndef CPCTRACK_DOMAIN_BATCH_H_
#define CPCTRACK_DOMAIN_BATCH_H_

#include <cstdint>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/time/time.h"
#include "domain/batch_state.h"
#include "domain/din.h"
#include "domain/records.h"

namespace cpctrack::domain {

struct Batch {
  Din batch_id;
  std::string patient_id;
  std::string product_code;
  int product_version = 0;
  BatchState state = BatchState::kRegistered;
  absl::Time created_at = absl::InfinitePast();
  std::string created_by;
  absl::Time updated_at = absl::InfinitePast();
  int current_passage = -1;  // -1 before P0 seeding
};

// Stored values: append, never renumber.
enum class DeviationKind {
  kUnspecified = 0,
  kLateProcessing = 1,
  kOther = 2,
  kExpiredMaterial = 3,
  kPassageLimit = 4,
  kPopulationDoublingLimit = 5,
  kPatientIneligible = 6,
  kOutOfSpecification = 7,  // a QC result outside the product's criteria
  kPositiveTest = 8,        // positive sterility or mycoplasma: holds quarantine
  kExcursion = 9,           // e.g. temperature out of range in storage or transport
};
enum class DeviationState { kUnspecified = 0, kOpen = 1, kClosed = 2 };
absl::string_view DeviationStateName(DeviationState state);  // "OPEN"
// QA's decision that closes a deviation. Stored values: append only.
enum class Disposition {
  kUnspecified = 0,
  kContinue = 1,
  kReject = 2,
  kUseUnderPhysicianResponsibility = 3,
};
absl::string_view DispositionName(Disposition disposition);

struct DeviationNote {
  int64_t note_id = 0;  // 0 until stored
  absl::Time added_at = absl::InfinitePast();
  std::string added_by;
  std::string text;
};

struct DeviationClosure {
  Disposition disposition = Disposition::kUnspecified;
  std::string reason;
  absl::Time closed_at = absl::InfinitePast();
  std::string closed_by;
  // USE_UNDER_PHYSICIAN_RESPONSIBILITY: the physician whose signed request
  // the closure carries; "" otherwise.
  std::string physician;
};

struct Deviation {
  int64_t deviation_id = 0;  // 0 until stored
  DeviationKind kind = DeviationKind::kOther;
  std::string description;
  DeviationState state = DeviationState::kOpen;
  absl::Time opened_at = absl::InfinitePast();
  std::string opened_by;
  int64_t record_id = 0;  // the record that raised it; 0 if none
  int64_t qc_test_id = 0;  // the QC test whose result raised it; 0 if none
  std::string unit_id;     // the unit it concerns; "" if none
  int64_t excursion_id = 0;  // the excursion (excursion.h) it is a child of; 0 if none
  std::vector<DeviationNote> notes;
  std::optional<DeviationClosure> closure;  // set once closed (state kClosed)
};

absl::string_view DeviationKindName(DeviationKind kind);

// A batch's records in write order, with the corrections resolved.
class BatchHistory {
 public:
  // REQUIRES: records in write order (ascending record_id), each correction
  // after the record it corrects.
  explicit BatchHistory(std::vector<BatchRecord> records);

  // Every record ever written, each with corrected_by_record_id filled in.
  const std::vector<BatchRecord>& records() const { return records_; }
  const BatchRecord* Find(int64_t record_id) const;

  // The records in effect: for each original record, its latest correction.
  // Ordered by event time, then by the original's ID.
  std::vector<const BatchRecord*> Effective() const;
  // The data of Effective(), which the rules and the growth math read.
  std::vector<const RecordData*> EffectiveData() const;

  // The original record a chain of corrections starts from.
  int64_t OriginOf(int64_t record_id) const;

  // Passage of the culture now; -1 before P0 seeding.
  int CurrentPassage() const;

 private:
  std::vector<BatchRecord> records_;
};

// The kinds of record a rule reads back when it decides an appended step
// (a culture step, a sample, a freeze): the tissue receipt, the P0 seeding
// and the passages, on which the timeline, the growth limits, the cell
// counts and the final harvest hang. Observations and medium changes are
// never read back by a rule, so a write need not load them, and an append
// costs the same on a batch's first day and on its last. A correction may
// move any record against all the others, so it reads the whole history.
std::vector<RecordKind> KindsReadByRules();

// The effective records of one kind, in event order.
template <class T>
std::vector<const T*> EffectiveOfKind(const std::vector<const BatchRecord*>& effective) {
  std::vector<const T*> out;
  for (const BatchRecord* r : effective) {
    if (const T* data = std::get_if<T>(&r->data)) out.push_back(data);
  }
  return out;
}

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_BATCH_H_
