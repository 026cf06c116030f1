#include "domain/audit_action.h"

namespace cpctrack::domain {

absl::string_view AuditActionName(AuditAction action) {
  switch (action) {
    case AuditAction::kAuditAcknowledgeBreak: return "audit.acknowledge_break";
    case AuditAction::kAuditExport: return "audit.export";
    case AuditAction::kBatchCorrectRecord: return "batch.correct_record";
    case AuditAction::kBatchCreate: return "batch.create";
    case AuditAction::kBatchReceiveTissue: return "batch.receive_tissue";
    case AuditAction::kBatchRecordMediumChange: return "batch.record_medium_change";
    case AuditAction::kBatchRecordObservation: return "batch.record_observation";
    case AuditAction::kBatchRecordPassage: return "batch.record_passage";
    case AuditAction::kBatchRelease: return "batch.release";
    case AuditAction::kBatchSeedCulture: return "batch.seed_culture";
    case AuditAction::kBatchUpdate: return "batch.update";
    case AuditAction::kDeviationAddNote: return "deviation.add_note";
    case AuditAction::kDeviationClose: return "deviation.close";
    case AuditAction::kDeviationOpen: return "deviation.open";
    case AuditAction::kEquipmentCalibrate: return "equipment.calibrate";
    case AuditAction::kEquipmentCreate: return "equipment.create";
    case AuditAction::kEquipmentMaintain: return "equipment.maintain";
    case AuditAction::kEquipmentSetStatus: return "equipment.set_status";
    case AuditAction::kExcursionClose: return "excursion.close";
    case AuditAction::kExcursionOpen: return "excursion.open";
    case AuditAction::kFollowupAcknowledge: return "followup.acknowledge";
    case AuditAction::kFollowupAssess: return "followup.assess";
    case AuditAction::kFollowupOpen: return "followup.open";
    case AuditAction::kInfusionBedsideCheck: return "infusion.bedside_check";
    case AuditAction::kInfusionBedsideRefused: return "infusion.bedside_refused";
    case AuditAction::kInfusionRecord: return "infusion.record";
    case AuditAction::kLotAccept: return "lot.accept";
    case AuditAction::kLotCreate: return "lot.create";
    case AuditAction::kLotReject: return "lot.reject";
    case AuditAction::kPatientAddIdentifier: return "patient.add_identifier";
    case AuditAction::kPatientCreate: return "patient.create";
    case AuditAction::kPatientUpdate: return "patient.update";
    case AuditAction::kPlanCreate: return "plan.create";
    case AuditAction::kProductCreate: return "product.create";
    case AuditAction::kQcCorrectResult: return "qc.correct_result";
    case AuditAction::kQcDrawSample: return "qc.draw_sample";
    case AuditAction::kQcInvalidateTest: return "qc.invalidate_test";
    case AuditAction::kQcOrderTest: return "qc.order_test";
    case AuditAction::kQcRecordInterimReading: return "qc.record_interim_reading";
    case AuditAction::kQcRecordResult: return "qc.record_result";
    case AuditAction::kQcReviewResult: return "qc.review_result";
    case AuditAction::kSignatureSign: return "signature.sign";
    case AuditAction::kStorageAddBox: return "storage.add_box";
    case AuditAction::kStorageAddRack: return "storage.add_rack";
    case AuditAction::kStorageCreateTank: return "storage.create_tank";
    case AuditAction::kStorageRecordReading: return "storage.record_reading";
    case AuditAction::kUnitDispose: return "unit.dispose";
    case AuditAction::kUnitFormulate: return "unit.formulate";
    case AuditAction::kUnitFreeze: return "unit.freeze";
    case AuditAction::kUnitLiftQuarantine: return "unit.lift_quarantine";
    case AuditAction::kUnitMove: return "unit.move";
    case AuditAction::kUnitQuarantine: return "unit.quarantine";
    case AuditAction::kUnitThaw: return "unit.thaw";
    case AuditAction::kUnitUpdate: return "unit.update";
    case AuditAction::kUserChangePassword: return "user.change_password";
    case AuditAction::kUserCreate: return "user.create";
    case AuditAction::kUserDisable: return "user.disable";
    case AuditAction::kUserLogin: return "user.login";
    case AuditAction::kUserLoginFailures: return "user.login_failures";
    case AuditAction::kUserLogout: return "user.logout";
    case AuditAction::kUserResetPassword: return "user.reset_password";
    case AuditAction::kUserSetRoles: return "user.set_roles";
    case AuditAction::kUserQualify: return "user.qualify";
  }
  return "unknown";
}

const std::vector<AuditAction>& AllAuditActions() {
  // The values run from 0 without gaps (audit_action.h), so the switch above
  // is the one list: every value it names, in order.
  static const auto* all = [] {
    auto* actions = new std::vector<AuditAction>;
    for (int i = 0; AuditActionName(static_cast<AuditAction>(i)) != "unknown"; ++i) {
      actions->push_back(static_cast<AuditAction>(i));
    }
    return actions;
  }();
  return *all;
}

std::optional<AuditAction> ParseAuditAction(absl::string_view name) {
  for (AuditAction action : AllAuditActions()) {
    if (AuditActionName(action) == name) return action;
  }
  return std::nullopt;
}

}  // namespace cpctrack::domain
