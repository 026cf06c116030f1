#include "bench/read_probe.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/proc_stats.h"
#include "cpctrack/v1/batches.grpc.pb.h"
#include "cpctrack/v1/qc.grpc.pb.h"
#include "cpctrack/v1/reports.grpc.pb.h"
#include "cpctrack/v1/treatment.grpc.pb.h"
#include "domain/status_macros.h"

namespace cpctrack::bench {
namespace {

namespace v1 = ::cpctrack::v1;

absl::Status FromGrpc(absl::string_view what, const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

class Prober {
 public:
  Prober(const std::string& address, std::string token)
      : channel_(grpc::CreateChannel(address, grpc::InsecureChannelCredentials())),
        batches_(v1::BatchService::NewStub(channel_)),
        readiness_(v1::ReadinessService::NewStub(channel_)),
        qc_(v1::QcService::NewStub(channel_)),
        reports_(v1::ReportService::NewStub(channel_)),
        token_(std::move(token)) {}

  std::unique_ptr<grpc::ClientContext> Context() const {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", absl::StrCat("Bearer ", token_));
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
    return ctx;
  }

  // The newest batches, as `cpc batch list` shows them first.
  absl::StatusOr<std::vector<std::string>> NewestBatches(int n) {
    v1::ListBatchesRequest request;
    request.set_page_size(n);
    v1::ListBatchesResponse response;
    if (absl::Status s = FromGrpc("ListBatches",
                                  batches_->ListBatches(Context().get(), request, &response));
        !s.ok()) {
      return s;
    }
    std::vector<std::string> ids;
    for (const v1::Batch& b : response.batches()) ids.push_back(b.batch_id());
    if (ids.empty()) return absl::FailedPreconditionError("the database holds no batch");
    return ids;
  }

  absl::Status Show(const std::string& batch_id) {
    v1::GetBatchRequest request;
    request.set_batch_id(batch_id);
    request.set_view(v1::BATCH_VIEW_FULL);
    v1::Batch response;
    return FromGrpc("GetBatch", batches_->GetBatch(Context().get(), request, &response));
  }

  absl::Status Readiness(const std::string& batch_id) {
    v1::GetReadinessRequest request;
    request.set_batch_id(batch_id);
    v1::Readiness response;
    return FromGrpc("GetReadiness", readiness_->GetReadiness(Context().get(), request, &response));
  }

  absl::StatusOr<int> Board() {
    v1::GetBoardRequest request;
    request.set_days(14);
    v1::Board response;
    if (absl::Status s =
            FromGrpc("GetBoard", readiness_->GetBoard(Context().get(), request, &response));
        !s.ok()) {
      return s;
    }
    return response.entries_size();
  }

  // What a recall or an excursion asks about: the P0 seeding of `batch_id`.
  absl::StatusOr<v1::Seeding> SeedingOf(const std::string& batch_id) {
    v1::GetBatchRequest request;
    request.set_batch_id(batch_id);
    request.set_view(v1::BATCH_VIEW_FULL);
    v1::Batch batch;
    RETURN_IF_ERROR(FromGrpc("GetBatch", batches_->GetBatch(Context().get(), request, &batch)));
    for (const v1::BatchRecord& r : batch.records()) {
      if (r.has_seeding()) return r.seeding();
    }
    return absl::FailedPreconditionError(absl::StrCat("batch ", batch_id, " has no seeding"));
  }

  // `cpc lot where-used LOT`.
  absl::StatusOr<v1::WhereUsed> LotWhereUsed(const std::string& lot) {
    v1::GetLotWhereUsedRequest request;
    request.set_lot_number(lot);
    v1::WhereUsed response;
    RETURN_IF_ERROR(
        FromGrpc("GetLotWhereUsed", reports_->GetLotWhereUsed(Context().get(), request, &response)));
    return response;
  }

  // `cpc equipment where-used ID --from --to`.
  absl::StatusOr<v1::WhereUsed> EquipmentWhereUsed(const std::string& id, absl::Time from,
                                                   absl::Time to) {
    v1::GetEquipmentWhereUsedRequest request;
    request.set_equipment_id(id);
    request.mutable_from_time()->set_seconds(absl::ToUnixSeconds(from));
    request.mutable_to_time()->set_seconds(absl::ToUnixSeconds(to));
    v1::WhereUsed response;
    RETURN_IF_ERROR(FromGrpc("GetEquipmentWhereUsed",
                             reports_->GetEquipmentWhereUsed(Context().get(), request, &response)));
    return response;
  }

  // `cpc audit sterility --from (a year ago) --to (today)`: every page.
  absl::Status Export(int64_t& rows, int64_t& pages) {
    const absl::Time today = absl::FromCivil(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()),
                                             absl::UTCTimeZone());
    v1::ListTestsRequest request;
    request.add_types(v1::QC_TEST_TYPE_STERILITY);
    request.add_types(v1::QC_TEST_TYPE_MYCOPLASMA);
    request.mutable_start_from()->set_seconds(absl::ToUnixSeconds(today - absl::Hours(24 * 365)));
    request.mutable_start_before()->set_seconds(absl::ToUnixSeconds(today + absl::Hours(24)));
    rows = pages = 0;
    do {
      v1::ListTestsResponse page;
      if (absl::Status s = FromGrpc("ListTests", qc_->ListTests(Context().get(), request, &page));
          !s.ok()) {
        return s;
      }
      rows += page.tests_size();
      ++pages;
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return absl::OkStatus();
  }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::BatchService::Stub> batches_;
  std::unique_ptr<v1::ReadinessService::Stub> readiness_;
  std::unique_ptr<v1::QcService::Stub> qc_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  std::string token_;
};

// Calls `fn(target, i)` `calls` times for each target in turn, after a few
// untimed rounds (connections, caches); one set of figures per target.
template <class Fn>
absl::StatusOr<std::vector<Percentiles>> TimeInTurn(const std::vector<ReadTarget>& targets,
                                                    int calls, Fn fn) {
  const size_t n = targets.size();
  std::vector<std::vector<int64_t>> latencies(n);
  std::vector<double> cpu_start(n);
  const int warmup = std::max(1, calls / 10);
  for (int i = 0; i < warmup + calls; ++i) {
    for (size_t t = 0; t < n; ++t) {
      if (i == warmup) cpu_start[t] = ThreadCpuSeconds(targets[t].pid);
      const absl::Time start = absl::Now();
      if (absl::Status s = fn(t, i); !s.ok()) return s;
      if (i >= warmup) latencies[t].push_back(absl::ToInt64Microseconds(absl::Now() - start));
    }
  }
  std::vector<Percentiles> out;
  for (size_t t = 0; t < n; ++t) {
    out.push_back(Summarize(std::move(latencies[t])));
    out.back().server_cpu_us = 1e6 * (ThreadCpuSeconds(targets[t].pid) - cpu_start[t]) / calls;
  }
  return out;
}

}  // namespace

Percentiles Summarize(std::vector<int64_t> latencies_us) {
  Percentiles p;
  p.calls = static_cast<int64_t>(latencies_us.size());
  if (latencies_us.empty()) return p;
  std::sort(latencies_us.begin(), latencies_us.end());
  p.p50_ms = latencies_us[latencies_us.size() / 2] / 1000.0;
  p.p99_ms = latencies_us[std::min(latencies_us.size() - 1, latencies_us.size() * 99 / 100)] /
             1000.0;
  return p;
}

absl::StatusOr<std::vector<ReadFigures>> ProbeReads(const std::vector<ReadTarget>& targets,
                                                    const ReadCounts& counts) {
  const size_t n = targets.size();
  std::vector<std::unique_ptr<Prober>> probes;
  std::vector<std::vector<std::string>> ids;
  for (const ReadTarget& t : targets) {
    probes.push_back(std::make_unique<Prober>(t.address, t.token));
    absl::StatusOr<std::vector<std::string>> newest = probes.back()->NewestBatches(counts.batches);
    if (!newest.ok()) return newest.status();
    ids.push_back(*std::move(newest));
  }
  auto batch = [&](size_t t, int i) -> const std::string& { return ids[t][i % ids[t].size()]; };
  std::vector<ReadFigures> f(n);
  auto keep = [&](absl::StatusOr<std::vector<Percentiles>> p,
                  Percentiles ReadFigures::*field) -> absl::Status {
    if (!p.ok()) return p.status();
    for (size_t t = 0; t < n; ++t) f[t].*field = (*p)[t];
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(keep(TimeInTurn(targets, counts.show_calls,
                                  [&](size_t t, int i) { return probes[t]->Show(batch(t, i)); }),
                       &ReadFigures::show));
  RETURN_IF_ERROR(
      keep(TimeInTurn(targets, counts.readiness_calls,
                      [&](size_t t, int i) { return probes[t]->Readiness(batch(t, i)); }),
           &ReadFigures::readiness));
  RETURN_IF_ERROR(keep(TimeInTurn(targets, counts.board_calls,
                                  [&](size_t t, int) -> absl::Status {
                                    absl::StatusOr<int> entries = probes[t]->Board();
                                    if (entries.ok()) f[t].board_entries = *entries;
                                    return entries.status();
                                  }),
                       &ReadFigures::board));
  // Where-used: the newest batch's seeding lot and incubator, the same
  // question on every target (each holds its own filled database).
  std::vector<v1::Seeding> seedings;
  for (size_t t = 0; t < n; ++t) {
    absl::StatusOr<v1::Seeding> seeding = probes[t]->SeedingOf(ids[t].front());
    if (!seeding.ok()) return seeding.status();
    seedings.push_back(*std::move(seeding));
  }
  RETURN_IF_ERROR(keep(TimeInTurn(targets, counts.where_used_calls,
                                  [&](size_t t, int) -> absl::Status {
                                    absl::StatusOr<v1::WhereUsed> used =
                                        probes[t]->LotWhereUsed(seedings[t].medium_lot());
                                    if (!used.ok()) return used.status();
                                    f[t].lot_uses = used->uses_size();
                                    f[t].lot_batches = used->batch_count();
                                    return absl::OkStatus();
                                  }),
                       &ReadFigures::lot_where_used));
  RETURN_IF_ERROR(keep(
      TimeInTurn(targets, counts.where_used_calls,
                 [&](size_t t, int) -> absl::Status {
                   const absl::Time seeded =
                       absl::FromUnixSeconds(seedings[t].seeding_time().seconds());
                   absl::StatusOr<v1::WhereUsed> used = probes[t]->EquipmentWhereUsed(
                       seedings[t].incubator_id(), seeded, seeded + absl::Hours(24 * 7));
                   if (!used.ok()) return used.status();
                   f[t].equipment_uses = used->uses_size();
                   return absl::OkStatus();
                 }),
      &ReadFigures::equipment_where_used));
  for (size_t t = 0; t < n; ++t) {
    f[t].rss_before_export_mib = RssMib(targets[t].pid);
    ResetPeakRss(targets[t].pid);
  }
  RETURN_IF_ERROR(keep(TimeInTurn(targets, counts.exports,
                                  [&](size_t t, int) {
                                    return probes[t]->Export(f[t].export_rows, f[t].export_pages);
                                  }),
                       &ReadFigures::sterility_export));
  for (size_t t = 0; t < n; ++t) f[t].peak_rss_export_mib = PeakRssMib(targets[t].pid);
  return f;
}

}  // namespace cpctrack::bench
