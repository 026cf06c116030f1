#include "domain/qualification.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/audit.h"
#include "domain/audit_action.h"
#include "domain/inventory.h"
#include "domain/patient.h"
#include "domain/plausibility.h"
#include "domain/text.h"

namespace cpctrack::domain {
namespace {

struct StepRow {
  Step step;
  absl::string_view name;
  AuditAction action;  // the audit trail's action for the step
  Procedure procedure;
};

// The one table of steps, their audit actions and procedures.
constexpr StepRow kSteps[] = {
    {Step::kTissueReceipt, "tissue receipt", AuditAction::kBatchReceiveTissue,
     Procedure::kAsepticProcessing},
    {Step::kSeeding, "P0 seeding", AuditAction::kBatchSeedCulture, Procedure::kAsepticProcessing},
    {Step::kObservation, "observation", AuditAction::kBatchRecordObservation,
     Procedure::kAsepticProcessing},
    {Step::kMediumChange, "medium change", AuditAction::kBatchRecordMediumChange,
     Procedure::kAsepticProcessing},
    {Step::kPassage, "passage", AuditAction::kBatchRecordPassage, Procedure::kPassage},
    {Step::kQcSample, "QC sample", AuditAction::kQcDrawSample, Procedure::kQcTesting},
    {Step::kQcOrder, "QC test order", AuditAction::kQcOrderTest, Procedure::kQcTesting},
    {Step::kQcResult, "QC result", AuditAction::kQcRecordResult, Procedure::kQcTesting},
    {Step::kFreeze, "freeze", AuditAction::kUnitFreeze, Procedure::kFreezing},
    {Step::kFormulate, "fresh formulation", AuditAction::kUnitFormulate,
     Procedure::kAsepticProcessing},
    {Step::kThaw, "thaw", AuditAction::kUnitThaw, Procedure::kFreezing},
    {Step::kInfusion, "infusion", AuditAction::kInfusionRecord, Procedure::kInfusion},
};

const StepRow& RowOf(Step step) {
  for (const StepRow& row : kSteps) {
    if (row.step == step) return row;
  }
  return kSteps[0];  // unreachable: every Step has a row (tested)
}

}  // namespace

std::vector<Procedure> AllProcedures() {
  return {Procedure::kAsepticProcessing, Procedure::kPassage, Procedure::kFreezing,
          Procedure::kQcTesting, Procedure::kInfusion};
}

absl::string_view ProcedureName(Procedure procedure) {
  switch (procedure) {
    case Procedure::kUnspecified:
      break;
    case Procedure::kAsepticProcessing:
      return "aseptic-processing";
    case Procedure::kPassage:
      return "passage";
    case Procedure::kFreezing:
      return "freezing";
    case Procedure::kQcTesting:
      return "qc-testing";
    case Procedure::kInfusion:
      return "infusion";
  }
  return "unspecified";
}

absl::StatusOr<Procedure> ParseProcedure(absl::string_view name) {
  for (Procedure p : AllProcedures()) {
    if (ProcedureName(p) == name) return p;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("procedure: \"", EscapeUnprintable(name),
                   "\" is not one of aseptic-processing, passage, freezing, qc-testing, infusion"));
}

absl::string_view StepName(Step step) { return RowOf(step).name; }

Procedure ProcedureOf(Step step) { return RowOf(step).procedure; }

Step StepOf(RecordKind kind) {
  switch (kind) {
    case RecordKind::kTissueReceipt:
      return Step::kTissueReceipt;
    case RecordKind::kSeeding:
      return Step::kSeeding;
    case RecordKind::kObservation:
      return Step::kObservation;
    case RecordKind::kMediumChange:
      return Step::kMediumChange;
    case RecordKind::kPassage:
      return Step::kPassage;
  }
  return Step::kTissueReceipt;
}

std::optional<Step> StepOfAction(absl::string_view action) {
  for (const StepRow& row : kSteps) {
    if (AuditActionName(row.action) == action) return row.step;
  }
  return std::nullopt;
}

absl::Status ValidateQualification(const Qualification& q, absl::CivilDay today) {
  if (auto s = ValidateIdentifier("user_name", q.user_name); !s.ok()) return s;
  if (q.procedure == Procedure::kUnspecified) {
    return absl::InvalidArgumentError(
        "procedure: required (aseptic-processing, passage, freezing, qc-testing, infusion)");
  }
  if (auto s = CheckText("evidence", q.evidence, kMaxEvidence, true); !s.ok()) return s;
  if (q.qualified_on > today) {
    return absl::InvalidArgumentError(absl::StrCat("qualified_on: ", FormatDate(q.qualified_on),
                                                   " is after today (", FormatDate(today),
                                                   "): record a qualification once it is earned"));
  }
  if (q.expires_on <= q.qualified_on || q.expires_on < today ||
      q.expires_on > q.qualified_on + kMaxQualificationDays) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "expires_on: %s must be after the day qualified (%s), not before today (%s) and "
        "within 5 years of qualifying",
        FormatDate(q.expires_on), FormatDate(q.qualified_on), FormatDate(today)));
  }
  if (q.recorded_by == q.user_name) {
    return absl::PermissionDeniedError(
        absl::StrCat("user_name: ", q.user_name,
                     " is you: no one records their own qualification; ask "
                     "QA or an administrator"));
  }
  return absl::OkStatus();
}

