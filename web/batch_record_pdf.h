// THE HOOK for the batch page's "Download batch record (PDF)" (issue 15, item
// 2). The renderer lives in report/ (built separately); at merge this one
// function is wired to it, e.g. fetch the batch and call the renderer that
// `cpc batch report BATCH --pdf FILE` uses. Until then it answers
// UNIMPLEMENTED and the page says the PDF is not available in this build.
#ifndef CPCTRACK_WEB_BATCH_RECORD_PDF_H_
#define CPCTRACK_WEB_BATCH_RECORD_PDF_H_

#include <string>

#include "absl/status/statusor.h"
#include "client/connection.h"
#include "web/messages.h"

namespace cpcweb {

// The batch record of `batch_id` as PDF bytes, read from cpcd as the signed-in
// user through `cpcd`.
absl::StatusOr<std::string> RenderBatchRecordPdf(const cpc::Connection& cpcd,
                                                 const std::string& batch_id, Lang lang);

}  // namespace cpcweb

#endif  // CPCTRACK_WEB_BATCH_RECORD_PDF_H_
