#include "client/readiness_format.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/choices.h"
#include "client/format.h"
#include "client/table.h"
#include "client/time_format.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

// How much of each reason fits in a board row.
constexpr size_t kReasonLimit = 48;
constexpr int kReasonsShown = 2;

std::string CriterionStatusText(v1::CriterionStatus status) {
  switch (status) {
    case v1::CRITERION_STATUS_MET:
      return "met";
    case v1::CRITERION_STATUS_NOT_MET:
      return "NOT MET";
    case v1::CRITERION_STATUS_PENDING:
      return "pending";
    case v1::CRITERION_STATUS_NON_CONFORMING:
      return "NON-CONFORMING";
    default:
      return "?";
  }
}

std::string BoardStatusText(const v1::BoardEntry& entry) {
  if (entry.given()) return "given";
  switch (entry.status()) {
    case v1::BOARD_STATUS_READY:
      return entry.non_conforming().empty() ? "READY" : "READY (NON-CONFORMING)";
    case v1::BOARD_STATUS_NOT_READY:
      return "NOT READY";
    case v1::BOARD_STATUS_AT_RISK:
      return "AT RISK";
    default:
      return "?";
  }
}

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

// The facility date of a projected time, in the zone times are shown in.
std::string LocalDate(const google::protobuf::Timestamp& time, absl::TimeZone zone) {
  return FormatLocalTime(FromProto(time), zone).substr(0, 10);
}

// Cell counts in a plan are doubles on the wire; shown exactly when whole.
std::string CellsText(double cells) {
  if (cells >= 0 && cells < 9e18 && cells == std::floor(cells)) {
    return FormatCount(static_cast<int64_t>(cells));
  }
  return FormatDecimal(cells, 2);
}

}  // namespace

std::string ReleaseLine(const v1::ReleaseSignature& release, absl::TimeZone zone) {
  // The meaning as signed: "released for infusion", or "... as NON-CONFORMING
  // under deviation 12 (...)".
  std::string meaning = release.meaning().empty() ? "released for infusion" : release.meaning();
  meaning[0] = absl::ascii_toupper(meaning[0]);
  return absl::StrCat(meaning, " by ", release.signer(), " at ",
                      FormatLocalTime(FromProto(release.sign_time()), zone), "; record hash ",
                      release.record_hash());
}

std::string RenderReadiness(const v1::Readiness& readiness, absl::TimeZone zone) {
  std::string out = absl::StrCat(
      readiness.ready() ? "READY" : "NOT READY", " — batch ", SpacedBatchId(readiness.batch_id()),
      ", patient ", OrDash(readiness.patient_id()), ", ",
      ChoiceText(BatchStateChoices(), readiness.batch_state()), "\n");
  if (!readiness.non_conforming().empty()) {
    absl::StrAppend(&out, "!! ", readiness.non_conforming(),
                    readiness.has_release() ? "" : ": releasable only as non-conforming", "\n");
  }
  if (readiness.batch_state() == v1::BATCH_STATE_QUARANTINED ||
      !readiness.quarantine_reason().empty()) {
    absl::StrAppend(&out, "!! QUARANTINED: ", OrDash(readiness.quarantine_reason()), "\n");
  }

  Table criteria({"criterion", "status", "value", "limit"});
  for (const v1::Criterion& criterion : readiness.criteria()) {
    criteria.AddRow({criterion.name(), CriterionStatusText(criterion.status()),
                     OrDash(criterion.value()), OrDash(criterion.limit())});
  }
  absl::StrAppend(&out, "\n", criteria.empty() ? "  (no criteria)\n" : criteria.Render(2), "\n");

  if (readiness.has_projection()) {
    const v1::Projection& projection = readiness.projection();
    if (projection.has_ready_time()) {
      absl::StrAppend(&out, "Projected: ", FormatLocalTime(FromProto(projection.ready_time()), zone),
                      " (local) — basis: ", OrDash(projection.basis()));
    } else {
      absl::StrAppend(&out, "Projected: none — ", OrDash(projection.basis()));
    }
    if (projection.target_cells() > 0) {
      absl::StrAppend(&out, " (target ", FormatCount(projection.target_cells()), " cells)");
    }
    out += "\n";
  }
  if (readiness.has_results_due()) {
    absl::StrAppend(&out, "Results due: by ", FormatLocalTime(FromProto(readiness.results_due()), zone),
                    "\n");
  }
  absl::StrAppend(&out, "Infusions: ", readiness.infusions_planned(), " planned, ",
                  readiness.infusions_covered(), " covered by stored units\n");

  if (!readiness.has_release()) {
    out += "Release: awaiting QA release\n";
  } else if (readiness.release().record_hash() != readiness.record_hash()) {
    const v1::ReleaseSignature& release = readiness.release();
    absl::StrAppend(&out, "Release: !! REVOKED — signed by ", release.signer(), " at ",
                    FormatLocalTime(FromProto(release.sign_time()), zone), " for record hash ",
                    release.record_hash(), "; the record has changed since (now ",
                    OrDash(readiness.record_hash()), "); QA must release again\n");
  } else {
    absl::StrAppend(&out, "Release: ", ReleaseLine(readiness.release(), zone), "\n");
  }
  return out;
}

