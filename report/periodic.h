// The periodic report (ReportService.GetPeriodicReport) as a Document and as
// CSV rows: one builder, so the PDF and the CSV say the same thing.
#ifndef CPCTRACK_REPORT_PERIODIC_H_
#define CPCTRACK_REPORT_PERIODIC_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "cpctrack/v1/audit.pb.h"
#include "cpctrack/v1/reports.pb.h"
#include "report/document.h"

namespace cpctrack::report {

struct PeriodicInput {
  cpctrack::v1::PeriodicReport report;
  cpctrack::v1::AuditHead audit_head;
  std::string printed_by;
  absl::Time printed_at;
  absl::TimeZone zone;
};

Document PeriodicReportDocument(const PeriodicInput& input);

// The CSV's header and rows: category, item, value, batch_id, patient_id,
// time (RFC 3339 UTC), detail. Counts first, then each positive result and
// adverse event.
std::vector<std::string> PeriodicCsvHeader();
std::vector<std::vector<std::string>> PeriodicCsvRows(const cpctrack::v1::PeriodicReport& report);

}  // namespace cpctrack::report

#endif  // CPCTRACK_REPORT_PERIODIC_H_
