#include "domain/excursion.h"

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/audit.h"
#include "domain/plausibility.h"
#include "domain/status_macros.h"

namespace cpctrack::domain {
namespace {

// A child's description lists what reached its batch; past this many the
// rest are counted (the parent and where-used list them all).
constexpr size_t kMaxReachedListed = 12;

std::string WindowText(const Excursion& e) {
  if (!e.has_window()) return "any time";
  return absl::StrCat(FormatUtc(e.from), " to ", FormatUtc(e.to));
}

}  // namespace

absl::string_view ExcursionScopeName(ExcursionScope scope) {
  switch (scope) {
    case ExcursionScope::kEquipment: return "equipment";
    case ExcursionScope::kLot: return "lot";
    case ExcursionScope::kTank: return "tank";
    case ExcursionScope::kUnspecified: break;
  }
  return "unspecified";
}

std::string ExcursionLabel(int64_t excursion_id) { return absl::StrCat("EXC-", excursion_id); }

absl::StatusOr<int64_t> ParseExcursionLabel(absl::string_view field, absl::string_view text) {
  absl::string_view digits = absl::StripAsciiWhitespace(text);
  if (absl::StartsWithIgnoreCase(digits, "EXC-")) digits.remove_prefix(4);
  int64_t id = 0;
  if (!absl::SimpleAtoi(digits, &id) || id <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": \"", text, "\" is not an excursion ID such as EXC-3"));
  }
  return id;
}

std::vector<AffectedBatch> AffectedByUses(const std::vector<Use>& uses) {
  std::map<std::string, AffectedBatch> by_batch;
  for (const Use& u : uses) {
    if (u.batch_id.empty()) continue;
    AffectedBatch& b = by_batch[u.batch_id];
    b.batch_id = u.batch_id;
    b.reached.push_back(u.detail.empty() ? u.resource
                                         : absl::StrCat(u.detail, " (", u.resource, ")"));
  }
  std::vector<AffectedBatch> out;
  for (auto& [id, b] : by_batch) out.push_back(std::move(b));
  return out;
}

std::vector<Use> UsesInWindow(std::vector<Use> uses, absl::Time from, absl::Time to) {
  if (from == absl::InfinitePast() && to == absl::InfiniteFuture()) return uses;
  std::erase_if(uses, [&](const Use& u) { return !InWindow(u.at, u.until, from, to); });
  return uses;
}

namespace {

bool InTank(const std::optional<Position>& p, absl::string_view tank_id) {
  return p.has_value() && absl::StartsWith(p->box_id, absl::StrCat(tank_id, "/"));
}

// The unit's positions over time: each event puts it at its to_position (none
// once thawed, infused or disposed of) from the event's time on. Events are
// taken in order of when they happened (a move typed up late is still where
// the unit was).
struct Stay {
  std::optional<Position> position;
  absl::Time from;
  absl::Time until;
};

std::vector<Stay> Stays(std::vector<UnitEvent> events) {
  std::stable_sort(events.begin(), events.end(),
                   [](const UnitEvent& a, const UnitEvent& b) { return a.at < b.at; });
  std::vector<Stay> stays;
  for (const UnitEvent& e : events) {
    if (!stays.empty()) stays.back().until = e.at;
    stays.push_back(Stay{e.to_position, e.at, absl::InfiniteFuture()});
  }
  return stays;
}

}  // namespace

bool StoredInTankDuring(const std::vector<UnitEvent>& events, absl::string_view tank_id,
                        absl::Time from, absl::Time to) {
  for (const Stay& s : Stays(events)) {
    if (InTank(s.position, tank_id) && s.from <= to && s.until >= from) return true;
  }
  return false;
}

std::vector<AffectedBatch> AffectedByTank(const std::vector<UnitHistory>& units,
                                          absl::string_view tank_id, absl::Time from,
                                          absl::Time to) {
  std::map<std::string, AffectedBatch> by_batch;
  for (const UnitHistory& h : units) {
    for (const Stay& s : Stays(h.events)) {
      if (!InTank(s.position, tank_id) || s.from > to || s.until < from) continue;
      AffectedBatch& b = by_batch[h.unit.batch_id];
      b.batch_id = h.unit.batch_id;
      b.reached.push_back(absl::StrCat("unit ", h.unit.unit_id, " in ", s.position->Label()));
      break;
    }
  }
  std::vector<AffectedBatch> out;
  for (auto& [id, b] : by_batch) out.push_back(std::move(b));
  return out;
}

