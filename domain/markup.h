// User text inside HTML, XML and SVG (cpc-web's pages, label SVGs): the one
// escaping function, so that a patient ID or a note holding "<script>" is
// shown as text wherever it is drawn.
#ifndef CPCTRACK_DOMAIN_MARKUP_H_
#define CPCTRACK_DOMAIN_MARKUP_H_

#include <string>

#include "absl/strings/string_view.h"

namespace cpctrack::domain {

// `text` safe as element content and as a quoted attribute value: & < > " '
// become character references; every other byte (UTF-8 included) is kept.
std::string EscapeMarkup(absl::string_view text);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_MARKUP_H_
