#include "web/simple_pages.h"

#include "absl/strings/str_cat.h"
#include "web/html.h"

namespace cpcweb {

std::string LoginBody(const std::string& csrf, const std::string& error, Lang lang) {
  std::string out;
  if (!error.empty()) absl::StrAppend(&out, "<p class=\"error\" id=\"error\">", Escape(error), "</p>\n");
  absl::StrAppend(&out, "<form method=\"post\" action=\"/login\">", CsrfField(csrf),
                  "<p><label>", Escape(Msg(lang, "login.user")),
                  "<br><input name=\"user\" id=\"user\" autocomplete=\"username\" required>"
                  "</label></p>\n<p><label>",
                  Escape(Msg(lang, "login.password")),
                  "<br><input type=\"password\" name=\"password\" id=\"password\" "
                  "autocomplete=\"current-password\" required></label></p>\n<p><label>",
                  Escape(Msg(lang, "login.new_password")),
                  "<br><input type=\"password\" name=\"new_password\" id=\"new_password\" "
                  "autocomplete=\"new-password\" minlength=\"10\"></label></p>\n"
                  "<p><button id=\"sign-in\">",
                  Escape(Msg(lang, "login.submit")), "</button></p></form>\n");
  return out;
}

std::string ErrorBody(const std::string& text) {
  return absl::StrCat("<p class=\"error\" id=\"error\">", Escape(text), "</p>\n");
}

}  // namespace cpcweb
