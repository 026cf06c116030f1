// One batch for QA and auditors: identity, state, readiness criteria with
// values and limits, the growth curve, the timeline with corrections shown
// old -> new, QC results, deviations, units and where they are.
#ifndef CPCTRACK_WEB_BATCH_PAGE_H_
#define CPCTRACK_WEB_BATCH_PAGE_H_

#include <string>

#include "absl/time/time.h"
#include "cpctrack/v1/batches.pb.h"
#include "cpctrack/v1/treatment.pb.h"
#include "web/messages.h"

namespace cpcweb {

struct BatchView {
  Lang lang = Lang::kEnglish;
  absl::TimeZone zone;
  absl::Time now;  // for fresh units' expiry
  // Where the batch record PDF is downloaded; see batch_record_pdf.h.
  std::string pdf_href;
};

// `batch` as returned with BATCH_VIEW_FULL; `readiness` its readiness now.
std::string BatchBody(const cpctrack::v1::Batch& batch, const cpctrack::v1::Readiness& readiness,
                      const BatchView& view);

}  // namespace cpcweb

#endif  // CPCTRACK_WEB_BATCH_PAGE_H_