std::vector<const v1::BoardEntry*> SortedBoardEntries(const v1::Board& board) {
  std::vector<const v1::BoardEntry*> entries;
  for (const v1::BoardEntry& entry : board.entries()) entries.push_back(&entry);
  std::stable_sort(entries.begin(), entries.end(),
                   [](const v1::BoardEntry* a, const v1::BoardEntry* b) {
                     return std::forward_as_tuple(a->planned_date(), a->batch_id(), a->sequence()) <
                            std::forward_as_tuple(b->planned_date(), b->batch_id(), b->sequence());
                   });
  return entries;
}

std::string RenderBoard(const v1::Board& board, absl::TimeZone zone) {
  const std::vector<const v1::BoardEntry*> entries = SortedBoardEntries(board);
  int ready = 0, not_ready = 0, at_risk = 0;
  Table table({"date", "#", "batch", "patient", "state", "status", "reasons", "projected"});
  for (const v1::BoardEntry* entry : entries) {
    if (!entry->given()) {
      if (entry->status() == v1::BOARD_STATUS_READY) ++ready;
      if (entry->status() == v1::BOARD_STATUS_NOT_READY) ++not_ready;
      if (entry->status() == v1::BOARD_STATUS_AT_RISK) ++at_risk;
    }
    std::vector<std::string> reasons;
    for (int i = 0; i < entry->reasons_size() && i < kReasonsShown; ++i) {
      reasons.push_back(Shortened(entry->reasons(i), kReasonLimit));
    }
    // A non-conforming batch says so first, naming its deviations.
    if (!entry->non_conforming().empty()) reasons.insert(reasons.begin(), entry->non_conforming());
    std::string reason_text = reasons.empty() ? "-" : absl::StrJoin(reasons, "; ");
    if (entry->reasons_size() > kReasonsShown) {
      absl::StrAppend(&reason_text, " (+", entry->reasons_size() - kReasonsShown, " more)");
    }
    table.AddRow({entry->planned_date(),
                  absl::StrCat(entry->sequence(), "/", entry->planned_count()),
                  SpacedBatchId(entry->batch_id()), OrDash(entry->patient_id()),
                  ChoiceText(BatchStateChoices(), entry->batch_state()), BoardStatusText(*entry),
                  entry->given() ? "-" : reason_text,
                  entry->has_projected_ready_time()
                      ? LocalDate(entry->projected_ready_time(), zone)
                      : "-"});
  }
  std::string out = absl::StrCat("Planned infusions ", board.from_date(), " to ", board.to_date(),
                                 ": ", ready, " ready, ", not_ready, " not ready, ", at_risk,
                                 " at risk\n");
  absl::StrAppend(&out, table.empty() ? "  (none planned)\n" : table.Render());
  return out;
}

