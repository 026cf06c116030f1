// `cpc patient register|update|show|list`.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/choices.h"
#include "client/commands.h"
#include "client/format.h"
#include "client/status_util.h"
#include "client/table.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

struct ScreeningTest {
  absl::string_view flag;   // "hbv"
  absl::string_view label;  // "HBV"
  v1::ScreeningResult (v1::Screening::*get)() const;
  void (v1::Screening::*set)(v1::ScreeningResult);
};

constexpr ScreeningTest kScreeningTests[] = {
    {"hbv", "HBV", &v1::Screening::hbv, &v1::Screening::set_hbv},
    {"hcv", "HCV", &v1::Screening::hcv, &v1::Screening::set_hcv},
    {"hiv", "HIV", &v1::Screening::hiv, &v1::Screening::set_hiv},
    {"htlv1", "HTLV-1", &v1::Screening::htlv1, &v1::Screening::set_htlv1},
    {"syphilis", "syphilis", &v1::Screening::syphilis, &v1::Screening::set_syphilis},
};

// "all neg", or what is not negative: "HIV pending, syphilis pos".
std::string ScreeningSummary(const v1::Screening& screening) {
  std::vector<std::string> findings;
  for (const ScreeningTest& test : kScreeningTests) {
    v1::ScreeningResult result = (screening.*test.get)();
    if (result != v1::SCREENING_RESULT_NEGATIVE) {
      findings.push_back(absl::StrCat(test.label, " ",
                                      ChoiceText(ScreeningChoices(), result)));
    }
  }
  return findings.empty() ? "all neg" : absl::StrJoin(findings, ", ");
}

std::string ConsentSummary(const v1::Consent& consent, absl::TimeZone zone) {
  if (!consent.given()) return "not given";
  std::string summary = FormatLocalTime(FromProto(consent.consent_time()), zone);
  if (!consent.document_ref().empty()) absl::StrAppend(&summary, " (", consent.document_ref(), ")");
  return summary;
}

void PrintPatient(const v1::Patient& patient, const Invocation& in) {
  in.out << "patient    " << patient.patient_id() << "\n"
         << "weight     " << FormatDecimal(patient.body_weight_kg(), 1) << " kg\n"
         << "screening  " << ScreeningSummary(patient.screening()) << "\n"
         << "consent    " << ConsentSummary(patient.consent(), in.time.zone) << "\n"
         << "created    " << FormatLocalTime(FromProto(patient.create_time()), in.time.zone)
         << " by " << patient.created_by() << "\n";
  // Revision 1 is the registration itself, already shown above.
  if (patient.revision() > 1) {
    in.out << "revision   " << patient.revision() << "\n"
           << "updated    " << FormatLocalTime(FromProto(patient.update_time()), in.time.zone)
           << " by " << patient.updated_by() << " (reason: " << patient.update_reason()
           << ")\n";
  }
  for (const v1::PatientIdentifier& id : patient.identifiers()) {
    in.out << "identifier " << id.kind() << " " << id.value() << "  (added "
           << FormatLocalTime(FromProto(id.add_time()), in.time.zone) << " by " << id.added_by()
           << ": " << id.reason() << ")\n";
  }
}

// Sets the fields whose flags are on the command line and leaves the others
// as they are: register starts from an empty patient (its flags are
// required), update from the patient as the server has it.
absl::Status ApplyPatientFlags(const Invocation& in, v1::Patient* patient) {
  if (in.args.Has("weight-kg")) {
    CPC_ASSIGN_OR_RETURN(double weight_kg, NumberFlag(in.args, "weight-kg"));
    patient->set_body_weight_kg(weight_kg);
  }
  for (const ScreeningTest& test : kScreeningTests) {
    if (!in.args.Has(test.flag)) continue;
    (patient->mutable_screening()->*test.set)(
        ChoiceValue(ScreeningChoices(), in.args.Get(test.flag)));
  }
  v1::Consent& consent = *patient->mutable_consent();
  const bool give_consent = in.args.Has("consent") || in.args.Has("consent-ref");
  if (!give_consent && !consent.given() && in.args.Has("consent-time")) {
    return UsageError("--consent-time needs --consent or --consent-ref");
  }
  if (give_consent && !consent.given()) {
    // Consent given now unless --consent-time says when.
    ToProto(in.time.now, consent.mutable_consent_time());
  }
  if (give_consent) consent.set_given(true);
  if (in.args.Has("consent-ref")) consent.set_document_ref(in.args.Get("consent-ref"));
  if (in.args.Has("consent-time")) {
    CPC_ASSIGN_OR_RETURN(absl::Time consent_time, TimeFlag(in.args, "consent-time", in.time));
    ToProto(consent_time, consent.mutable_consent_time());
  }
  return absl::OkStatus();
}

