// `cpc batch create|list` and the culture steps (receive, seed, observe, feed, passage).
#include "absl/strings/str_cat.h"
#include "client/batch_commands.h"
#include "client/batch_steps.h"
#include "client/choices.h"
#include "client/format.h"
#include "client/record_format.h"
#include "client/status_util.h"
#include "client/table.h"
#include "client/values.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;
using Batches = v1::BatchService::Stub;

absl::Status RunCreate(Invocation& in) {
  v1::CreateBatchRequest request;
  request.set_request_id(in.conn.RequestId());
  request.set_patient_id(in.args.Get("patient"));
  request.set_product_code(in.args.Get("product"));
  v1::Batch batch;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Batches::CreateBatch, request, &batch));
  if (in.json) return PrintJson(batch, in.out);
  if (in.args.Has("quiet")) {  // for scripts: B=$(cpc batch create ... -q)
    in.out << batch.batch_id() << "\n";
    return absl::OkStatus();
  }
  // The ID goes on every label: show it big enough to copy without error.
  in.out << "Created batch\n\n    " << SpacedBatchId(batch.batch_id()) << "\n\n"
         << "  compact  " << batch.batch_id() << "\n"
         << "  patient  " << batch.patient_id() << "\n"
         << "  product  " << batch.product_code() << " v" << batch.product_version() << "\n"
         << "  state    " << ChoiceText(BatchStateChoices(), batch.state()) << "\n";
  return absl::OkStatus();
}

absl::Status RunDispose(Invocation& in) {
  v1::DisposeBatchRequest request;
  request.set_request_id(in.conn.RequestId());
  CPC_ASSIGN_OR_RETURN(const std::string batch_id, BatchIdArg(in));
  request.set_batch_id(batch_id);
  request.set_reason(in.args.Get("reason"));
  v1::Batch batch;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Batches::DisposeBatch, request, &batch));
  if (in.json) return PrintJson(batch, in.out);
  in.out << "Disposed of batch " << SpacedBatchId(batch.batch_id()) << " (state "
         << ChoiceText(BatchStateChoices(), batch.state())
         << "); its units not yet infused are disposed of with it, and every record is kept\n";
  return absl::OkStatus();
}

absl::Status RunList(Invocation& in) {
  v1::ListBatchesRequest request;
  CPC_RETURN_IF_ERROR(ReadPageFlags(in.args, &request));
  request.set_state(ChoiceValue(BatchStateChoices(), in.args.Get("state")));
  request.set_patient_id(in.args.Get("patient"));
  v1::ListBatchesResponse response;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Batches::ListBatches, request, &response));
  if (in.json) return PrintJson(response, in.out);
  Table table({"batch", "patient", "product", "state", "passage", "open dev", "created"});
  table.AlignRight(5);
  for (const v1::Batch& batch : response.batches()) {
    table.AddRow({batch.batch_id(), batch.patient_id(),
                  absl::StrCat(batch.product_code(), " v", batch.product_version()),
                  ChoiceText(BatchStateChoices(), batch.state()),
                  PassageLabel(batch.current_passage()),
                  batch.open_deviation_count() > 0
                      ? absl::StrCat("!! ", batch.open_deviation_count())
                      : "-",
                  FormatLocalTime(FromProto(batch.create_time()), in.time.zone)});
    if (batch.state() == v1::BATCH_STATE_QUARANTINED && !batch.quarantine_reason().empty()) {
      table.AddNote(absl::StrCat("!! ", Shortened(batch.quarantine_reason(), 70)));
    }
  }
  in.out << (table.empty() ? "No batches.\n" : table.Render());
  PrintNextPage(in, response.next_page_token());
  return absl::OkStatus();
}

// Sends `record`'s data as the step RPC of its kind.
absl::StatusOr<v1::RecordResponse> SendStep(const Invocation& in, const std::string& batch_id,
                                            const v1::BatchRecord& record) {
  v1::RecordResponse response;
  auto send = [&](auto request, auto method, auto fill) -> absl::StatusOr<v1::RecordResponse> {
    request.set_request_id(in.conn.RequestId());
    request.set_batch_id(batch_id);
    request.set_late_entry_reason(in.args.Get("late-reason"));
    fill(request);
    CPC_RETURN_IF_ERROR(in.conn.Call(method, request, &response));
    return response;
  };
  switch (record.data_case()) {
    case v1::BatchRecord::kTissueReceipt:
      return send(v1::ReceiveTissueRequest(), &Batches::ReceiveTissue, [&](auto& r) {
        *r.mutable_tissue_receipt() = record.tissue_receipt();
      });
    case v1::BatchRecord::kSeeding:
      return send(v1::SeedCultureRequest(), &Batches::SeedCulture,
                  [&](auto& r) { *r.mutable_seeding() = record.seeding(); });
    case v1::BatchRecord::kObservation:
      return send(v1::RecordObservationRequest(), &Batches::RecordObservation,
                  [&](auto& r) { *r.mutable_observation() = record.observation(); });
    case v1::BatchRecord::kMediumChange:
      return send(v1::RecordMediumChangeRequest(), &Batches::RecordMediumChange,
                  [&](auto& r) { *r.mutable_medium_change() = record.medium_change(); });
    case v1::BatchRecord::kPassage:
      return send(v1::RecordPassageRequest(), &Batches::RecordPassage,
                  [&](auto& r) { *r.mutable_passage() = record.passage(); });
    case v1::BatchRecord::DATA_NOT_SET:
      break;
  }
  return absl::InternalError("no step for a record without data");
}

