#include "web/batch_record_pdf.h"

#include "absl/status/status.h"

namespace cpcweb {

absl::StatusOr<std::string> RenderBatchRecordPdf(const cpc::Connection& cpcd,
                                                 const std::string& batch_id, Lang lang) {
  // TODO(merge): call the report/ renderer (issue 15 item 2) here.
  return absl::UnimplementedError(
      "the batch record PDF renderer (report/) is not part of this build");
}

}  // namespace cpcweb
