// `cpc retry [REQUEST_ID]`: finish a write whose answer was lost, by sending
// the very bytes that were saved before it went out.
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client/commands.h"
#include "client/pending_writes.h"
#include "client/rpc_methods.h"
#include "client/status_util.h"
#include "client/table.h"
#include "google/protobuf/message.h"

namespace cpc {
namespace {

namespace pb = ::google::protobuf;

// "BatchService/RecordPassage": the package adds nothing for a person.
std::string ShortMethodName(absl::string_view method) {
  absl::ConsumePrefix(&method, "/");
  absl::ConsumePrefix(&method, "cpctrack.v1.");
  return std::string(method);
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
  Table table({"request id", "method", "saved", "server", "user"});
  for (const PendingWrite& write : listing.writes) {
    table.AddRow({write.request_id, ShortMethodName(write.method),
                  FormatLocalTimeWithZone(write.saved_time, in.time.zone), write.server,
                  write.user});
  }
  in.out << table.Render() << "\nFinish one with: cpc retry REQUEST_ID\n";
  return absl::OkStatus();
}

absl::Status RunRetry(Invocation& in) {
  const std::string& request_id = in.args.Get("REQUEST_ID");
  if (request_id.empty()) return ListPendingWrites(in);

  absl::StatusOr<PendingWrite> write = in.conn.journal().Load(request_id);
  if (absl::IsNotFound(write.status()) || absl::IsInvalidArgument(write.status())) {
    return UsageError(absl::StrCat("no pending write with request ID \"", request_id,
                                   "\" (run `cpc retry` to list them)"));
  }
  if (!write.ok()) return write.status();
  // Known before sending: a response that cannot be read is no use.
  CPC_ASSIGN_OR_RETURN(const pb::MethodDescriptor* method, FindMethod(write->method));
  if (write->server != in.conn.options().server) {
    in.err << "cpc: note: first sent to " << write->server << "; sending to "
           << in.conn.options().server << "\n";
  }
  CPC_ASSIGN_OR_RETURN(std::string reply, in.conn.SendSavedWrite(*write));
  std::unique_ptr<pb::Message> response(
      pb::MessageFactory::generated_factory()->GetPrototype(method->output_type())->New());
  if (!response->ParseFromString(reply)) {
    return absl::InternalError(absl::StrCat("cannot read the answer to ", write->method));
  }
  if (!in.json) {
    in.out << "Done: " << ShortMethodName(write->method) << " (request ID " << request_id
           << ", saved " << FormatLocalTimeWithZone(write->saved_time, in.time.zone)
           << " by " << (write->user.empty() ? "(no user)" : write->user) << ")\n";
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
           .example = "cpc retry 0b6a52c4-1f0e-4a7d-9c1b-2f5e8d7a3c10",
           .run = RunRetry}};
}

}  // namespace cpc
