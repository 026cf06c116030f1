// `cpc units freeze|formulate|list|show|move|thaw|dispose`: dose units and where they are.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/choices.h"
#include "client/commands.h"
#include "client/format.h"
#include "client/record_format.h"
#include "client/status_util.h"
#include "client/values.h"
#include "client/table.h"
#include "client/unit_format.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;
using Units = v1::UnitService::Stub;

// The box's size as the server has it, for --count without --columns.
absl::Status ReadBoxSize(const Invocation& in, const Position& start, int* columns, int* rows) {
  v1::GetTankRequest request;
  request.set_tank_id(start.tank);
  v1::Tank tank;
  CPC_RETURN_IF_ERROR(in.conn.Call(&v1::StorageService::Stub::GetTank, request, &tank));
  for (const v1::Rack& rack : tank.racks()) {
    if (rack.name() != start.rack) continue;
    for (const v1::Box& box : rack.boxes()) {
      if (box.name() == start.box || box.box_id() == start.box) {
        *columns = box.columns();
        *rows = box.rows();
        return absl::OkStatus();
      }
    }
  }
  return absl::NotFoundError(absl::StrCat("tank ", start.tank, " has no box ", start.rack, "/",
                                          start.box, " (see cpc storage show ", start.tank,
                                          ")"));
}

// --position ... or --count N --start POS: one position per unit.
absl::StatusOr<std::vector<std::string>> FreezePositions(const Invocation& in) {
  const bool listed = in.args.Given("position");
  const bool counted = in.args.Given("count") || in.args.Given("start");
  if (listed == counted) {
    return UsageError("give the positions: --position POS for each unit, or --count N "
                      "--start POS for N positions in a row");
  }
  if (listed) {
    std::vector<std::string> positions = in.args.GetList("position");
    for (const std::string& position : positions) {
      CPC_RETURN_IF_ERROR(ParsePosition("--position", position).status());
    }
    return positions;
  }
  if (!in.args.Given("count") || !in.args.Given("start")) {
    return UsageError("--count and --start go together");
  }
  CPC_ASSIGN_OR_RETURN(int32_t count, SmallCountFlag(in.args, "count"));
  if (count < 1) return UsageError("--count: must be at least 1");
  CPC_ASSIGN_OR_RETURN(Position start, ParsePosition("--start", in.args.Get("start")));
  int columns = 0, rows = 0;
  if (in.args.Given("columns")) {
    CPC_ASSIGN_OR_RETURN(columns, SmallCountFlag(in.args, "columns"));
  } else {
    CPC_RETURN_IF_ERROR(ReadBoxSize(in, start, &columns, &rows));
  }
  return ConsecutivePositions(start, count, columns, rows);
}

absl::Status RunFreeze(Invocation& in) {
  v1::FreezeUnitsRequest request;
  request.set_request_id(in.conn.RequestId());
  CPC_ASSIGN_OR_RETURN(const std::string batch_id, ScannedBatch("BATCH", in.args.Get("BATCH")));
  request.set_batch_id(batch_id);
  request.set_kind(ChoiceValue(UnitKindChoices(), in.args.Get("kind")));
  CPC_ASSIGN_OR_RETURN(absl::Time frozen, TimeFlag(in.args, "at", in.time));
  ToProto(frozen, request.mutable_frozen_time());
  request.set_freezing_medium(in.args.Get("medium"));
  request.set_medium_lot(in.args.Get("medium-lot"));
  request.set_freezer_program(in.args.Get("program"));
  request.set_freezer_id(in.args.Get("freezer"));
  CPC_ASSIGN_OR_RETURN(int64_t cells, CountFlag(in.args, "cells"));
  CPC_ASSIGN_OR_RETURN(double volume_ml, NumberFlag(in.args, "volume-ml"));
  CPC_ASSIGN_OR_RETURN(std::vector<std::string> positions, FreezePositions(in));
  for (const std::string& position : positions) {
    v1::UnitSpec& unit = *request.add_units();
    unit.set_cells(cells);
    unit.set_volume_ml(volume_ml);
    unit.set_position(position);
  }
  request.set_late_entry_reason(in.args.Get("late-reason"));
  v1::FreezeUnitsResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Units::FreezeUnits, request, &response));
  if (in.json) return PrintJson(response, in.out);
  in.out << "Froze " << response.units_size() << (response.units_size() == 1 ? " unit" : " units")
         << " of batch " << SpacedBatchId(request.batch_id()) << " (batch now "
         << ChoiceText(BatchStateChoices(), response.batch_state()) << ")\n";
  Table table({"unit", "position", "cells", "volume mL", "expires"});
  table.AlignRight(2);
  table.AlignRight(3);
  for (const v1::Unit& unit : response.units()) {
    table.AddRow({unit.unit_id(), unit.position(), FormatCount(unit.cells()),
                  FormatDecimal(unit.volume_ml()),
                  UnitExpiryText(unit, in.time.zone, in.time.now)});
  }
  in.out << table.Render(2);
  return absl::OkStatus();
}

