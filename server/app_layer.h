// The application layer (app/) as the services call it.
// TRANSITIONAL (issue 16 item 4): while services still hold write logic,
// this names app/'s helpers in the server's namespace; it goes once they
// only call app/ functions.
#ifndef CPCTRACK_SERVER_APP_LAYER_H_
#define CPCTRACK_SERVER_APP_LAYER_H_

#include "app/audit.h"
#include "app/batch_effects.h"
#include "app/batch_steps.h"
#include "app/qualifications.h"
#include "app/signatures.h"

namespace cpctrack::server {

using app::AppendAudit;
using app::BatchFacts;
using app::LoadBatchFacts;
using app::LoadStepResources;
using app::OpenDeviationCount;
using app::QuarantineReason;
using app::Records;
using app::RequireQualified;
using app::SignatureMatches;
using app::StoreEffects;
using app::StoredEffects;
using app::StoreLateEntry;

}  // namespace cpctrack::server

#endif  // CPCTRACK_SERVER_APP_LAYER_H_
