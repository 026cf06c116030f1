// The words of cpc-web's pages in English and Japanese, chosen by the
// browser's Accept-Language (the first clinics are in Japan). Record values
// (patient IDs, reasons, results as recorded) are shown as recorded.
#ifndef CPCTRACK_WEB_MESSAGES_H_
#define CPCTRACK_WEB_MESSAGES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cpcweb {

enum class Lang { kEnglish, kJapanese };

// The language of the highest-weighted tag in an Accept-Language header that
// is Japanese ("ja", "ja-JP") or English; English when neither is asked for.
Lang ChooseLanguage(absl::string_view accept_language);

// "en" or "ja", for <html lang>.
absl::string_view LangCode(Lang lang);

// The text of `key` in `lang`. An unknown key is returned as itself (a test
// checks that every key used has both languages).
absl::string_view Msg(Lang lang, absl::string_view key);

// `text` with %1, %2, ... replaced by `args` (plain text in, plain text out:
// escape the result for HTML).
std::string Fill(absl::string_view text, const std::vector<std::string>& args);

// Every key of the table, for that test.
std::vector<std::string> MessageKeys();

}  // namespace cpcweb

#endif  // CPCTRACK_WEB_MESSAGES_H_