absl::Status RunFormulate(Invocation& in) {
  v1::FormulateFreshUnitsRequest request;
  request.set_request_id(in.conn.RequestId());
  CPC_ASSIGN_OR_RETURN(const std::string batch_id, ScannedBatch("BATCH", in.args.Get("BATCH")));
  request.set_batch_id(batch_id);
  CPC_ASSIGN_OR_RETURN(absl::Time formulated, TimeFlag(in.args, "at", in.time));
  ToProto(formulated, request.mutable_formulated_time());
  request.set_medium(in.args.Get("medium"));
  request.set_medium_lot(in.args.Get("medium-lot"));
  CPC_ASSIGN_OR_RETURN(int64_t cells, CountFlag(in.args, "cells"));
  CPC_ASSIGN_OR_RETURN(double volume_ml, NumberFlag(in.args, "volume-ml"));
  CPC_ASSIGN_OR_RETURN(int32_t count, SmallCountFlag(in.args, "count"));
  if (count < 1) return UsageError("--count: must be at least 1");
  for (int32_t i = 0; i < count; ++i) {
    v1::FreshUnitSpec& unit = *request.add_units();
    unit.set_cells(cells);
    unit.set_volume_ml(volume_ml);
  }
  request.set_late_entry_reason(in.args.Get("late-reason"));
  v1::FormulateFreshUnitsResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Units::FormulateFreshUnits, request, &response));
  if (in.json) return PrintJson(response, in.out);
  in.out << "Formulated " << response.units_size()
         << (response.units_size() == 1 ? " fresh unit" : " fresh units") << " of batch "
         << SpacedBatchId(request.batch_id()) << " (batch now "
         << ChoiceText(BatchStateChoices(), response.batch_state()) << ")\n";
  Table table({"unit", "cells", "volume mL", "expires"});
  table.AlignRight(1);
  table.AlignRight(2);
  for (const v1::Unit& unit : response.units()) {
    table.AddRow({unit.unit_id(), FormatCount(unit.cells()), FormatDecimal(unit.volume_ml()),
                  UnitExpiryText(unit, in.time.zone, in.time.now)});
  }
  in.out << table.Render(2) << "Hold at 2-8 °C; not to be infused after its expiry.\n";
  return absl::OkStatus();
}

absl::Status RunList(Invocation& in) {
  v1::ListUnitsRequest request;
  CPC_RETURN_IF_ERROR(ReadPageFlags(in.args, &request));
  request.set_batch_id(CompactBatchId(in.args.Get("batch")));
  request.set_patient_id(in.args.Get("patient"));
  request.set_state(ChoiceValue(UnitStateChoices(), in.args.Get("state")));
  request.set_location(in.args.Get("location"));
  v1::ListUnitsResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Units::ListUnits, request, &response));
  if (in.json) return PrintJson(response, in.out);
  in.out << (response.units().empty() ? "No units.\n"
                                      : RenderUnits(response.units(), in.time));
  PrintNextPage(in, response.next_page_token());
  return absl::OkStatus();
}