absl::Status RunRegister(Invocation& in) {
  v1::CreatePatientRequest request;
  request.set_request_id(in.conn.RequestId());
  request.mutable_patient()->set_patient_id(in.args.Get("PATIENT_ID"));
  CPC_RETURN_IF_ERROR(ApplyPatientFlags(in, request.mutable_patient()));
  v1::Patient created;
  CPC_RETURN_IF_ERROR(
      in.conn.Call(&v1::PatientService::Stub::CreatePatient, request, &created));
  if (in.json) return PrintJson(created, in.out);
  in.out << "Registered patient " << created.patient_id() << "\n";
  PrintPatient(created, in);
  return absl::OkStatus();
}

absl::StatusOr<v1::Patient> GetPatient(const Invocation& in) {
  v1::GetPatientRequest request;
  request.set_patient_id(in.args.Get("PATIENT_ID"));
  v1::Patient patient;
  CPC_RETURN_IF_ERROR(in.conn.Call(&v1::PatientService::Stub::GetPatient, request, &patient));
  return patient;
}

absl::Status RunUpdate(Invocation& in) {
  bool changes = false;
  std::vector<std::string> change_flags;
  for (const FlagSpec& flag : in.command.flags) {
    if (flag.name == "reason") continue;
    change_flags.push_back(absl::StrCat("--", flag.name));
    changes = changes || in.args.Given(flag.name);
  }
  if (!changes) {
    return UsageError(absl::StrCat("say what changes: give at least one of ",
                                   absl::StrJoin(change_flags, ", ")));
  }
  CPC_ASSIGN_OR_RETURN(v1::Patient current, GetPatient(in));
  v1::UpdatePatientRequest request;
  request.set_request_id(in.conn.RequestId());
  request.set_reason(in.args.Get("reason"));
  // The server refuses the update if anyone changed the patient after this
  // read, so a result that arrived meanwhile is not overwritten unseen.
  request.set_expected_revision(current.revision());
  v1::Patient& patient = *request.mutable_patient();
  // The full new state, without the output-only fields the server sets.
  patient.set_patient_id(current.patient_id());
  patient.set_body_weight_kg(current.body_weight_kg());
  *patient.mutable_screening() = current.screening();
  *patient.mutable_consent() = current.consent();
  CPC_RETURN_IF_ERROR(ApplyPatientFlags(in, &patient));
  v1::Patient updated;
  absl::Status status = in.conn.Call(&v1::PatientService::Stub::UpdatePatient, request, &updated);
  if (absl::IsAborted(status)) {
    // Running the same command again would apply its flags to the newer
    // record without anyone having looked at what changed.
    return absl::AbortedError(absl::StrCat(
        status.message(), " (this update was made from revision ", current.revision(),
        " and was not recorded: see `cpc patient show ", current.patient_id(),
        "`, then run the update again if it still applies)"));
  }
  CPC_RETURN_IF_ERROR(status);
  if (in.json) return PrintJson(updated, in.out);
  in.out << "Updated patient " << updated.patient_id() << " (revision " << updated.revision()
         << ")\n";
  PrintPatient(updated, in);
  return absl::OkStatus();
}

absl::Status RunShow(Invocation& in) {
  CPC_ASSIGN_OR_RETURN(v1::Patient patient, GetPatient(in));
  if (in.json) return PrintJson(patient, in.out);
  PrintPatient(patient, in);
  return absl::OkStatus();
}

absl::Status RunAddIdentifier(Invocation& in) {
  v1::AddPatientIdentifierRequest request;
  request.set_request_id(in.conn.RequestId());
  v1::PatientIdentifier& id = *request.mutable_identifier();
  id.set_patient_id(in.args.Get("PATIENT_ID"));
  id.set_kind(in.args.Get("kind"));
  id.set_value(in.args.Get("value"));
  id.set_reason(in.args.Get("reason"));
  v1::PatientIdentifier added;
  CPC_RETURN_IF_ERROR(
      in.conn.Call(&v1::PatientService::Stub::AddPatientIdentifier, request, &added));
  if (in.json) return PrintJson(added, in.out);
  in.out << "Patient " << added.patient_id() << " now also identified by " << added.kind() << " "
         << added.value() << " (a wristband carrying it is accepted at the bedside)\n";
  return absl::OkStatus();
}

