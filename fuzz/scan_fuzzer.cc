// What scanners and people type where a unit, batch or patient is named
// (domain/scan.h): ParseScan must refuse or accept, never crash; what it
// accepts must name a unit or batch that reads back the same, and a label
// built from it must scan back to it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "domain/isbt_barcode.h"
#include "domain/scan.h"
#include "domain/units.h"

namespace domain = ::cpctrack::domain;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  (void)domain::ScannedPatientId("patient", text);
  (void)domain::ScannedBatchId("batch", text);
  absl::StatusOr<domain::Scan> scan = domain::ParseScan("unit", text);
  if (!scan.ok()) return 0;
  if (scan->din.compact().size() != 14) std::abort();
  if (!scan->unit_sequence.has_value()) return 0;
  const std::string unit_id = domain::UnitId(scan->din, *scan->unit_sequence);
  absl::StatusOr<std::string> again = domain::ScannedUnitId("unit", unit_id);
  if (!again.ok() || *again != unit_id) std::abort();
  if (!scan->from_barcode) return 0;
  // What a label would print for this unit scans back to it.
  absl::StatusOr<std::string> product = domain::ProductCodeData(
      scan->product_description_code, scan->collection_type, *scan->unit_sequence);
  if (!product.ok()) std::abort();
  std::vector<std::string> structures = {domain::DinBarcodeData(scan->din), *product};
  if (scan->expires.has_value()) structures.push_back(domain::ExpiryDateTimeData(*scan->expires));
  absl::StatusOr<domain::Scan> label =
      domain::ParseScan("unit", domain::CompoundMessage(structures));
  if (!label.ok() || !(label->din == scan->din) || label->unit_sequence != scan->unit_sequence ||
      label->expires != scan->expires) {
    std::abort();
  }
  return 0;
}
