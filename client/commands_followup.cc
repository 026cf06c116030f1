// `cpc followup list|show|assess|acknowledge`: a positive after release, what
// QA and the clinic need to act on it, and the two signatures that close it.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/commands.h"
#include "client/followup_format.h"
#include "client/format.h"
#include "client/qc_results.h"
#include "client/signing.h"
#include "client/status_util.h"
#include "client/table.h"
#include "client/time_format.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;
using FollowUps = v1::FollowUpService::Stub;

absl::StatusOr<int64_t> FollowUpIdArg(const Invocation& in) {
  return ParseId("FOLLOWUP", in.args.Get("FOLLOWUP"));
}

absl::Status RunList(Invocation& in) {
  v1::ListFollowUpsRequest request;
  request.set_open_only(in.args.Has("open"));
  v1::ListFollowUpsResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&FollowUps::ListFollowUps, request, &response));
  if (in.json) return PrintJson(response, in.out);
  Table table({"follow-up", "state", "batch", "patient", "opened", "infused", "next deadline",
               "finding"});
  table.AlignRight(0);
  for (const v1::FollowUp& f : response.follow_ups()) {
    std::vector<std::string> infused;
    for (const v1::FollowUpInfusion& i : f.infused()) {
      infused.push_back(absl::StrCat(i.unit_id(), " -> ", i.patient_id()));
    }
    std::string deadline = "-";
    for (const v1::FollowUpDeadline& d : f.deadlines()) {
      if (!f.open()) break;
      deadline = absl::StrCat(d.overdue() ? "!! OVERDUE " : "", d.name(), " ",
                              FormatLocalTime(FromProto(d.due_at()), in.time.zone));
      if (!d.overdue()) break;
    }
    std::string state = f.open() ? "!! OPEN" : "closed";
    if (f.open()) {
      absl::StrAppend(&state, f.has_assessment() ? " (physician to acknowledge)"
                                                 : " (QA to assess)");
    }
    table.AddRow({absl::StrCat(f.follow_up_id()), state, f.batch_id(), f.patient_id(),
                  FormatLocalTime(FromProto(f.opened_at()), in.time.zone),
                  infused.empty() ? "none" : absl::StrJoin(infused, ", "), deadline, f.finding()});
  }
  in.out << (table.empty() ? (request.open_only() ? "No open follow-ups.\n" : "No follow-ups.\n")
                           : table.Render());
  return absl::OkStatus();
}

absl::Status RunShow(Invocation& in) {
  v1::GetFollowUpRequest request;
  CPC_ASSIGN_OR_RETURN(int64_t id, FollowUpIdArg(in));
  request.set_follow_up_id(id);
  v1::FollowUp f;
  CPC_RETURN_IF_ERROR(in.conn.Call(&FollowUps::GetFollowUp, request, &f));
  if (in.json) return PrintJson(f, in.out);
  PrintFollowUp(in, f);
  return absl::OkStatus();
}

absl::Status RunAssess(Invocation& in) {
  v1::AssessFollowUpRequest request;
  request.set_request_id(in.conn.RequestId());
  CPC_ASSIGN_OR_RETURN(int64_t id, FollowUpIdArg(in));
  request.set_follow_up_id(id);
  request.set_text(in.args.Get("text"));
  request.set_adverse_event_suspected(in.args.Has("adverse-event-suspected"));
  CPC_RETURN_IF_ERROR(
      Sign(in, absl::StrCat("QA's assessment of follow-up #", id), request.mutable_signature()));
  v1::FollowUp f;
  CPC_RETURN_IF_ERROR(in.conn.Call(&FollowUps::AssessFollowUp, request, &f));
  if (in.json) return PrintJson(f, in.out);
  in.out << "Assessed follow-up #" << f.follow_up_id() << "; "
         << (f.open() ? "open until the physician acknowledges" : "closed") << "\n  "
         << SignatureLine(f.assessment().signature(), in.time.zone) << "\n";
  return absl::OkStatus();
}

absl::Status RunAcknowledge(Invocation& in) {
  v1::AcknowledgeFollowUpRequest request;
  request.set_request_id(in.conn.RequestId());
  CPC_ASSIGN_OR_RETURN(int64_t id, FollowUpIdArg(in));
  request.set_follow_up_id(id);
  request.set_text(in.args.Get("text"));
  request.set_report_filed_on(in.args.Get("report-filed"));
  CPC_RETURN_IF_ERROR(Sign(in, absl::StrCat("the physician's acknowledgement of follow-up #", id),
                           request.mutable_signature()));
  v1::FollowUp f;
  CPC_RETURN_IF_ERROR(in.conn.Call(&FollowUps::AcknowledgeFollowUp, request, &f));
  if (in.json) return PrintJson(f, in.out);
  in.out << "Acknowledged follow-up #" << f.follow_up_id() << "; "
         << (f.open() ? "still open" : "closed") << "\n  "
         << SignatureLine(f.acknowledgement().signature(), in.time.zone) << "\n";
  return absl::OkStatus();
}

ArgSpec FollowUpArg() {
  return {.name = "FOLLOWUP", .help = "follow-up ID, e.g. 3 or #3 (see cpc followup list)"};
}

}  // namespace

std::vector<CommandSpec> FollowUpCommands() {
  return {
      {.noun = "followup", .verb = "list",
       .summary = "List follow-up cases (a positive after release), newest first",
       .flags = {{.name = "open", .help = "only open cases"}},
       .example = "cpc followup list --open", .run = RunList},
      {.noun = "followup", .verb = "show",
       .summary = "Show a follow-up: the finding, every infused unit with patient, time and "
                  "plan, units held, deadlines and signatures",
       .args = {FollowUpArg()}, .example = "cpc followup show 3", .run = RunShow},
      {.noun = "followup", .verb = "assess",
       .summary = "QA's signed assessment of a follow-up (asks for your password)",
       .args = {FollowUpArg()},
       .flags = {{.name = "text", .value_name = "TEXT", .help = "QA's assessment",
                  .required = true},
                 {.name = "adverse-event-suspected",
                  .help = "an adverse event is suspected: the physician must give the date a "
                          "report was filed"},
                 PasswordStdinFlag()},
       .example = "cpc followup assess 3 --text \"S. aureus in the final culture; patient to be "
                  "examined\" --adverse-event-suspected",
       .run = RunAssess},
      {.noun = "followup", .verb = "acknowledge",
       .summary = "The physician's signed acknowledgement (asks for your password); closes the "
                  "case after QA's assessment",
       .args = {FollowUpArg()},
       .flags = {{.name = "text", .value_name = "TEXT", .help = "what the physician did",
                  .required = true},
                 {.name = "report-filed", .value_name = "DATE",
                  .help = "YYYY-MM-DD the report was filed (required when QA suspects an "
                          "adverse event)"},
                 PasswordStdinFlag()},
       .example = "cpc followup acknowledge 3 --text \"patient examined, afebrile\" "
                  "--report-filed 2026-12-04",
       .run = RunAcknowledge},
  };
}

}  // namespace cpc
