// Excursions' writes: one event opened as a parent with a child EXCURSION
// deviation on every batch it reached, in one transaction (by hand, or by a
// tank reading out of limits), and closed by QA, signed, once every child is
// disposed of.
#ifndef CPCTRACK_APP_EXCURSIONS_H_
#define CPCTRACK_APP_EXCURSIONS_H_

#include <string>

#include "absl/status/statusor.h"
#include "app/write_context.h"
#include "domain/excursion.h"
#include "domain/signature.h"
#include "store/store.h"

namespace cpctrack::app {

// "excursions/3": an excursion's audit resource.
std::string ExcursionResource(int64_t excursion_id);

// Decides and stores `request` (scope, subject, window, description, the
// reading that opened it if any) with an EXCURSION deviation on every batch
// it reaches, each audited, by ctx.user at ctx.now. Returns the stored
// excursion (with its ID).
absl::StatusOr<domain::Excursion> OpenExcursion(store::Transaction& tx, const WriteContext& ctx,
                                                domain::Excursion request);

struct ClosedExcursion {
  domain::Excursion excursion;  // as it stood before the closure
  domain::ExcursionClosure closure;
  domain::Signature signature;  // QA's
};

// QA (ctx.user) closes excursion `excursion_id` for `reason` and signs it.
absl::StatusOr<ClosedExcursion> CloseExcursion(store::Transaction& tx, const WriteContext& ctx,
                                               int64_t excursion_id, const std::string& reason);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_EXCURSIONS_H_
