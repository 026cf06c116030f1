#include "server/access_control.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "domain/patient.h"
#include "domain/status_macros.h"
#include "google/protobuf/descriptor.h"
#include "server/credentials.h"
#include "server/password_pool.h"

namespace cpctrack::server {
namespace {

using domain::Permission;
using grpc::experimental::InterceptionHookPoints;

constexpr Access kPublic = Access::kPublic;
constexpr Access kSession = Access::kSession;
constexpr Access kNeeds = Access::kPermission;

// THE table. A new RPC is refused (and cpcd does not start) until it has a
// line here; the matrix test calls every line as every role.
constexpr MethodRule kRules[] = {
    // Signing in, and what a client checks before it has a session.
    {"/cpctrack.v1.AuthService/Login", kPublic},
    {"/cpctrack.v1.AuthService/Logout", kSession},
    {"/cpctrack.v1.ServerInfoService/GetServerInfo", kPublic},
    {"/grpc.health.v1.Health/Check", kPublic},
    {"/grpc.health.v1.Health/Watch", kPublic},
    {"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", kPublic},

    {"/cpctrack.v1.UserService/CreateUser", kNeeds, Permission::kManageUsers},
    {"/cpctrack.v1.UserService/ListUsers", kNeeds, Permission::kManageUsers},
    {"/cpctrack.v1.UserService/DisableUser", kNeeds, Permission::kManageUsers},
    {"/cpctrack.v1.UserService/SetUserRoles", kNeeds, Permission::kManageUsers},
    {"/cpctrack.v1.UserService/ResetPassword", kNeeds, Permission::kManageUsers},
    {"/cpctrack.v1.UserService/RecordQualification", kNeeds, Permission::kQualifyPeople},
    {"/cpctrack.v1.UserService/ListQualifications", kNeeds, Permission::kReadReports},

    {"/cpctrack.v1.PatientService/CreatePatient", kNeeds, Permission::kRegisterPatients},
    {"/cpctrack.v1.PatientService/UpdatePatient", kNeeds, Permission::kRegisterPatients},
    {"/cpctrack.v1.PatientService/GetPatient", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.PatientService/ListPatients", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.PatientService/AddPatientIdentifier", kNeeds, Permission::kPlanTreatments},

    {"/cpctrack.v1.InventoryService/CreateReagentLot", kNeeds, Permission::kManageInventory},
    {"/cpctrack.v1.InventoryService/GetReagentLot", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.InventoryService/ListReagentLots", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.InventoryService/AcceptReagentLot", kNeeds, Permission::kAcceptMaterials},
    {"/cpctrack.v1.InventoryService/RejectReagentLot", kNeeds, Permission::kAcceptMaterials},
    {"/cpctrack.v1.InventoryService/CreateEquipment", kNeeds, Permission::kManageInventory},
    {"/cpctrack.v1.InventoryService/GetEquipment", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.InventoryService/ListEquipment", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.InventoryService/SetEquipmentStatus", kNeeds, Permission::kManageInventory},
    {"/cpctrack.v1.InventoryService/RecordEquipmentUpkeep", kNeeds, Permission::kManageInventory},
    {"/cpctrack.v1.InventoryService/ListEquipmentDue", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.InventoryService/ListProducts", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.InventoryService/CreateProduct", kNeeds, Permission::kManageInventory},

    {"/cpctrack.v1.BatchService/CreateBatch", kNeeds, Permission::kRecordProduction},
    {"/cpctrack.v1.BatchService/GetBatch", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.BatchService/ListBatches", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.BatchService/ReceiveTissue", kNeeds, Permission::kRecordProduction},
    {"/cpctrack.v1.BatchService/SeedCulture", kNeeds, Permission::kRecordProduction},
    {"/cpctrack.v1.BatchService/RecordObservation", kNeeds, Permission::kRecordProduction},
    {"/cpctrack.v1.BatchService/RecordMediumChange", kNeeds, Permission::kRecordProduction},
    {"/cpctrack.v1.BatchService/RecordPassage", kNeeds, Permission::kRecordProduction},
    {"/cpctrack.v1.BatchService/CorrectRecord", kNeeds, Permission::kRecordProduction},
    {"/cpctrack.v1.BatchService/DisposeBatch", kNeeds, Permission::kDisposeBatches},

    {"/cpctrack.v1.FollowUpService/ListFollowUps", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.FollowUpService/GetFollowUp", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.FollowUpService/AssessFollowUp", kNeeds, Permission::kDisposeDeviations},
    {"/cpctrack.v1.FollowUpService/AcknowledgeFollowUp", kNeeds, Permission::kAcknowledgeFollowUps},

    {"/cpctrack.v1.QcService/DrawSample", kNeeds, Permission::kRecordQc},
    {"/cpctrack.v1.QcService/OrderTests", kNeeds, Permission::kRecordQc},
    {"/cpctrack.v1.QcService/RecordResult", kNeeds, Permission::kRecordQc},
    {"/cpctrack.v1.QcService/CorrectResult", kNeeds, Permission::kRecordQc},
    {"/cpctrack.v1.QcService/ReviewResult", kNeeds, Permission::kReviewQc},
    {"/cpctrack.v1.QcService/InvalidateTest", kNeeds, Permission::kReviewQc},
    {"/cpctrack.v1.QcService/GetTest", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.QcService/ListTests", kNeeds, Permission::kReadRecords},

    {"/cpctrack.v1.DeviationService/OpenDeviation", kNeeds, Permission::kReportDeviations},
    {"/cpctrack.v1.DeviationService/AddDeviationNote", kNeeds, Permission::kReportDeviations},
    {"/cpctrack.v1.DeviationService/CloseDeviation", kNeeds, Permission::kDisposeDeviations},
    {"/cpctrack.v1.DeviationService/GetDeviation", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.DeviationService/ListDeviations", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.DeviationService/OpenExcursion", kNeeds, Permission::kReportDeviations},
    {"/cpctrack.v1.DeviationService/GetExcursion", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.DeviationService/CloseExcursion", kNeeds, Permission::kDisposeDeviations},

    {"/cpctrack.v1.UnitService/FreezeUnits", kNeeds, Permission::kHandleUnits},
    {"/cpctrack.v1.UnitService/FormulateFreshUnits", kNeeds, Permission::kHandleUnits},
    {"/cpctrack.v1.UnitService/GetUnit", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.UnitService/ListUnits", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.UnitService/MoveUnit", kNeeds, Permission::kHandleUnits},
    {"/cpctrack.v1.UnitService/ThawUnit", kNeeds, Permission::kHandleUnits},
    {"/cpctrack.v1.UnitService/DisposeUnit", kNeeds, Permission::kHandleUnits},

    {"/cpctrack.v1.StorageService/CreateTank", kNeeds, Permission::kManageStorage},
    {"/cpctrack.v1.StorageService/AddRack", kNeeds, Permission::kManageStorage},
    {"/cpctrack.v1.StorageService/AddBox", kNeeds, Permission::kManageStorage},
    {"/cpctrack.v1.StorageService/GetTank", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.StorageService/ListTanks", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.StorageService/RecordTankReadings", kNeeds, Permission::kRecordTankReadings},
    {"/cpctrack.v1.StorageService/ListTankReadings", kNeeds, Permission::kReadRecords},

    {"/cpctrack.v1.ReadinessService/GetReadiness", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.ReadinessService/GetBoard", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.ReadinessService/ReleaseBatch", kNeeds, Permission::kReleaseBatches},

    {"/cpctrack.v1.TreatmentService/CreatePlan", kNeeds, Permission::kPlanTreatments},
    {"/cpctrack.v1.TreatmentService/GetPlan", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.TreatmentService/RecordInfusion", kNeeds, Permission::kRecordInfusions},

    {"/cpctrack.v1.AuditService/GetAuditHead", kNeeds, Permission::kReadRecords},
    {"/cpctrack.v1.AuditService/ListAuditEntries", kNeeds, Permission::kExportAuditTrail},

    {"/cpctrack.v1.ReportService/GetPeriodicReport", kNeeds, Permission::kReadReports},
    {"/cpctrack.v1.ReportService/GetLotWhereUsed", kNeeds, Permission::kReadReports},
    {"/cpctrack.v1.ReportService/GetEquipmentWhereUsed", kNeeds, Permission::kReadReports},
    {"/cpctrack.v1.ReportService/GetUserWhereUsed", kNeeds, Permission::kReadReports},
};

std::string RoleList(const std::vector<domain::Role>& roles) {
  if (roles.empty()) return "no roles";
  return absl::StrJoin(roles, ", ", [](std::string* out, domain::Role role) {
    absl::StrAppend(out, domain::RoleName(role));
  });
}

// Tells the handler which method was called: gRPC 1.51 gives a callback
// handler no way to learn it, and Respond() checks access by it. The name
// goes into the call's own received metadata (what ctx->client_metadata()
// shows), replacing any value a client sent under that key.
class MethodTag : public grpc::experimental::Interceptor {
 public:
  explicit MethodTag(grpc::experimental::ServerRpcInfo* info) : method_(info->method()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      auto* metadata = methods->GetRecvInitialMetadata();
      metadata->erase(grpc::string_ref(kMethodMetadataKey));
      metadata->emplace(grpc::string_ref(kMethodMetadataKey), grpc::string_ref(method_));
    }
    methods->Proceed();
  }

 private:
  const std::string method_;  // lives as long as the call, as the entry needs
};

absl::string_view MetadataValue(const grpc::CallbackServerContext& ctx, absl::string_view key) {
  auto it = ctx.client_metadata().find(grpc::string_ref(key.data(), key.size()));
  if (it == ctx.client_metadata().end()) return "";
  return absl::string_view(it->second.data(), it->second.size());
}

}  // namespace

absl::Span<const MethodRule> MethodRules() { return kRules; }

const MethodRule* FindMethodRule(absl::string_view method) {
  for (const MethodRule& rule : kRules) {
    if (rule.method == method) return &rule;
  }
  return nullptr;
}

absl::Status CheckEveryMethodHasARule(const std::vector<std::string>& service_names) {
  std::vector<std::string> missing;
  for (const std::string& name : service_names) {
    const google::protobuf::ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    if (service == nullptr) {
      missing.push_back(absl::StrCat(name, " (no descriptor)"));
      continue;
    }
    for (int i = 0; i < service->method_count(); ++i) {
      const std::string method = absl::StrCat("/", name, "/", service->method(i)->name());
      if (FindMethodRule(method) == nullptr) missing.push_back(method);
    }
  }
  if (missing.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "no access rule declared in server/access_control.cc for: ", absl::StrJoin(missing, ", ")));
}

std::string BearerToken(absl::string_view authorization) {
  if (!absl::ConsumePrefix(&authorization, "Bearer ")) return "";
  return std::string(absl::StripAsciiWhitespace(authorization));
}

absl::StatusOr<Caller> AuthorizeCall(store::Store& store, absl::string_view method,
                                     absl::string_view token, absl::Time now) {
  const MethodRule* rule = FindMethodRule(method);
  if (rule == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat(method, " has no declared access rule; refused"));
  }
  // A public method ignores any session sent with it: an expired token must
  // not keep anyone from logging in again.
  if (rule->access == Access::kPublic) return Caller{};
  if (token.empty()) {
    return absl::UnauthenticatedError(
        absl::StrCat(method, " needs a session: log in first (`cpc login`)"));
  }
  Caller caller;
  absl::Status found = store.Read([&](store::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<store::SessionRow> session,
                     tx.FindSession(TokenHash(token)));
    if (!session.has_value()) {
      return absl::UnauthenticatedError("session not recognized: log in again (`cpc login`)");
    }
    if (session->revoked) {
      return absl::UnauthenticatedError(
          "session ended (logged out, password reset or user disabled): log in again");
    }
    if (now >= session->expires_at) {
      return absl::UnauthenticatedError(absl::StrCat(
          "session expired at ", absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", session->expires_at,
                                                  absl::UTCTimeZone()),
          ": log in again (`cpc login`)"));
    }
    ASSIGN_OR_RETURN(store::UserAccount account, tx.GetUser(session->user_name));
    if (account.user.disabled) {
      return absl::UnauthenticatedError(
          absl::StrCat("user ", account.user.name, " is disabled"));
    }
    caller.user = account.user.name;
    caller.full_name = account.user.full_name;
    caller.roles = account.user.roles;
    return absl::OkStatus();
  });
  RETURN_IF_ERROR(found);
  if (rule->access == Access::kPermission && !domain::RolesGrant(caller.roles, rule->permission)) {
    return absl::PermissionDeniedError(absl::StrCat(
        method, " needs permission ", domain::PermissionName(rule->permission), ", which ",
        caller.user, " (", RoleList(caller.roles), ") does not hold"));
  }
  return caller;
}

absl::StatusOr<Caller> CheckAccess(store::Store& store, const grpc::CallbackServerContext& ctx) {
  const absl::string_view method = MetadataValue(ctx, kMethodMetadataKey);
  if (method.empty()) {
    return absl::PermissionDeniedError("no access check ran for this call; refused");
  }
  return AuthorizeCall(store, method, BearerToken(MetadataValue(ctx, kAuthorizationMetadataKey)),
                       absl::Now());
}

grpc::experimental::Interceptor* MethodTagFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new MethodTag(info);
}

}  // namespace cpctrack::server
