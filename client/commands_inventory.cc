// `cpc lot ...`, `cpc equipment ...`: what batches are made with.
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client/choices.h"
#include "client/export_format.h"
#include "client/commands.h"
#include "client/format.h"
#include "client/signing.h"
#include "client/status_util.h"
#include "client/table.h"
#include "client/values.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;
using Inventory = v1::InventoryService::Stub;

// ---- Reagent lots ----

std::string ExpiryText(const v1::ReagentLot& lot) {
  return lot.expired() ? absl::StrCat(lot.expiry_date(), " EXPIRED") : lot.expiry_date();
}

// "QUARANTINE", "ACCEPTED", "REJECTED".
std::string LotStatusText(const v1::ReagentLot& lot) {
  switch (lot.status()) {
    case v1::LOT_STATUS_ACCEPTED: return "ACCEPTED";
    case v1::LOT_STATUS_REJECTED: return "REJECTED";
    default: return "QUARANTINE";
  }
}

void PrintLot(const v1::ReagentLot& lot, const Invocation& in) {
  in.out << "lot           " << lot.lot_number() << "\n"
         << "name          " << lot.name() << "\n"
         << "manufacturer  " << (lot.manufacturer().empty() ? "-" : lot.manufacturer()) << "\n"
         << "expiry        " << ExpiryText(lot) << "\n"
         << "status        " << LotStatusText(lot);
  if (lot.status() == v1::LOT_STATUS_QUARANTINE) {
    in.out << " (used only once QA accepts it: cpc lot accept " << lot.lot_number() << ")";
  } else {
    if (!lot.certificate().empty()) in.out << " on certificate " << lot.certificate();
    if (!lot.status_reason().empty()) in.out << " (" << lot.status_reason() << ")";
    in.out << " by " << lot.decided_by() << " at "
           << FormatLocalTime(FromProto(lot.decide_time()), in.time.zone);
  }
  in.out << "\nregistered    " << FormatLocalTime(FromProto(lot.create_time()), in.time.zone)
         << " by " << lot.created_by() << "\n";
}

absl::Status RunLotRegister(Invocation& in) {
  v1::CreateReagentLotRequest request;
  request.set_request_id(in.conn.RequestId());
  v1::ReagentLot& lot = *request.mutable_lot();
  lot.set_lot_number(in.args.Get("LOT"));
  lot.set_name(in.args.Get("name"));
  lot.set_manufacturer(in.args.Get("manufacturer"));
  CPC_ASSIGN_OR_RETURN(std::string expiry, ParseDate("--expiry", in.args.Get("expiry")));
  lot.set_expiry_date(expiry);
  v1::ReagentLot created;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Inventory::CreateReagentLot, request, &created));
  if (in.json) return PrintJson(created, in.out);
  in.out << "Registered lot " << created.lot_number() << "\n";
  PrintLot(created, in);
  return absl::OkStatus();
}

absl::Status RunLotShow(Invocation& in) {
  v1::GetReagentLotRequest request;
  request.set_lot_number(in.args.Get("LOT"));
  v1::ReagentLot lot;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Inventory::GetReagentLot, request, &lot));
  if (in.json) return PrintJson(lot, in.out);
  PrintLot(lot, in);
  return absl::OkStatus();
}

absl::Status RunLotList(Invocation& in) {
  v1::ListReagentLotsRequest request;
  CPC_RETURN_IF_ERROR(ReadPageFlags(in.args, &request));
  v1::ListReagentLotsResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Inventory::ListReagentLots, request, &response));
  if (in.json) return PrintJson(response, in.out);
  Table table({"lot", "name", "manufacturer", "expiry", "status"});
  for (const v1::ReagentLot& lot : response.lots()) {
    table.AddRow({lot.lot_number(), lot.name(), lot.manufacturer(), ExpiryText(lot),
                  LotStatusText(lot)});
  }
  in.out << (table.empty() ? "No reagent lots.\n" : table.Render());
  PrintNextPage(in, response.next_page_token());
  return absl::OkStatus();
}

// QA's decision, signed: cpc asks for the password again.
absl::Status RunLotAccept(Invocation& in) {
  v1::AcceptReagentLotRequest request;
  request.set_request_id(in.conn.RequestId());
  request.set_lot_number(in.args.Get("LOT"));
  request.set_certificate(in.args.Get("certificate"));
  CPC_RETURN_IF_ERROR(Sign(in, absl::StrCat("the acceptance of lot ", request.lot_number(),
                                            " for use"),
                           request.mutable_signature()));
  v1::ReagentLotDecision response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Inventory::AcceptReagentLot, request, &response));
  if (in.json) return PrintJson(response, in.out);
  in.out << "Accepted lot " << response.lot().lot_number() << " for use\n"
         << SignatureLine(response.signature(), in.time.zone) << "\n";
  PrintLot(response.lot(), in);
  return absl::OkStatus();
}

