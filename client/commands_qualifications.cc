// `cpc user qualify` (QA, administrators) and `cpc user qualifications` (QA,
// auditors, administrators): who is trained for which procedure, until when,
// on what evidence, and the steps they recorded under each qualification.
#include "absl/strings/str_cat.h"
#include "client/choices.h"
#include "client/commands.h"
#include "client/export_format.h"
#include "client/status_util.h"
#include "client/table.h"
#include "client/time_format.h"
#include "client/values.h"
#include "cpctrack/v1/auth.grpc.pb.h"
#include "domain/text.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;
using Users = v1::UserService::Stub;

std::string ProcedureText(const v1::Qualification& q) {
  return ChoiceText(ProcedureChoices(), q.procedure());
}

absl::Status RunQualify(Invocation& in) {
  v1::RecordQualificationRequest request;
  request.set_request_id(in.conn.RequestId());
  request.set_user_name(in.args.Get("USER"));
  request.set_procedure(ChoiceValue(ProcedureChoices(), in.args.Get("procedure")));
  if (in.args.Has("qualified-on")) {
    CPC_ASSIGN_OR_RETURN(std::string day,
                         ParseDate("--qualified-on", in.args.Get("qualified-on")));
    request.set_qualified_on(day);
  }
  CPC_ASSIGN_OR_RETURN(std::string expires, ParseDate("--expires", in.args.Get("expires")));
  request.set_expires_on(expires);
  request.set_evidence(in.args.Get("evidence"));
  v1::Qualification q;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Users::RecordQualification, request, &q));
  if (in.json) return PrintJson(q, in.out);
  in.out << "Qualified " << q.user_name() << " for " << ProcedureText(q) << " from "
         << q.qualified_on() << " through " << q.expires_on() << " (evidence "
         << cpctrack::domain::EscapeUnprintable(q.evidence()) << "; qualification " << q.qualification_id()
         << ")\n";
  return absl::OkStatus();
}

absl::Status RunQualifications(Invocation& in) {
  if (in.json && in.args.Has("csv")) return UsageError("--csv and --json: choose one");
  v1::ListQualificationsRequest request;
  request.set_user_name(in.args.Get("USER"));
  v1::ListQualificationsResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Users::ListQualifications, request, &response));
  if (in.json) return PrintJson(response, in.out);
  if (in.args.Has("csv")) {
    // One row per use; a qualification never used has one row without a use.
    in.out << CsvRecord({"qualification_id", "user", "procedure", "qualified_on", "expires_on",
                         "expired", "evidence", "recorded_by", "use_time", "step", "batch_id",
                         "resource"});
    for (const v1::Qualification& q : response.qualifications()) {
      std::vector<std::string> head = {absl::StrCat(q.qualification_id()), q.user_name(),
                                       ProcedureText(q), q.qualified_on(), q.expires_on(),
                                       q.expired() ? "yes" : "no", q.evidence(),
                                       q.recorded_by()};
      if (q.uses().empty()) {
        std::vector<std::string> row = head;
        row.insert(row.end(), {"", "", "", ""});
        in.out << CsvRecord(row);
      }
      for (const v1::QualificationUse& u : q.uses()) {
        std::vector<std::string> row = head;
        row.insert(row.end(), {Rfc3339Utc(FromProto(u.record_time())), u.step(), u.batch_id(),
                               u.resource()});
        in.out << CsvRecord(row);
      }
    }
    return absl::OkStatus();
  }
  const std::string user = request.user_name();
  if (response.qualifications().empty()) {
    in.out << "No qualification of " << user << " on record.\n";
    return absl::OkStatus();
  }
  in.out << "Qualifications of " << user << "\n";
  Table table({"#", "procedure", "qualified on", "expires", "evidence", "recorded by", "uses",
               "last used"});
  for (const v1::Qualification& q : response.qualifications()) {
    table.AddRow({absl::StrCat(q.qualification_id()), ProcedureText(q), q.qualified_on(),
                  absl::StrCat(q.expires_on(), q.expired() ? " (expired)" : ""), q.evidence(),
                  q.recorded_by(), absl::StrCat(q.uses_size()),
                  q.uses().empty() ? "-"
                                   : FormatLocalTime(FromProto(q.uses(0).record_time()),
                                                     in.time.zone)});
  }
  in.out << table.Render();
  for (const v1::Qualification& q : response.qualifications()) {
    if (q.uses().empty()) continue;
    in.out << "\nUsed under #" << q.qualification_id() << " (" << ProcedureText(q)
           << "), newest first\n";
    Table uses({"recorded", "step", "batch", "what"});
    for (const v1::QualificationUse& u : q.uses()) {
      uses.AddRow({FormatLocalTime(FromProto(u.record_time()), in.time.zone), u.step(),
                   u.batch_id().empty() ? "-" : u.batch_id(), u.resource()});
    }
    in.out << uses.Render();
  }
  if (response.uses_truncated()) in.out << "(uses older than the newest 5000 steps not shown)\n";
  return absl::OkStatus();
}

}  // namespace

std::vector<CommandSpec> QualificationCommands() {
  return {
      {.noun = "user", .verb = "qualify",
       .summary = "Record a person's qualification for a procedure, with its expiry and the "
                  "training record it rests on (QA, administrators; never your own). Each "
                  "step needs its procedure's qualification on the step's day",
       .args = {{.name = "USER", .help = "the user name"}},
       .flags = {{.name = "procedure", .value_name = "PROCEDURE",
                  .help = "aseptic-processing (tissue receipt, seeding, medium changes, "
                          "observations, fresh formulation), passage, freezing (freezing and "
                          "thawing units), qc-testing (samples, tests, results), infusion "
                          "(bedside check and infusion)",
                  .required = true, .choices = ChoiceTexts(ProcedureChoices())},
                 {.name = "expires", .value_name = "YYYY-MM-DD",
                  .help = "the last day it is valid: within 5 years", .required = true},
                 {.name = "evidence", .value_name = "TEXT",
                  .help = "the training record, e.g. TR-2026-014", .required = true},
                 {.name = "qualified-on", .value_name = "YYYY-MM-DD",
                  .help = "the day it was earned (default: today)"}},
       .example = "cpc user qualify tech.sato --procedure freezing --expires 2027-12-01 "
                  "--evidence \"TR-2026-014\"",
       .run = RunQualify},
      {.noun = "user", .verb = "qualifications",
       .summary = "One person's qualifications and the steps they recorded under each (QA, "
                  "auditors, administrators)",
       .args = {{.name = "USER", .help = "the user name"}},
       .flags = {{.name = "csv", .help = "CSV, one row per use (RFC 4180; times RFC 3339 UTC)"}},
       .example = "cpc user qualifications tech.sato",
       .run = RunQualifications},
  };
}

}  // namespace cpc
