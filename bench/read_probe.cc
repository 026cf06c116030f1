#include "bench/read_probe.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "cpctrack/v1/batches.grpc.pb.h"
#include "cpctrack/v1/qc.grpc.pb.h"
#include "cpctrack/v1/treatment.grpc.pb.h"

namespace cpctrack::bench {
namespace {

namespace v1 = ::cpctrack::v1;

double StatusMib(pid_t pid, const char* field) {
  std::ifstream status(absl::StrFormat("/proc/%d/status", pid));
  std::string line;
  const std::string format = absl::StrCat(field, ": %ld kB");
  while (std::getline(status, line)) {
    long kib = 0;
    if (std::sscanf(line.c_str(), format.c_str(), &kib) == 1) return kib / 1024.0;
  }
  return 0;
}

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
  std::string token_;
};

// Calls `fn` `calls` times after a few untimed ones (connections, caches).
template <class Fn>
absl::StatusOr<Percentiles> Time(int calls, Fn fn) {
  std::vector<int64_t> latencies;
  const int warmup = std::max(1, calls / 10);
  for (int i = 0; i < warmup + calls; ++i) {
    const absl::Time start = absl::Now();
    if (absl::Status s = fn(i); !s.ok()) return s;
    if (i >= warmup) latencies.push_back(absl::ToInt64Microseconds(absl::Now() - start));
  }
  return Summarize(std::move(latencies));
}

}  // namespace

double PeakRssMib(pid_t pid) { return StatusMib(pid, "VmHWM"); }
double RssMib(pid_t pid) { return StatusMib(pid, "VmRSS"); }

void ResetPeakRss(pid_t pid) {
  std::ofstream clear(absl::StrFormat("/proc/%d/clear_refs", pid));
  clear << "5\n";
}

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

absl::StatusOr<ReadFigures> ProbeReads(const std::string& address, const std::string& token,
                                       pid_t pid, const ReadCounts& counts) {
  Prober probe(address, token);
  absl::StatusOr<std::vector<std::string>> ids = probe.NewestBatches(counts.batches);
  if (!ids.ok()) return ids.status();
  auto batch = [&](int i) -> const std::string& { return (*ids)[i % ids->size()]; };
  ReadFigures f;
  absl::StatusOr<Percentiles> p =
      Time(counts.show_calls, [&](int i) { return probe.Show(batch(i)); });
  if (!p.ok()) return p.status();
  f.show = *p;
  p = Time(counts.readiness_calls, [&](int i) { return probe.Readiness(batch(i)); });
  if (!p.ok()) return p.status();
  f.readiness = *p;
  p = Time(counts.board_calls, [&](int) -> absl::Status {
    absl::StatusOr<int> entries = probe.Board();
    if (entries.ok()) f.board_entries = *entries;
    return entries.status();
  });
  if (!p.ok()) return p.status();
  f.board = *p;
  f.rss_before_export_mib = RssMib(pid);
  ResetPeakRss(pid);
  std::vector<int64_t> export_us;
  for (int i = 0; i < counts.exports; ++i) {
    const absl::Time start = absl::Now();
    if (absl::Status s = probe.Export(f.export_rows, f.export_pages); !s.ok()) return s;
    export_us.push_back(absl::ToInt64Microseconds(absl::Now() - start));
  }
  f.sterility_export = Summarize(std::move(export_us));
  f.peak_rss_export_mib = PeakRssMib(pid);
  return f;
}

}  // namespace cpctrack::bench
