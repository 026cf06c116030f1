// Deviations' writes: opened by hand, noted, and closed by QA with a signed
// disposition (and, for use under the physician's responsibility, the
// physician's signed request on the same record). Each loads the facts the
// domain needs in the caller's write transaction, asks the domain to decide
// (domain/deviation_steps.h) and stores the decision with its audit entries,
// signatures and batch effects.
#ifndef CPCTRACK_APP_DEVIATIONS_H_
#define CPCTRACK_APP_DEVIATIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/write_context.h"
#include "domain/batch.h"
#include "domain/deviation_steps.h"
#include "domain/signature.h"
#include "store/store.h"

namespace cpctrack::app {

// "batches/A9999260000018/deviations/12": a deviation's audit resource.
std::string DeviationResource(const domain::Din& batch_id, int64_t deviation_id);

struct DeviationFacts {
  domain::Batch batch;
  std::vector<domain::Deviation> all;  // the batch's
  domain::Deviation deviation;
};

// InvalidArgument "deviation_id: required" for an ID <= 0; NotFound for an
// unknown deviation. Also for reads.
absl::StatusOr<DeviationFacts> LoadDeviationFacts(store::Transaction& tx, int64_t deviation_id);

// Opens a deviation of `kind` on the batch.
absl::StatusOr<domain::Deviation> OpenDeviation(store::Transaction& tx, const WriteContext& ctx,
                                                const domain::Din& batch_id,
                                                domain::DeviationKind kind,
                                                const std::string& description);

// Adds `text` to deviation `deviation_id`'s notes; answers it as stored now.
absl::StatusOr<DeviationFacts> AddDeviationNote(store::Transaction& tx, const WriteContext& ctx,
                                                int64_t deviation_id, const std::string& text);

// Someone who signs besides ctx.user, already re-authenticated.
struct Signer {
  std::string user;
  std::string full_name;
};

struct ClosedDeviation {
  DeviationFacts after;  // the deviation closed, the batch in its new state
  std::vector<std::string> changed_unit_ids;
  domain::Signature signature;  // QA's disposition
  std::optional<domain::Signature> physician_signature;
};

// QA (ctx.user) closes deviation `deviation_id` with `request`'s disposition
// and signs it. `physician`, set only when `request.physician` was verified
// (password and role), signs the request for use under their responsibility
// on the same record.
absl::StatusOr<ClosedDeviation> CloseDeviation(store::Transaction& tx, const WriteContext& ctx,
                                               int64_t deviation_id,
                                               const domain::CloseRequest& request,
                                               const std::optional<Signer>& physician);

}  // namespace cpctrack::app

#endif  // CPCTRACK_APP_DEVIATIONS_H_
