// `cpc audit head` and `cpc audit trail`: the audit trail's head, to carry
// away and check later with `cpcd verify-audit --expect_head`, and an
// auditor's export of the entries a filter picks, as a table, CSV or JSON.
// The server records every export as an entry; its head is printed with it.
// Pages are printed as they arrive, so memory stays flat.
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "client/commands.h"
#include "client/export_format.h"
#include "client/format.h"
#include "client/status_util.h"
#include "client/table.h"
#include "client/values.h"
#include "cpctrack/v1/audit.grpc.pb.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

std::string HeadText(const v1::AuditHead& head) {
  return absl::StrCat(head.entry_count(), ":", head.hash());
}

absl::Status RunHead(Invocation& in) {
  v1::AuditHead head;
  CPC_RETURN_IF_ERROR(in.conn.Call(&v1::AuditService::Stub::GetAuditHead,
                                   v1::GetAuditHeadRequest(), &head));
  if (in.json) return PrintJson(head, in.out);
  in.out << head.entry_count() << (head.entry_count() == 1 ? " entry" : " entries") << ", head "
         << head.hash() << "\n";
  return absl::OkStatus();
}

// To the microsecond, as the trail keeps (and hashes) it.
std::string UtcMicros(const google::protobuf::Timestamp& time) {
  return absl::FormatTime("%Y-%m-%d%ET%H:%M:%E6SZ", FromProto(time), absl::UTCTimeZone());
}

constexpr const char* kCsvColumns[] = {"sequence",  "time",      "user",   "action",
                                       "resource",  "old_value", "new_value", "reason",
                                       "request_id", "hash"};

std::vector<std::string> Fields(const v1::AuditEntry& e) {
  return {absl::StrCat(e.sequence()), UtcMicros(e.time()), e.actor(), e.action(), e.resource(),
          e.old_value(), e.new_value(), e.reason(), e.request_id(), e.hash()};
}

enum class Output { kTable, kCsv, kJson };

class Printer {
 public:
  Printer(const Invocation& in, Output output) : in_(in), output_(output) {}

  // Before the first page's entries: the head this export lists up to.
  void Begin(const v1::ListAuditEntriesResponse& first) {
    head_ = HeadText(first.head());
    export_sequence_ = first.export_sequence();
    if (output_ == Output::kTable) {
      in_.out << "Audit trail export, recorded as entry " << export_sequence_ << "; head "
              << head_ << "\n";
    } else if (output_ == Output::kCsv) {
      std::vector<std::string> header(std::begin(kCsvColumns), std::end(kCsvColumns));
      in_.out << CsvRecord(header);
    } else {
      in_.out << "{\"head\": " << JsonString(head_)
              << ", \"export_sequence\": " << export_sequence_ << ", \"entries\": [";
    }
  }

  void Page(const v1::ListAuditEntriesResponse& page) {
    if (output_ == Output::kTable) {
      PrintTablePage(page);
    } else {
      for (const v1::AuditEntry& e : page.entries()) {
        const std::vector<std::string> fields = Fields(e);
        if (output_ == Output::kCsv) {
          in_.out << CsvRecord(fields);
        } else {
          std::string object = rows_ + printed_ == 0 ? "\n{" : ",\n{";
          for (size_t i = 0; i < fields.size(); ++i) {
            absl::StrAppend(&object, i == 0 ? "" : ", ", JsonString(kCsvColumns[i]), ": ",
                            i == 0 ? fields[i] : JsonString(fields[i]));
          }
          in_.out << object << "}";
          ++printed_;
        }
      }
    }
    rows_ += page.entries_size();
    printed_ = 0;
    in_.out.flush();
  }

  void End() {
    const std::string check =
        absl::StrCat("check later: cpcd verify-audit --db DB --expect_head ", head_);
    if (output_ == Output::kTable) {
      in_.out << (rows_ == 0 ? "No entries match." : absl::StrCat(rows_, rows_ == 1 ? " entry" : " entries", " (times ",
                                              absl::FormatTime("%Z", in_.time.now, in_.time.zone),
                                              ")."))
              << "\nHead " << head_ << " (" << check << ")\n";
    } else if (output_ == Output::kJson) {
      in_.out << (rows_ == 0 ? "]}\n" : "\n]}\n");
    } else {
      // The CSV stays one header and the rows; the head goes beside it.
      in_.err << "cpc: export recorded as audit entry " << export_sequence_ << "; head " << head_
              << " (" << check << ")\n";
    }
  }

