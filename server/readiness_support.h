// Readiness as the API shows it: the facts app::LoadReadiness loaded and
// the domain's evaluation of them.
#ifndef CPCTRACK_SERVER_READINESS_SUPPORT_H_
#define CPCTRACK_SERVER_READINESS_SUPPORT_H_

#include <string>
#include <vector>

#include "app/readiness.h"
#include "cpctrack/v1/treatment.pb.h"
#include "domain/readiness.h"

namespace cpctrack::server {

void ToProto(const app::BatchReadiness& loaded, const domain::Readiness& readiness,
             v1::Readiness* out);

// "sterility: pending (test 7 pending, result due ...)" for each criterion
// not met or pending.
std::vector<std::string> OpenCriteria(const domain::Readiness& readiness);

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_READINESS_SUPPORT_H_
