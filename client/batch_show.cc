// `cpc batch show`: the batch record as a technician reads it at the bench,
// top to bottom: what it is, what is wrong, how it grows, what happened.
#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "client/batch_commands.h"
#include "client/choices.h"
#include "client/format.h"
#include "client/qc_format.h"
#include "client/record_format.h"
#include "client/status_util.h"
#include "client/table.h"
#include "client/unit_format.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;

void PrintHeader(const v1::Batch& batch, const Invocation& in) {
  std::string state = ChoiceText(BatchStateChoices(), batch.state());
  // Off the happy path is what must not be missed.
  if (batch.state() == v1::BATCH_STATE_QUARANTINED || batch.state() == v1::BATCH_STATE_REJECTED ||
      batch.state() == v1::BATCH_STATE_DISPOSED) {
    state = absl::StrCat("!! ", absl::AsciiStrToUpper(state));
  }
  // First line, so it is read before anything else about the batch.
  if (batch.state() == v1::BATCH_STATE_QUARANTINED) {
    in.out << "!! QUARANTINED: "
           << (batch.quarantine_reason().empty() ? "see the open deviations below"
                                                 : batch.quarantine_reason())
           << "\n";
  }
  if (!batch.non_conforming().empty()) in.out << "!! " << batch.non_conforming() << "\n";
  in.out << "Batch " << SpacedBatchId(batch.batch_id()) << "   (" << batch.batch_id() << ")\n"
         << "  patient  " << batch.patient_id() << "\n"
         << "  product  " << batch.product_code() << " v" << batch.product_version() << "\n"
         << "  state    " << state << ", " << PassageLabel(batch.current_passage()) << "\n"
         << "  created  " << FormatLocalTimeWithZone(FromProto(batch.create_time()), in.time.zone)
         << " by " << batch.created_by() << "\n";
}

// Prints the open (or the closed) deviations under `title`, if there are any.
void PrintDeviations(const v1::Batch& batch, const Invocation& in, bool open,
                     absl::string_view title) {
  bool first = true;
  for (const v1::Deviation& deviation : batch.deviations()) {
    if ((deviation.state() == v1::DEVIATION_STATE_OPEN) != open) continue;
    if (first) in.out << "\n" << title;
    first = false;
    in.out << (open ? "" : "  ") << DescribeDeviation(deviation, in.time.zone) << "\n";
  }
}

void PrintGrowth(const v1::Growth& growth, const Invocation& in) {
  in.out << "\nGrowth   cumulative PD " << FormatDecimal(growth.cumulative_population_doublings())
         << "   viable at last count " << FormatCount(growth.current_viable_cells())
         << "   in culture " << FormatCount(growth.cells_in_culture()) << "\n";
  if (growth.passages().empty()) return;
  Table table({"passage", "seeded", "harvested viable", "PD", "doubling time", "cum PD"});
  for (size_t column : {1, 2, 3, 4, 5}) table.AlignRight(column);
  double cumulative = 0;
  for (const v1::PassageGrowth& passage : growth.passages()) {
    cumulative += passage.population_doublings();
    // Numbered by the passage the harvest led to, as the passage records are.
    table.AddRow({absl::StrCat(PassageLabel(passage.passage_number() - 1), " -> ",
                               PassageLabel(passage.passage_number())),
                  FormatCount(passage.cells_seeded()),
                  FormatCount(passage.viable_cells_harvested()),
                  FormatDecimal(passage.population_doublings()),
                  passage.has_doubling_time() ? FormatHours(FromProto(passage.doubling_time()))
                                              : "-",
                  FormatDecimal(cumulative)});
  }
  in.out << table.Render(2);
}

// One step as it stands now: the record first written, and the corrections
// that superseded it in turn (the last one holds the effective values).
struct Step {
  std::vector<const v1::BatchRecord*> versions;
  const v1::BatchRecord& original() const { return *versions.front(); }
  const v1::BatchRecord& effective() const { return *versions.back(); }
};

