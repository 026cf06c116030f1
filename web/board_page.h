// The scheduler's board: every planned infusion of the next days with READY /
// NOT READY / AT RISK (colour and text), the reasons and the projected date,
// in large type for a screen across the room.
#ifndef CPCTRACK_WEB_BOARD_PAGE_H_
#define CPCTRACK_WEB_BOARD_PAGE_H_

#include <string>

#include "absl/time/time.h"
#include "cpctrack/v1/treatment.pb.h"
#include "web/messages.h"

namespace cpcweb {

struct BoardView {
  Lang lang = Lang::kEnglish;
  absl::TimeZone zone;
  int days = 14;             // as asked, shown in the form
  int refresh_seconds = 60;  // said on the page (the frame does the refreshing)
  absl::Time now;            // "updated at"
};

// The board's body: a count per status, the days form, one table row per
// planned infusion (id "entry-PLANNEDID", data-status "ready" / "not-ready" /
// "at-risk" / "given"), each batch linked to its page.
std::string BoardBody(const cpctrack::v1::Board& board, const BoardView& view);

// The CSS class and the words of an entry's status.
std::string BoardStatusClass(const cpctrack::v1::BoardEntry& entry);
std::string BoardStatusWords(const cpctrack::v1::BoardEntry& entry, Lang lang);

}  // namespace cpcweb

#endif  // CPCTRACK_WEB_BOARD_PAGE_H_
