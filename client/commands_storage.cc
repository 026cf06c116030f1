// `cpc storage add-tank|add-rack|add-box|show|list`: where units are kept.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/choices.h"
#include "client/commands.h"
#include "client/format.h"
#include "client/status_util.h"
#include "client/table.h"
#include "client/unit_format.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;
using Storage = v1::StorageService::Stub;

std::string Occupancy(int occupied, int capacity) {
  return absl::StrCat(occupied, " of ", capacity, " positions occupied");
}

void PrintTankHeader(const Invocation& in, const v1::Tank& tank) {
  in.out << "Tank " << tank.tank_id() << (tank.name().empty() ? "" : "  " + tank.name()) << "\n"
         << "  class    " << ChoiceText(TemperatureClassChoices(), tank.temperature_class())
         << "\n"
         << "  holds    " << Occupancy(tank.occupied(), tank.capacity()) << "\n"
         << "  created  " << FormatLocalTime(FromProto(tank.create_time()), in.time.zone)
         << " by " << tank.created_by() << "\n";
}

absl::Status RunAddTank(Invocation& in) {
  v1::CreateTankRequest request;
  request.set_request_id(in.conn.RequestId());
  request.set_tank_id(in.args.Get("TANK"));
  request.set_name(in.args.Get("name"));
  request.set_temperature_class(ChoiceValue(TemperatureClassChoices(), in.args.Get("class")));
  v1::Tank tank;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Storage::CreateTank, request, &tank));
  if (in.json) return PrintJson(tank, in.out);
  in.out << "Added tank " << tank.tank_id() << "\n";
  PrintTankHeader(in, tank);
  return absl::OkStatus();
}

absl::Status RunAddRack(Invocation& in) {
  v1::AddRackRequest request;
  request.set_request_id(in.conn.RequestId());
  request.set_tank_id(in.args.Get("TANK"));
  request.set_rack(in.args.Get("RACK"));
  v1::Tank tank;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Storage::AddRack, request, &tank));
  if (in.json) return PrintJson(tank, in.out);
  in.out << "Added rack " << request.rack() << " to tank " << tank.tank_id() << " ("
         << tank.racks_size() << (tank.racks_size() == 1 ? " rack" : " racks") << ")\n";
  return absl::OkStatus();
}

absl::Status RunAddBox(Invocation& in) {
  std::vector<std::string> parts;
  if (in.args.Has("RACK")) {
    if (!in.args.Has("BOX_NAME")) {
      return UsageError("give the box as TANK/RACK/BOX or as TANK RACK BOX");
    }
    parts = {in.args.Get("BOX"), in.args.Get("RACK"), in.args.Get("BOX_NAME")};
  } else {
    parts = absl::StrSplit(in.args.Get("BOX"), '/');
  }
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty()) {
    return UsageError(absl::StrCat("BOX: \"", in.args.Get("BOX"),
                                   "\" is not TANK/RACK/BOX, e.g. LN2-A/R1/B1"));
  }
  v1::AddBoxRequest request;
  request.set_request_id(in.conn.RequestId());
  request.set_tank_id(parts[0]);
  request.set_rack(parts[1]);
  request.set_box(parts[2]);
  CPC_ASSIGN_OR_RETURN(int32_t rows, SmallCountFlag(in.args, "rows"));
  CPC_ASSIGN_OR_RETURN(int32_t columns, SmallCountFlag(in.args, "columns"));
  if (rows < 1 || rows > 26) {
    return UsageError(absl::StrCat("--rows: \"", in.args.Get("rows"),
                                   "\" must be 1 to 26 (rows are lettered A-Z)"));
  }
  if (columns < 1) {
    return UsageError(absl::StrCat("--columns: \"", in.args.Get("columns"),
                                   "\" must be at least 1"));
  }
  request.set_rows(rows);
  request.set_columns(columns);
  v1::Box box;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Storage::AddBox, request, &box));
  if (in.json) return PrintJson(box, in.out);
  in.out << "Added box " << parts[0] << "/" << parts[1] << "/" << parts[2] << " (" << box.rows()
         << " x " << box.columns() << ", positions A1 to " << std::string(1, 'A' + box.rows() - 1)
         << box.columns() << ")\n";
  return absl::OkStatus();
}

