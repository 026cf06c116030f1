#include "server/patient_service.h"

#include "absl/strings/str_cat.h"
#include "domain/audit.h"
#include "domain/deviation_rules.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"
#include "server/app_layer.h"

namespace cpctrack::server {
namespace {

// A patient who is no longer eligible (a positive screening result, consent
// withdrawn) puts every batch still in process under a deviation, in the
// same transaction as the update that says so.
absl::Status FlagPatientBatches(store::Transaction& tx, const domain::Patient& before,
                                const domain::Patient& after, absl::Time now,
                                absl::string_view user, absl::string_view request_id) {
  std::optional<domain::Deviation> deviation =
      domain::RaisePatientDeviation(before, after, now, user);
  if (!deviation.has_value()) return absl::OkStatus();
  store::BatchFilter filter;
  filter.patient_id = after.patient_id;
  std::string after_key;
  do {
    ASSIGN_OR_RETURN(store::Page<store::BatchSummary> page,
                     tx.ListBatches(filter, after_key, 500));
    for (const store::BatchSummary& summary : page.items) {
      if (!domain::AffectedByPatientChange(summary.batch)) continue;
      domain::Deviation d = *deviation;
      RETURN_IF_ERROR(tx.InsertDeviation(summary.batch.batch_id, d));
      RETURN_IF_ERROR(AppendAudit(tx, now, user, domain::AuditAction::kDeviationOpen,
                                  absl::StrCat("batches/", summary.batch.batch_id.compact(),
                                               "/deviations/", d.deviation_id),
                                  "", domain::ToJson(d), d.description, request_id));
    }
    after_key = page.next_key;
  } while (!after_key.empty());
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* PatientService::CreatePatient(grpc::CallbackServerContext* ctx,
                                                        const v1::CreatePatientRequest* request,
                                                        v1::Patient* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    ASSIGN_OR_RETURN(domain::Patient patient, FromProto(request->patient()));
    const absl::Time now = absl::Now();
    RETURN_IF_ERROR(domain::ValidatePatient(patient, now));
    patient.created_at = now;
    patient.created_by = user;
    return WriteOnce(store_, "CreatePatient", user, *request, request->request_id(), response,
                     [=, this](store::Transaction& tx) -> absl::Status {
                       RETURN_IF_ERROR(tx.InsertPatient(patient));
                       RETURN_IF_ERROR(
                           AppendAudit(tx, now, user, domain::AuditAction::kPatientCreate,
                                       absl::StrCat("patients/", patient.patient_id), "",
                                       domain::ToJson(patient), "", request->request_id()));
                       ToProto(patient, response);
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* PatientService::UpdatePatient(grpc::CallbackServerContext* ctx,
                                                        const v1::UpdatePatientRequest* request,
                                                        v1::Patient* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    ASSIGN_OR_RETURN(domain::Patient proposed, FromProto(request->patient()));
    RETURN_IF_ERROR(RequireId("patient.patient_id", proposed.patient_id));
    const absl::Time now = absl::Now();
    return WriteOnce(store_, "UpdatePatient", user, *request, request->request_id(), response,
                     [=, this](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(domain::Patient current,
                                        tx.GetPatient(proposed.patient_id));
                       ASSIGN_OR_RETURN(domain::Patient next,
                                        domain::DecidePatientUpdate(
                                            current, proposed, request->expected_revision(),
                                            request->reason(), now, user));
                       RETURN_IF_ERROR(tx.InsertPatientRevision(next));
                       RETURN_IF_ERROR(FlagPatientBatches(tx, current, next, now, user,
                                                          request->request_id()));
                       RETURN_IF_ERROR(AppendAudit(
                           tx, now, user, domain::AuditAction::kPatientUpdate,
                           absl::StrCat("patients/", next.patient_id), domain::ToJson(current),
                           domain::ToJson(next), request->reason(), request->request_id()));
                       ToProto(next, response);
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* PatientService::GetPatient(grpc::CallbackServerContext* ctx,
                                                     const v1::GetPatientRequest* request,
                                                     v1::Patient* response) {
  return Respond(ctx, [&]() -> absl::Status {
    RETURN_IF_ERROR(RequireId("patient_id", request->patient_id()));
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(domain::Patient patient, tx.GetPatient(request->patient_id()));
      ToProto(patient, response);
      ASSIGN_OR_RETURN(std::vector<domain::PatientIdentifier> identifiers,
                       tx.LoadPatientIdentifiers(patient.patient_id));
      for (const domain::PatientIdentifier& id : identifiers) {
        ToProto(id, response->add_identifiers());
      }
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PatientService::ListPatients(grpc::CallbackServerContext* ctx,
                                                       const v1::ListPatientsRequest* request,
                                                       v1::ListPatientsResponse* response) {
  return Respond(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(int limit, PageSize(request->page_size()));
    ASSIGN_OR_RETURN(std::string after, DecodePageToken(request->page_token()));
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(store::Page<domain::Patient> page, tx.ListPatients(after, limit));
      for (const domain::Patient& p : page.items) ToProto(p, response->add_patients());
      response->set_next_page_token(EncodePageToken(page.next_key));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PatientService::AddPatientIdentifier(
    grpc::CallbackServerContext* ctx, const v1::AddPatientIdentifierRequest* request,
    v1::PatientIdentifier* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(std::string user, CallerUser(caller));
    const v1::PatientIdentifier& in = request->identifier();
    RETURN_IF_ERROR(RequireId("identifier.patient_id", in.patient_id()));
    domain::PatientIdentifier proposed;
    proposed.kind = in.kind();
    proposed.value = in.value();
    proposed.reason = in.reason();
    const absl::Time now = absl::Now();
    return WriteOnce(
        store_, "AddPatientIdentifier", user, *request, request->request_id(), response,
        [=, this](store::Transaction& tx) -> absl::Status {
          ASSIGN_OR_RETURN(domain::Patient patient, tx.GetPatient(in.patient_id()));
          // A wristband must name one patient: not another's cpctrack ID either.
          if (proposed.value != patient.patient_id && tx.GetPatient(proposed.value).ok()) {
            return absl::AlreadyExistsError(absl::StrCat(
                "identifier.value: \"", proposed.value, "\" is patient ", proposed.value,
                "'s ID; an identifier names one patient"));
          }
          ASSIGN_OR_RETURN(std::vector<domain::PatientIdentifier> existing,
                           tx.LoadPatientIdentifiers(patient.patient_id));
          ASSIGN_OR_RETURN(domain::PatientIdentifier id,
                           domain::DecideAddPatientIdentifier(patient, proposed, existing, now,
                                                              user));
          RETURN_IF_ERROR(tx.InsertPatientIdentifier(id));
          RETURN_IF_ERROR(
              AppendAudit(tx, now, user, domain::AuditAction::kPatientAddIdentifier,
                          absl::StrCat("patients/", patient.patient_id), "",
                          domain::JsonObject().Add("kind", id.kind).Add("value", id.value).Build(),
                          id.reason, request->request_id()));
          ToProto(id, response);
          return absl::OkStatus();
        });
  });
}

}  // namespace cpctrack::server
