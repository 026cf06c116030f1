// `cpc retry [--discard] [REQUEST_ID]`: finish a write whose answer was lost,
// by sending the very bytes that were saved before it went out; list what is
// pending; or forget an entry that is no longer wanted.
#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client/commands.h"
#include "client/format.h"
#include "client/pending_writes.h"
#include "client/rpc_methods.h"
#include "client/status_util.h"
#include "client/table.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"

namespace cpc {
namespace {

namespace pb = ::google::protobuf;

// Enough for the batch or patient and the main values on one line.
constexpr size_t kRequestSummaryLimit = 160;

// "BatchService/RecordPassage": the package adds nothing for a person.
std::string ShortMethodName(absl::string_view method) {
  absl::ConsumePrefix(&method, "/");
  absl::ConsumePrefix(&method, "cpctrack.v1.");
  return std::string(method);
}

// "45s", "12m", "3h 05m", "4d": how stale the entry is, at a glance.
std::string Age(absl::Duration age) {
  const int64_t seconds = std::max<int64_t>(0, absl::ToInt64Seconds(age));
  if (seconds < 60) return absl::StrCat(seconds, "s");
  if (seconds < 3600) return absl::StrCat(seconds / 60, "m");
  if (seconds < 48 * 3600) {
    const int64_t minutes = seconds / 60 % 60;
    return absl::StrCat(seconds / 3600, "h ", minutes < 10 ? "0" : "", minutes, "m");
  }
  return absl::StrCat(seconds / 86400, "d");
}

std::string UserName(const PendingWrite& write) {
  return write.user.empty() ? "(no user)" : write.user;
}

// The saved request as a message of its own type; the request ID is
// cleared, as every view shows it already.
absl::StatusOr<std::unique_ptr<pb::Message>> DecodeRequest(const PendingWrite& write) {
  CPC_ASSIGN_OR_RETURN(const pb::MethodDescriptor* method, FindMethod(write.method));
  std::unique_ptr<pb::Message> request(
      pb::MessageFactory::generated_factory()->GetPrototype(method->input_type())->New());
  if (!request->ParseFromString(write.request)) {
    return absl::DataLossError("the saved request cannot be read");
  }
  if (const pb::FieldDescriptor* id = request->GetDescriptor()->FindFieldByName("request_id")) {
    request->GetReflection()->ClearField(request.get(), id);
  }
  return request;
}

// The request as one line of JSON, cut to `limit` bytes (0: whole).
std::string RequestJson(const PendingWrite& write, size_t limit) {
  absl::StatusOr<std::unique_ptr<pb::Message>> request = DecodeRequest(write);
  if (!request.ok()) return absl::StrCat("(", request.status().message(), ")");
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!pb::util::MessageToJsonString(**request, &json, options).ok()) {
    return "(cannot print the request)";
  }
  return limit == 0 ? json : Shortened(json, limit);
}

// What a write is, where from: method, when, by whom, for which server.
std::string Origin(const PendingWrite& write, const Invocation& in) {
  return absl::StrCat(ShortMethodName(write.method), " saved ",
                      Age(in.time.now - write.saved_time), " ago (",
                      FormatLocalTimeWithZone(write.saved_time, in.time.zone), ") by ",
                      UserName(write), " for ", write.server);
}

absl::Status ListPendingWrites(const Invocation& in) {
  CPC_ASSIGN_OR_RETURN(PendingWriteJournal::Listing listing, in.conn.journal().List());
  for (const std::string& path : listing.unreadable_files) {
    in.err << "cpc: warning: " << path << " is not a readable pending write\n";
  }
  if (listing.writes.empty()) {
    in.out << "No pending writes.\n";
    return absl::OkStatus();
  }
  Table table({"request id", "age", "user", "server", "method"});
  for (const PendingWrite& write : listing.writes) {
    table.AddRow({write.request_id, Age(in.time.now - write.saved_time), UserName(write),
                  write.server, ShortMethodName(write.method)});
    table.AddNote(RequestJson(write, kRequestSummaryLimit));
  }
  in.out << table.Render()
         << "\nFinish one with: cpc retry REQUEST_ID\n"
            "Forget one (after checking whether cpcd has it): cpc retry --discard REQUEST_ID\n";
  return absl::OkStatus();
}

absl::Status Discard(const Invocation& in, const PendingWrite& write) {
  // Printed in full first: once the entry is gone, this is all that is left
  // of what was typed.
  in.out << "Discarding " << write.request_id << ": " << Origin(write, in) << "\n"
         << "Request as saved: " << RequestJson(write, /*limit=*/0) << "\n";
  CPC_RETURN_IF_ERROR(in.conn.journal().Remove(write.request_id));
  in.out << "Discarded. If it reached cpcd, it is recorded there: check before entering "
            "it again.\n";
  return absl::OkStatus();
}

// Only the server the write was saved for can tell whether it was recorded;
// anywhere else it could be recorded a second time, in another database.
absl::Status CheckServer(const Invocation& in, const PendingWrite& write) {
  const ConnectionOptions& options = in.conn.options();
  if (!options.server_given || options.server == write.server) return absl::OkStatus();
  return UsageError(absl::StrCat(
      "request ID ", write.request_id, " was saved for cpcd at ", write.server,
      ", not ", options.server, " (--server or CPC_SERVER): retrying it elsewhere could "
      "record it in two databases. Run it without --server and with CPC_SERVER unset "
      "or set to ", write.server));
}

// The record names whoever sent the write, so only that user may send it.
absl::Status CheckUser(const Invocation& in, const PendingWrite& write) {
  const std::string& user = in.conn.options().user;
  if (user == write.user) return absl::OkStatus();
  return UsageError(absl::StrCat(
      "request ID ", write.request_id, " was saved by ", UserName(write), ", but you are ",
      user.empty() ? "(not logged in)" : user, " (`cpc login`): only ", UserName(write),
      " may retry it, so that the record names who did the work"));
}

absl::Status RunRetry(Invocation& in) {
  const std::string& request_id = in.args.Get("REQUEST_ID");
  const bool discard = in.args.Has("discard");
  if (request_id.empty()) {
    if (discard) return UsageError("--discard needs the REQUEST_ID to forget");
    return ListPendingWrites(in);
  }

  absl::StatusOr<PendingWrite> write = in.conn.journal().Load(request_id);
  if (absl::IsNotFound(write.status()) || absl::IsInvalidArgument(write.status())) {
    return UsageError(absl::StrCat("no pending write with request ID \"", request_id,
                                   "\" (run `cpc retry` to list them)"));
  }
  if (!write.ok()) return write.status();
  if (discard) return Discard(in, *write);

  CPC_RETURN_IF_ERROR(CheckServer(in, *write));
  CPC_RETURN_IF_ERROR(CheckUser(in, *write));
  // Known before sending: a response that cannot be read is no use.
  CPC_ASSIGN_OR_RETURN(const pb::MethodDescriptor* method, FindMethod(write->method));
  std::unique_ptr<pb::Message> response(
      pb::MessageFactory::generated_factory()->GetPrototype(method->output_type())->New());

  in.err << "cpc: sending " << request_id << ": " << Origin(*write, in) << ": "
         << RequestJson(*write, kRequestSummaryLimit) << "\n";
  ConnectionOptions options = in.conn.options();
  options.server = write->server;
  const Connection saved_server(std::move(options));
  CPC_RETURN_IF_ERROR(saved_server.SendSavedWrite(*write, response.get()));
  if (!in.json) {
    in.out << "Done: " << ShortMethodName(write->method) << " (request ID " << request_id
           << ", saved " << FormatLocalTimeWithZone(write->saved_time, in.time.zone)
           << " by " << UserName(*write) << ")\n";
  }
  // Any write's answer, so no tailored view: the JSON reads well enough for
  // a rare command.
  return PrintJson(*response, in.out);
}

}  // namespace

std::vector<CommandSpec> RetryCommands() {
  return {{.noun = "retry",
           .summary = "Finish a write whose answer was lost, exactly as first sent; "
                      "without an ID, list them",
           .args = {{.name = "REQUEST_ID",
                     .help = "the ID named in the error message (omit to list pending writes)",
                     .optional = true}},
           .flags = {{.name = "discard",
                      .help = "forget the pending write instead of sending it (prints it "
                              "first); it may still have been recorded"}},
           .example = "cpc retry 0b6a52c4-1f0e-4a7d-9c1b-2f5e8d7a3c10",
           .run = RunRetry}};
}

}  // namespace cpc
