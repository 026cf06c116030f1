// The pages: each reads from cpcd as the signed-in user and builds its page
// with the builders of board_page.h, batch_page.h and audit_pages.h.
#include <httplib.h>

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "client/format.h"
#include "client/sterility_export.h"
#include "client/time_format.h"
#include "web/audit_pages.h"
#include "web/batch_page.h"
#include "web/batch_record_pdf.h"
#include "web/board_page.h"
#include "web/html.h"
#include "web/web_call.h"

namespace cpcweb {

namespace v1 = ::cpctrack::v1;

namespace {

constexpr int kMaxBoardDays = 90;
// How many audit entries one search shows.
constexpr int kTrailPageSize = 200;

absl::StatusOr<absl::CivilDay> DateParam(const httplib::Request& req, const char* name) {
  const std::string text = req.get_param_value(name);
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": \"", text, "\" is not a date (YYYY-MM-DD)"));
  }
  return day;
}

}  // namespace

void WebApp::Board(const httplib::Request& req, httplib::Response& res) {
  Call call;
  if (!Begin(req, res, &call, /*need_user=*/true)) return;
  int days = options_.board_days;
  if (req.has_param("days") &&
      (!absl::SimpleAtoi(req.get_param_value("days"), &days) || days < 1 ||
       days > kMaxBoardDays)) {
    return SendError(call, res,
                     absl::InvalidArgumentError(absl::StrCat(
                         "days: \"", req.get_param_value("days"), "\" must be 1 to ",
                         kMaxBoardDays)));
  }
  v1::GetBoardRequest request;
  request.set_days(days);
  v1::Board board;
  const absl::Status status =
      call.session->cpcd->Call(&v1::ReadinessService::Stub::GetBoard, request, &board);
  if (!status.ok()) return SendError(call, res, status);
  BoardView view{.lang = call.lang, .zone = options_.zone, .days = days,
                 .refresh_seconds = options_.refresh_seconds, .now = absl::Now()};
  SendPage(call, res, std::string(Msg(call.lang, "board.title")), BoardBody(board, view),
           options_.refresh_seconds, "board");
}

void WebApp::Batch(const httplib::Request& req, httplib::Response& res) {
  Call call;
  if (!Begin(req, res, &call, /*need_user=*/true)) return;
  if (req.matches.size() < 2) {  // the header's form: /batches?id=...
    return res.set_redirect(
        absl::StrCat("/batches/", cpc::CompactBatchId(req.get_param_value("id"))), 303);
  }
  const std::string batch_id = cpc::CompactBatchId(req.matches[1].str());
  v1::GetBatchRequest get;
  get.set_batch_id(batch_id);
  get.set_view(v1::BATCH_VIEW_FULL);
  v1::Batch batch;
  absl::Status status = call.session->cpcd->Call(&v1::BatchService::Stub::GetBatch, get, &batch);
  if (!status.ok()) return SendError(call, res, status);
  v1::GetReadinessRequest ask;
  ask.set_batch_id(batch_id);
  v1::Readiness readiness;
  status = call.session->cpcd->Call(&v1::ReadinessService::Stub::GetReadiness, ask, &readiness);
  if (!status.ok()) return SendError(call, res, status);
  BatchView view{.lang = call.lang, .zone = options_.zone, .now = absl::Now(),
                 .pdf_href = absl::StrCat("/batches/", batch_id, "/record.pdf")};
  SendPage(call, res,
           Fill(Msg(call.lang, "batch.title"), {cpc::SpacedBatchId(batch.batch_id())}),
           BatchBody(batch, readiness, view));
}

void WebApp::BatchPdf(const httplib::Request& req, httplib::Response& res) {
  Call call;
  if (!Begin(req, res, &call, /*need_user=*/true)) return;
  const std::string batch_id = cpc::CompactBatchId(req.matches[1].str());
  absl::StatusOr<std::string> pdf = RenderBatchRecordPdf(*call.session->cpcd, batch_id, options_.zone);
  if (!pdf.ok()) return SendError(call, res, pdf.status());
  res.set_header("Content-Disposition",
                 absl::StrCat("attachment; filename=\"batch-record-", batch_id, ".pdf\""));
  res.set_content(*pdf, "application/pdf");
}