absl::Status RunLotReject(Invocation& in) {
  v1::RejectReagentLotRequest request;
  request.set_request_id(in.conn.RequestId());
  request.set_lot_number(in.args.Get("LOT"));
  request.set_reason(in.args.Get("reason"));
  CPC_RETURN_IF_ERROR(Sign(in, absl::StrCat("the rejection of lot ", request.lot_number()),
                           request.mutable_signature()));
  v1::ReagentLotDecision response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Inventory::RejectReagentLot, request, &response));
  if (in.json) return PrintJson(response, in.out);
  in.out << "Rejected lot " << response.lot().lot_number() << "\n"
         << SignatureLine(response.signature(), in.time.zone) << "\n";
  PrintLot(response.lot(), in);
  return absl::OkStatus();
}

// ---- Equipment ----

std::string StatusText(const v1::Equipment& equipment) {
  std::string text = ChoiceText(EquipmentStatusChoices(), equipment.status());
  if (equipment.status() == v1::EQUIPMENT_STATUS_OUT_OF_SERVICE) text = "OUT-OF-SERVICE";
  return text;
}

// "2027-03-31", "NEVER CALIBRATED" where a calibration is required, or "-".
std::string CalibrationText(const v1::Equipment& equipment) {
  if (!equipment.calibration_due().empty()) return equipment.calibration_due();
  return equipment.calibration_required() ? "NEVER CALIBRATED" : "-";
}

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

void PrintEquipment(const v1::Equipment& equipment, const Invocation& in) {
  in.out << "equipment        " << equipment.equipment_id() << "\n"
         << "kind             " << ChoiceText(EquipmentKindChoices(), equipment.kind()) << "\n"
         << "name             " << equipment.name() << "\n"
         << "status           " << StatusText(equipment);
  if (!equipment.status_reason().empty()) in.out << " (" << equipment.status_reason() << ")";
  in.out << "\ncalibration due  " << CalibrationText(equipment) << "\n"
         << "maintenance due  " << OrDash(equipment.maintenance_due()) << "\n"
         << "registered       "
         << FormatLocalTime(FromProto(equipment.create_time()), in.time.zone) << " by "
         << equipment.created_by() << "\n";
}

absl::Status RunEquipmentRegister(Invocation& in) {
  v1::CreateEquipmentRequest request;
  request.set_request_id(in.conn.RequestId());
  v1::Equipment& equipment = *request.mutable_equipment();
  equipment.set_equipment_id(in.args.Get("EQUIPMENT_ID"));
  equipment.set_kind(ChoiceValue(EquipmentKindChoices(), in.args.Get("kind")));
  equipment.set_name(in.args.Get("name"));
  v1::Equipment created;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Inventory::CreateEquipment, request, &created));
  if (in.json) return PrintJson(created, in.out);
  in.out << "Registered equipment " << created.equipment_id() << "\n";
  PrintEquipment(created, in);
  return absl::OkStatus();
}

absl::Status RunEquipmentShow(Invocation& in) {
  v1::GetEquipmentRequest request;
  request.set_equipment_id(in.args.Get("EQUIPMENT_ID"));
  v1::Equipment equipment;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Inventory::GetEquipment, request, &equipment));
  if (in.json) return PrintJson(equipment, in.out);
  PrintEquipment(equipment, in);
  return absl::OkStatus();
}

absl::Status RunEquipmentList(Invocation& in) {
  v1::ListEquipmentRequest request;
  CPC_RETURN_IF_ERROR(ReadPageFlags(in.args, &request));
  v1::ListEquipmentResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Inventory::ListEquipment, request, &response));
  if (in.json) return PrintJson(response, in.out);
  Table table({"equipment", "kind", "name", "status", "reason", "calibration due",
               "maintenance due"});
  for (const v1::Equipment& equipment : response.equipment()) {
    table.AddRow({equipment.equipment_id(), ChoiceText(EquipmentKindChoices(), equipment.kind()),
                  equipment.name(), StatusText(equipment), equipment.status_reason(),
                  CalibrationText(equipment), OrDash(equipment.maintenance_due())});
  }
  in.out << (table.empty() ? "No equipment.\n" : table.Render());
  PrintNextPage(in, response.next_page_token());
  return absl::OkStatus();
}

absl::Status RunEquipmentSetStatus(Invocation& in) {
  v1::SetEquipmentStatusRequest request;
  request.set_request_id(in.conn.RequestId());
  request.set_equipment_id(in.args.Get("EQUIPMENT_ID"));
  request.set_status(ChoiceValue(EquipmentStatusChoices(), in.args.Get("STATUS")));
  request.set_reason(in.args.Get("reason"));
  v1::Equipment equipment;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Inventory::SetEquipmentStatus, request, &equipment));
  if (in.json) return PrintJson(equipment, in.out);
  in.out << equipment.equipment_id() << " is now " << StatusText(equipment) << "\n";
  return absl::OkStatus();
}

