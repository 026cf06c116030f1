// Reagent lots and equipment: what a culture step may use.
#ifndef CPCTRACK_DOMAIN_INVENTORY_H_
#define CPCTRACK_DOMAIN_INVENTORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace cpctrack::domain {

// Stored values: append, never renumber.
enum class LotStatus { kUnspecified = 0, kQuarantine = 1, kAccepted = 2, kRejected = 3 };
absl::string_view LotStatusName(LotStatus status);  // "QUARANTINE"

struct ReagentLot {
  std::string lot_number;
  std::string name;
  std::string manufacturer;
  absl::CivilDay expiry_day;  // last day of use, in the facility's time zone
  absl::Time created_at = absl::InfinitePast();
  std::string created_by;
  // A lot is received into QUARANTINE; QA's latest decision accepts it for
  // use (on the supplier's certificate of analysis) or rejects it.
  LotStatus status = LotStatus::kQuarantine;
  std::string certificate;    // the certificate of analysis it was accepted on
  std::string status_reason;  // why it was rejected
  std::string decided_by;
  absl::Time decided_at = absl::InfinitePast();
};

// QA's decision on a lot: ACCEPTED (with the certificate reference) or
// REJECTED (with a reason). Append-only; the latest is the lot's status.
struct LotDecision {
  std::string lot_number;
  LotStatus status = LotStatus::kUnspecified;
  std::string certificate;
  std::string reason;
  absl::Time decided_at = absl::InfinitePast();
  std::string decided_by;
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
  // Whether a calibration on record is needed before use: set at
  // registration for the kinds NeedsCalibration names. Equipment registered
  // before calibration was tracked has it unset, and is tracked from its
  // first calibration record on.
  bool calibration_required = false;
  // The latest record's next due day of each kind (last day of use, in the
  // facility's time zone); nullopt while none is on record.
  std::optional<absl::CivilDay> calibration_due;
  std::optional<absl::CivilDay> maintenance_due;
};

// Stored values: append, never renumber.
enum class UpkeepKind { kUnspecified = 0, kCalibration = 1, kMaintenance = 2 };
absl::string_view UpkeepKindName(UpkeepKind kind);  // "CALIBRATION"

// A calibration or maintenance of one piece of equipment: who did it, when,
// the certificate (or service report) it rests on, and when the next is due.
// Append-only: the latest record of each kind sets the equipment's due day.
struct UpkeepRecord {
  int64_t record_id = 0;  // assigned when stored
  std::string equipment_id;
  UpkeepKind kind = UpkeepKind::kUnspecified;
  absl::Time performed_at = absl::InfinitePast();
  absl::CivilDay next_due;
  std::string certificate;
  absl::Time recorded_at = absl::InfinitePast();
  std::string recorded_by;
};

// One line of the lab manager's list: a calibration or maintenance due.
struct UpkeepDue {
  std::string equipment_id;
  UpkeepKind kind = UpkeepKind::kUnspecified;
  std::optional<absl::CivilDay> due;  // nullopt: a required calibration never recorded
  bool lapsed = false;                // due before `today`
};

// Parses "YYYY-MM-DD" strictly; `field` names it in the error.
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view text);
std::string FormatDate(absl::CivilDay day);

absl::Status ValidateReagentLot(const ReagentLot& lot);
absl::Status ValidateEquipment(const Equipment& equipment);
// A status change needs a known status and a reason.
absl::Status ValidateStatusChange(EquipmentStatus status, absl::string_view reason);

// Incubators, biosafety cabinets, cell counters and controlled-rate freezers:
// registered from now on, they are used only with a calibration on record.
bool NeedsCalibration(EquipmentKind kind);

// A record made at `now` for equipment that exists: a known kind, a
// certificate reference, performed_at not in the future, and the next due day
// after the day it was performed (in `zone`) and within 10 years.
absl::Status ValidateUpkeepRecord(const UpkeepRecord& record, absl::Time now,
                                  absl::TimeZone zone);
// The equipment as it stands after `record`.
Equipment ApplyUpkeep(Equipment equipment, const UpkeepRecord& record);

// The calibrations and maintenances of `equipment` due on or before `until`
// (lapsed ones included: due before `today`), calibration first. Out-of-service
// equipment is listed too: it is due before it returns to service.
std::vector<UpkeepDue> DueBy(const Equipment& equipment, absl::CivilDay today,
                             absl::CivilDay until);
// The window of `cpc equipment due --within`: 0 to 3650 days.
absl::Status ValidateDueWindow(int within_days);

// The lot after `decision`. Accepting needs a lot in QUARANTINE, the
// certificate reference and a decider other than the lot's registrar
// (PermissionDenied: no one releases what they received). Rejecting needs a
// reason and a lot not already rejected (an accepted lot may be rejected
// later, e.g. on a supplier's recall).
absl::StatusOr<ReagentLot> DecideLot(const ReagentLot& lot, const LotDecision& decision);

// A lot may be used through the end of its expiry day.
bool IsExpired(const ReagentLot& lot, absl::CivilDay use_day);

// FailedPrecondition when the lot is in QUARANTINE, REJECTED, or expired on
// `use_day`.
absl::Status CheckLotUsable(absl::string_view field, const ReagentLot& lot,
                            absl::CivilDay use_day);
// FailedPrecondition when the equipment is of another kind, out of service,
// or its calibration has lapsed (or was never recorded, where it is required)
// on `use_day`. Calibrated equipment may be used through its due day.
absl::Status CheckEquipmentUsable(absl::string_view field, const Equipment& equipment,
                                  EquipmentKind required_kind, absl::CivilDay use_day);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_INVENTORY_H_
