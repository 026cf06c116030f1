// The batch page's "Download batch record (PDF)": the same document as
// `cpc batch report BATCH --pdf FILE`, read from cpcd with the signed-in
// user's session and drawn by report/ (one renderer for cpc and cpc-web).
#ifndef CPCTRACK_WEB_BATCH_RECORD_PDF_H_
#define CPCTRACK_WEB_BATCH_RECORD_PDF_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/connection.h"

namespace cpcweb {

// The batch record of `batch_id` as PDF bytes, read from cpcd through `cpcd`;
// times print in `zone`. The record itself is in English (its field names
// are the regulated record's), user text in any script.
absl::StatusOr<std::string> RenderBatchRecordPdf(const cpc::Connection& cpcd,
                                                 const std::string& batch_id,
                                                 absl::TimeZone zone);

}  // namespace cpcweb

#endif  // CPCTRACK_WEB_BATCH_RECORD_PDF_H_