bool Covers(const Qualification& q, absl::CivilDay day) {
  return q.qualified_on <= day && day <= q.expires_on;
}

const Qualification* QualificationFor(const std::vector<Qualification>& held, Procedure procedure,
                                      absl::CivilDay day) {
  const Qualification* found = nullptr;
  for (const Qualification& q : held) {
    if (q.procedure != procedure || !Covers(q, day)) continue;
    if (found == nullptr || q.qualification_id > found->qualification_id) found = &q;
  }
  return found;
}

absl::Status CheckQualified(absl::string_view user, const std::vector<Qualification>& held,
                            Step step, absl::CivilDay step_day) {
  const Procedure procedure = ProcedureOf(step);
  if (QualificationFor(held, procedure, step_day) != nullptr) return absl::OkStatus();
  // Why not: the latest expiry before the day, else the earliest start after it.
  const Qualification* expired = nullptr;
  const Qualification* later = nullptr;
  for (const Qualification& q : held) {
    if (q.procedure != procedure) continue;
    if (q.expires_on < step_day) {
      if (expired == nullptr || q.expires_on > expired->expires_on) expired = &q;
    } else if (later == nullptr || q.qualified_on < later->qualified_on) {
      later = &q;
    }
  }
  const std::string head =
      absl::StrCat(user, " is not qualified for ", ProcedureName(procedure), ", which a ",
                   StepName(step), " on ", FormatDate(step_day), " needs: ");
  std::string why;
  if (expired != nullptr) {
    why = absl::StrCat("the qualification expired on ", FormatDate(expired->expires_on));
  } else if (later != nullptr) {
    why = absl::StrCat("qualified only from ", FormatDate(later->qualified_on));
  } else {
    why = "no qualification on record";
  }
  return absl::FailedPreconditionError(
      absl::StrCat(head, why, "; QA or an administrator records one (`cpc user qualify ", user,
                   " --procedure ", ProcedureName(procedure), "`)"));
}

std::string ToJson(const Qualification& q) {
  return JsonObject()
      .Add("qualification_id", q.qualification_id)
      .Add("user_name", q.user_name)
      .Add("procedure", ProcedureName(q.procedure))
      .Add("qualified_on", FormatDate(q.qualified_on))
      .Add("expires_on", FormatDate(q.expires_on))
      .Add("evidence", q.evidence)
      .Build();
}

}  // namespace cpctrack::domain
