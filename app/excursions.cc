#include "app/excursions.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/audit.h"
#include "app/deviations.h"
#include "app/signatures.h"
#include "app/where_used.h"
#include "domain/audit.h"
#include "domain/status_macros.h"

namespace cpctrack::app {
namespace {

// The batches `request` reaches: where-used for a lot or a piece of
// equipment (with the units and infusions made from what they touched), the
// storage history of every unit ever in the tank for a tank.
absl::StatusOr<std::vector<domain::AffectedBatch>> FindAffected(store::Transaction& tx,
                                                                const domain::Excursion& request,
                                                                absl::Time now) {
  std::vector<domain::Use> uses;
  switch (request.scope) {
    case domain::ExcursionScope::kEquipment: {
      ASSIGN_OR_RETURN(uses,
                       EquipmentUses(tx, request.subject, Window{request.from, request.to}, now));
      break;
    }
    case domain::ExcursionScope::kLot: {
      ASSIGN_OR_RETURN(uses, LotUses(tx, request.subject));
      uses = domain::UsesInWindow(std::move(uses), request.from, request.to);
      break;
    }
    case domain::ExcursionScope::kTank: {
      RETURN_IF_ERROR(tx.GetTank(request.subject).status());
      ASSIGN_OR_RETURN(std::vector<std::string> ids, tx.UnitsEverInTank(request.subject));
      std::vector<domain::UnitHistory> units;
      for (const std::string& id : ids) {
        ASSIGN_OR_RETURN(domain::Unit unit, tx.GetUnit(id));
        ASSIGN_OR_RETURN(std::vector<domain::UnitEvent> events, tx.LoadUnitEvents(id));
        units.push_back({std::move(unit), std::move(events)});
      }
      return domain::AffectedByTank(units, request.subject, request.from, request.to);
    }
    case domain::ExcursionScope::kUnspecified:
      return std::vector<domain::AffectedBatch>{};  // the domain refuses it
  }
  RETURN_IF_ERROR(AddDownstream(tx, uses));
  return domain::AffectedByUses(uses);
}

}  // namespace

std::string ExcursionResource(int64_t excursion_id) {
  return absl::StrCat("excursions/", excursion_id);
}

absl::StatusOr<domain::Excursion> OpenExcursion(store::Transaction& tx, const WriteContext& ctx,
                                                domain::Excursion request) {
  const domain::StepContext step = ctx.step();
  // An unknown subject or a bad window is refused by the domain first, with
  // its own message; only a request that can stand is looked up.
  RETURN_IF_ERROR(domain::DecideOpenExcursion(request, {}, step).status());
  ASSIGN_OR_RETURN(std::vector<domain::AffectedBatch> affected,
                   FindAffected(tx, request, ctx.now));
  ASSIGN_OR_RETURN(domain::ExcursionDecision decision,
                   domain::DecideOpenExcursion(std::move(request), affected, step));
  domain::Excursion& e = decision.excursion;
  RETURN_IF_ERROR(tx.InsertExcursion(e));
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kExcursionOpen,
                              ExcursionResource(e.excursion_id), "", domain::ToJson(e),
                              e.description, ctx.request_id));
  const std::string why =
      absl::StrCat("reached by excursion ", domain::ExcursionLabel(e.excursion_id));
  for (auto& [batch_id, d] : decision.children) {
    ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(batch_id));
    d.excursion_id = e.excursion_id;
    RETURN_IF_ERROR(tx.InsertDeviation(din, d));
    RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kDeviationOpen,
                                DeviationResource(din, d.deviation_id), "", domain::ToJson(d), why,
                                ctx.request_id));
  }
  return e;
}

absl::StatusOr<ClosedExcursion> CloseExcursion(store::Transaction& tx, const WriteContext& ctx,
                                               int64_t excursion_id, const std::string& reason) {
  if (excursion_id <= 0) return absl::InvalidArgumentError("excursion_id: required");
  ASSIGN_OR_RETURN(domain::Excursion excursion, tx.GetExcursion(excursion_id));
  ASSIGN_OR_RETURN(std::vector<store::DeviationRow> rows, tx.ExcursionChildren(excursion_id));
  std::vector<std::pair<std::string, domain::Deviation>> children;
  for (store::DeviationRow& row : rows) {
    children.emplace_back(row.batch_id, std::move(row.deviation));
  }
  ASSIGN_OR_RETURN(domain::ExcursionClosure closure,
                   domain::DecideCloseExcursion(excursion, children, reason, ctx.step()));
  RETURN_IF_ERROR(tx.InsertExcursionClosure(excursion.excursion_id, closure));
  const std::string resource = ExcursionResource(excursion.excursion_id);
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kExcursionClose,
                              resource, domain::ToJson(excursion), domain::ToJson(closure),
                              closure.reason, ctx.request_id));
  // Signed: the excursion as it stood and the closure that concludes it.
  ASSIGN_OR_RETURN(domain::Signature signature,
                   RecordSignature(tx, ctx, domain::SignatureMeaning::kDeviationDisposition,
                                   resource,
                                   absl::StrCat(domain::ToJson(excursion), "\n",
                                                domain::ToJson(closure))));
  return ClosedExcursion{std::move(excursion), std::move(closure), std::move(signature)};
}

}  // namespace cpctrack::app
