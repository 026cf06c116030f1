#include "server/treatment_service.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/audit.h"
#include "domain/inventory.h"
#include "domain/release_steps.h"
#include "domain/scan.h"
#include "domain/status_macros.h"
#include "google/protobuf/util/json_util.h"
#include "server/access_control.h"
#include "server/api_mapping.h"
#include "server/app_layer.h"
#include "server/readiness_support.h"
#include "server/sign_in.h"
#include "server/signatures.h"

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

// What the bedside checks besides the unit and plan: the unit's product code
// and thaw window, and the clinic's identifiers of its patient.
absl::StatusOr<domain::BedsideFacts> LoadBedsideFacts(store::Transaction& tx,
                                                            const domain::Unit& unit) {
  ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(unit.batch_id));
  ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(din));
  ASSIGN_OR_RETURN(domain::Product product,
                   tx.GetProduct(batch.product_code, batch.product_version));
  domain::BedsideFacts facts;
  facts.isbt_product_description_code = product.isbt_product_description_code;
  facts.max_thaw_to_infusion = product.max_thaw_to_infusion;
  facts.max_entry_delay = product.max_entry_delay;
  ASSIGN_OR_RETURN(facts.patient_identifiers, tx.LoadPatientIdentifiers(unit.patient_id));
  return facts;
}

// The infusion record as audited and as the second verifier signs it.
std::string InfusionContent(const domain::Infusion& infusion, absl::string_view scanned_unit,
                            absl::string_view scanned_patient) {
  return domain::JsonObject()
      .Add("planned_infusion_id", infusion.planned_infusion_id)
      .Add("unit_id", infusion.unit_id)
      .Add("started_at", infusion.started_at)
      .Add("ended_at", infusion.ended_at)
      .Add("viable_cells_given", infusion.viable_cells_given)
      .Add("adverse_events", infusion.adverse_events)
      .Add("scanned_unit_id", scanned_unit)
      .Add("scanned_patient_id", scanned_patient)
      .Add("recorded_by", infusion.recorded_by)
      .Add("verified_by", infusion.verified_by)
      .Build();
}

}  // namespace

grpc::ServerUnaryReactor* TreatmentService::CreatePlan(grpc::CallbackServerContext* ctx,
                                                       const v1::CreatePlanRequest* request,
                                                       v1::TreatmentPlan* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    ASSIGN_OR_RETURN(domain::Din din, ParseBatchId(request->plan().batch_id()));
    ASSIGN_OR_RETURN(domain::TreatmentPlan proposed, FromProto(request->plan()));
    const domain::StepContext step{absl::Now(), config_.time_zone, user};
    return WriteOnce(store_, "CreatePlan", user, *request, request->request_id(), response,
                     [=, this](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(din));
                       if (!request->plan().patient_id().empty() &&
                           request->plan().patient_id() != batch.patient_id) {
                         return absl::FailedPreconditionError(absl::StrCat(
                             "plan.patient_id: batch ", din.compact(), " belongs to patient ",
                             batch.patient_id, ", not ", request->plan().patient_id()));
                       }
                       ASSIGN_OR_RETURN(domain::Patient patient, tx.GetPatient(batch.patient_id));
                       ASSIGN_OR_RETURN(domain::TreatmentPlan plan,
                                        domain::DecideCreatePlan(patient, batch, proposed, step));
                       RETURN_IF_ERROR(tx.InsertPlan(plan));
                       RETURN_IF_ERROR(FillPlan(tx, plan, patient, response));
                       std::string json;
                       (void)google::protobuf::util::MessageToJsonString(*response, &json);
                       return AppendAudit(
                           tx, step.now, user, domain::AuditAction::kPlanCreate,
                           absl::StrCat("batches/", din.compact(), "/plans/", plan.plan_id), "",
                           json, "", request->request_id());
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
          const Caller verifier{account.user.name, account.user.full_name, account.user.roles};
          return RecordVerifiedInfusion(request, response, user, unit_id, verifier);
        }), "verifier_signature: not accepted: ");
  });
}

