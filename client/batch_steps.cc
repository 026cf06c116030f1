#include "client/batch_steps.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "client/choices.h"
#include "client/format.h"
#include "client/record_format.h"
#include "client/status_util.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

// Reads the flags present in `args` into record fields; the first bad value
// wins, so each field takes one line in the Apply functions below.
class Filler {
 public:
  Filler(const ParsedArgs& args, const TimeContext& time) : args_(args), time_(time) {}

  void Text(absl::string_view flag, const std::function<void(const std::string&)>& set) {
    if (Wanted(flag)) set(args_.Get(flag));
  }
  void List(absl::string_view flag,
            google::protobuf::RepeatedPtrField<std::string>* field) {
    if (!Wanted(flag)) return;
    field->Clear();
    for (std::string& item : args_.GetList(flag)) field->Add(std::move(item));
  }
  void Number(absl::string_view flag, const std::function<void(double)>& set) {
    if (Wanted(flag)) Take(NumberFlag(args_, flag), set);
  }
  void Count(absl::string_view flag, const std::function<void(int64_t)>& set) {
    if (Wanted(flag)) Take(CountFlag(args_, flag), set);
  }
  void SmallCount(absl::string_view flag, const std::function<void(int32_t)>& set) {
    if (Wanted(flag)) Take(SmallCountFlag(args_, flag), set);
  }
  void Time(absl::string_view flag, const std::function<google::protobuf::Timestamp*()>& field) {
    if (!Wanted(flag)) return;
    absl::StatusOr<absl::Time> time = TimeFlag(args_, flag, time_);
    if (time.ok()) ToProto(*time, field());
    status_.Update(time.status());
  }

  absl::Status status() const { return status_; }

 private:
  bool Wanted(absl::string_view flag) const { return status_.ok() && args_.Has(flag); }
  template <typename T, typename Set>
  void Take(const absl::StatusOr<T>& value, const Set& set) {
    if (value.ok()) set(*value);
    status_.Update(value.status());
  }

  const ParsedArgs& args_;
  const TimeContext& time_;
  absl::Status status_;
};

absl::Status ApplyReceipt(const ParsedArgs& args, const TimeContext& time,
                          v1::BatchRecord* record) {
  v1::TissueReceipt& r = *record->mutable_tissue_receipt();
  Filler fill(args, time);
  fill.Time("collected", [&] { return r.mutable_collection_time(); });
  fill.Time("received", [&] { return r.mutable_receipt_time(); });
  fill.Text("site", [&](const std::string& v) { r.set_collection_site(v); });
  fill.Number("volume-ml", [&](double v) { r.set_volume_ml(v); });
  fill.Number("temp-c", [&](double v) { r.set_transport_temperature_c(v); });
  fill.Text("collected-by", [&](const std::string& v) { r.set_collected_by(v); });
  return fill.status();
}

absl::Status ApplySeeding(const ParsedArgs& args, const TimeContext& time,
                          v1::BatchRecord* record) {
  v1::Seeding& s = *record->mutable_seeding();
  Filler fill(args, time);
  fill.Time("at", [&] { return s.mutable_seeding_time(); });
  fill.Count("cells", [&](int64_t v) { s.set_cells_seeded(v); });
  fill.Text("vessel", [&](const std::string& v) { s.set_vessel_type(v); });
  fill.SmallCount("vessels", [&](int32_t v) { s.set_vessel_count(v); });
  fill.Number("area-cm2", [&](double v) { s.set_surface_area_cm2(v); });
  fill.Text("medium-lot", [&](const std::string& v) { s.set_medium_lot(v); });
  fill.List("reagent-lot", s.mutable_reagent_lots());
  fill.Text("incubator", [&](const std::string& v) { s.set_incubator_id(v); });
  fill.Text("cabinet", [&](const std::string& v) { s.set_cabinet_id(v); });
  return fill.status();
}

absl::Status ApplyObservation(const ParsedArgs& args, const TimeContext& time,
                              v1::BatchRecord* record) {
  v1::Observation& o = *record->mutable_observation();
  Filler fill(args, time);
  fill.Time("at", [&] { return o.mutable_observation_time(); });
  fill.Number("confluence", [&](double v) { o.set_confluence_percent(v); });
  fill.Text("morphology", [&](const std::string& v) { o.set_morphology(v); });
  return fill.status();
}

absl::Status ApplyMediumChange(const ParsedArgs& args, const TimeContext& time,
                               v1::BatchRecord* record) {
  v1::MediumChange& m = *record->mutable_medium_change();
  Filler fill(args, time);
  fill.Time("at", [&] { return m.mutable_change_time(); });
  fill.Text("medium-lot", [&](const std::string& v) { m.set_medium_lot(v); });
  fill.List("reagent-lot", m.mutable_reagent_lots());
  fill.Number("volume-ml", [&](double v) { m.set_volume_ml(v); });
  return fill.status();
}

