// The records of a batch's timeline. Records are append-only: a correction is
// a new record of the same kind that names the record it supersedes.
#ifndef CPCTRACK_DOMAIN_RECORDS_H_
#define CPCTRACK_DOMAIN_RECORDS_H_

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"
#include <variant>
#include <vector>

#include "absl/time/time.h"

namespace cpctrack::domain {

// Stored values: append, never renumber.
enum class CountingMethod {
  kUnspecified = 0,
  kHemocytometerTrypanBlue = 1,
  kAutomatedTrypanBlue = 2,
  kAutomatedAoPi = 3,
  kFlowCytometry = 4,
  kOther = 5,
};
absl::string_view CountingMethodName(CountingMethod method);  // "AUTOMATED_AO_PI"

struct TissueReceipt {
  absl::Time collection_time = absl::InfinitePast();
  absl::Time receipt_time = absl::InfinitePast();
  std::string collection_site;
  double volume_ml = 0;
  double transport_temperature_c = 0;
  std::string collected_by;
};

struct Seeding {
  absl::Time seeding_time = absl::InfinitePast();
  int64_t cells_seeded = 0;
  std::string vessel_type;
  int vessel_count = 0;
  double surface_area_cm2 = 0;
  std::string medium_lot;
  std::vector<std::string> reagent_lots;
  std::string incubator_id;
  std::string cabinet_id;  // optional
};

struct Observation {
  absl::Time observation_time = absl::InfinitePast();
  double confluence_percent = 0;
  std::string morphology;
};

struct MediumChange {
  absl::Time change_time = absl::InfinitePast();
  std::string medium_lot;
  std::vector<std::string> reagent_lots;
  double volume_ml = 0;  // optional: 0 means not recorded
};

struct Passage {
  absl::Time passage_time = absl::InfinitePast();
  int64_t total_cells = 0;
  int64_t viable_cells = 0;
  double viability_percent = 0;  // 0 on input: computed from the counts
  CountingMethod counting_method = CountingMethod::kUnspecified;
  int64_t cells_reseeded = 0;  // 0 exactly when this is the final harvest
  // The final harvest ends the culture: it reseeds nothing, no culture step
  // follows it, and all its viable cells may be frozen or formulated.
  bool final_harvest = false;
  int vessel_count = 0;         // optional
  double surface_area_cm2 = 0;  // optional
  std::string medium_lot;
  std::vector<std::string> reagent_lots;
  std::string incubator_id;
  // The cell counter (or counting chamber) the counts were read on: a
  // registered CELL_COUNTER. Required on new passages; empty only on passages
  // recorded before counters were named.
  std::string counter_id;
  int passage_number = 0;  // set by the domain: the culture's passage after it
};

using RecordData = std::variant<TissueReceipt, Seeding, Observation, MediumChange, Passage>;

// Stored values: the variant's index + 1. Append, never renumber.
enum class RecordKind {
  kTissueReceipt = 1,
  kSeeding = 2,
  kObservation = 3,
  kMediumChange = 4,
  kPassage = 5,
};

RecordKind KindOf(const RecordData& data);
absl::string_view RecordKindName(RecordKind kind);  // "passage"
// When the recorded event happened (not when it was written down).
absl::Time EventTime(const RecordData& data);
// The API field that holds EventTime: "passage_time".
absl::string_view EventTimeField(RecordKind kind);

struct BatchRecord {
  int64_t record_id = 0;
  absl::Time recorded_at = absl::InfinitePast();  // server time of the write
  std::string recorded_by;
  int64_t corrects_record_id = 0;  // 0: an original record
  std::string correction_reason;
  int64_t corrected_by_record_id = 0;  // derived on load: 0 if still in effect
  RecordData data;
};

// A reference from a record to a lot or a piece of equipment, with the field
// that holds it ("medium_lot", "reagent_lots[1]", "incubator_id").
struct LotUse {
  std::string field;
  std::string lot_number;
};
struct EquipmentUse {
  std::string field;
  std::string equipment_id;
};
std::vector<LotUse> LotsUsed(const RecordData& data);
std::vector<EquipmentUse> EquipmentUsed(const RecordData& data);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_RECORDS_H_
