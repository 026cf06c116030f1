#include "web/audit_pages.h"

#include "absl/strings/str_cat.h"
#include "client/sterility_export.h"
#include "client/time_format.h"
#include "web/html.h"

namespace cpcweb {

namespace v1 = ::cpctrack::v1;

namespace {

std::string DateInput(const char* name, const std::string& value, Lang lang, const char* key) {
  return absl::StrCat("<label>", Escape(Msg(lang, key)), " <input type=\"date\" name=\"", name,
                      "\" id=\"", name, "\" value=\"", Escape(value), "\" required></label> ");
}

std::string TextInput(const char* name, const std::string& value, Lang lang, const char* key) {
  return absl::StrCat("<label>", Escape(Msg(lang, key)), " <input name=\"", name, "\" id=\"",
                      name, "\" value=\"", Escape(value), "\"></label> ");
}

}  // namespace

std::string SterilityBody(const std::vector<v1::QcTest>& tests, const std::string& from,
                          const std::string& to, Lang lang, absl::TimeZone zone) {
  std::string out = absl::StrCat("<form method=\"get\" action=\"/audit/sterility\">",
                                 DateInput("from", from, lang, "sterility.from"),
                                 DateInput("to", to, lang, "sterility.to"), "<button>",
                                 Escape(Msg(lang, "board.show")), "</button></form>\n");
  if (from.empty()) return out;
  absl::StrAppend(&out, "<p><a id=\"sterility-csv\" href=\"/audit/sterility.csv?from=",
                  Escape(from), "&amp;to=", Escape(to), "\">", Escape(Msg(lang, "sterility.csv")),
                  "</a></p>\n<p>",
                  Escape(Fill(Msg(lang, "sterility.count"), {absl::StrCat(tests.size())})),
                  "</p>\n");
  if (tests.empty()) return out;
  // The export's own columns and fields, times in local time as on screen.
  const std::vector<cpc::SterilityColumn>& columns = cpc::SterilityColumns();
  absl::StrAppend(&out, "<table id=\"sterility-table\">\n<tr>");
  for (const cpc::SterilityColumn& column : columns) {
    if (column.in_table) absl::StrAppend(&out, "<th>", Escape(column.name), "</th>");
  }
  absl::StrAppend(&out, "</tr>\n");
  for (const v1::QcTest& test : tests) {
    const std::vector<std::string> fields = cpc::SterilityFields(
        test, [&](absl::Time time) { return cpc::FormatLocalTime(time, zone); });
    absl::StrAppend(&out, "<tr>");
    for (size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].in_table) {
        absl::StrAppend(&out, "<td>", fields[i].empty() ? "-" : Escape(fields[i]), "</td>");
      }
    }
    absl::StrAppend(&out, "</tr>\n");
  }
  return absl::StrCat(out, "</table>\n");
}

std::string AuditTrailBody(const v1::ListAuditEntriesResponse& listing, const TrailQuery& query,
                           bool more, const std::string& csrf, Lang lang, absl::TimeZone zone) {
  std::string out = absl::StrCat(
      "<p id=\"chain-head\">",
      Escape(Fill(Msg(lang, "trail.head"),
                  {absl::StrCat(listing.head().entry_count()), listing.head().hash()})),
      "</p>\n<form method=\"post\" action=\"/audit/trail\">", CsrfField(csrf),
      TextInput("batch", query.batch_id, lang, "board.batch"),
      TextInput("user", query.user, lang, "trail.user"),
      TextInput("action", query.action, lang, "trail.action"), "<button id=\"search\">",
      Escape(Msg(lang, "trail.search")), "</button></form>\n");
  if (more) {
    absl::StrAppend(&out, "<p>",
                    Escape(Fill(Msg(lang, "trail.more"), {absl::StrCat(listing.entries_size())})),
                    "</p>\n");
  }
  absl::StrAppend(&out, "<table id=\"trail-table\">\n<tr>");
  for (const char* key : {"trail.seq", "batch.time", "trail.user", "trail.action",
                          "trail.resource", "trail.change", "trail.reason"}) {
    absl::StrAppend(&out, "<th>", Escape(Msg(lang, key)), "</th>");
  }
  absl::StrAppend(&out, "</tr>\n");
  for (const v1::AuditEntry& entry : listing.entries()) {
    std::string change = Escape(entry.new_value());
    if (!entry.old_value().empty()) {
      change = absl::StrCat(Escape(entry.old_value()), " → ", change);
    }
    absl::StrAppend(&out, "<tr><td>", entry.sequence(), "</td><td>",
                    Escape(cpc::FormatLocalTime(cpc::FromProto(entry.time()), zone)), "</td><td>",
                    Escape(entry.actor()), "</td><td>", Escape(entry.action()), "</td><td>",
                    Escape(entry.resource()), "</td><td class=\"change\">", change, "</td><td>",
                    Escape(entry.reason()), "</td></tr>\n");
  }
  return absl::StrCat(out, "</table>\n");
}

}  // namespace cpcweb
