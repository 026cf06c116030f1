#include "web/batch_record_pdf.h"

#include "client/batch_record_input.h"
#include "report/batch_record.h"
#include "report/pdf.h"

namespace cpcweb {

absl::StatusOr<std::string> RenderBatchRecordPdf(const cpc::Connection& cpcd,
                                                 const std::string& batch_id,
                                                 absl::TimeZone zone) {
  absl::StatusOr<cpctrack::report::BatchRecordInput> input =
      cpc::FetchBatchRecordInput(cpcd, batch_id, absl::Now(), zone);
  if (!input.ok()) return input.status();
  return cpctrack::report::RenderPdf(cpctrack::report::BatchRecordDocument(*input));
}

}  // namespace cpcweb