absl::Status ApplyPassage(const ParsedArgs& args, const TimeContext& time,
                          v1::BatchRecord* record) {
  v1::Passage& p = *record->mutable_passage();
  Filler fill(args, time);
  fill.Time("at", [&] { return p.mutable_passage_time(); });
  fill.Count("total", [&](int64_t v) { p.set_total_cells(v); });
  fill.Count("viable", [&](int64_t v) { p.set_viable_cells(v); });
  fill.Number("viability", [&](double v) { p.set_viability_percent(v); });
  fill.Text("method", [&](const std::string& v) {
    p.set_counting_method(ChoiceValue(CountingMethodChoices(), v));
  });
  fill.Count("reseed", [&](int64_t v) { p.set_cells_reseeded(v); });
  fill.SmallCount("vessels", [&](int32_t v) { p.set_vessel_count(v); });
  fill.Number("area-cm2", [&](double v) { p.set_surface_area_cm2(v); });
  fill.Text("medium-lot", [&](const std::string& v) { p.set_medium_lot(v); });
  fill.List("reagent-lot", p.mutable_reagent_lots());
  fill.Text("incubator", [&](const std::string& v) { p.set_incubator_id(v); });
  fill.Text("counter", [&](const std::string& v) { p.set_counter_id(v); });
  // New counts with an old viability would disagree; let the server compute it.
  if ((args.Has("total") || args.Has("viable")) && !args.Has("viability")) {
    p.clear_viability_percent();
  }
  p.clear_passage_number();  // output only
  return fill.status();
}

absl::Status ApplyHarvest(const ParsedArgs& args, const TimeContext& time,
                          v1::BatchRecord* record) {
  CPC_RETURN_IF_ERROR(ApplyPassage(args, time, record));
  record->mutable_passage()->set_final_harvest(true);
  record->mutable_passage()->set_cells_reseeded(0);
  return absl::OkStatus();
}

// Flags more than one step takes, written once.
FlagSpec AtFlag() {
  return {.name = "at", .value_name = "TIME",
          .help = "when it was done: now, -2h, -1d, \"2026-11-25 09:30\" or RFC 3339",
          .default_value = "now"};
}
FlagSpec MediumLotFlag() {
  return {.name = "medium-lot", .value_name = "LOT", .help = "culture medium lot",
          .required = true};
}
FlagSpec ReagentLotFlag() {
  return {.name = "reagent-lot", .value_name = "LOT",
          .help = "other reagent lots used: collagenase, dissociation reagent, supplements",
          .repeated = true};
}
FlagSpec IncubatorFlag() {
  return {.name = "incubator", .value_name = "ID", .help = "incubator the vessels go into",
          .required = true};
}
FlagSpec AreaFlag(bool required) {
  return {.name = "area-cm2", .value_name = "CM2", .help = "total growth surface, cm2",
          .required = required};
}
FlagSpec VesselsFlag(bool required) {
  return {.name = "vessels", .value_name = "N", .help = "number of vessels",
          .required = required};
}

// The count a passage and the final harvest both record.
std::vector<FlagSpec> CountFlags() {
  return {{.name = "total", .value_name = "N", .help = "total cells counted", .required = true},
          {.name = "viable", .value_name = "N", .help = "viable cells counted", .required = true},
          {.name = "viability", .value_name = "PERCENT",
           .help = "viability as the counter printed it; must agree with the "
                   "counts within 1 point (default: computed from them)"},
          {.name = "method", .value_name = "METHOD", .help = "counting method",
           .required = true, .choices = ChoiceTexts(CountingMethodChoices())},
          {.name = "counter", .value_name = "ID",
           .help = "the cell counter (or counting chamber) the counts were read on",
           .required = true}};
}
std::vector<FlagSpec> Flags(std::vector<FlagSpec> first, std::vector<FlagSpec> then) {
  for (FlagSpec& flag : then) first.push_back(std::move(flag));
  return first;
}

