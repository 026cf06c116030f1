// Reagent lots and equipment: what a culture step may use.
#ifndef CPCTRACK_DOMAIN_INVENTORY_H_
#define CPCTRACK_DOMAIN_INVENTORY_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace cpctrack::domain {

struct ReagentLot {
  std::string lot_number;
  std::string name;
  std::string manufacturer;
  absl::CivilDay expiry_day;  // last day of use, in the facility's time zone
  absl::Time created_at = absl::InfinitePast();
  std::string created_by;
};

// Stored values: append, never renumber.
enum class EquipmentKind {
  kUnspecified = 0,
  kIncubator = 1,
  kBiosafetyCabinet = 2,
  kCentrifuge = 3,
  kCellCounter = 4,
  kControlledRateFreezer = 5,
  kStorageTank = 6,
  kOther = 7,
};
enum class EquipmentStatus { kUnspecified = 0, kInService = 1, kOutOfService = 2 };

absl::string_view EquipmentKindName(EquipmentKind kind);
absl::string_view EquipmentStatusName(EquipmentStatus status);

struct Equipment {
  std::string equipment_id;
  EquipmentKind kind = EquipmentKind::kUnspecified;
  std::string name;
  EquipmentStatus status = EquipmentStatus::kInService;
  std::string status_reason;
  absl::Time created_at = absl::InfinitePast();
  std::string created_by;
};

// Parses "YYYY-MM-DD" strictly; `field` names it in the error.
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view text);
std::string FormatDate(absl::CivilDay day);

absl::Status ValidateReagentLot(const ReagentLot& lot);
absl::Status ValidateEquipment(const Equipment& equipment);
// A status change needs a known status and a reason.
absl::Status ValidateStatusChange(EquipmentStatus status, absl::string_view reason);

// A lot may be used through the end of its expiry day.
bool IsExpired(const ReagentLot& lot, absl::CivilDay use_day);

// FailedPrecondition when the lot is expired on `use_day`.
absl::Status CheckLotUsable(absl::string_view field, const ReagentLot& lot,
                            absl::CivilDay use_day);
// FailedPrecondition when the equipment is out of service or of another kind.
absl::Status CheckEquipmentUsable(absl::string_view field, const Equipment& equipment,
                                  EquipmentKind required_kind);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_INVENTORY_H_
