#include "domain/inventory.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/patient.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"

namespace cpctrack::domain {

absl::string_view EquipmentKindName(EquipmentKind kind) {
  switch (kind) {
    case EquipmentKind::kUnspecified: return "UNSPECIFIED";
    case EquipmentKind::kIncubator: return "INCUBATOR";
    case EquipmentKind::kBiosafetyCabinet: return "BIOSAFETY_CABINET";
    case EquipmentKind::kCentrifuge: return "CENTRIFUGE";
    case EquipmentKind::kCellCounter: return "CELL_COUNTER";
    case EquipmentKind::kControlledRateFreezer: return "CONTROLLED_RATE_FREEZER";
    case EquipmentKind::kStorageTank: return "STORAGE_TANK";
    case EquipmentKind::kOther: return "OTHER";
  }
  return "UNKNOWN";
}

absl::string_view EquipmentStatusName(EquipmentStatus status) {
  switch (status) {
    case EquipmentStatus::kUnspecified: return "UNSPECIFIED";
    case EquipmentStatus::kInService: return "IN_SERVICE";
    case EquipmentStatus::kOutOfService: return "OUT_OF_SERVICE";
  }
  return "UNKNOWN";
}

absl::string_view UpkeepKindName(UpkeepKind kind) {
  switch (kind) {
    case UpkeepKind::kUnspecified: return "UNSPECIFIED";
    case UpkeepKind::kCalibration: return "CALIBRATION";
    case UpkeepKind::kMaintenance: return "MAINTENANCE";
  }
  return "UNKNOWN";
}

absl::string_view LotStatusName(LotStatus status) {
  switch (status) {
    case LotStatus::kUnspecified: return "UNSPECIFIED";
    case LotStatus::kQuarantine: return "QUARANTINE";
    case LotStatus::kAccepted: return "ACCEPTED";
    case LotStatus::kRejected: return "REJECTED";
  }
  return "UNKNOWN";
}

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view text) {
  // ParseCivilTime rejects impossible dates but not the shape: it skips
  // whitespace and takes "+2026-3-31" or "02026-3-31", so check "DDDD-DD-DD".
  bool shape_ok = text.size() == 10;
  for (size_t i = 0; shape_ok && i < text.size(); ++i) {
    shape_ok = (i == 4 || i == 7) ? text[i] == '-'
                                  : absl::ascii_isdigit(static_cast<unsigned char>(text[i]));
  }
  absl::CivilDay day;
  if (!shape_ok || !absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: \"%s\" is not a date in the form YYYY-MM-DD", field, text));
  }
  return day;
}

std::string FormatDate(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::Status ValidateReagentLot(const ReagentLot& lot) {
  if (auto s = ValidateIdentifier("lot_number", lot.lot_number); !s.ok()) return s;
  if (auto s = CheckText("name", lot.name, 100, true); !s.ok()) return s;
  if (auto s = CheckText("manufacturer", lot.manufacturer, 100, false); !s.ok()) return s;
  if (lot.expiry_day.year() < 2000 || lot.expiry_day.year() > 2100) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expiry_date: ", FormatDate(lot.expiry_day), " is not a plausible expiry date"));
  }
  return absl::OkStatus();
}

absl::Status ValidateEquipment(const Equipment& equipment) {
  if (auto s = ValidateIdentifier("equipment_id", equipment.equipment_id); !s.ok()) return s;
  if (equipment.kind == EquipmentKind::kUnspecified) {
    return absl::InvalidArgumentError("kind: required");
  }
  return CheckText("name", equipment.name, 100, true);
}

absl::Status ValidateStatusChange(EquipmentStatus status, absl::string_view reason) {
  if (status == EquipmentStatus::kUnspecified) {
    return absl::InvalidArgumentError("status: required (in service or out of service)");
  }
  return CheckFreeText("reason", reason, 500, true);
}

absl::StatusOr<ReagentLot> DecideLot(const ReagentLot& lot, const LotDecision& decision) {
  ReagentLot after = lot;
  after.status = decision.status;
  after.decided_by = decision.decided_by;
  after.decided_at = decision.decided_at;
  if (decision.status == LotStatus::kAccepted) {
    if (lot.status != LotStatus::kQuarantine) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "lot %s is %s; only a lot in QUARANTINE is accepted", lot.lot_number,
          LotStatusName(lot.status)));
    }
    RETURN_IF_ERROR(CheckText("certificate", decision.certificate, 100, true));
    if (decision.decided_by == lot.created_by) {
      return absl::PermissionDeniedError(absl::StrFormat(
          "%s registered lot %s; another QA reviewer accepts it (separation of duties)",
          decision.decided_by, lot.lot_number));
    }
    after.certificate = decision.certificate;
    after.status_reason = "";
    return after;
  }
  if (decision.status == LotStatus::kRejected) {
    if (lot.status == LotStatus::kRejected) {
      return absl::FailedPreconditionError(
          absl::StrFormat("lot %s is already REJECTED", lot.lot_number));
    }
    RETURN_IF_ERROR(CheckFreeText("reason", decision.reason, 500, true));
    after.status_reason = decision.reason;
    return after;
  }
  return absl::InvalidArgumentError("status: ACCEPTED or REJECTED");
}