std::vector<StepKind> MakeStepKinds() {
  const std::string kBatch = "A9999260000018";
  return {
      {.verb = "receive", .data_case = v1::BatchRecord::kTissueReceipt,
       .summary = "Record receipt of the harvested tissue at the CPC",
       .example = absl::StrCat("cpc batch receive ", kBatch,
                               " --collected \"2026-11-25 08:10\" --site abdomen "
                               "--volume-ml 20 --temp-c 4 --collected-by \"Dr Sato\""),
       .flags = {{.name = "collected", .value_name = "TIME",
                  .help = "when the tissue was harvested", .required = true},
                 {.name = "received", .value_name = "TIME",
                  .help = "when it arrived at the CPC", .default_value = "now"},
                 {.name = "site", .value_name = "SITE",
                  .help = "harvest site, e.g. abdomen, thigh", .required = true},
                 {.name = "volume-ml", .value_name = "ML", .help = "tissue volume, mL",
                  .required = true},
                 {.name = "temp-c", .value_name = "C",
                  .help = "transport temperature, degrees C", .required = true},
                 {.name = "collected-by", .value_name = "NAME",
                  .help = "who performed the harvest"}},
       .apply = ApplyReceipt},
      {.verb = "seed", .data_case = v1::BatchRecord::kSeeding,
       .summary = "Record P0 seeding of the isolated cells",
       .example = absl::StrCat("cpc batch seed ", kBatch,
                               " --cells 2.5e6 --vessel T75 --vessels 2 --area-cm2 150 "
                               "--medium-lot MEM-2611-07 --reagent-lot COL-0412 "
                               "--incubator INC-01"),
       .flags = {{.name = "cells", .value_name = "N", .help = "cells seeded",
                  .required = true},
                 {.name = "vessel", .value_name = "TYPE", .help = "vessel type, e.g. T75",
                  .required = true},
                 VesselsFlag(true), AreaFlag(true), MediumLotFlag(),
                 ReagentLotFlag(), IncubatorFlag(),
                 {.name = "cabinet", .value_name = "ID",
                  .help = "biosafety cabinet the work was done in"},
                 AtFlag()},
       .apply = ApplySeeding},
      {.verb = "observe", .data_case = v1::BatchRecord::kObservation,
       .summary = "Record an observation: confluence and morphology",
       .example = absl::StrCat("cpc batch observe ", kBatch,
                               " --confluence 70 --morphology spindle-shaped"),
       .flags = {{.name = "confluence", .value_name = "PERCENT",
                  .help = "confluence, percent", .required = true},
                 {.name = "morphology", .value_name = "TEXT",
                  .help = "what the cells look like, e.g. spindle-shaped"},
                 AtFlag()},
       .apply = ApplyObservation},
      {.verb = "feed", .data_case = v1::BatchRecord::kMediumChange,
       .summary = "Record a medium change",
       .example = absl::StrCat("cpc batch feed ", kBatch,
                               " --medium-lot MEM-2611-07 --volume-ml 30"),
       .flags = {MediumLotFlag(), ReagentLotFlag(),
                 {.name = "volume-ml", .value_name = "ML",
                  .help = "total volume of fresh medium, mL"},
                 AtFlag()},
       .apply = ApplyMediumChange},
      {.verb = "passage", .data_case = v1::BatchRecord::kPassage,
       .summary = "Record a passage: harvest count and re-seeding",
       .example = absl::StrCat("cpc batch passage ", kBatch,
                               " --total 1.2e7 --viable 1.1e7 --method aopi --counter NC-01 --reseed 3e6 "
                               "--medium-lot MEM-2611-07 --reagent-lot TRY-0098 "
                               "--incubator INC-01 --vessels 4"),
       .flags = Flags(CountFlags(),
                      {{.name = "reseed", .value_name = "N", .help = "cells re-seeded",
                        .required = true},
                       MediumLotFlag(), ReagentLotFlag(), IncubatorFlag(), VesselsFlag(false),
                       AreaFlag(false), AtFlag()}),
       .apply = ApplyPassage},
      {.verb = "harvest", .data_case = v1::BatchRecord::kPassage,
       .summary = "Record the final harvest: the last count; it reseeds nothing and ends "
                  "the culture",
       .example = absl::StrCat("cpc batch harvest ", kBatch,
                               " --total 2.1e8 --viable 1.9e8 --method aopi --counter NC-01 "
                               "--medium-lot MEM-2611-07 --reagent-lot TRY-0098 "
                               "--incubator INC-01"),
       .flags = Flags(CountFlags(),
                      {MediumLotFlag(), ReagentLotFlag(),
                       {.name = "incubator", .value_name = "ID",
                        .help = "incubator the vessels came from", .required = true},
                       VesselsFlag(false), AreaFlag(false), AtFlag()}),
       .apply = ApplyHarvest},
  };
}

}  // namespace

const std::vector<StepKind>& StepKinds() {
  static const auto* kinds = new std::vector<StepKind>(MakeStepKinds());
  return *kinds;
}

const StepKind* FindStepKind(v1::BatchRecord::DataCase data_case) {
  for (const StepKind& kind : StepKinds()) {
    if (kind.data_case == data_case) return &kind;
  }
  return nullptr;
}

void PrintRecordResponse(const Invocation& in, absl::string_view verb_past,
                         const v1::RecordResponse& response) {
  const v1::Batch& batch = response.batch();
  const v1::BatchRecord& record = response.record();
  in.out << verb_past << " " << RecordKindName(record) << " #"
         << record.record_id() << " on batch " << SpacedBatchId(batch.batch_id()) << " ("
         << ChoiceText(BatchStateChoices(), batch.state()) << ", "
         << PassageLabel(batch.current_passage()) << ")\n"
         << "  " << FormatLocalTime(EventTime(record), in.time.zone) << "  "
         << DescribeRecordData(record, in.time.zone) << "\n";
  PrintOpenedDeviations(in, response);
}

void PrintOpenedDeviations(const Invocation& in, const v1::RecordResponse& response) {
  for (const v1::Deviation& deviation : response.opened_deviations()) {
    in.out << DescribeDeviation(deviation, in.time.zone) << "\n";
  }
}

}  // namespace cpc