std::vector<Step> CollectSteps(const v1::Batch& batch) {
  std::map<int64_t, const v1::BatchRecord*> by_id;
  for (const v1::BatchRecord& record : batch.records()) by_id[record.record_id()] = &record;
  std::vector<Step> steps;
  for (const v1::BatchRecord& record : batch.records()) {
    // A correction is shown on the line of the record it corrects.
    if (record.corrects_record_id() != 0 && by_id.count(record.corrects_record_id())) continue;
    Step step{{&record}};
    for (int64_t next = record.corrected_by_record_id(); next != 0 && by_id.count(next) &&
                                                         step.versions.size() <= by_id.size();
         next = by_id[next]->corrected_by_record_id()) {
      step.versions.push_back(by_id[next]);
    }
    steps.push_back(std::move(step));
  }
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
    return EventTime(a.effective()) < EventTime(b.effective());
  });
  return steps;
}

void PrintTimeline(const v1::Batch& batch, const Invocation& in) {
  in.out << "\nTimeline\n";
  std::vector<Step> steps = CollectSteps(batch);
  if (steps.empty()) {
    in.out << "  (no records yet)\n";
    return;
  }
  // The created line says UTC; say which zone these times are in.
  std::vector<absl::Time> times;
  for (const Step& step : steps) times.push_back(EventTime(step.effective()));
  Table table({"record", absl::StrCat("time (", ZoneAbbreviations(times, in.time.zone), ")"),
               "step", "by", "details"});
  for (const Step& step : steps) {
    const v1::BatchRecord& effective = step.effective();
    table.AddRow({absl::StrCat("#", step.original().record_id()),
                  FormatLocalTime(EventTime(effective), in.time.zone),
                  RecordKindName(effective), step.original().recorded_by(),
                  DescribeRecordData(effective, in.time.zone)});
    if (!step.original().late_entry_reason().empty()) {
      table.AddNote(absl::StrCat("late entry, recorded ",
                                 FormatLocalTime(FromProto(step.original().record_time()),
                                                 in.time.zone),
                                 " (reason: ", step.original().late_entry_reason(), ")"));
    }
    for (size_t i = 1; i < step.versions.size(); ++i) {
      const v1::BatchRecord& correction = *step.versions[i];
      table.AddNote(absl::StrCat("corrected by #", correction.record_id(), " (reason: ",
                                 correction.correction_reason(), "), ",
                                 correction.recorded_by(), " ",
                                 FormatLocalTime(FromProto(correction.record_time()),
                                                 in.time.zone)));
    }
    for (size_t i = 0; i + 1 < step.versions.size(); ++i) {
      const v1::BatchRecord& old = *step.versions[i];
      table.AddNote(absl::StrCat("history: #", old.record_id(), " ",
                                 FormatLocalTime(EventTime(old), in.time.zone), "  ",
                                 DescribeRecordData(old, in.time.zone)));
    }
  }
  in.out << table.Render(2);
}

// Steps written down after the product's limit, with why: records
// should be contemporaneous, so an inspector looks here first.
void PrintLateEntries(const v1::Batch& batch, const Invocation& in) {
  if (batch.late_entries().empty()) return;
  in.out << "\nLate entries\n" << RenderLateEntries(batch.late_entries(), in.time.zone, 2);
}

absl::Status RunShow(Invocation& in) {
  CPC_ASSIGN_OR_RETURN(const std::string batch_id, BatchIdArg(in));
  CPC_ASSIGN_OR_RETURN(v1::Batch batch, GetFullBatch(in, batch_id));
  if (in.json) return PrintJson(batch, in.out);
  PrintHeader(batch, in);
  PrintDeviations(batch, in, /*open=*/true, "");
  PrintGrowth(batch.growth(), in);
  PrintTimeline(batch, in);
  PrintLateEntries(batch, in);
  if (!batch.qc_tests().empty()) {
    in.out << "\nQC tests\n" << RenderQcTests(batch.qc_tests(), in.time.zone, 2);
  }
  if (!batch.units().empty()) {
    in.out << "\nUnits\n" << RenderUnits(batch.units(), in.time, 2);
  }
  PrintDeviations(batch, in, /*open=*/false, "Closed deviations\n");
  return absl::OkStatus();
}

}  // namespace

CommandSpec BatchShowCommand() {
  return {.noun = "batch", .verb = "show",
          .summary = "Show a batch: quarantine, open deviations, growth, timeline, QC tests "
                     "and units",
          .args = {BatchArg()},
          .example = "cpc batch show \"A9999 26 000001 8\"",
          .run = RunShow};
}

}  // namespace cpc