void PrintUnit(const Invocation& in, const v1::Unit& unit) {
  const absl::TimeZone zone = in.time.zone;
  in.out << "Unit " << unit.unit_id() << "\n"
         << "  batch     " << SpacedBatchId(unit.batch_id()) << "  (" << unit.product_code()
         << " v" << unit.product_version() << ")\n"
         << "  patient   " << unit.patient_id() << "\n"
         << "  state     " << UnitStateText(unit) << "\n";
  if (unit.has_fresh()) {
    const v1::FreshFormulation& fresh = unit.fresh();
    in.out << "  position  - (fresh: held at 2-8 °C, not in storage)\n"
           << "  contents  " << UnitKindText(unit) << ", " << FormatCount(unit.cells())
           << " viable cells\n"
           << "  formulated " << FormatLocalTimeWithZone(FromProto(fresh.formulated_time()), zone)
           << " by " << fresh.formulated_by() << " in " << fresh.medium() << " (lot "
           << unit.medium_lot() << ")\n";
  } else {
    in.out << "  position  " << (unit.position().empty() ? "-" : unit.position()) << "\n"
           << "  contents  " << UnitKindText(unit) << ", " << FormatCount(unit.cells())
           << " viable cells\n"
           << "  frozen    " << FormatLocalTimeWithZone(FromProto(unit.frozen_time()), zone)
           << " by " << unit.frozen_by() << " in " << unit.freezing_medium() << " (lot "
           << unit.medium_lot() << "), " << unit.freezer_program()
           << (unit.freezer_id().empty() ? "" : absl::StrCat(" on ", unit.freezer_id())) << "\n";
  }
  if (const std::optional<absl::Time> expires = UnitExpiry(unit); expires.has_value()) {
    in.out << "  expires   " << FormatLocalTimeWithZone(*expires, zone)
           << (in.time.now >= *expires ? "  !! EXPIRED: do not infuse" : "") << "\n";
  }
  if (unit.has_thaw()) {
    const v1::ThawResult& thaw = unit.thaw();
    in.out << "  thawed    " << FormatLocalTime(FromProto(thaw.thawed_time()), zone)
           << "  viable " << FormatCount(thaw.viable_cells()) << " of "
           << FormatCount(thaw.total_cells()) << " (" << FormatPercent(thaw.viability_percent())
           << ")\n";
  }
  if (!unit.late_entries().empty()) {
    in.out << "  recorded late\n" << RenderLateEntries(unit.late_entries(), zone, 4);
  }
  if (unit.events().empty()) return;
  Table table({"time", "event", "from", "to", "by", "reason"});
  for (const v1::UnitEvent& event : unit.events()) {
    auto where = [](v1::UnitState state, const std::string& position) {
      std::string text = ChoiceText(UnitStateChoices(), state);
      if (state == v1::UNIT_STATE_UNSPECIFIED) text = "";
      if (!position.empty()) absl::StrAppend(&text, text.empty() ? "" : " ", position);
      return text.empty() ? "-" : text;
    };
    table.AddRow({FormatLocalTime(FromProto(event.event_time()), zone),
                  ChoiceText(UnitEventKindChoices(), event.kind()),
                  where(event.from_state(), event.from_position()),
                  where(event.to_state(), event.to_position()), event.recorded_by(),
                  event.reason()});
  }
  in.out << "\nHistory\n" << table.Render(2);
}

absl::Status RunShow(Invocation& in) {
  v1::GetUnitRequest request;
  CPC_ASSIGN_OR_RETURN(const std::string unit_id, ScannedUnit("UNIT", in.args.Get("UNIT")));
  request.set_unit_id(unit_id);
  v1::Unit unit;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Units::GetUnit, request, &unit));
  if (in.json) return PrintJson(unit, in.out);
  PrintUnit(in, unit);
  return absl::OkStatus();
}

absl::Status RunMove(Invocation& in) {
  v1::MoveUnitRequest request;
  request.set_request_id(in.conn.RequestId());
  CPC_ASSIGN_OR_RETURN(const std::string unit_id, ScannedUnit("UNIT", in.args.Get("UNIT")));
  request.set_unit_id(unit_id);
  CPC_RETURN_IF_ERROR(ParsePosition("--to", in.args.Get("to")).status());
  request.set_to_position(in.args.Get("to"));
  CPC_ASSIGN_OR_RETURN(absl::Time moved, TimeFlag(in.args, "at", in.time));
  ToProto(moved, request.mutable_moved_time());
  request.set_reason(in.args.Get("reason"));
  v1::Unit unit;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Units::MoveUnit, request, &unit));
  if (in.json) return PrintJson(unit, in.out);
  in.out << "Moved unit " << unit.unit_id() << " to " << unit.position() << "\n";
  return absl::OkStatus();
}

