// The auditors' pages: sterility and mycoplasma tests by period (the same
// fields as the CSV download, client/sterility_export.h) and the audit trail
// searched by batch, user and action, with the chain head.
#ifndef CPCTRACK_WEB_AUDIT_PAGES_H_
#define CPCTRACK_WEB_AUDIT_PAGES_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "cpctrack/v1/audit.pb.h"
#include "cpctrack/v1/qc.pb.h"
#include "web/messages.h"

namespace cpcweb {

// The period form (GET: a read with no side effect), the tests as a table and
// a link to the CSV of the same period ("/audit/sterility.csv?from=...&to=...").
// `from`/`to` are "YYYY-MM-DD" as asked (already validated), or "" for the
// empty form.
std::string SterilityBody(const std::vector<cpctrack::v1::QcTest>& tests, const std::string& from,
                          const std::string& to, Lang lang, absl::TimeZone zone);

struct TrailQuery {
  std::string batch_id, user, action;
};

// The search form (POST with the session's CSRF token: every listing is
// itself recorded in the trail), the chain head and the entries. `more`: the
// listing was cut at `entries.size()`.
std::string AuditTrailBody(const cpctrack::v1::ListAuditEntriesResponse& listing,
                           const TrailQuery& query, bool more, const std::string& csrf, Lang lang,
                           absl::TimeZone zone);

}  // namespace cpcweb

#endif  // CPCTRACK_WEB_AUDIT_PAGES_H_
