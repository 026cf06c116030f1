// `cpc-lab label UNIT`: a unit's label as ZPL, SVG or PNG. The fields come
// from cpcd (UnitService.GetUnit), which also says whether the unit may be
// labelled at all; with --offline they come from flags instead, unchecked.
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/status_util.h"
#include "client/time_format.h"
#include "client/unit_format.h"
#include "client/values.h"
#include "cpctrack/v1/units.grpc.pb.h"
#include "lab_tools/lab_commands.h"
#include "lab_tools/label.h"
#include "lab_tools/png.h"

namespace cpclab {
namespace {

namespace v1 = ::cpctrack::v1;

// The flags that stand in for cpcd's record of the unit with --offline.
constexpr const char* kOfflineFields[] = {"batch", "product", "isbt-product", "patient",
                                          "cells", "frozen", "expires"};

absl::StatusOr<absl::CivilDay> DateFlag(const Invocation& in, absl::string_view flag) {
  CPC_ASSIGN_OR_RETURN(std::string text,
                       cpc::ParseDate(absl::StrCat("--", flag), in.args.Get(flag)));
  absl::CivilDay day;
  absl::ParseCivilTime(text, &day);  // ParseDate has checked it
  return day;
}

// UNIT as typed or scanned (the label's DataMatrix or linear symbols).
absl::StatusOr<std::string> UnitArg(const Invocation& in) {
  return cpc::ScannedUnit("UNIT", in.args.Get("UNIT"));
}

// --offline: every field from its flag; nothing is checked against cpcd.
absl::StatusOr<LabelData> FromFlags(Invocation& in) {
  for (const char* flag : kOfflineFields) {
    if (!in.args.Given(flag)) {
      return cpc::UsageError(absl::StrCat("--", flag,
                                          " is required with --offline (an offline label "
                                          "takes every field from its flag)"));
    }
  }
  LabelData data;
  CPC_ASSIGN_OR_RETURN(data.unit_id, UnitArg(in));
  data.batch_id = in.args.Get("batch");
  data.product = in.args.Get("product");
  data.isbt_product_description_code = in.args.Get("isbt-product");
  data.patient_id = in.args.Get("patient");
  CPC_ASSIGN_OR_RETURN(data.cells, cpc::CountFlag(in.args, "cells"));
  CPC_ASSIGN_OR_RETURN(data.freeze_date, DateFlag(in, "frozen"));
  CPC_ASSIGN_OR_RETURN(data.expiry_date, DateFlag(in, "expires"));
  in.err << "cpc-lab: offline label: unit " << data.unit_id
         << " was not looked up, so whether it is quarantined or disposed was not checked\n";
  return data;
}

// A label invites the unit's use: none for a unit that must not be used.
absl::Status CheckLabellable(const v1::Unit& unit, const cpc::TimeContext& time) {
  if (unit.state() == v1::UNIT_STATE_QUARANTINED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "unit ", unit.unit_id(), " is QUARANTINED (its batch ", unit.batch_id(),
        " is quarantined or rejected): no label is printed for it, since a label invites its "
        "use; print one once the quarantine is lifted"));
  }
  if (unit.state() == v1::UNIT_STATE_DISPOSED) {
    return absl::FailedPreconditionError(
        absl::StrCat("unit ", unit.unit_id(), " is DISPOSED: no label is printed for it"));
  }
  const std::optional<absl::Time> expires = cpc::UnitExpiry(unit);
  if (!expires.has_value()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "unit ", unit.unit_id(), " has no expiry on record: no label is printed for it"));
  }
  if (time.now >= *expires) {
    return absl::FailedPreconditionError(absl::StrCat(
        "unit ", unit.unit_id(), " is a ", unit.has_fresh() ? "fresh" : "frozen",
        " unit that expired at ", cpc::FormatLocalTimeWithZone(*expires, time.zone),
        ": no label is printed for it"));
  }
  return absl::OkStatus();
}

