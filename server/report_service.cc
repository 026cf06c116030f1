#include "server/report_service.h"

#include <vector>

#include "domain/inventory.h"
#include "domain/periodic_report.h"
#include "domain/status_macros.h"
#include "server/api_mapping.h"

namespace cpctrack::server {

namespace {

void FillReport(const domain::PeriodicReport& r, v1::PeriodicReport* out) {
  out->set_plan_number(r.plan_number);
  out->set_from_date(domain::FormatDate(r.from));
  out->set_to_date(domain::FormatDate(r.to));
  out->set_batches_made(r.batches_made);
  out->set_batches_released(r.batches_released);
  out->set_batches_rejected(r.batches_rejected);
  out->set_batches_disposed(r.batches_disposed);
  for (const auto& [kind, count] : r.deviations_by_kind) {
    v1::DeviationCount* c = out->add_deviations_by_kind();
    c->set_kind(static_cast<v1::DeviationKind>(kind));
    c->set_count(count);
  }
  for (const domain::PositiveQcResult& p : r.positive_results) {
    v1::PositiveQcResult* q = out->add_positive_results();
    q->set_batch_id(p.batch_id);
    q->set_test_id(p.test_id);
    q->set_type(static_cast<v1::QcTestType>(p.type));
    ToProto(p.read_at, q->mutable_read_time());
    q->set_finding(p.finding);
  }
  out->set_patients_treated(r.patients_treated);
  out->set_infusions_given(r.infusions_given);
  for (const domain::AdverseEventRecord& a : r.adverse_events) {
    v1::AdverseEvent* e = out->add_adverse_events();
    e->set_batch_id(a.batch_id);
    e->set_patient_id(a.patient_id);
    e->set_unit_id(a.unit_id);
    ToProto(a.infusion_started_at, e->mutable_infusion_start_time());
    e->set_description(a.text);
  }
}

}  // namespace

grpc::ServerUnaryReactor* ReportService::GetPeriodicReport(
    grpc::CallbackServerContext* ctx, const v1::GetPeriodicReportRequest* request,
    v1::PeriodicReport* response) {
  return Respond(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(absl::CivilDay from, domain::ParseDate("from_date", request->from_date()));
    ASSIGN_OR_RETURN(absl::CivilDay to, domain::ParseDate("to_date", request->to_date()));
    const absl::Time now = absl::Now();
    return store_.Read([&](store::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<std::string> ids, tx.BatchesUnderPlan(request->plan_number()));
      std::vector<domain::PeriodicBatchFacts> batches;
      for (const std::string& id : ids) {
        ASSIGN_OR_RETURN(domain::Din din, domain::Din::Parse(id));
        ASSIGN_OR_RETURN(domain::Batch batch, tx.GetBatch(din));
        domain::PeriodicBatchFacts& b = batches.emplace_back(domain::PeriodicBatchFacts{
            .batch = std::move(batch), .state_changes = {}, .releases = {}, .deviations = {},
            .tests = {}, .infusions = {}});
        ASSIGN_OR_RETURN(b.state_changes, tx.LoadStateChanges(din));
        ASSIGN_OR_RETURN(b.releases, tx.LoadReleases(din));
        ASSIGN_OR_RETURN(b.deviations, tx.LoadDeviations(din));
        ASSIGN_OR_RETURN(b.tests, tx.LoadTests(din));
        ASSIGN_OR_RETURN(b.infusions, tx.LoadInfusions(din));
      }
      ASSIGN_OR_RETURN(domain::PeriodicReport report,
                       domain::CountPeriodicReport(request->plan_number(), from, to,
                                                   config_.time_zone, batches));
      FillReport(report, response);
      ToProto(now, response->mutable_generate_time());
      return absl::OkStatus();
    });
  });
}

}  // namespace cpctrack::server