// `cpc equipment calibrate` and `cpc equipment maintain`.
absl::Status RecordUpkeep(Invocation& in, v1::UpkeepKind kind) {
  v1::RecordEquipmentUpkeepRequest request;
  request.set_request_id(in.conn.RequestId());
  request.set_equipment_id(in.args.Get("EQUIPMENT_ID"));
  request.set_kind(kind);
  request.set_certificate(in.args.Get("certificate"));
  CPC_ASSIGN_OR_RETURN(std::string due, ParseDate("--next-due", in.args.Get("next-due")));
  request.set_next_due(due);
  if (in.args.Has("performed")) {
    CPC_ASSIGN_OR_RETURN(absl::Time performed,
                         ParseUserTime("--performed", in.args.Get("performed"), in.time));
    ToProto(performed, request.mutable_performed_at());
  }
  v1::RecordEquipmentUpkeepResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Inventory::RecordEquipmentUpkeep, request, &response));
  if (in.json) return PrintJson(response, in.out);
  in.out << "Recorded the " << (kind == v1::UPKEEP_KIND_CALIBRATION ? "calibration" : "maintenance")
         << " of " << response.record().equipment_id() << " (certificate "
         << response.record().certificate() << "); next due "
         << response.record().next_due() << "\n";
  PrintEquipment(response.equipment(), in);
  return absl::OkStatus();
}

absl::Status RunEquipmentCalibrate(Invocation& in) {
  return RecordUpkeep(in, v1::UPKEEP_KIND_CALIBRATION);
}
absl::Status RunEquipmentMaintain(Invocation& in) {
  return RecordUpkeep(in, v1::UPKEEP_KIND_MAINTENANCE);
}

// "30d" or "30": a whole number of days.
absl::StatusOr<int32_t> ParseDays(absl::string_view flag, absl::string_view text) {
  absl::string_view days = text;
  absl::ConsumeSuffix(&days, "d");
  absl::StatusOr<int32_t> n = ParseSmallCount(flag, days);
  if (!n.ok()) {
    return UsageError(absl::StrCat(flag, ": \"", text, "\" is not a number of days, e.g. 30d"));
  }
  return n;
}

absl::Status RunEquipmentDue(Invocation& in) {
  if (in.json && in.args.Has("csv")) return UsageError("--csv and --json: choose one");
  v1::ListEquipmentDueRequest request;
  CPC_ASSIGN_OR_RETURN(int32_t days,
                       ParseDays("--within", in.args.Has("within") ? in.args.Get("within") : "30d"));
  request.set_within_days(days);
  v1::ListEquipmentDueResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Inventory::ListEquipmentDue, request, &response));
  if (in.json) return PrintJson(response, in.out);
  auto what = [](const v1::EquipmentDue& d) {
    return d.kind() == v1::UPKEEP_KIND_CALIBRATION ? "calibration" : "maintenance";
  };
  auto due_text = [](const v1::EquipmentDue& d) {
    return d.due_date().empty() ? std::string("never calibrated") : d.due_date();
  };
  if (in.args.Has("csv")) {
    in.out << CsvRecord({"equipment", "name", "kind", "due", "due_date", "lapsed", "status"});
    for (const v1::EquipmentDue& d : response.due()) {
      in.out << CsvRecord({d.equipment_id(), d.name(),
                           ChoiceText(EquipmentKindChoices(), d.equipment_kind()), what(d),
                           d.due_date(), d.lapsed() ? "yes" : "no",
                           ChoiceText(EquipmentStatusChoices(), d.status())});
    }
    return absl::OkStatus();
  }
  Table table({"equipment", "name", "kind", "due", "date", ""});
  for (const v1::EquipmentDue& d : response.due()) {
    table.AddRow({d.equipment_id(), d.name(),
                  ChoiceText(EquipmentKindChoices(), d.equipment_kind()), what(d), due_text(d),
                  d.lapsed() ? "LAPSED" : ""});
  }
  if (table.empty()) {
    in.out << "Nothing due by " << days << " days from " << response.today() << ".\n";
  } else {
    in.out << table.Render();
  }
  return absl::OkStatus();
}

ArgSpec LotArg() {
  return {.name = "LOT", .help = "lot number as printed on the container"};
}
ArgSpec EquipmentArg() {
  return {.name = "EQUIPMENT_ID", .help = "asset tag as on the barcode sticker, e.g. INC-01"};
}

std::vector<FlagSpec> UpkeepFlags(const char* certificate_help) {
  return {{.name = "certificate", .value_name = "REF", .help = certificate_help,
           .required = true},
          {.name = "next-due", .value_name = "DATE",
           .help = "last day of use before the next one, YYYY-MM-DD (facility's calendar)",
           .required = true},
          {.name = "performed", .value_name = "TIME", .help = "when it was done (default now)"}};
}

}  // namespace