absl::Status RunShow(Invocation& in) {
  v1::GetTankRequest request;
  request.set_tank_id(in.args.Get("TANK"));
  v1::Tank tank;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Storage::GetTank, request, &tank));
  if (in.json) return PrintJson(tank, in.out);
  PrintTankHeader(in, tank);
  google::protobuf::RepeatedPtrField<v1::Unit> units;
  for (const v1::Rack& rack : tank.racks()) {
    if (rack.boxes().empty()) in.out << "\nRack " << rack.name() << ": no boxes\n";
    for (const v1::Box& box : rack.boxes()) {
      in.out << "\nBox " << rack.name() << "/" << (box.name().empty() ? box.box_id() : box.name())
             << "  (" << box.rows() << " x "
             << box.columns() << ", " << box.occupied() << " occupied)\n"
             << BoxMap(box, 2);
      for (const v1::Unit& unit : box.units()) *units.Add() = unit;
    }
  }
  if (tank.racks().empty()) in.out << "\n(no racks yet: cpc storage add-rack)\n";
  in.out << "\n  . free   X stored   Q quarantined\n";
  if (units.empty()) return absl::OkStatus();
  Table table({"position", "unit", "batch", "patient", "state"});
  for (const v1::Unit& unit : units) {
    table.AddRow({unit.position(), unit.unit_id(), unit.batch_id(), unit.patient_id(),
                  UnitStateText(unit)});
  }
  in.out << "\nUnits\n" << table.Render(2);
  return absl::OkStatus();
}

absl::Status RunList(Invocation& in) {
  v1::ListTanksResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Storage::ListTanks, v1::ListTanksRequest(), &response));
  if (in.json) return PrintJson(response, in.out);
  Table table({"tank", "name", "class", "racks", "occupied", "capacity"});
  for (size_t column : {3, 4, 5}) table.AlignRight(column);
  for (const v1::Tank& tank : response.tanks()) {
    table.AddRow({tank.tank_id(), tank.name(),
                  ChoiceText(TemperatureClassChoices(), tank.temperature_class()),
                  absl::StrCat(tank.racks_size()), absl::StrCat(tank.occupied()),
                  absl::StrCat(tank.capacity())});
  }
  in.out << (table.empty() ? "No tanks.\n" : table.Render());
  return absl::OkStatus();
}

ArgSpec TankArg() { return {.name = "TANK", .help = "tank ID, e.g. LN2-A"}; }

}  // namespace

std::vector<CommandSpec> StorageCommands() {
  return {
      {.noun = "storage", .verb = "add-tank", .summary = "Add a storage tank or freezer",
       .args = {TankArg()},
       .flags = {{.name = "class", .value_name = "CLASS", .help = "temperature class",
                  .required = true, .choices = ChoiceTexts(TemperatureClassChoices())},
                 {.name = "name", .value_name = "TEXT", .help = "a name people recognise"}},
       .example = "cpc storage add-tank LN2-A --class ln2-vapour --name \"LN2 vapour tank A\"",
       .run = RunAddTank},
      {.noun = "storage", .verb = "add-rack", .summary = "Add a rack to a tank",
       .args = {TankArg(), {.name = "RACK", .help = "rack name, e.g. R1"}},
       .example = "cpc storage add-rack LN2-A R1", .run = RunAddRack},
      {.noun = "storage", .verb = "add-box", .summary = "Add a box (a grid of positions) to a rack",
       .args = {{.name = "BOX", .help = "TANK/RACK/BOX, e.g. LN2-A/R1/B1 (or TANK RACK BOX)"},
                {.name = "RACK", .help = "with TANK RACK BOX: the rack", .optional = true},
                {.name = "BOX_NAME", .help = "with TANK RACK BOX: the box", .optional = true}},
       .flags = {{.name = "rows", .value_name = "N", .help = "rows, lettered A, B, ...",
                  .default_value = "9"},
                 {.name = "columns", .value_name = "N", .help = "columns, numbered 1, 2, ...",
                  .default_value = "9"}},
       .example = "cpc storage add-box LN2-A/R1/B1 --rows 9 --columns 9", .run = RunAddBox},
      {.noun = "storage", .verb = "show",
       .summary = "Show a tank: a map of each box and the units in it", .args = {TankArg()},
       .example = "cpc storage show LN2-A", .run = RunShow},
      {.noun = "storage", .verb = "list", .summary = "List tanks and how full they are",
       .example = "cpc storage list", .run = RunList},
  };
}

}  // namespace cpc