absl::Status RunThaw(Invocation& in) {
  v1::ThawUnitRequest request;
  request.set_request_id(in.conn.RequestId());
  CPC_ASSIGN_OR_RETURN(const std::string unit_id, ScannedUnit("UNIT", in.args.Get("UNIT")));
  request.set_unit_id(unit_id);
  v1::ThawResult& thaw = *request.mutable_thaw();
  CPC_ASSIGN_OR_RETURN(absl::Time thawed, TimeFlag(in.args, "at", in.time));
  ToProto(thawed, thaw.mutable_thawed_time());
  CPC_ASSIGN_OR_RETURN(int64_t total, CountFlag(in.args, "total"));
  CPC_ASSIGN_OR_RETURN(int64_t viable, CountFlag(in.args, "viable"));
  thaw.set_total_cells(total);
  thaw.set_viable_cells(viable);
  if (in.args.Has("viability")) {
    CPC_ASSIGN_OR_RETURN(double viability, NumberFlag(in.args, "viability"));
    thaw.set_viability_percent(viability);
  }
  request.set_late_entry_reason(in.args.Get("late-reason"));
  v1::ThawUnitResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Units::ThawUnit, request, &response));
  if (in.json) return PrintJson(response, in.out);
  const v1::Unit& unit = response.unit();
  in.out << "Thawed unit " << unit.unit_id() << ": viable " << FormatCount(unit.thaw().viable_cells())
         << " of " << FormatCount(unit.thaw().total_cells()) << " ("
         << FormatPercent(unit.thaw().viability_percent()) << ")\n";
  for (const v1::Deviation& deviation : response.opened_deviations()) {
    in.out << DescribeDeviation(deviation, in.time.zone) << "\n";
  }
  return absl::OkStatus();
}

absl::Status RunDispose(Invocation& in) {
  v1::DisposeUnitRequest request;
  request.set_request_id(in.conn.RequestId());
  CPC_ASSIGN_OR_RETURN(const std::string unit_id, ScannedUnit("UNIT", in.args.Get("UNIT")));
  request.set_unit_id(unit_id);
  request.set_reason(in.args.Get("reason"));
  v1::Unit unit;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Units::DisposeUnit, request, &unit));
  if (in.json) return PrintJson(unit, in.out);
  in.out << "Disposed of unit " << unit.unit_id() << " (state "
         << ChoiceText(UnitStateChoices(), unit.state()) << "; its record is kept)\n";
  return absl::OkStatus();
}

ArgSpec UnitArg() {
  return {.name = "UNIT",
          .help = "unit ID as on the label, e.g. A9999260000018-03, or the unit's label scanned "
                  "(its DataMatrix, or its DIN and product code symbols)"};
}

FlagSpec AtFlag(absl::string_view what) {
  return {.name = "at", .value_name = "TIME",
          .help = absl::StrCat("when it was ", what, ": now, -2h, \"2026-11-25 09:30\""),
          .default_value = "now"};
}

}  // namespace

