#include "web/board_page.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "client/format.h"
#include "client/readiness_format.h"
#include "client/time_format.h"
#include "web/html.h"

namespace cpcweb {

namespace v1 = ::cpctrack::v1;

std::string BoardStatusClass(const v1::BoardEntry& entry) {
  if (entry.given()) return "given";
  switch (entry.status()) {
    case v1::BOARD_STATUS_READY: return "ready";
    case v1::BOARD_STATUS_AT_RISK: return "at-risk";
    default: return "not-ready";
  }
}

std::string BoardStatusWords(const v1::BoardEntry& entry, Lang lang) {
  if (entry.given()) return std::string(Msg(lang, "status.given"));
  switch (entry.status()) {
    case v1::BOARD_STATUS_READY:
      return entry.non_conforming().empty()
                 ? std::string(Msg(lang, "status.ready"))
                 : absl::StrCat(Msg(lang, "status.ready"), " (",
                                Msg(lang, "status.non_conforming"), ")");
    case v1::BOARD_STATUS_AT_RISK: return std::string(Msg(lang, "status.at_risk"));
    default: return std::string(Msg(lang, "status.not_ready"));
  }
}

std::string BoardBody(const v1::Board& board, const BoardView& view) {
  const Lang lang = view.lang;
  const std::vector<const v1::BoardEntry*> entries = cpc::SortedBoardEntries(board);
  int ready = 0, not_ready = 0, at_risk = 0;
  for (const v1::BoardEntry* entry : entries) {
    if (entry->given()) continue;
    if (entry->status() == v1::BOARD_STATUS_READY) ++ready;
    else if (entry->status() == v1::BOARD_STATUS_AT_RISK) ++at_risk;
    else ++not_ready;
  }
  std::string out = absl::StrCat(
      "<p>", Escape(Fill(Msg(lang, "board.range"), {board.from_date(), board.to_date()})),
      "</p>\n<p class=\"summary\"><span><span class=\"status ready\">",
      Escape(Msg(lang, "status.ready")), "</span> ", ready,
      "</span><span><span class=\"status not-ready\">", Escape(Msg(lang, "status.not_ready")),
      "</span> ", not_ready, "</span><span><span class=\"status at-risk\">",
      Escape(Msg(lang, "status.at_risk")), "</span> ", at_risk, "</span></p>\n",
      "<form method=\"get\" action=\"/board\"><label>", Escape(Msg(lang, "board.days")),
      " <input type=\"number\" name=\"days\" min=\"1\" max=\"90\" value=\"", view.days,
      "\"></label> <button>", Escape(Msg(lang, "board.show")), "</button></form>\n");
  if (entries.empty()) {
    absl::StrAppend(&out, "<p id=\"board-empty\">", Escape(Msg(lang, "board.none")), "</p>\n");
  } else {
    absl::StrAppend(&out, "<table id=\"board\">\n<tr>");
    for (const char* key : {"board.date", "board.infusion", "board.patient", "board.batch",
                            "board.status", "board.reasons", "board.projected"}) {
      absl::StrAppend(&out, "<th>", Escape(Msg(lang, key)), "</th>");
    }
    absl::StrAppend(&out, "</tr>\n");
    for (const v1::BoardEntry* entry : entries) {
      const std::string status_class = BoardStatusClass(*entry);
      std::string reasons;
      if (!entry->given()) {
        // A non-conforming batch says so first, naming its deviations.
        if (!entry->non_conforming().empty()) {
          absl::StrAppend(&reasons, "<li class=\"non-conforming\">",
                          Escape(entry->non_conforming()), "</li>");
        }
        for (const std::string& reason : entry->reasons()) {
          absl::StrAppend(&reasons, "<li>", Escape(reason), "</li>");
        }
      }
      absl::StrAppend(
          &out, "<tr class=\"entry\" id=\"entry-", entry->planned_infusion_id(),
          "\" data-status=\"", status_class, "\"><td>", Escape(entry->planned_date()), "</td><td>",
          entry->sequence(), "/", entry->planned_count(), "</td><td class=\"patient\">",
          Escape(entry->patient_id()), "</td><td><a href=\"/batches/", Escape(entry->batch_id()),
          "\">", Escape(cpc::SpacedBatchId(entry->batch_id())), "</a></td><td><span class=\"status ",
          status_class, "\">", Escape(BoardStatusWords(*entry, lang)),
          "</span></td><td class=\"reasons\">",
          reasons.empty() ? "-" : absl::StrCat("<ul>", reasons, "</ul>"),
          "</td><td class=\"projected\">",
          entry->has_projected_ready_time()
              ? Escape(cpc::FormatLocalTime(cpc::FromProto(entry->projected_ready_time()),
                                            view.zone).substr(0, 10))
              : "-",
          "</td></tr>\n");
    }
    absl::StrAppend(&out, "</table>\n");
  }
  absl::StrAppend(&out, "<p class=\"refreshed\">",
                  Escape(Fill(Msg(lang, "board.refreshed"),
                              {cpc::FormatLocalTimeWithZone(view.now, view.zone),
                               absl::StrCat(view.refresh_seconds)})),
                  "</p>\n");
  return out;
}

}  // namespace cpcweb
