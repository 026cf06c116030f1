#include "server/treatment_service.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "app/treatment.h"
#include "domain/inventory.h"
#include "domain/release_steps.h"
#include "domain/scan.h"
#include "domain/status_macros.h"
#include "server/access_control.h"
#include "server/api_mapping.h"
#include "server/sign_in.h"

namespace cpctrack::server {
namespace {

absl::Status FillPlan(store::Transaction& tx, const domain::TreatmentPlan& plan,
                      const domain::Patient& patient, v1::TreatmentPlan* out) {
  out->set_plan_id(plan.plan_id);
  out->set_patient_id(plan.patient_id);
  out->set_batch_id(plan.batch_id);
  out->set_plan_number(plan.plan_number);
  if (plan.fixed_cells.has_value()) out->set_fixed_cells(*plan.fixed_cells);
  if (plan.cells_per_kg.has_value()) out->set_cells_per_kg(*plan.cells_per_kg);
  ToProto(plan.created_at, out->mutable_create_time());
  out->set_created_by(plan.created_by);
  if (absl::StatusOr<domain::DoseNeed> need = domain::PlanDose(plan, patient); need.ok()) {
    out->set_cells_per_infusion(need->cells_per_infusion);
  }
  ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(plan.batch_id));
  ASSIGN_OR_RETURN(std::vector<domain::Infusion> infusions, tx.LoadInfusions(din));
  for (const domain::PlannedInfusion& p : plan.infusions) {
    v1::PlannedInfusion* planned = out->add_infusions();
    planned->set_planned_infusion_id(p.infusion_id);
    planned->set_sequence(p.sequence);
    planned->set_planned_date(domain::FormatDate(p.planned_day));
    for (const domain::Infusion& i : infusions) {
      if (i.planned_infusion_id == p.infusion_id) planned->add_unit_ids(i.unit_id);
    }
  }
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* TreatmentService::CreatePlan(grpc::CallbackServerContext* ctx,
                                                       const v1::CreatePlanRequest* request,
                                                       v1::TreatmentPlan* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->plan().batch_id()));
    ASSIGN_OR_RETURN(domain::TreatmentPlan proposed, FromProto(request->plan()));
    const app::NewPlan plan{din, request->plan().patient_id(), std::move(proposed)};
    return WriteOnce(store_, "CreatePlan", write.user, *request, request->request_id(), response,
                     [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(app::PlanOutcome out, app::CreatePlan(tx, write, plan));
                       return FillPlan(tx, out.plan, out.patient, response);
                     });
  });
}

grpc::ServerUnaryReactor* TreatmentService::GetPlan(grpc::CallbackServerContext* ctx,
                                                    const v1::GetPlanRequest* request,
                                                    v1::TreatmentPlan* response) {
  return Respond(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->batch_id()));
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(std::optional<domain::TreatmentPlan> plan, tx.PlanForBatch(din));
      if (!plan.has_value()) {
        return absl::NotFoundError(absl::StrCat("batch ", din.compact(),
                                                " has no treatment plan (`cpc plan create`)"));
      }
      ASSIGN_OR_RETURN(domain::Patient patient, tx.GetPatient(plan->patient_id));
      return FillPlan(tx, *plan, patient, response);
    });
  });
}

