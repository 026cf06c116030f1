// Small page bodies: the sign-in form and error pages.
#ifndef CPCTRACK_WEB_SIMPLE_PAGES_H_
#define CPCTRACK_WEB_SIMPLE_PAGES_H_

#include <string>

#include "web/messages.h"

namespace cpcweb {

// The sign-in form (POST /login with `csrf`); `error` (plain text) above it
// when not empty.
std::string LoginBody(const std::string& csrf, const std::string& error, Lang lang);

// A paragraph of plain text, escaped, with id "error".
std::string ErrorBody(const std::string& text);

}  // namespace cpcweb

#endif  // CPCTRACK_WEB_SIMPLE_PAGES_H_
