#include "web/html.h"

#include "absl/strings/str_cat.h"
#include "domain/markup.h"

namespace cpcweb {

std::string Escape(absl::string_view text) { return cpctrack::domain::EscapeMarkup(text); }

std::string CsrfField(absl::string_view csrf) {
  return absl::StrCat("<input type=\"hidden\" name=\"csrf\" value=\"", Escape(csrf), "\">");
}

std::string RenderPage(const PageFrame& frame, absl::string_view body_html) {
  const Lang lang = frame.lang;
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"", LangCode(lang), "\">\n<head>\n<meta charset=\"utf-8\">\n",
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
  if (frame.refresh_seconds > 0) {
    absl::StrAppend(&out, "<meta http-equiv=\"refresh\" content=\"", frame.refresh_seconds,
                    "\">\n");
  }
  absl::StrAppend(&out, "<title>", Escape(frame.title), " — cpctrack</title>\n",
                  "<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body",
                  frame.body_class.empty() ? "" : absl::StrCat(" class=\"", frame.body_class, "\""),
                  ">\n<header>\n<span class=\"brand\">cpctrack</span>\n");
  if (!frame.viewer.user.empty()) {
    absl::StrAppend(
        &out, "<nav><a href=\"/board\">", Escape(Msg(lang, "nav.board")),
        "</a> <a href=\"/audit/sterility\">", Escape(Msg(lang, "nav.sterility")),
        "</a> <a href=\"/audit/trail\">", Escape(Msg(lang, "nav.audit_trail")), "</a>",
        "<form class=\"inline\" method=\"get\" action=\"/batches\"><label>",
        Escape(Msg(lang, "nav.batch")), " <input name=\"id\" size=\"18\"></label> <button>",
        Escape(Msg(lang, "nav.open")), "</button></form></nav>\n",
        "<form class=\"inline signout\" method=\"post\" action=\"/logout\">",
        CsrfField(frame.viewer.csrf), "<span class=\"user\">", Escape(frame.viewer.user),
        "</span> <button id=\"sign-out\">", Escape(Msg(lang, "nav.sign_out")),
        "</button></form>\n");
  }
  absl::StrAppend(&out, "</header>\n<main>\n<h1>", Escape(frame.title), "</h1>\n", body_html,
                  "\n</main>\n</body>\n</html>\n");
  return out;
}

const std::vector<std::pair<std::string, std::string>>& SecurityHeaders() {
  static const auto* const kHeaders = new std::vector<std::pair<std::string, std::string>>{
      {"Content-Security-Policy",
       "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", "no-store"},
  };
  return *kHeaders;
}

absl::string_view StyleSheet() {
  return R"css(body { font-family: "Noto Sans", "Noto Sans CJK JP", sans-serif; margin: 0; color: #111; background: #fff; }
header { display: flex; flex-wrap: wrap; gap: 1em; align-items: center; padding: 0.5em 1em; background: #1d3557; color: #fff; }
header a { color: #fff; margin-right: 1em; }
header .brand { font-weight: bold; }
form.inline { display: inline; }
.signout { margin-left: auto; }
main { padding: 1em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #999; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #eee; }
.status { font-weight: bold; padding: 0.2em 0.5em; border-radius: 0.3em; white-space: nowrap; }
.ready { background: #1b7f3b; color: #fff; }
.not-ready { background: #f2c200; color: #000; }
.at-risk { background: #c1121f; color: #fff; }
.given { background: #777; color: #fff; }
.met { color: #1b7f3b; font-weight: bold; }
.not-met { color: #c1121f; font-weight: bold; }
.pending { color: #8a6d00; font-weight: bold; }
.non-conforming { color: #9d4edd; font-weight: bold; }
.alarm { color: #c1121f; font-weight: bold; }
.superseded { text-decoration: line-through; color: #666; }
.error { color: #c1121f; font-weight: bold; }
body.board { font-size: 1.6em; }
body.board td, body.board th { padding: 0.4em 0.8em; }
body.board .status { font-size: 1.3em; }
.summary span { margin-right: 1.5em; }
svg.chart { max-width: 100%; height: auto; border: 1px solid #ccc; }
)css";
}

}  // namespace cpcweb
