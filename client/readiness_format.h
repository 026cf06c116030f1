#ifndef CPCTRACK_CLIENT_READINESS_FORMAT_H_
#define CPCTRACK_CLIENT_READINESS_FORMAT_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "cpctrack/v1/inventory.pb.h"
#include "cpctrack/v1/treatment.pb.h"

namespace cpc {

// What schedulers and QA read: one batch's readiness, the board of planned
// infusions, a treatment plan, a product's release specification. Times are
// shown in `zone`; planned dates are the facility's calendar dates as sent.

// "READY — batch ..., patient ..., cryopreserved", a loud quarantine line,
// every criterion, the projection, infusions covered, and the release.
std::string RenderReadiness(const cpctrack::v1::Readiness& readiness, absl::TimeZone zone);

// "Released for infusion by qa.kim at 2026-12-01 10:00; record hash ...".
std::string ReleaseLine(const cpctrack::v1::ReleaseSignature& release, absl::TimeZone zone);

// The board's entries by date, then batch, then infusion number.
std::vector<const cpctrack::v1::BoardEntry*> SortedBoardEntries(const cpctrack::v1::Board& board);

// The board as a table sorted by date, then batch, then infusion number.
std::string RenderBoard(const cpctrack::v1::Board& board, absl::TimeZone zone);

// A plan: number, dose, cells per infusion, each planned infusion and its units.
std::string RenderPlan(const cpctrack::v1::TreatmentPlan& plan, absl::TimeZone zone);

// "release: viability >= 70.0%, ...; tests (incubation): sterility (USP <71> culture) 336.0 h; markers:
// CD73 95-100%"; "" when the product has no release specification.
std::string ReleaseSpecText(const cpctrack::v1::Product& product);

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_READINESS_FORMAT_H_
