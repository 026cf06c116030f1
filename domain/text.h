// Text people type is data: it must never be able to forge a line of a
// table, a log or an audit listing. The domain refuses control characters in
// stored text (a line break only in free text), and everything that shows
// text escapes what cannot be printed.
#ifndef CPCTRACK_DOMAIN_TEXT_H_
#define CPCTRACK_DOMAIN_TEXT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace cpctrack::domain {

// One line of text: valid UTF-8 without control characters (C0, DEL, C1),
// line or paragraph separators, or bidirectional overrides. InvalidArgument
// naming the field, the character's position and code point.
absl::Status ValidateText(absl::string_view field, absl::string_view text);
// Free text (a reason, a note, a description): the same, but a line break
// (LF) is allowed.
absl::Status ValidateFreeText(absl::string_view field, absl::string_view text);

// `text` with everything ValidateText refuses written as an escape: \n, \r,
// \t, \xNN for other control bytes and invalid UTF-8, \u{NNNN} for C1
// controls, separators and bidirectional overrides. Printable text, UTF-8
// included, is unchanged. For tables, logs and error messages.
std::string EscapeUnprintable(absl::string_view text);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_TEXT_H_
