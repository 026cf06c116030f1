// The values a technician types into cpc flags: every parser refuses or
// accepts, never crashes, and what it accepts obeys its contract.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "client/values.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<double> number = cpc::ParseNumber("--value", text);
  if (number.ok() && !std::isfinite(*number)) std::abort();
  absl::StatusOr<int64_t> count = cpc::ParseCount("--cells", text);
  if (count.ok() && *count < 0) std::abort();
  absl::StatusOr<int32_t> small = cpc::ParseSmallCount("--vessels", text);
  if (small.ok() && *small < 0) std::abort();
  absl::StatusOr<std::string> date = cpc::ParseDate("--expiry", text);
  if (date.ok() && date->size() != 10) std::abort();
  return 0;
}