grpc::ServerUnaryReactor* TreatmentService::RecordInfusion(
    grpc::CallbackServerContext* ctx, const v1::RecordInfusionRequest* request,
    v1::RecordInfusionResponse* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    if (request->planned_infusion_id() <= 0) {
      return absl::InvalidArgumentError("planned_infusion_id: required");
    }
    RETURN_IF_ERROR(RequireId("scanned_unit_id", request->scanned_unit_id()));
    RETURN_IF_ERROR(RequireId("scanned_patient_id", request->scanned_patient_id()));
    // The unit as scanned (label DataMatrix, linear symbols, or typed ID);
    // CheckBedside compares every part of the scan with the record.
    ASSIGN_OR_RETURN(const std::string unit_id,
                     domain::ScannedUnitId("scanned_unit_id", request->scanned_unit_id()));
    // Two people: the second is named and is not the caller before any
    // password is checked.
    if (request->verifier().empty() || request->verifier() == user) {
      return domain::CheckBedsideVerifier(user, request->verifier(), {});
    }
    if (request->verifier_signature().password().empty()) {
      return absl::UnauthenticatedError(absl::StrCat(
          "verifier_signature.password: required: ", request->verifier(),
          " verifies unit and patient identity and signs with their own password"));
    }
    // The second verifier re-authenticates like a login (throttled, failures
    // audited), then must be allowed to verify.
    // Limited per signer, like every signature, so one person's failures
    // never hold up another's.
    return LabelRefusal(CheckPassword(
        store_, *config_.password_pool, request->verifier(),
        request->verifier_signature().password(), "bedside identity verification", absl::Now(),
        absl::StrCat("signer:", request->verifier()),
        [=, this](store::UserAccount account) -> Reply {
          RETURN_IF_ERROR(domain::CheckBedsideVerifier(user, account.user.name,
                                                       account.user.roles));
          if (account.user.disabled) {
            return absl::PermissionDeniedError(absl::StrCat(
                "verifier: ", account.user.name, " is disabled and cannot verify an infusion"));
          }
          const app::Verifier verifier{account.user.name, account.user.full_name};
          return RecordVerifiedInfusion(request, response, caller, unit_id, verifier);
        }), "verifier_signature: not accepted: ");
  });
}

// The bedside check (recorded whatever its outcome) and, when it passes, the
// infusion with the second verifier's signature.
Reply TreatmentService::RecordVerifiedInfusion(const v1::RecordInfusionRequest* request,
                                               v1::RecordInfusionResponse* response,
                                               const Caller& caller, const std::string& unit_id,
                                               const app::Verifier& verifier) {
  ASSIGN_OR_RETURN(app::WriteContext write,
                   WriteContextFor(caller, config_, request->request_id(),
                                   request->late_entry_reason()));
  // A unit must be in date, and a thawed one within its window, when the
  // infusion starts.
  const app::BedsideScan scan{request->planned_infusion_id(), unit_id,
                              request->scanned_unit_id(), request->scanned_patient_id(),
                              request->has_start_time() ? FromProto(request->start_time())
                                                        : write.now};

  // The bedside check is recorded whatever its outcome, in its own
  // transaction, so a refused attempt stays on record.
  auto check = std::make_shared<absl::Status>();
  return Write(store_,
               [=](store::Transaction& tx) -> absl::Status {
                 ASSIGN_OR_RETURN(app::BedsideCheck found,
                                  app::RecordBedsideCheck(tx, write, scan));
                 *check = std::move(found.outcome);
                 return absl::OkStatus();
               })
      .Then([=, this]() -> Reply {
        RETURN_IF_ERROR(*check);

        app::NewInfusion infusion{scan, {}, verifier};
        infusion.infusion.started_at = FromProto(request->start_time());
        infusion.infusion.ended_at = FromProto(request->end_time());
        infusion.infusion.viable_cells_given = request->viable_cells_given();
        infusion.infusion.adverse_events = request->adverse_events();
        return WriteOnce(
            store_, "RecordInfusion", write.user, *request, request->request_id(), response,
            [=](store::Transaction& tx) -> absl::Status {
              ASSIGN_OR_RETURN(app::InfusionOutcome out, app::RecordInfusion(tx, write, infusion));
              ToProto(out.verifier_signature, response->mutable_verifier_signature());
              response->set_infusion_record_id(out.infusion.infusion_record_id);
              response->set_viable_cells_given(out.infusion.viable_cells_given);
              ToProto(out.unit, response->mutable_unit());
              response->set_infusions_remaining(out.infusions_planned);
              response->set_infusions_covered(out.infusions_covered);
              return absl::OkStatus();
            });
      });
}

}  // namespace cpctrack::server
