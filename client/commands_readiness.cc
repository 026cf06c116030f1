// `cpc readiness BATCH`, `cpc readiness --upcoming 14d`, `cpc release BATCH
// --confirm BATCH`: is a batch ready for infusion, what is coming up, and
// QA's release.
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client/commands.h"
#include "client/signing.h"
#include "client/format.h"
#include "client/readiness_format.h"
#include "client/status_util.h"
#include "client/values.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;
using Readiness = v1::ReadinessService::Stub;

constexpr int kMaxBoardDays = 90;

// "14d", "14" or "2w" -> days.
absl::StatusOr<int32_t> ParseDays(absl::string_view text) {
  absl::string_view number = absl::StripAsciiWhitespace(text);
  int32_t factor = 1;
  if (absl::ConsumeSuffix(&number, "d")) {
  } else if (absl::ConsumeSuffix(&number, "w")) {
    factor = 7;
  }
  absl::StatusOr<int32_t> count = ParseSmallCount("--upcoming", number);
  if (!count.ok() || *count * factor < 1 || *count * factor > kMaxBoardDays) {
    return UsageError(absl::StrCat("--upcoming: \"", text, "\" must be 1 to ", kMaxBoardDays,
                                   " days, e.g. 14d, 7 or 2w"));
  }
  return *count * factor;
}

absl::Status RunBoard(Invocation& in) {
  v1::GetBoardRequest request;
  CPC_ASSIGN_OR_RETURN(int32_t days, ParseDays(in.args.Get("upcoming")));
  request.set_days(days);
  v1::Board board;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Readiness::GetBoard, request, &board));
  if (in.json) return PrintJson(board, in.out);
  in.out << RenderBoard(board, in.time.zone);
  return absl::OkStatus();
}

// A question, not a refusal: NOT READY still exits 0.
absl::Status RunReadiness(Invocation& in) {
  const bool batch_given = !in.args.Get("BATCH").empty();
  if (in.args.Given("upcoming")) {
    if (batch_given) {
      return UsageError("give BATCH or --upcoming, not both");
    }
    return RunBoard(in);
  }
  if (!batch_given) {
    return UsageError("BATCH is required (or --upcoming 14d for the board of planned infusions)");
  }
  v1::GetReadinessRequest request;
  CPC_ASSIGN_OR_RETURN(const std::string batch_id, ScannedBatch("BATCH", in.args.Get("BATCH")));
  request.set_batch_id(batch_id);
  v1::Readiness readiness;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Readiness::GetReadiness, request, &readiness));
  if (in.json) {
    // A script's stdout may be read by no one; quarantine is said on stderr too.
    if (readiness.batch_state() == v1::BATCH_STATE_QUARANTINED) {
      in.err << "!! QUARANTINED: batch " << SpacedBatchId(readiness.batch_id()) << " -- "
             << readiness.quarantine_reason() << "\n";
    }
    return PrintJson(readiness, in.out);
  }
  in.out << RenderReadiness(readiness, in.time.zone);
  return absl::OkStatus();
}

absl::Status RunRelease(Invocation& in) {
  CPC_ASSIGN_OR_RETURN(const std::string batch_id, ScannedBatch("BATCH", in.args.Get("BATCH")));
  if (!in.args.Given("confirm")) {
    return UsageError(absl::StrCat(
        "--confirm is required: the signer re-types or scans the batch ID to confirm the "
        "release for infusion, e.g. --confirm ",
        batch_id));
  }
  // Re-typed, or scanned from the batch's label or one of its units' labels.
  CPC_ASSIGN_OR_RETURN(const std::string confirm, ScannedBatch("--confirm", in.args.Get("confirm")));
  if (confirm != batch_id) {
    // The batch the confirmation names, not the raw text: a scan holds
    // control characters (GS) that must not reach the terminal.
    return UsageError(absl::StrCat("--confirm: names batch ", SpacedBatchId(confirm),
                                   ", not the batch being released (", SpacedBatchId(batch_id),
                                   "); nothing was signed"));
  }
  v1::ReleaseBatchRequest request;
  request.set_request_id(in.conn.RequestId());
  request.set_batch_id(batch_id);
  request.set_confirm_batch_id(confirm);
  CPC_RETURN_IF_ERROR(Sign(in, absl::StrCat("the release for infusion of batch ",
                                            SpacedBatchId(batch_id)),
                           request.mutable_signature()));
  v1::ReleaseBatchResponse response;
  absl::Status status = in.conn.Call(&Readiness::ReleaseBatch, request, &response);
  if (absl::IsFailedPrecondition(status)) {
    // The server's message lists the criteria; say where to see them all.
    return absl::FailedPreconditionError(absl::StrCat(
        status.message(), " (see cpc readiness ", batch_id, "); nothing was signed"));
  }
  CPC_RETURN_IF_ERROR(status);
  if (in.json) return PrintJson(response, in.out);
  in.out << ReleaseLine(response.release(), in.time.zone) << "\n";
  if (!response.release().meaning().empty()) {
    in.out << "  meaning: " << response.release().meaning() << "\n";
  }
  in.out << SignatureLine(response.signature(), in.time.zone) << "\n";
  return absl::OkStatus();
}

}  // namespace

std::vector<CommandSpec> ReadinessCommands() {
  const std::string kBatch = "A9999260000018";
  return {
      {.noun = "readiness",
       .summary = "Is a batch ready for infusion: every criterion, the projected ready date; "
                  "or the board of planned infusions (--upcoming)",
       .args = {{.name = "BATCH",
                 .help = "batch ID, compact or as on the label (not with --upcoming)",
                 .optional = true}},
       .flags = {{.name = "upcoming", .value_name = "DAYS",
                  .help = "instead of one batch: every infusion planned from today for this "
                          "many days, e.g. 14d or 7 (1 to 90)"}},
       .example = absl::StrCat("cpc readiness ", kBatch, "\n  cpc readiness --upcoming 14d"),
       .run = RunReadiness},
      {.noun = "release",
       .summary = "QA: release a batch for infusion (a signature: asks for your password; "
                  "bound to the record's hash); refused while any criterion is not met",
       .args = {BatchArg()},
       .flags = {{.name = "confirm", .value_name = "BATCH",
                  .help = "the batch ID again, re-typed or scanned, to confirm the signature"},
                 PasswordStdinFlag()},
       .example = absl::StrCat("cpc release ", kBatch, " --confirm ", kBatch),
       .run = RunRelease},
  };
}

}  // namespace cpc