 private:
  void PrintTablePage(const v1::ListAuditEntriesResponse& page) {
    if (page.entries().empty()) return;
    Table table({"seq", "time", "user", "action", "resource", "reason"});
    for (const v1::AuditEntry& e : page.entries()) {
      table.AddRow({absl::StrCat(e.sequence()), FormatLocalTime(FromProto(e.time()), in_.time.zone),
                    e.actor(), e.action(), e.resource().empty() ? "-" : e.resource(),
                    e.reason().empty() ? "-" : e.reason()});
    }
    if (rows_ > 0) in_.out << "\n";
    in_.out << table.Render();
  }

  const Invocation& in_;
  Output output_;
  std::string head_;
  int64_t export_sequence_ = 0;
  int64_t rows_ = 0;
  int64_t printed_ = 0;
};

// A YYYY-MM-DD flag as the local midnight it starts (`next_day`: it ends).
absl::StatusOr<absl::Time> DayBound(const Invocation& in, absl::string_view flag, bool next_day) {
  CPC_ASSIGN_OR_RETURN(std::string text, ParseDate(absl::StrCat("--", flag), in.args.Get(flag)));
  absl::CivilDay day;
  absl::ParseCivilTime(text, &day);
  return in.time.zone.At(absl::CivilSecond(next_day ? day + 1 : day)).pre;
}

absl::Status RunTrail(Invocation& in) {
  if (in.json && in.args.Has("csv")) return UsageError("--csv and --json: choose one");
  v1::ListAuditEntriesRequest request;
  v1::AuditFilter& filter = *request.mutable_filter();
  filter.set_batch_id(CompactBatchId(in.args.Get("batch")));
  filter.set_user(in.args.Get("actor"));
  filter.set_action(in.args.Get("action"));
  if (in.args.Has("from")) {
    CPC_ASSIGN_OR_RETURN(absl::Time from, DayBound(in, "from", false));
    ToProto(from, filter.mutable_start_time());
  }
  if (in.args.Has("to")) {
    CPC_ASSIGN_OR_RETURN(absl::Time to, DayBound(in, "to", true));
    ToProto(to, filter.mutable_end_time());
  }
  if (in.args.Has("from") && in.args.Has("to") &&
      FromProto(filter.end_time()) <= FromProto(filter.start_time())) {
    return UsageError(absl::StrCat("--to: ", in.args.Get("to"), " is before --from ",
                                   in.args.Get("from")));
  }
  if (in.args.Has("page-size")) {
    CPC_ASSIGN_OR_RETURN(int32_t page_size, SmallCountFlag(in.args, "page-size"));
    request.set_page_size(page_size);
  }
  KeepExportPrivate();
  Printer printer(in, in.json ? Output::kJson : in.args.Has("csv") ? Output::kCsv
                                                                  : Output::kTable);
  // A failure mid-way leaves what was printed incomplete; the exit code and
  // stderr say so.
  CPC_RETURN_IF_ERROR(in.conn.ForEachPage(
      &v1::AuditService::Stub::ListAuditEntries, request,
      [&](const v1::ListAuditEntriesResponse& page, bool first) {
        if (first) printer.Begin(page);
        printer.Page(page);
      }));
  printer.End();
  return absl::OkStatus();
}

}  // namespace

std::vector<CommandSpec> AuditTrailCommands() {
  return {
      {.noun = "audit", .verb = "head",
       .summary = "Print the audit trail's entry count and head hash, to check it later",
       .example = "cpc audit head   # then, later: cpcd verify-audit --db DB --expect_head N:HASH",
       .run = RunHead},
      {.noun = "audit", .verb = "trail",
       .summary = "Export audit entries (recorded as an entry itself), with the head",
       .flags = {{.name = "batch", .value_name = "BATCH",
                  .help = "only this batch's entries (its records, samples, tests, deviations)"},
                 {.name = "actor", .value_name = "USER",
                  .help = "only this user's entries (--user is who you are)"},
                 {.name = "action", .value_name = "ACTION",
                  .help = "only this action, e.g. batch.release"},
                 {.name = "from", .value_name = "DATE",
                  .help = "first day, YYYY-MM-DD (from local midnight)"},
                 {.name = "to", .value_name = "DATE",
                  .help = "last day, YYYY-MM-DD (included, to the next local midnight)"},
                 {.name = "csv",
                  .help = "CSV (RFC 4180, times RFC 3339 UTC to the microsecond; the head "
                          "goes to stderr); --json prints one object with the head"},
                 {.name = "page-size", .value_name = "N",
                  .help = "entries fetched per call (default: the server's page size)"}},
       .example = "cpc audit trail --batch A9999260000018 --from 2026-01-01 --csv > trail.csv",
       .run = RunTrail},
  };
}

}  // namespace cpc