std::vector<CommandSpec> InventoryCommands() {
  return {
      {.noun = "lot", .verb = "register", .summary = "Register a reagent or medium lot",
       .args = {LotArg()},
       .flags = {{.name = "name", .value_name = "NAME",
                  .help = "what it is, e.g. alpha-MEM, \"collagenase type I\"",
                  .required = true},
                 {.name = "manufacturer", .value_name = "NAME", .help = "who made it"},
                 {.name = "expiry", .value_name = "DATE",
                  .help = "last day of use, YYYY-MM-DD (facility's calendar)",
                  .required = true}},
       .example = "cpc lot register MEM-2611-07 --name alpha-MEM --manufacturer Nacalai "
                  "--expiry 2027-03-31",
       .run = RunLotRegister},
      {.noun = "lot", .verb = "show", .summary = "Show one reagent lot", .args = {LotArg()},
       .example = "cpc lot show MEM-2611-07", .run = RunLotShow},
      {.noun = "lot", .verb = "list", .summary = "List reagent lots", .flags = PageFlags(),
       .example = "cpc lot list", .run = RunLotList},
      {.noun = "lot", .verb = "accept",
       .summary = "QA: release a lot from QUARANTINE for use (a signature)",
       .args = {LotArg()},
       .flags = {{.name = "certificate", .value_name = "REF",
                  .help = "the supplier's certificate of analysis", .required = true},
                 PasswordStdinFlag()},
       .example = "cpc lot accept MEM-2611-07 --certificate \"CoA 2611-07\"",
       .run = RunLotAccept},
      {.noun = "lot", .verb = "reject", .summary = "QA: reject a lot (a signature)",
       .args = {LotArg()},
       .flags = {{.name = "reason", .value_name = "TEXT", .help = "why, for the record",
                  .required = true},
                 PasswordStdinFlag()},
       .example = "cpc lot reject MEM-2611-07 --reason \"CoA endotoxin out of specification\"",
       .run = RunLotReject},

      {.noun = "equipment", .verb = "register", .summary = "Register an incubator, cabinet, ...",
       .args = {EquipmentArg()},
       .flags = {{.name = "kind", .value_name = "KIND", .help = "what kind of equipment",
                  .required = true, .choices = ChoiceTexts(EquipmentKindChoices())},
                 {.name = "name", .value_name = "NAME", .help = "a name people recognise",
                  .required = true}},
       .example = "cpc equipment register INC-01 --kind incubator --name \"CO2 incubator 1\"",
       .run = RunEquipmentRegister},
      {.noun = "equipment", .verb = "show", .summary = "Show one piece of equipment",
       .args = {EquipmentArg()}, .example = "cpc equipment show INC-01",
       .run = RunEquipmentShow},
      {.noun = "equipment", .verb = "list", .summary = "List equipment and its status",
       .flags = PageFlags(), .example = "cpc equipment list", .run = RunEquipmentList},
      {.noun = "equipment", .verb = "set-status",
       .summary = "Take equipment out of service or back into service",
       .args = {EquipmentArg(),
                {.name = "STATUS", .help = "the new status",
                 .choices = ChoiceTexts(EquipmentStatusChoices())}},
       .flags = {{.name = "reason", .value_name = "TEXT", .help = "why, for the record",
                  .required = true}},
       .example = "cpc equipment set-status INC-01 out-of-service --reason \"temperature "
                  "alarm, service call 1187\"",
       .run = RunEquipmentSetStatus},
      {.noun = "equipment", .verb = "calibrate",
       .summary = "Record a calibration and when the next one is due",
       .args = {EquipmentArg()},
       .flags = UpkeepFlags("the calibration certificate's reference"),
       .example = "cpc equipment calibrate INC-01 --certificate CAL-2026-0113 "
                  "--next-due 2027-06-30",
       .run = RunEquipmentCalibrate},
      {.noun = "equipment", .verb = "maintain",
       .summary = "Record a maintenance and when the next one is due",
       .args = {EquipmentArg()},
       .flags = UpkeepFlags("the service report's reference"),
       .example = "cpc equipment maintain INC-01 --certificate SR-1187 --next-due 2027-01-31",
       .run = RunEquipmentMaintain},
      {.noun = "equipment", .verb = "due",
       .summary = "Calibrations and maintenances due soon, or lapsed",
       .flags = {{.name = "within", .value_name = "DAYS",
                  .help = "what falls due within this many days from today, e.g. 30d "
                          "(default 30d)"},
                 {.name = "csv", .help = "CSV (RFC 4180)"}},
       .example = "cpc equipment due --within 30d", .run = RunEquipmentDue},
  };
}

}  // namespace cpc