// The bedside check (recorded whatever its outcome) and, when it passes, the
// infusion with the second verifier's signature.
Reply TreatmentService::RecordVerifiedInfusion(const v1::RecordInfusionRequest* request,
                                               v1::RecordInfusionResponse* response,
                                               const std::string& user,
                                               const std::string& unit_id,
                                               const Caller& verifier) {
  const domain::StepContext step{absl::Now(), config_.time_zone, user,
                                 request->late_entry_reason()};
  // A unit must be in date, and a thawed one within its window, when the
  // infusion starts.
  const absl::Time given_at =
      request->has_start_time() ? FromProto(request->start_time()) : step.now;

  // The bedside check is recorded whatever its outcome, in its own
  // transaction, so a refused attempt stays on record.
  auto check = std::make_shared<absl::Status>();
  return Write(store_,
               [=, this](store::Transaction& tx) -> absl::Status {
                 // The bedside check is the infusion procedure's first step.
                 RETURN_IF_ERROR(RequireQualified(tx, user, domain::Step::kInfusion, given_at,
                                                  config_.time_zone));
                 ASSIGN_OR_RETURN(store::PlannedInfusionRow row,
                                  tx.GetPlannedInfusion(request->planned_infusion_id()));
                 ASSIGN_OR_RETURN(domain::Unit unit, tx.GetUnit(unit_id));
                 ASSIGN_OR_RETURN(const domain::BedsideFacts bedside, LoadBedsideFacts(tx, unit));
                 *check = domain::CheckBedside(unit, row.plan, bedside, request->scanned_unit_id(),
                                               request->scanned_patient_id(), given_at);
                 RETURN_IF_ERROR(tx.InsertBedsideCheck(
                     request->planned_infusion_id(), unit.unit_id, request->scanned_unit_id(),
                     request->scanned_patient_id(), check->ok(), check->message(), step.now, user));
                 return AppendAudit(tx, step.now, user,
                                    check->ok() ? domain::AuditAction::kInfusionBedsideCheck
                                                : domain::AuditAction::kInfusionBedsideRefused,
                                    absl::StrCat("units/", unit.unit_id), "",
                                    domain::JsonObject()
                                        .Add("planned_infusion_id", request->planned_infusion_id())
                                        .Add("scanned_unit_id", request->scanned_unit_id())
                                        .Add("scanned_patient_id", request->scanned_patient_id())
                                        .Add("outcome", check->ok() ? "matched" : "refused")
                                        .Build(),
                                    check->message(), request->request_id());
               })
      .Then([=, this]() -> Reply {
        RETURN_IF_ERROR(*check);

        domain::Infusion proposed;
        proposed.started_at = FromProto(request->start_time());
        proposed.ended_at = FromProto(request->end_time());
        proposed.viable_cells_given = request->viable_cells_given();
        proposed.adverse_events = request->adverse_events();
        proposed.verified_by = verifier.user;
        return WriteOnce(
            store_, "RecordInfusion", user, *request, request->request_id(), response,
            [=, this](store::Transaction& tx) -> absl::Status {
              ASSIGN_OR_RETURN(store::PlannedInfusionRow row,
                               tx.GetPlannedInfusion(request->planned_infusion_id()));
              ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(row.plan.batch_id));
              ASSIGN_OR_RETURN(std::unique_ptr<BatchReadiness> loaded,
                               LoadReadiness(tx, din, step.now, config_.time_zone));
              ASSIGN_OR_RETURN(domain::Unit unit, tx.GetUnit(unit_id));
              ASSIGN_OR_RETURN(const domain::BedsideFacts bedside, LoadBedsideFacts(tx, unit));
              ASSIGN_OR_RETURN(domain::Infusion infusion,
                               domain::DecideInfusion(
                                   loaded->batch.batch, domain::ReleaseHolds(loaded->facts), unit,
                                   row.plan, row.infusion, bedside, request->scanned_unit_id(),
                                   request->scanned_patient_id(), proposed, step));
              RETURN_IF_ERROR(tx.InsertInfusion(infusion));
              std::string why = infusion.adverse_events;
              if (infusion.late_entry.has_value()) {
                infusion.late_entry->resource =
                    absl::StrCat("infusions/", infusion.infusion_record_id);
                ASSIGN_OR_RETURN(why, StoreLateEntry(tx, din, *infusion.late_entry));
                if (!infusion.adverse_events.empty()) {
                  absl::StrAppend(&why, "; adverse events: ", infusion.adverse_events);
                }
              }
              domain::UnitEvent event;
              event.unit_id = unit.unit_id;
              event.kind = domain::UnitEventKind::kInfused;
              event.from_state = unit.state;
              event.to_state = domain::UnitState::kInfused;
              event.at = infusion.started_at;
              event.by = user;
              event.reason = absl::StrCat("planned infusion ", row.infusion.sequence, " of ",
                                          row.plan.infusions.size());
              RETURN_IF_ERROR(tx.InsertUnitEvent(event));
              RETURN_IF_ERROR(AppendAudit(tx, step.now, user, domain::AuditAction::kInfusionRecord,
                                          absl::StrCat("batches/", din.compact(), "/infusions/",
                                                       infusion.infusion_record_id),
                                          "",
                                          InfusionContent(infusion, request->scanned_unit_id(),
                                                          request->scanned_patient_id()),
                                          why, request->request_id()));
              // The second person's signature: this unit, this patient, this infusion.
              RETURN_IF_ERROR(RecordSignature(tx, verifier,
                                              domain::SignatureMeaning::kIdentityVerified,
                                              absl::StrCat("batches/", din.compact(), "/infusions/",
                                                           infusion.infusion_record_id),
                                              InfusionContent(infusion, request->scanned_unit_id(),
                                                              request->scanned_patient_id()),
                                              step.now, request->request_id(),
                                              response->mutable_verifier_signature())
                                  .status());
              response->set_infusion_record_id(infusion.infusion_record_id);
              response->set_viable_cells_given(infusion.viable_cells_given);
              ASSIGN_OR_RETURN(domain::Unit infused, tx.GetUnit(unit_id));
              ToProto(infused, response->mutable_unit());
              ASSIGN_OR_RETURN(std::unique_ptr<BatchReadiness> after,
                               LoadReadiness(tx, din, step.now, config_.time_zone));
              const domain::Readiness readiness = domain::EvaluateReadiness(after->facts);
              response->set_infusions_remaining(readiness.infusions_planned);
              response->set_infusions_covered(readiness.infusions_covered);
              return absl::OkStatus();
            });
      });
}

}  // namespace cpctrack::server