void WebApp::Sterility(const httplib::Request& req, httplib::Response& res, bool csv) {
  Call call;
  if (!Begin(req, res, &call, /*need_user=*/true)) return;
  const std::string title(Msg(call.lang, "sterility.title"));
  if (!csv && !req.has_param("from") && !req.has_param("to")) {
    return SendPage(call, res, title, SterilityBody({}, "", "", call.lang, options_.zone));
  }
  absl::StatusOr<absl::CivilDay> from = DateParam(req, "from");
  absl::StatusOr<absl::CivilDay> to = DateParam(req, "to");
  if (!from.ok()) return SendError(call, res, from.status());
  if (!to.ok()) return SendError(call, res, to.status());
  if (*to < *from) {
    return SendError(call, res,
                     absl::InvalidArgumentError(absl::StrCat(
                         "to: ", absl::FormatCivilTime(*to), " is before from ",
                         absl::FormatCivilTime(*from))));
  }
  // The same request as `cpc audit sterility`: whole days in the facility's
  // zone, the day of `to` included.
  v1::ListTestsRequest request;
  request.add_types(v1::QC_TEST_TYPE_STERILITY);
  request.add_types(v1::QC_TEST_TYPE_MYCOPLASMA);
  cpc::ToProto(options_.zone.At(absl::CivilSecond(*from)).pre, request.mutable_start_from());
  cpc::ToProto(options_.zone.At(absl::CivilSecond(*to + 1)).pre, request.mutable_start_before());
  std::vector<v1::QcTest> tests;
  const absl::Status status = call.session->cpcd->ForEachPage(
      &v1::QcService::Stub::ListTests, request,
      [&](const v1::ListTestsResponse& page, bool) {
        tests.insert(tests.end(), page.tests().begin(), page.tests().end());
      });
  if (!status.ok()) return SendError(call, res, status);
  const std::string from_text = absl::FormatCivilTime(*from);
  const std::string to_text = absl::FormatCivilTime(*to);
  if (csv) {
    std::string body = cpc::SterilityCsvHeader();
    for (const v1::QcTest& test : tests) body += cpc::SterilityCsvRow(test);
    res.set_header("Content-Disposition", absl::StrCat("attachment; filename=\"sterility-",
                                                       from_text, "-to-", to_text, ".csv\""));
    return res.set_content(body, "text/csv; charset=utf-8");
  }
  SendPage(call, res, title, SterilityBody(tests, from_text, to_text, call.lang, options_.zone));
}

void WebApp::Trail(const httplib::Request& req, httplib::Response& res) {
  Call call;
  if (!Begin(req, res, &call, /*need_user=*/true)) return;
  TrailQuery query;
  if (req.method == "POST") {
    if (!CheckCsrf(req, res, call)) return;
    query = {cpc::CompactBatchId(req.get_param_value("batch")), req.get_param_value("user"),
             req.get_param_value("action")};
  }
  // Every listing is recorded in the trail by cpcd (audit.export), and only
  // roles with audit.export may list: a scheduler gets cpcd's refusal.
  v1::ListAuditEntriesRequest request;
  request.mutable_filter()->set_batch_id(query.batch_id);
  request.mutable_filter()->set_user(query.user);
  request.mutable_filter()->set_action(query.action);
  request.set_page_size(kTrailPageSize);
  v1::ListAuditEntriesResponse listing;
  const absl::Status status =
      call.session->cpcd->Call(&v1::AuditService::Stub::ListAuditEntries, request, &listing);
  if (!status.ok()) return SendError(call, res, status);
  SendPage(call, res, std::string(Msg(call.lang, "trail.title")),
           AuditTrailBody(listing, query, !listing.next_page_token().empty(), call.session->csrf,
                          call.lang, options_.zone));
}

}  // namespace cpcweb
