// HTML for cpc-web: the one escaping function every piece of user-supplied
// text goes through, the page frame, the style sheet and the security
// headers. Pages are built on the server; no script, no external source.
#ifndef CPCTRACK_WEB_HTML_H_
#define CPCTRACK_WEB_HTML_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "web/messages.h"

namespace cpcweb {

// `text` safe as HTML element content and as a quoted attribute value:
// & < > " ' become character references (domain::EscapeMarkup, which label
// SVGs use too). Every user-supplied string (patient IDs, notes, reasons,
// user names) is shown through this function.
std::string Escape(absl::string_view text);

// Who is signed in, for the header and the sign-out form.
struct Viewer {
  std::string user;
  std::string csrf;  // the session's CSRF token, for every form
};

struct PageFrame {
  std::string title;  // plain text; escaped here
  Lang lang = Lang::kEnglish;
  // > 0: the page reloads itself every this many seconds (meta refresh, so
  // it works with scripts off).
  int refresh_seconds = 0;
  // Empty user: not signed in (no navigation, no sign-out).
  Viewer viewer;
  // "board" on the board: large type for a screen across the room.
  std::string body_class;
};

// A whole document around `body_html` (already HTML).
std::string RenderPage(const PageFrame& frame, absl::string_view body_html);

// <input type="hidden" name="csrf" value="...">.
std::string CsrfField(absl::string_view csrf);

// Headers on every response: a Content-Security-Policy that allows only this
// origin's style sheet and forms, no scripts, no frames; nosniff; no referrer;
// no caching of records.
const std::vector<std::pair<std::string, std::string>>& SecurityHeaders();

// The style sheet served at /style.css.
absl::string_view StyleSheet();

}  // namespace cpcweb

#endif  // CPCTRACK_WEB_HTML_H_
