// Excursions that reach every affected batch (issue 17 item 5): one event —
// an incubator that alarmed overnight, a recalled reagent lot, a storage tank
// that warmed — is investigated once, as a parent deviation (an excursion),
// and recorded on each batch it reached as a child deviation of kind
// EXCURSION. The children are ordinary deviations: they hold release while
// open (EvaluateReadiness) and are closed by QA's disposition one by one; the
// parent closes once every child has been disposed of.
#ifndef CPCTRACK_DOMAIN_EXCURSION_H_
#define CPCTRACK_DOMAIN_EXCURSION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/batch.h"
#include "domain/batch_steps.h"
#include "domain/units.h"
#include "domain/where_used.h"

namespace cpctrack::domain {

// What the excursion happened to. Stored values: append, never renumber.
enum class ExcursionScope { kUnspecified = 0, kEquipment = 1, kLot = 2, kTank = 3 };
absl::string_view ExcursionScopeName(ExcursionScope scope);  // "equipment", "lot", "tank"

struct ExcursionClosure {
  std::string reason;
  absl::Time closed_at = absl::InfinitePast();
  std::string closed_by;
};

struct Excursion {
  int64_t excursion_id = 0;  // 0 until stored
  ExcursionScope scope = ExcursionScope::kUnspecified;
  std::string subject;  // the equipment ID, lot number or tank ID
  // The window it reaches: required for equipment and tanks, optional for a
  // lot (without one, every use of the lot). InfinitePast/InfiniteFuture when
  // unset.
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfiniteFuture();
  std::string description;
  absl::Time opened_at = absl::InfinitePast();
  std::string opened_by;
  int64_t reading_id = 0;  // the tank reading out of limits that opened it; 0: by hand
  std::optional<ExcursionClosure> closure;

  bool has_window() const { return from != absl::InfinitePast(); }
};

// "EXC-3": how people write an excursion's ID, beside deviation "#12".
std::string ExcursionLabel(int64_t excursion_id);
// Parses "EXC-3" (case-insensitive) or "3"; InvalidArgument naming `field`.
absl::StatusOr<int64_t> ParseExcursionLabel(absl::string_view field, absl::string_view text);

// One batch an excursion reaches, and how ("medium_lot of passage 2", "unit
// A9999260000018-01 in LN2-A/R1/B1/A1").
struct AffectedBatch {
  std::string batch_id;  // compact
  std::vector<std::string> reached;
};

// The batches named by where-used uses (a lot's or a piece of equipment's,
// with their downstream units and infusions), in batch ID order. Uses on no
// batch (a person's actions) reach none.
std::vector<AffectedBatch> AffectedByUses(const std::vector<Use>& uses);

// A lot's uses within [from, to] (a lot excursion with a window: a lot
// recalled from one delivery on); every use when there is no window.
std::vector<Use> UsesInWindow(std::vector<Use> uses, absl::Time from, absl::Time to);

// Whether the unit whose `events` these are (in write order) sat in tank
// `tank_id` at some time in [from, to]: its storage history, not only where it
// is now — a unit moved out since, or thawed, was in the tank while it warmed.
bool StoredInTankDuring(const std::vector<UnitEvent>& events, absl::string_view tank_id,
                        absl::Time from, absl::Time to);

// The batches of the units stored in the tank during the window, each unit
// with the position it had there.
struct UnitHistory {
  Unit unit;
  std::vector<UnitEvent> events;
};
std::vector<AffectedBatch> AffectedByTank(const std::vector<UnitHistory>& units,
                                          absl::string_view tank_id, absl::Time from,
                                          absl::Time to);

// The parent and one child deviation (kind EXCURSION, opened by the same
// person at the same time) per affected batch, for one transaction.
struct ExcursionDecision {
  Excursion excursion;
  std::vector<std::pair<std::string, Deviation>> children;  // compact batch ID, deviation
};

// `request` carries scope, subject, window and description. Refuses
// (InvalidArgument, naming the field) a missing scope or subject, a window
// missing where the scope needs one, a window that ends before it starts or
// ends in the future, and a description that is empty or too long. An
// excursion that reaches no batch is still recorded: the event happened.
absl::StatusOr<ExcursionDecision> DecideOpenExcursion(Excursion request,
                                                      const std::vector<AffectedBatch>& affected,
                                                      const StepContext& ctx);

// QA closes the parent once every child is closed: FailedPrecondition naming
// each child still open (deviation and batch) otherwise, or when the
// excursion is already closed. The reason is required.
absl::StatusOr<ExcursionClosure> DecideCloseExcursion(
    const Excursion& excursion, const std::vector<std::pair<std::string, Deviation>>& children,
    std::string reason, const StepContext& ctx);

std::string ToJson(const Excursion& excursion);
std::string ToJson(const ExcursionClosure& closure);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_EXCURSION_H_