std::string RenderPlan(const v1::TreatmentPlan& plan, absl::TimeZone zone) {
  std::string dose;
  switch (plan.dose_case()) {
    case v1::TreatmentPlan::kFixedCells:
      dose = absl::StrCat(CellsText(plan.fixed_cells()), " viable cells per infusion");
      break;
    case v1::TreatmentPlan::kCellsPerKg:
      dose = absl::StrCat(CellsText(plan.cells_per_kg()), " viable cells/kg");
      break;
    default:
      dose = "-";
  }
  std::string out = absl::StrCat(
      "Plan ", plan.plan_number(), " for batch ", SpacedBatchId(plan.batch_id()), " (patient ",
      OrDash(plan.patient_id()), ")\n", "  dose          ", dose, "\n", "  per infusion  ",
      plan.cells_per_infusion() > 0 ? FormatCount(plan.cells_per_infusion()) : "-",
      plan.dose_case() == v1::TreatmentPlan::kCellsPerKg ? " viable cells (at the current weight)"
                                                        : " viable cells",
      "\n");
  if (plan.has_create_time()) {
    absl::StrAppend(&out, "  created       ", FormatLocalTime(FromProto(plan.create_time()), zone),
                    " by ", OrDash(plan.created_by()), "\n");
  }
  Table table({"infusion", "#", "date", "units given"});
  table.AlignRight(0);
  for (const v1::PlannedInfusion& infusion : plan.infusions()) {
    table.AddRow({absl::StrCat(infusion.planned_infusion_id()),
                  absl::StrCat(infusion.sequence(), "/", plan.infusions_size()),
                  infusion.planned_date(),
                  infusion.unit_ids().empty() ? "-" : absl::StrJoin(infusion.unit_ids(), ", ")});
  }
  absl::StrAppend(&out, "\n", table.empty() ? "  (no infusions planned)\n" : table.Render(2));
  return out;
}

std::string ReleaseSpecText(const v1::Product& product) {
  std::vector<std::string> limits;
  if (product.min_viability_percent() > 0) {
    limits.push_back(absl::StrCat("viability >= ", FormatPercent(product.min_viability_percent())));
  }
  if (product.min_post_thaw_viability_percent() > 0) {
    limits.push_back(absl::StrCat("post-thaw viability >= ",
                                  FormatPercent(product.min_post_thaw_viability_percent())));
  }
  if (product.max_endotoxin_eu_per_ml() > 0) {
    limits.push_back(absl::StrCat("endotoxin <= ", FormatDecimal(product.max_endotoxin_eu_per_ml(), 3),
                                  " EU/mL"));
  }
  if (product.min_viable_cells_per_dose() > 0) {
    limits.push_back(
        absl::StrCat("viable cells/dose >= ", FormatCount(product.min_viable_cells_per_dose())));
  }
  if (product.has_fresh_shelf_life()) {
    limits.push_back(absl::StrCat("fresh shelf life ", FormatHours(FromProto(product.fresh_shelf_life()))));
  }
  if (product.has_frozen_shelf_life()) {
    limits.push_back(
        absl::StrCat("frozen shelf life ", FormatDays(FromProto(product.frozen_shelf_life()))));
  }
  if (product.has_max_thaw_to_infusion()) {
    limits.push_back(absl::StrCat("thaw to infusion <= ",
                                  FormatHours(FromProto(product.max_thaw_to_infusion()))));
  }
  std::vector<std::string> parts;
  if (!limits.empty()) parts.push_back(absl::StrCat("release: ", absl::StrJoin(limits, ", ")));
  if (!product.required_tests().empty()) {
    std::vector<std::string> tests;
    for (const v1::RequiredTest& test : product.required_tests()) {
      tests.push_back(absl::StrCat(ChoiceText(QcTestTypeChoices(), test.type()),
                                   test.method().empty() ? "" : absl::StrCat(" (", test.method(), ")"),
                                   " ", FormatHours(FromProto(test.min_incubation()))));
    }
    parts.push_back(absl::StrCat("tests (incubation): ", absl::StrJoin(tests, ", ")));
  }
  if (!product.marker_limits().empty()) {
    std::vector<std::string> markers;
    for (const v1::MarkerLimit& marker : product.marker_limits()) {
      markers.push_back(absl::StrCat(marker.marker(), " ", FormatDecimal(marker.min_percent(), 1),
                                     "-", FormatDecimal(marker.max_percent(), 1), "%"));
    }
    parts.push_back(absl::StrCat("markers: ", absl::StrJoin(markers, ", ")));
  }
  return absl::StrJoin(parts, "; ");
}

}  // namespace cpc
