#include "server/patient_service.h"

#include "absl/strings/str_cat.h"
#include "app/patients.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"

namespace cpctrack::server {

grpc::ServerUnaryReactor* PatientService::CreatePatient(grpc::CallbackServerContext* ctx,
                                                        const v1::CreatePatientRequest* request,
                                                        v1::Patient* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    ASSIGN_OR_RETURN(domain::Patient patient, FromProto(request->patient()));
    return WriteOnce(store_, "CreatePatient", write.user, *request, request->request_id(),
                     response, [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(domain::Patient created,
                                        app::CreatePatient(tx, write, patient));
                       ToProto(created, response);
                       return absl::OkStatus();
                     });
  });
}

grpc::ServerUnaryReactor* PatientService::UpdatePatient(grpc::CallbackServerContext* ctx,
                                                        const v1::UpdatePatientRequest* request,
                                                        v1::Patient* response) {
  return Respond(ctx, [&](const Caller& caller) -> Reply {
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    ASSIGN_OR_RETURN(domain::Patient proposed, FromProto(request->patient()));
    RETURN_IF_ERROR(RequireId("patient.patient_id", proposed.patient_id));
    return WriteOnce(store_, "UpdatePatient", write.user, *request, request->request_id(),
                     response, [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(domain::Patient next,
                                        app::UpdatePatient(tx, write, proposed,
                                                           request->expected_revision(),
                                                           request->reason()));
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
    ASSIGN_OR_RETURN(app::WriteContext write,
                     WriteContextFor(caller, config_, request->request_id()));
    const v1::PatientIdentifier& in = request->identifier();
    RETURN_IF_ERROR(RequireId("identifier.patient_id", in.patient_id()));
    domain::PatientIdentifier proposed;
    proposed.patient_id = in.patient_id();
    proposed.kind = in.kind();
    proposed.value = in.value();
    proposed.reason = in.reason();
    return WriteOnce(store_, "AddPatientIdentifier", write.user, *request,
                     request->request_id(), response,
                     [=](store::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(domain::PatientIdentifier id,
                                        app::AddPatientIdentifier(tx, write, proposed));
                       ToProto(id, response);
                       return absl::OkStatus();
                     });
  });
}

}  // namespace cpctrack::server