// After a passage the technician wants the growth it showed: the server
// computes it, so ask for it rather than compute it twice.
void PrintPassageGrowth(const Invocation& in, const v1::RecordResponse& response) {
  absl::StatusOr<v1::Batch> batch = GetFullBatch(in, response.batch().batch_id());
  if (!batch.ok()) {
    // The passage is recorded; only the summary is missing, so still exit 0.
    in.err << "cpc: warning: passage recorded, but growth could not be read: "
           << absl::StatusCodeToString(batch.status().code()) << ": "
           << batch.status().message() << "\n";
    return;
  }
  // The server may store the time more coarsely than it was sent; two
  // harvests of one batch are never within a second of each other.
  const absl::Time harvest = FromProto(response.record().passage().passage_time());
  const v1::Growth& growth = batch->growth();
  const std::string passage_label =
      PassageLabel(response.record().passage().passage_number());
  for (const v1::PassageGrowth& passage : growth.passages()) {
    if (absl::AbsDuration(FromProto(passage.harvest_time()) - harvest) >= absl::Seconds(1)) {
      continue;
    }
    in.out << "  now " << passage_label << "  PD " << FormatDecimal(passage.population_doublings())
           << "  doubling time "
           << (passage.has_doubling_time() ? FormatHours(FromProto(passage.doubling_time()))
                                           : "- (no growth)")
           << "  cumulative PD " << FormatDecimal(growth.cumulative_population_doublings())
           << "\n";
    return;
  }
  in.out << "  now " << passage_label << "  cumulative PD "
         << FormatDecimal(growth.cumulative_population_doublings()) << "\n";
}

CommandSpec StepCommand(const StepKind& kind) {
  // Only on the step commands: a correction says why in its --reason.
  std::vector<FlagSpec> flags = kind.flags;
  flags.push_back(LateReasonFlag());
  return {.noun = "batch", .verb = kind.verb, .summary = kind.summary,
          .args = {BatchArg()}, .flags = std::move(flags), .example = kind.example,
          .run = [&kind](Invocation& in) -> absl::Status {
            v1::BatchRecord record;
            CPC_RETURN_IF_ERROR(kind.apply(in.args, in.time, &record));
            CPC_ASSIGN_OR_RETURN(const std::string batch_id, BatchIdArg(in));
            CPC_ASSIGN_OR_RETURN(v1::RecordResponse response, SendStep(in, batch_id, record));
            if (in.json) return PrintJson(response, in.out);
            PrintRecordResponse(in, "Recorded", response);
            if (kind.data_case == v1::BatchRecord::kPassage &&
                !response.record().passage().final_harvest()) {
              PrintPassageGrowth(in, response);
            }
            return absl::OkStatus();
          }};
}

}  // namespace

absl::StatusOr<v1::Batch> GetFullBatch(const Invocation& in, const std::string& batch_id) {
  v1::GetBatchRequest request;
  request.set_batch_id(batch_id);
  request.set_view(v1::BATCH_VIEW_FULL);
  v1::Batch batch;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Batches::GetBatch, request, &batch));
  return batch;
}

absl::StatusOr<std::string> BatchIdArg(const Invocation& in) {
  return ScannedBatch("BATCH", in.args.Get("BATCH"));
}

std::vector<CommandSpec> BatchCommands() {
  std::vector<CommandSpec> commands = {
      {.noun = "batch", .verb = "create",
       .summary = "Create a batch for a patient's harvest; prints the new batch ID",
       .flags = {{.name = "patient", .value_name = "ID",
                  .help = "the patient the batch belongs to, for life", .required = true},
                 {.name = "product", .value_name = "CODE", .help = "product (protocol) code",
                  .default_value = "ADSC-STD"},
                 {.name = "quiet", .help = "print only the new batch ID, for scripts"}},
       .example = "B=$(cpc batch create --patient TKY-0042 --quiet)",
       .run = RunCreate},
      {.noun = "batch", .verb = "list", .summary = "List batches, optionally by state or patient",
       .flags = {{.name = "state", .value_name = "STATE", .help = "only batches in this state",
                  .choices = ChoiceTexts(BatchStateChoices())},
                 {.name = "patient", .value_name = "ID", .help = "only this patient's batches"}},
       .example = "cpc batch list --state in-culture",
       .run = RunList},
      BatchShowCommand(),
  };
  for (FlagSpec& flag : PageFlags()) commands[1].flags.push_back(std::move(flag));
  for (const StepKind& kind : StepKinds()) commands.push_back(StepCommand(kind));
  commands.push_back(BatchCorrectCommand());
  commands.push_back(BatchReportCommand());
  commands.push_back(
      {.noun = "batch", .verb = "dispose",
       .summary = "Dispose of a batch and its units not yet infused; the records stay",
       .args = {BatchArg()},
       .flags = {{.name = "reason", .value_name = "TEXT", .help = "why, for the record",
                  .required = true}},
       .example = "cpc batch dispose A9999260000018 --reason \"rejected: deviation 12\"",
       .run = RunDispose});
  return commands;
}

}  // namespace cpc
