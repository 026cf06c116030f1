// The API mapping (mapping/mapping.h) is the services' vocabulary: its
// FromProto/ToProto overloads join the server's own in one overload set.
#ifndef CPCTRACK_SERVER_API_MAPPING_H_
#define CPCTRACK_SERVER_API_MAPPING_H_

#include "mapping/mapping.h"

namespace cpctrack::server {

namespace v1 = ::cpctrack::v1;

using mapping::AddLateEntries;
using mapping::FromProto;
using mapping::MergeProduct;
using mapping::ParseBatchId;
using mapping::ToProto;

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_API_MAPPING_H_
