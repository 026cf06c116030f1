#include "app/where_used.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"

namespace cpctrack::app {
namespace {

// The stays of one batch's culture in `incubator` that meet the window.
absl::Status AddIncubations(store::Transaction& tx, const std::string& batch_id,
                            const std::string& incubator, const Window& window, absl::Time now,
                            std::vector<domain::Use>& uses) {
  ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(batch_id));
  ASSIGN_OR_RETURN(std::vector<domain::BatchRecord> records, tx.LoadRecords(din));
  ASSIGN_OR_RETURN(std::vector<domain::Unit> units, tx.LoadUnits(din));
  // The culture ends when its first units are made (or at its final harvest,
  // which IncubatorStays knows); until then it is still in the incubator.
  absl::Time culture_end = now;
  for (const domain::Unit& u : units) culture_end = std::min(culture_end, u.frozen_at);
  const domain::BatchHistory history(std::move(records));
  for (const domain::IncubatorStay& stay : domain::IncubatorStays(history, culture_end)) {
    if (stay.incubator_id != incubator ||
        !domain::InWindow(stay.from, stay.until, window.from, window.to)) {
      continue;
    }
    uses.push_back(domain::Use{.kind = domain::UseKind::kIncubation,
                               .batch_id = batch_id,
                               .resource = absl::StrCat("records/", stay.record_id),
                               .at = stay.from,
                               .until = stay.until,
                               .by = "",
                               .detail = absl::StrCat("in ", incubator, " from ", stay.started_by,
                                                      " until ", domain::FormatUtc(stay.until))});
  }
  return absl::OkStatus();
}

}  // namespace

// Adds the units and infusions of every batch among `uses` (once each).
absl::Status AddDownstream(store::Transaction& tx, std::vector<domain::Use>& uses) {
  absl::flat_hash_set<std::string> batches;
  // A unit made with the lot itself is already listed, as direct.
  absl::flat_hash_set<std::string> listed;
  for (const domain::Use& u : uses) {
    if (!u.batch_id.empty()) batches.insert(u.batch_id);
    listed.insert(u.resource);
  }
  std::vector<std::string> sorted(batches.begin(), batches.end());
  std::sort(sorted.begin(), sorted.end());
  for (const std::string& id : sorted) {
    ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(id));
    ASSIGN_OR_RETURN(std::vector<domain::Use> downstream, tx.BatchDownstream(din));
    for (domain::Use& d : downstream) {
      if (listed.insert(d.resource).second) uses.push_back(std::move(d));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<domain::Use>> LotUses(store::Transaction& tx,
                                                 const std::string& lot_number) {
  if (lot_number.empty()) return absl::InvalidArgumentError("lot_number: required");
  RETURN_IF_ERROR(tx.GetReagentLot(lot_number).status());
  return tx.LotUses(lot_number);
}

absl::StatusOr<std::vector<domain::Use>> EquipmentUses(store::Transaction& tx,
                                                       const std::string& equipment_id,
                                                       const Window& window, absl::Time now) {
  if (equipment_id.empty()) return absl::InvalidArgumentError("equipment_id: required");
  ASSIGN_OR_RETURN(domain::Equipment equipment, tx.GetEquipment(equipment_id));
  ASSIGN_OR_RETURN(std::vector<domain::Use> uses,
                   tx.EquipmentMomentUses(equipment.equipment_id, window.from, window.to));
  ASSIGN_OR_RETURN(std::vector<std::string> cultured,
                   tx.BatchesInIncubator(equipment.equipment_id,
                                         window.from - domain::kLongestIncubatorStay, window.to));
  for (const std::string& batch_id : cultured) {
    RETURN_IF_ERROR(AddIncubations(tx, batch_id, equipment.equipment_id, window, now, uses));
  }
  return uses;
}

}  // namespace cpctrack::app