absl::Status RunList(Invocation& in) {
  v1::ListPatientsRequest request;
  CPC_RETURN_IF_ERROR(ReadPageFlags(in.args, &request));
  v1::ListPatientsResponse response;
  CPC_RETURN_IF_ERROR(
      in.conn.Call(&v1::PatientService::Stub::ListPatients, request, &response));
  if (in.json) return PrintJson(response, in.out);
  Table table({"patient", "weight kg", "screening", "consent", "created"});
  table.AlignRight(1);
  for (const v1::Patient& patient : response.patients()) {
    table.AddRow({patient.patient_id(), FormatDecimal(patient.body_weight_kg(), 1),
                  ScreeningSummary(patient.screening()),
                  ConsentSummary(patient.consent(), in.time.zone),
                  FormatLocalTime(FromProto(patient.create_time()), in.time.zone)});
  }
  in.out << (table.empty() ? "No patients.\n" : table.Render());
  PrintNextPage(in, response.next_page_token());
  return absl::OkStatus();
}

std::vector<FlagSpec> RegisterFlags() {
  std::vector<FlagSpec> flags = {
      {.name = "weight-kg", .value_name = "KG",
       .help = "body weight, for per-kg doses", .required = true},
  };
  for (const ScreeningTest& test : kScreeningTests) {
    flags.push_back({.name = std::string(test.flag), .value_name = "RESULT",
                     .help = absl::StrCat(test.label, " screening result"),
                     .required = true, .choices = ChoiceTexts(ScreeningChoices())});
  }
  flags.push_back({.name = "consent-ref", .value_name = "REF",
                   .help = "where the signed consent form is filed (implies --consent)"});
  flags.push_back({.name = "consent", .help = "consent was given (no form reference yet)"});
  flags.push_back({.name = "consent-time", .value_name = "TIME",
                   .help = "when consent was given: now, -1d, \"2026-11-25 09:30\" "
                           "(default: now, when consent is given)"});
  return flags;
}

// Every flag of register, none required, and the reason.
std::vector<FlagSpec> UpdateFlags() {
  std::vector<FlagSpec> flags = RegisterFlags();
  for (FlagSpec& flag : flags) flag.required = false;
  flags.push_back({.name = "reason", .value_name = "TEXT",
                   .help = "why the record changes, kept with the new revision",
                   .required = true});
  return flags;
}

ArgSpec PatientArg() {
  return {.name = "PATIENT_ID", .help = "the clinic's pseudonymous patient ID, e.g. TKY-0042"};
}

}  // namespace

std::vector<CommandSpec> PatientCommands() {
  return {
      {.noun = "patient", .verb = "register",
       .summary = "Register a patient: weight, infectious-disease screening, consent",
       .args = {PatientArg()}, .flags = RegisterFlags(),
       .example = "cpc patient register TKY-0042 --weight-kg 62.5 --hbv neg --hcv neg "
                  "--hiv neg --htlv1 neg --syphilis neg --consent-ref CF-0113",
       .run = RunRegister},
      {.noun = "patient", .verb = "update",
       .summary = "Change a patient's weight, screening or consent, with the reason why",
       .args = {PatientArg()}, .flags = UpdateFlags(),
       .example = "cpc patient update TKY-0042 --htlv1 neg --reason \"HTLV-1 result received\"",
       .run = RunUpdate},
      {.noun = "patient", .verb = "show", .summary = "Show one patient",
       .args = {PatientArg()}, .example = "cpc patient show TKY-0042", .run = RunShow},
      {.noun = "patient", .verb = "add-identifier",
       .summary = "Add an identifier the clinic uses for a patient (e.g. the wristband's "
                  "medical record number; schedulers)",
       .args = {PatientArg()},
       .flags = {{.name = "kind", .value_name = "KIND", .help = "what the clinic calls it, e.g. MRN",
                  .required = true},
                 {.name = "value", .value_name = "VALUE",
                  .help = "the identifier, as the wristband carries it", .required = true},
                 {.name = "reason", .value_name = "TEXT", .help = "why it is added",
                  .required = true}},
       .example = "cpc patient add-identifier TKY-0042 --kind MRN --value 0012345 --reason "
                  "\"clinic wristband\"",
       .run = RunAddIdentifier},
      {.noun = "patient", .verb = "list", .summary = "List patients", .flags = PageFlags(),
       .example = "cpc patient list --page-size 50", .run = RunList},
  };
}

}  // namespace cpc