// cpcd's record of the unit (GetUnit).
absl::StatusOr<LabelData> FromServer(Invocation& in) {
  for (const char* flag : kOfflineFields) {
    if (in.args.Given(flag)) {
      return cpc::UsageError(absl::StrCat(
          "--", flag, " is only for --offline labels: otherwise every field comes from cpcd's "
          "record of the unit, so that the label cannot disagree with it"));
    }
  }
  v1::GetUnitRequest request;
  CPC_ASSIGN_OR_RETURN(std::string unit_id, UnitArg(in));
  request.set_unit_id(unit_id);
  v1::Unit unit;
  CPC_RETURN_IF_ERROR(in.conn.Call(&v1::UnitService::Stub::GetUnit, request, &unit));
  CPC_RETURN_IF_ERROR(CheckLabellable(unit, in.time));
  LabelData data;
  data.unit_id = unit.unit_id();
  data.batch_id = unit.batch_id();
  data.product = unit.product_code();
  data.isbt_product_description_code = unit.isbt_product_description_code();
  data.patient_id = unit.patient_id();
  data.cells = unit.cells();
  data.non_conforming_deviations.assign(unit.non_conforming_deviation_ids().begin(),
                                        unit.non_conforming_deviation_ids().end());
  if (unit.has_fresh()) {
    // Cut to the minute: the label never shows an expiry later than the record's.
    data.fresh = FreshTimes{
        absl::ToCivilMinute(cpc::FromProto(unit.fresh().formulated_time()), in.time.zone),
        absl::ToCivilMinute(cpc::FromProto(unit.fresh().expire_time()), in.time.zone)};
  } else {
    // The expiry on record (the freeze + the product's frozen shelf life),
    // cut to the minute as a fresh unit's is.
    const absl::Time expires = *cpc::UnitExpiry(unit);  // CheckLabellable: on record
    data.freeze_date = absl::ToCivilDay(cpc::FromProto(unit.frozen_time()), in.time.zone);
    data.expiry_date = absl::ToCivilDay(expires, in.time.zone);
    data.frozen_expires = absl::ToCivilMinute(expires, in.time.zone);
  }
  return data;
}

absl::Status RunLabel(Invocation& in) {
  const bool offline = in.args.Has("offline");
  CPC_ASSIGN_OR_RETURN(LabelData data, offline ? FromFlags(in) : FromServer(in));
  CPC_ASSIGN_OR_RETURN(Label label, LayOutLabel(data));

  const std::string& format = in.args.Get("format");
  const std::string bytes = format == "zpl"   ? ToZpl(label)
                            : format == "svg" ? ToSvg(label)
                                              : EncodePng(ToImage(label));
  const std::string& path = in.args.Get("out");
  if (path.empty() || path == "-") {
    if (format == "png") return cpc::UsageError("--format png needs --out FILE");
    in.out << bytes;
    return absl::OkStatus();
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << bytes;
  file.close();
  if (!file) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  in.out << "wrote " << path << " (" << format << "; Code 128 "
         << absl::StrJoin(label.linear_data, " ") << ", DataMatrix " << label.datamatrix_data
         << ")\n";
  return absl::OkStatus();
}

}  // namespace

std::vector<CommandSpec> LabelCommands() {
  return {{.noun = "label",
           .summary = "A unit's label (DIN, IDs, cells, dates, Code 128 + DataMatrix) as ZPL, "
                      "SVG or PNG, from cpcd's record of the unit",
           .args = {{.name = "UNIT",
                     .help = "the unit's ID, e.g. A9999260000018-01, or its label as scanned"}},
           .flags = {{.name = "expires", .value_name = "DATE",
                      .help = "with --offline: the expiry date, YYYY-MM-DD (otherwise the "
                              "unit's expiry on record)"},
                     {.name = "offline",
                      .help = "do not ask cpcd: take every field from --batch, --product, "
                              "--isbt-product, --patient, --cells, --frozen and --expires (the "
                              "unit's state is not checked)"},
                     {.name = "batch", .value_name = "DIN",
                      .help = "with --offline: the batch ID"},
                     {.name = "product", .value_name = "CODE",
                      .help = "with --offline: product code"},
                     {.name = "isbt-product", .value_name = "CODE",
                      .help = "with --offline: the product's ISBT 128 product description "
                              "code, e.g. S1234"},
                     {.name = "patient", .value_name = "ID",
                      .help = "with --offline: the patient's ID"},
                     {.name = "cells", .value_name = "N",
                      .help = "with --offline: viable cells in the unit"},
                     {.name = "frozen", .value_name = "DATE",
                      .help = "with --offline: freeze date, YYYY-MM-DD"},
                     {.name = "format", .value_name = "FORMAT",
                      .help = "zpl for the printer; svg or png to preview",
                      .default_value = "zpl", .choices = {"zpl", "svg", "png"}},
                     {.name = "out", .value_name = "FILE",
                      .help = "write here instead of standard output"}},
           .example = "cpc-lab label A9999260000018-01 --user tech.sato > unit.zpl",
           .run = RunLabel}};
}

}  // namespace cpclab
