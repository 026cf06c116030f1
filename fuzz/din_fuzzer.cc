// Batch IDs (ISBT 128 DINs) as clients and labels send them: Din::Parse and
// the server's ParseBatchId must refuse or accept, never crash, and what they
// accept must print and parse back to the same DIN.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "domain/din.h"
#include "mapping/mapping.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<cpctrack::domain::Din> din = cpctrack::domain::Din::Parse(text);
  absl::StatusOr<cpctrack::domain::Din> batch_id = cpctrack::mapping::ParseBatchId(text);
  if (din.ok() != batch_id.ok() && !text.empty()) std::abort();
  (void)cpctrack::domain::ValidateFacilityCode(text);
  if (!din.ok()) return 0;
  if (din->compact().size() != 14) std::abort();
  if (cpctrack::domain::ValidateFacilityCode(din->facility_code()) != absl::OkStatus()) {
    std::abort();
  }
  for (const std::string& form : {din->compact(), din->Spaced()}) {
    absl::StatusOr<cpctrack::domain::Din> again = cpctrack::domain::Din::Parse(form);
    if (!again.ok() || !(*again == *din)) std::abort();
  }
  absl::StatusOr<cpctrack::domain::Din> made =
      cpctrack::domain::Din::Create(din->facility_code(), din->year(), din->sequence());
  if (!made.ok() || !(*made == *din)) std::abort();
  return 0;
}
