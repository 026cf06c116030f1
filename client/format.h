#ifndef CPCTRACK_CLIENT_FORMAT_H_
#define CPCTRACK_CLIENT_FORMAT_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace cpc {

// Batch IDs are typed or scanned with or without the label's spaces, with
// dashes, or in lower case; the server gets them compact and upper case, so
// the same ID typed two ways is the same request:
// "a9999-26-000001-8" -> "A9999260000018".
std::string CompactBatchId(absl::string_view id);

// The label's grouping of a 14-character DIN + check character: facility (5),
// year (2), sequence (6), check (1): "A9999 26 000001 8". Other lengths are
// returned compact, unchanged otherwise.
std::string SpacedBatchId(absl::string_view id);

// Cell counts, exact but short: "0", "950", "2.5e6", "1e7", "1.2345678e7";
// every digit that is not a trailing zero is shown, so a technician can check
// what was typed.
std::string FormatCount(int64_t count);

// "91.7%".
std::string FormatPercent(double percent);

// Numbers such as population doublings, volumes, weights: "2.14", "62.5",
// "20" (at most `decimals` decimals, trailing zeros dropped).
std::string FormatDecimal(double value, int decimals = 2);

// At most `limit` bytes (limit > 3): longer text is cut, not inside a UTF-8
// character, and ends in "...".
std::string Shortened(absl::string_view text, size_t limit);

// Quotes `text` for a POSIX shell when it needs it, so a printed command can
// be pasted back: abc -> abc, "a b" -> 'a b'.
std::string ShellQuote(absl::string_view text);

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_FORMAT_H_
