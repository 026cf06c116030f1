// Everything the batch record and the certificate of analysis print, read
// from cpcd as the connection's user. One place for `cpc batch report` and
// cpc-web's PDF download, so both print the same document.
#ifndef CPCTRACK_CLIENT_BATCH_RECORD_INPUT_H_
#define CPCTRACK_CLIENT_BATCH_RECORD_INPUT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/connection.h"
#include "report/batch_record.h"

namespace cpc {

// Reads the batch (full view), its readiness, its plan (if any), the lots and
// equipment its records name, and last the audit trail's head, so the
// footer's head covers every read before it.
absl::StatusOr<cpctrack::report::BatchRecordInput> FetchBatchRecordInput(
    const Connection& conn, const std::string& batch_id, absl::Time now, absl::TimeZone zone);

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_BATCH_RECORD_INPUT_H_
