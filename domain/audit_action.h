// What an audit trail entry records: one enum for every change cpcd makes,
// so that the trail's vocabulary is one list, checked by the compiler, not
// strings spelled at each call site. The names are stored in the trail (and
// hashed into its chain) and searched by auditors: never rename one; add.
#ifndef CPCTRACK_DOMAIN_AUDIT_ACTION_H_
#define CPCTRACK_DOMAIN_AUDIT_ACTION_H_

#include <optional>
#include <vector>

#include "absl/strings/string_view.h"

namespace cpctrack::domain {

// Values run from 0 without gaps: AuditActionName's switch is the one list.
enum class AuditAction {
  kAuditAcknowledgeBreak,
  kAuditExport,
  kBatchCorrectRecord,
  kBatchCreate,
  kBatchReceiveTissue,
  kBatchRecordMediumChange,
  kBatchRecordObservation,
  kBatchRecordPassage,
  kBatchRelease,
  kBatchSeedCulture,
  kBatchUpdate,
  kDeviationAddNote,
  kDeviationClose,
  kDeviationOpen,
  kEquipmentCalibrate,
  kEquipmentCreate,
  kEquipmentMaintain,
  kEquipmentSetStatus,
  kExcursionClose,
  kExcursionOpen,
  kFollowupAcknowledge,
  kFollowupAssess,
  kFollowupOpen,
  kInfusionBedsideCheck,
  kInfusionBedsideRefused,
  kInfusionRecord,
  kLotAccept,
  kLotCreate,
  kLotReject,
  kPatientAddIdentifier,
  kPatientCreate,
  kPatientUpdate,
  kPlanCreate,
  kProductCreate,
  kQcCorrectResult,
  kQcDrawSample,
  kQcInvalidateTest,
  kQcOrderTest,
  kQcRecordInterimReading,
  kQcRecordResult,
  kQcReviewResult,
  kSignatureSign,
  kStorageAddBox,
  kStorageAddRack,
  kStorageCreateTank,
  kStorageRecordReading,
  kUnitDispose,
  kUnitFormulate,
  kUnitFreeze,
  kUnitLiftQuarantine,
  kUnitMove,
  kUnitQuarantine,
  kUnitThaw,
  kUnitUpdate,
  kUserChangePassword,
  kUserCreate,
  kUserDisable,
  kUserLogin,
  kUserLoginFailures,
  kUserLogout,
  kUserResetPassword,
  kUserSetRoles,
  kUserQualify,
};

// "batch.record_passage": the name the trail stores.
absl::string_view AuditActionName(AuditAction action);
// Every action, in the order above (derived from AuditActionName).
const std::vector<AuditAction>& AllAuditActions();
// The action named `name`, if there is one (e.g. an auditor's filter).
std::optional<AuditAction> ParseAuditAction(absl::string_view name);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_AUDIT_ACTION_H_
