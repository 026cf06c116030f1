#include "client/followup_format.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/format.h"
#include "client/signing.h"
#include "client/table.h"
#include "client/time_format.h"

namespace cpc {

namespace v1 = ::cpctrack::v1;

void PrintFollowUpBanner(const Invocation& in, const v1::FollowUp& f) {
  std::vector<std::string> given;
  for (const v1::FollowUpInfusion& i : f.infused()) {
    given.push_back(absl::StrCat(i.unit_id(), " infused into ", i.patient_id(), " on ",
                                 FormatLocalTimeWithZone(FromProto(i.started_at()), in.time.zone),
                                 " (plan ", i.plan_number(), ")"));
  }
  const std::string banner = absl::StrCat(
      "!! POSITIVE AFTER RELEASE: ", f.finding(), " on batch ", SpacedBatchId(f.batch_id()),
      "; ", given.empty() ? "released, no unit infused yet" : absl::StrJoin(given, "; "),
      ". Follow-up #", f.follow_up_id(), " opened: tell the patient's physician now (cpc followup show ",
      f.follow_up_id(), ")\n");
  (in.json ? in.err : in.out) << banner;
}

void PrintFollowUp(const Invocation& in, const v1::FollowUp& f) {
  const absl::TimeZone zone = in.time.zone;
  in.out << "Follow-up #" << f.follow_up_id() << "  " << (f.open() ? "!! OPEN" : "closed") << "\n"
         << "  finding      " << f.finding() << "\n"
         << "  batch        " << SpacedBatchId(f.batch_id()) << " (patient " << f.patient_id()
         << ")\n"
         << "  deviation    #" << f.deviation_id() << "\n"
         << "  opened       " << FormatLocalTimeWithZone(FromProto(f.opened_at()), zone) << " by "
         << f.opened_by() << "\n";
  if (f.infused().empty()) {
    in.out << "\nNo unit was infused before the finding.\n";
  } else {
    Table table({"unit", "patient", "infused", "plan"});
    for (const v1::FollowUpInfusion& i : f.infused()) {
      table.AddRow({i.unit_id(), i.patient_id(),
                    FormatLocalTimeWithZone(FromProto(i.started_at()), zone), i.plan_number()});
    }
    in.out << "\nInfused before the finding (tell the patient's physician)\n" << table.Render(2);
  }
  in.out << "\nUnits held  "
         << (f.held_unit_ids().empty() ? "none left to hold" : absl::StrJoin(f.held_unit_ids(), ", "))
         << "\n";
  if (!f.deadlines().empty()) {
    in.out << "\nDeadlines\n";
    for (const v1::FollowUpDeadline& d : f.deadlines()) {
      in.out << "  " << d.name() << ": due " << FormatLocalTimeWithZone(FromProto(d.due_at()), zone)
             << (d.overdue() ? "  !! OVERDUE" : "") << "\n";
    }
  }
  in.out << "\nQA assessment     ";
  if (f.has_assessment()) {
    in.out << f.assessment().text()
           << (f.assessment().adverse_event_suspected() ? " (adverse event suspected)" : "") << "\n  "
           << SignatureLine(f.assessment().signature(), zone) << "\n";
  } else {
    in.out << "awaiting QA's signed assessment (cpc followup assess " << f.follow_up_id() << ")\n";
  }
  in.out << "Physician         ";
  if (f.has_acknowledgement()) {
    in.out << f.acknowledgement().text();
    if (!f.acknowledgement().report_filed_on().empty()) {
      in.out << " (report filed " << f.acknowledgement().report_filed_on() << ")";
    }
    in.out << "\n  " << SignatureLine(f.acknowledgement().signature(), zone) << "\n";
  } else {
    in.out << "awaiting the physician's signed acknowledgement (cpc followup acknowledge "
           << f.follow_up_id() << ")\n";
  }
}

}  // namespace cpc