bool NeedsCalibration(EquipmentKind kind) {
  return kind == EquipmentKind::kIncubator || kind == EquipmentKind::kBiosafetyCabinet ||
         kind == EquipmentKind::kCellCounter || kind == EquipmentKind::kControlledRateFreezer;
}

absl::Status ValidateUpkeepRecord(const UpkeepRecord& record, absl::Time now,
                                  absl::TimeZone zone) {
  if (record.kind == UpkeepKind::kUnspecified) {
    return absl::InvalidArgumentError("kind: required (calibration or maintenance)");
  }
  if (auto s = ValidateIdentifier("equipment_id", record.equipment_id); !s.ok()) return s;
  if (auto s = CheckText("certificate", record.certificate, 100, true); !s.ok()) return s;
  if (record.performed_at == absl::InfinitePast()) {
    return absl::InvalidArgumentError("performed_at: required");
  }
  if (auto s = CheckNotFuture("performed_at", record.performed_at, now); !s.ok()) return s;
  const absl::CivilDay performed = absl::ToCivilDay(record.performed_at, zone);
  if (record.next_due <= performed || record.next_due > performed + 3653) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "next_due: %s must be after the day it was performed (%s) and within 10 years",
        FormatDate(record.next_due), FormatDate(performed)));
  }
  return absl::OkStatus();
}

Equipment ApplyUpkeep(Equipment equipment, const UpkeepRecord& record) {
  if (record.kind == UpkeepKind::kCalibration) equipment.calibration_due = record.next_due;
  if (record.kind == UpkeepKind::kMaintenance) equipment.maintenance_due = record.next_due;
  return equipment;
}

std::vector<UpkeepDue> DueBy(const Equipment& equipment, absl::CivilDay today,
                             absl::CivilDay until) {
  std::vector<UpkeepDue> out;
  auto add = [&](UpkeepKind kind, const std::optional<absl::CivilDay>& due, bool required) {
    if (due.has_value() ? *due > until : !required) return;
    out.push_back({equipment.equipment_id, kind, due, !due.has_value() || *due < today});
  };
  add(UpkeepKind::kCalibration, equipment.calibration_due, equipment.calibration_required);
  add(UpkeepKind::kMaintenance, equipment.maintenance_due, false);
  return out;
}

absl::Status ValidateDueWindow(int within_days) {
  if (within_days < 0 || within_days > 3650) {
    return absl::InvalidArgumentError(absl::StrCat(
        "within_days: ", within_days, " is not a window of 0 to 3650 days"));
  }
  return absl::OkStatus();
}

bool IsExpired(const ReagentLot& lot, absl::CivilDay use_day) {
  return use_day > lot.expiry_day;
}

absl::Status CheckLotUsable(absl::string_view field, const ReagentLot& lot,
                            absl::CivilDay use_day) {
  if (lot.status == LotStatus::kRejected) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: reagent lot %s (%s) is REJECTED (%s); it cannot be used", field, lot.lot_number,
        lot.name, lot.status_reason));
  }
  if (lot.status != LotStatus::kAccepted) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: reagent lot %s (%s) is in QUARANTINE; it is used only once QA accepts it "
        "(`cpc lot accept %s --certificate REF`)",
        field, lot.lot_number, lot.name, lot.lot_number));
  }
  if (IsExpired(lot, use_day)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: reagent lot %s (%s) expired on %s; it cannot be used on %s", field,
        lot.lot_number, lot.name, FormatDate(lot.expiry_day), FormatDate(use_day)));
  }
  return absl::OkStatus();
}

absl::Status CheckEquipmentUsable(absl::string_view field, const Equipment& equipment,
                                  EquipmentKind required_kind, absl::CivilDay use_day) {
  if (equipment.kind != required_kind) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: %s is a %s, not a %s", field, equipment.equipment_id,
        EquipmentKindName(equipment.kind), EquipmentKindName(required_kind)));
  }
  if (equipment.status != EquipmentStatus::kInService) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: %s is out of service (%s)", field, equipment.equipment_id,
        equipment.status_reason));
  }
  if (!equipment.calibration_due.has_value()) {
    if (!equipment.calibration_required) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: %s has no calibration on record; record one with `cpc equipment calibrate %s`",
        field, equipment.equipment_id, equipment.equipment_id));
  }
  if (use_day > *equipment.calibration_due) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: %s is out of calibration: its calibration was due on %s; it cannot be used on %s "
        "(record its calibration with `cpc equipment calibrate %s`)",
        field, equipment.equipment_id, FormatDate(*equipment.calibration_due),
        FormatDate(use_day), equipment.equipment_id));
  }
  return absl::OkStatus();
}

}  // namespace cpctrack::domain
