// `cpc batch report BATCH --pdf FILE [--coa]`: the batch record, or the
// certificate of analysis, as a PDF. Everything in it is read from cpcd with
// the session's user (the report library never sees the database); the audit
// trail's head is read last, so the footer's head covers every read before it.
#include "absl/strings/str_cat.h"
#include "client/batch_commands.h"
#include "client/batch_record_input.h"
#include "client/status_util.h"
#include "cpctrack/v1/audit.grpc.pb.h"
#include "cpctrack/v1/batches.grpc.pb.h"
#include "cpctrack/v1/inventory.grpc.pb.h"
#include "cpctrack/v1/treatment.grpc.pb.h"
#include "report/batch_record.h"
#include "report/pdf.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;
namespace report = ::cpctrack::report;

// Appends the registry's entry to `out`; one not registered (a typo kept in
// a record) is left out and prints as such.
template <typename Request, typename Response>
absl::Status GetIfRegistered(const Connection& conn,
                             grpc::Status (v1::InventoryService::Stub::*method)(
                                 grpc::ClientContext*, const Request&, Response*),
                             const Request& request, std::vector<Response>& out) {
  Response found;
  absl::Status status = conn.Call(method, request, &found);
  if (status.ok()) out.push_back(std::move(found));
  return absl::IsNotFound(status) ? absl::OkStatus() : status;
}

absl::Status RunReport(Invocation& in) {
  CPC_ASSIGN_OR_RETURN(const std::string batch_id, BatchIdArg(in));
  CPC_ASSIGN_OR_RETURN(report::BatchRecordInput input,
                       FetchBatchRecordInput(in.conn, batch_id, in.time.now, in.time.zone));
  const bool coa = in.args.Has("coa");
  const report::Document document =
      coa ? report::CertificateOfAnalysis(input) : report::BatchRecordDocument(input);
  const std::string path = in.args.Get("pdf");
  CPC_RETURN_IF_ERROR(report::WritePdf(document, path));
  in.out << "Wrote " << (coa ? "the certificate of analysis" : "the batch record") << " of "
         << input.batch.batch_id() << " to " << path << " (audit head "
         << input.audit_head.entry_count() << ")\n";
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<report::BatchRecordInput> FetchBatchRecordInput(const Connection& conn,
                                                               const std::string& batch_id,
                                                               absl::Time now,
                                                               absl::TimeZone zone) {
  report::BatchRecordInput input;
  v1::GetBatchRequest batch_request;
  batch_request.set_batch_id(batch_id);
  batch_request.set_view(v1::BATCH_VIEW_FULL);
  CPC_RETURN_IF_ERROR(conn.Call(&v1::BatchService::Stub::GetBatch, batch_request, &input.batch));
  v1::GetReadinessRequest readiness;
  readiness.set_batch_id(batch_id);
  CPC_RETURN_IF_ERROR(
      conn.Call(&v1::ReadinessService::Stub::GetReadiness, readiness, &input.readiness));
  v1::GetPlanRequest plan_request;
  plan_request.set_batch_id(batch_id);
  v1::TreatmentPlan plan;
  absl::Status plan_status = conn.Call(&v1::TreatmentService::Stub::GetPlan, plan_request, &plan);
  if (plan_status.ok()) {
    input.plan = std::move(plan);
  } else if (!absl::IsNotFound(plan_status)) {
    return plan_status;  // no plan is normal; any other failure is not
  }
  for (const std::string& lot : report::LotsNamed(input.batch)) {
    v1::GetReagentLotRequest request;
    request.set_lot_number(lot);
    CPC_RETURN_IF_ERROR(
        GetIfRegistered(conn, &v1::InventoryService::Stub::GetReagentLot, request, input.lots));
  }
  for (const std::string& id : report::EquipmentNamed(input.batch)) {
    v1::GetEquipmentRequest request;
    request.set_equipment_id(id);
    CPC_RETURN_IF_ERROR(
        GetIfRegistered(conn, &v1::InventoryService::Stub::GetEquipment, request, input.equipment));
  }
  CPC_RETURN_IF_ERROR(conn.Call(&v1::AuditService::Stub::GetAuditHead,
                                v1::GetAuditHeadRequest(), &input.audit_head));
  input.printed_at = now;
  input.printed_by = conn.options().user;
  input.zone = zone;
  return input;
}

CommandSpec BatchReportCommand() {
  return {.noun = "batch", .verb = "report",
          .summary = "Print the batch record (or the certificate of analysis) as a PDF",
          .args = {BatchArg()},
          .flags = {{.name = "pdf", .value_name = "FILE", .help = "the PDF file to write",
                     .required = true},
                    {.name = "coa",
                     .help = "the one-page certificate of analysis that travels with a unit"}},
          .example = "cpc batch report A9999260000018 --pdf A9999260000018.pdf",
          .run = RunReport};
}

}  // namespace cpc
