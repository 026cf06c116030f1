// Requests as any client could send them: the first byte picks the message,
// the rest is parsed as its wire form, then put through what the server does
// before touching the database (request ID, batch ID, mapping to the domain,
// the domain's validation, paging). Nothing may crash, hang or leak; refusals
// are statuses.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "cpctrack/v1/batches.pb.h"
#include "cpctrack/v1/inventory.pb.h"
#include "cpctrack/v1/patients.pb.h"
#include "domain/inventory.h"
#include "domain/patient.h"
#include "domain/record_validation.h"
#include "server/call_support.h"
#include "mapping/mapping.h"

namespace {

namespace v1 = ::cpctrack::v1;
namespace domain = ::cpctrack::domain;
namespace server = ::cpctrack::server;
namespace mapping = ::cpctrack::mapping;

const absl::Time kNow = absl::FromUnixSeconds(1'780'000'000);

template <class Request>
bool Parse(const uint8_t* data, size_t size, Request& request) {
  if (!request.ParseFromArray(data, static_cast<int>(size))) return false;
  (void)server::ValidateRequestId(request.request_id());
  return true;
}

void Check(absl::StatusOr<domain::RecordData> data) {
  if (data.ok()) (void)domain::ValidateRecordData(*data, kNow);
}

template <class Request>
void CheckStep(const Request& request, const absl::StatusOr<domain::RecordData>& data) {
  (void)mapping::ParseBatchId(request.batch_id());
  Check(data);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t kind = data[0] % 10;
  ++data;
  --size;
  switch (kind) {
    case 0: {
      v1::ReceiveTissueRequest r;
      if (Parse(data, size, r)) CheckStep(r, mapping::FromProto(r.tissue_receipt()));
      break;
    }
    case 1: {
      v1::SeedCultureRequest r;
      if (Parse(data, size, r)) CheckStep(r, mapping::FromProto(r.seeding()));
      break;
    }
    case 2: {
      v1::RecordObservationRequest r;
      if (Parse(data, size, r)) CheckStep(r, mapping::FromProto(r.observation()));
      break;
    }
    case 3: {
      v1::RecordMediumChangeRequest r;
      if (Parse(data, size, r)) CheckStep(r, mapping::FromProto(r.medium_change()));
      break;
    }
    case 4: {
      v1::RecordPassageRequest r;
      if (Parse(data, size, r)) CheckStep(r, mapping::FromProto(r.passage()));
      break;
    }
    case 5: {
      v1::CorrectRecordRequest r;
      if (Parse(data, size, r)) CheckStep(r, mapping::FromProto(r));
      break;
    }
    case 6: {
      v1::CreatePatientRequest r;
      if (!Parse(data, size, r)) break;
      absl::StatusOr<domain::Patient> patient = mapping::FromProto(r.patient());
      if (patient.ok()) (void)domain::ValidatePatient(*patient, kNow);
      break;
    }
    case 7: {
      v1::CreateReagentLotRequest r;
      if (!Parse(data, size, r)) break;
      absl::StatusOr<domain::ReagentLot> lot = mapping::FromProto(r.lot());
      if (lot.ok()) (void)domain::ValidateReagentLot(*lot);
      break;
    }
    case 8: {
      v1::CreateEquipmentRequest r;
      if (!Parse(data, size, r)) break;
      absl::StatusOr<domain::Equipment> equipment = mapping::FromProto(r.equipment());
      if (equipment.ok()) (void)domain::ValidateEquipment(*equipment);
      break;
    }
    case 9: {
      v1::ListBatchesRequest r;
      if (!r.ParseFromArray(data, static_cast<int>(size))) break;
      absl::StatusOr<int> page_size = server::PageSize(r.page_size());
      if (page_size.ok() && (*page_size < 1 || *page_size > 500)) std::abort();
      absl::StatusOr<std::string> after = server::DecodePageToken(r.page_token());
      if (after.ok() && server::DecodePageToken(server::EncodePageToken(*after)).value_or("?") !=
                            *after) {
        std::abort();
      }
      (void)mapping::FromProto(r.state());
      break;
    }
  }
  return 0;
}