std::vector<CommandSpec> UnitCommands() {
  std::vector<CommandSpec> commands = {
      {.noun = "units", .verb = "freeze",
       .summary = "Freeze a batch into units, one per storage position",
       .args = {BatchArg()},
       .flags = {{.name = "kind", .value_name = "KIND", .help = "container", .required = true,
                  .choices = ChoiceTexts(UnitKindChoices())},
                 {.name = "cells", .value_name = "N", .help = "viable cells in each unit",
                  .required = true},
                 {.name = "volume-ml", .value_name = "ML", .help = "volume of each unit, mL",
                  .required = true},
                 {.name = "medium", .value_name = "TEXT",
                  .help = "freezing medium, e.g. \"CryoStor CS10\"", .required = true},
                 {.name = "medium-lot", .value_name = "LOT",
                  .help = "freezing medium lot (registered, unexpired)", .required = true},
                 {.name = "program", .value_name = "TEXT",
                  .help = "controlled-rate program, e.g. \"-1C/min to -90C\"",
                  .required = true},
                 {.name = "freezer", .value_name = "ID",
                  .help = "controlled-rate freezer (registered equipment)"},
                 AtFlag("frozen"), LateReasonFlag(),
                 {.name = "position", .value_name = "POS",
                  .help = "a storage position TANK/RACK/BOX/A1; one unit each",
                  .repeated = true},
                 {.name = "count", .value_name = "N",
                  .help = "with --start: freeze N units in consecutive positions"},
                 {.name = "start", .value_name = "POS",
                  .help = "with --count: the first position; then A2, A3, ... row by row"},
                 {.name = "columns", .value_name = "N",
                  .help = "with --count: the box's width (default: read from the tank)"}},
       .example = "cpc units freeze A9999260000018 --kind vial --cells 2.5e7 --volume-ml 1.5 "
                  "--medium \"CryoStor CS10\" --medium-lot CS10-2611 --program "
                  "\"-1C/min to -90C\" --count 4 --start LN2-A/R1/B1/A1",
       .run = RunFreeze},
      {.noun = "units", .verb = "formulate",
       .summary = "Formulate fresh bags from the final harvest, for infusion within the "
                  "product's fresh shelf life",
       .args = {BatchArg()},
       .flags = {{.name = "cells", .value_name = "N", .help = "viable cells in each bag",
                  .required = true},
                 {.name = "volume-ml", .value_name = "ML", .help = "volume of each bag, mL",
                  .required = true},
                 {.name = "medium", .value_name = "TEXT",
                  .help = "infusion medium, e.g. \"Plasma-Lyte A + 2% HSA\"", .required = true},
                 {.name = "medium-lot", .value_name = "LOT",
                  .help = "the medium's lot (registered, unexpired)", .required = true},
                 {.name = "count", .value_name = "N", .help = "bags alike", .default_value = "1"},
                 AtFlag("formulated"), LateReasonFlag()},
       .example = "cpc units formulate A9999260000018 --cells 1e8 --volume-ml 50 --medium "
                  "\"Plasma-Lyte A + 2% HSA\" --medium-lot PLA-2611",
       .run = RunFormulate},
      {.noun = "units", .verb = "list", .summary = "List units by batch, patient, state or place",
       .flags = {{.name = "batch", .value_name = "BATCH", .help = "only this batch's units"},
                 {.name = "patient", .value_name = "ID", .help = "only this patient's units"},
                 {.name = "state", .value_name = "STATE", .help = "only units in this state",
                  .choices = ChoiceTexts(UnitStateChoices())},
                 {.name = "location", .value_name = "PLACE",
                  .help = "only units in TANK, TANK/RACK or TANK/RACK/BOX"}},
       .example = "cpc units list --patient TKY-0042 --state stored",
       .run = RunList},
      {.noun = "units", .verb = "show", .summary = "Show a unit and its history",
       .args = {UnitArg()}, .example = "cpc units show A9999260000018-03", .run = RunShow},
      {.noun = "units", .verb = "move", .summary = "Move a unit to another position",
       .args = {UnitArg()},
       .flags = {{.name = "to", .value_name = "POS", .help = "the new position TANK/RACK/BOX/A1",
                  .required = true},
                 {.name = "reason", .value_name = "TEXT", .help = "why, for the record"},
                 AtFlag("moved")},
       .example = "cpc units move A9999260000018-03 --to LN2-B/R2/B1/C4 --reason "
                  "\"tank A maintenance\"",
       .run = RunMove},
      {.noun = "units", .verb = "thaw", .summary = "Record a thaw and the post-thaw count",
       .args = {UnitArg()},
       .flags = {{.name = "total", .value_name = "N", .help = "total cells counted",
                  .required = true},
                 {.name = "viable", .value_name = "N", .help = "viable cells counted",
                  .required = true},
                 {.name = "viability", .value_name = "PERCENT",
                  .help = "viability as the counter printed it (default: from the counts)"},
                 AtFlag("thawed"), LateReasonFlag()},
       .example = "cpc units thaw A9999260000018-03 --total 2.4e7 --viable 2.1e7",
       .run = RunThaw},
      {.noun = "units", .verb = "dispose", .summary = "Dispose of a unit; its record stays",
       .args = {UnitArg()},
       .flags = {{.name = "reason", .value_name = "TEXT", .help = "why", .required = true}},
       .example = "cpc units dispose A9999260000018-03 --reason \"bag damaged on thaw\"",
       .run = RunDispose},
  };
  for (FlagSpec& flag : PageFlags()) commands[2].flags.push_back(std::move(flag));
  return commands;
}

}  // namespace cpc