absl::StatusOr<ExcursionDecision> DecideOpenExcursion(Excursion request,
                                                      const std::vector<AffectedBatch>& affected,
                                                      const StepContext& ctx) {
  // Unspecified, or a number that is no scope.
  if (ExcursionScopeName(request.scope) == "unspecified") {
    return absl::InvalidArgumentError("scope is required: EQUIPMENT, LOT or TANK");
  }
  const absl::string_view scope = ExcursionScopeName(request.scope);
  if (request.subject.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("subject: required: the ", scope, " the excursion happened to"));
  }
  const bool window_set = request.from != absl::InfinitePast();
  const bool end_set = request.to != absl::InfiniteFuture();
  if (window_set != end_set) {
    return absl::InvalidArgumentError(
        "from_time and to_time: give both (the window the excursion lasted) or neither");
  }
  if (!window_set && request.scope != ExcursionScope::kLot) {
    return absl::InvalidArgumentError(absl::StrCat(
        "from_time and to_time: required for a ", scope,
        " excursion: the batches it reaches are those using it within that window"));
  }
  if (window_set && request.to < request.from) {
    return absl::InvalidArgumentError(absl::StrCat("to_time: ", FormatUtc(request.to),
                                                   " is before from_time (",
                                                   FormatUtc(request.from), ")"));
  }
  if (window_set && request.from > ctx.now) {
    return absl::InvalidArgumentError(absl::StrCat(
        "from_time: ", FormatUtc(request.from), " is in the future; an excursion is recorded "
        "once it has begun"));
  }
  RETURN_IF_ERROR(CheckFreeText("description", request.description, 1000, true));

  ExcursionDecision decision;
  request.opened_at = ctx.now;
  request.opened_by = ctx.actor;
  request.closure.reset();
  decision.excursion = std::move(request);
  const Excursion& e = decision.excursion;
  for (const AffectedBatch& b : affected) {
    std::vector<std::string> listed(
        b.reached.begin(),
        b.reached.begin() + static_cast<std::ptrdiff_t>(std::min(b.reached.size(),
                                                                 kMaxReachedListed)));
    std::string reached = absl::StrJoin(listed, "; ");
    if (b.reached.size() > kMaxReachedListed) {
      absl::StrAppend(&reached, "; and ", b.reached.size() - kMaxReachedListed, " more");
    }
    Deviation d;
    d.kind = DeviationKind::kExcursion;
    d.description = absl::StrCat(e.description, " [", scope, " ", e.subject, ", ",
                                 WindowText(e), "; reached this batch: ", reached, "]");
    d.state = DeviationState::kOpen;
    d.opened_at = ctx.now;
    d.opened_by = ctx.actor;
    decision.children.emplace_back(b.batch_id, std::move(d));
  }
  return decision;
}

absl::StatusOr<ExcursionClosure> DecideCloseExcursion(
    const Excursion& excursion, const std::vector<std::pair<std::string, Deviation>>& children,
    std::string reason, const StepContext& ctx) {
  if (excursion.closure.has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("excursion ", ExcursionLabel(excursion.excursion_id), " was closed ",
                     FormatUtc(excursion.closure->closed_at), " by ",
                     excursion.closure->closed_by));
  }
  std::vector<std::string> open;
  for (const auto& [batch_id, d] : children) {
    if (d.state == DeviationState::kOpen) {
      open.push_back(absl::StrCat("deviation #", d.deviation_id, " on batch ", batch_id));
    }
  }
  if (!open.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "excursion ", ExcursionLabel(excursion.excursion_id), " has ", open.size(),
        " open deviation", open.size() == 1 ? "" : "s", " on the batches it reached (",
        absl::StrJoin(open, ", "),
        "); QA disposes of each (cpc deviation close) before the excursion closes"));
  }
  RETURN_IF_ERROR(CheckFreeText("reason", reason, 2000, true));
  return ExcursionClosure{std::move(reason), ctx.now, ctx.actor};
}

std::string ToJson(const Excursion& e) {
  JsonObject json;
  json.Add("excursion_id", e.excursion_id)
      .Add("scope", ExcursionScopeName(e.scope))
      .Add("subject", e.subject);
  if (e.has_window()) json.Add("from", e.from).Add("to", e.to);
  return json.Add("description", e.description)
      .Add("reading_id", e.reading_id)
      .Build();
}

std::string ToJson(const ExcursionClosure& c) {
  return JsonObject().Add("reason", c.reason).Add("closed_at", c.closed_at).Build();
}

}  // namespace cpctrack::domain
