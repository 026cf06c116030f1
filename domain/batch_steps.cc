#include "domain/batch_steps.h"

#include <algorithm>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/deviation_rules.h"
#include "domain/status_macros.h"
#include "domain/plausibility.h"
#include "domain/record_validation.h"

namespace cpctrack::domain {
namespace {

BatchAction ActionFor(const RecordData& data) {
  switch (KindOf(data)) {
    case RecordKind::kTissueReceipt: return BatchAction::kReceiveTissue;
    case RecordKind::kSeeding: return BatchAction::kSeedCulture;
    case RecordKind::kObservation: return BatchAction::kRecordObservation;
    case RecordKind::kMediumChange: return BatchAction::kRecordMediumChange;
    case RecordKind::kPassage: return BatchAction::kRecordPassage;
  }
  return BatchAction::kCorrectRecord;
}

EquipmentKind RequiredKind(absl::string_view field) {
  if (field == "cabinet_id") return EquipmentKind::kBiosafetyCabinet;
  if (field == "counter_id") return EquipmentKind::kCellCounter;
  return EquipmentKind::kIncubator;
}

// Every lot and piece of equipment the record names must be registered,
// unexpired on the day of use, in service and calibrated. `corrected` is the record a
// correction supersedes: a correction records what really happened, so an
// expired lot there is not refused but opens a deviation in `findings`, and
// equipment it already named passed its check when first written.
absl::Status CheckResources(const RecordData& data, const StepResources& resources,
                            const StepContext& ctx, const RecordData* corrected,
                            std::vector<Deviation>& findings) {
  const absl::CivilDay use_day = absl::ToCivilDay(EventTime(data), ctx.facility_zone);
  for (const LotUse& use : LotsUsed(data)) {
    auto it = resources.lots.find(use.lot_number);
    if (it == resources.lots.end()) {
      return absl::NotFoundError(absl::StrFormat(
          "%s: reagent lot \"%s\" is not registered (register it with `cpc lot register`)",
          use.field, use.lot_number));
    }
    absl::Status usable = CheckLotUsable(use.field, it->second, use_day);
    if (usable.ok()) continue;
    if (corrected == nullptr) return usable;
    Deviation deviation;
    deviation.kind = DeviationKind::kExpiredMaterial;
    deviation.description = absl::StrCat("correction records use of an expired lot: ",
                                         usable.message());
    deviation.opened_at = ctx.now;
    deviation.opened_by = ctx.actor;
    findings.push_back(std::move(deviation));
  }
  std::vector<EquipmentUse> old_equipment;
  if (corrected != nullptr) old_equipment = EquipmentUsed(*corrected);
  for (const EquipmentUse& use : EquipmentUsed(data)) {
    auto it = resources.equipment.find(use.equipment_id);
    if (it == resources.equipment.end()) {
      return absl::NotFoundError(absl::StrFormat(
          "%s: equipment \"%s\" is not registered", use.field, use.equipment_id));
    }
    const bool unchanged =
        std::any_of(old_equipment.begin(), old_equipment.end(),
                    [&](const EquipmentUse& o) { return o.equipment_id == use.equipment_id; });
    if (!unchanged) {
      if (auto s = CheckEquipmentUsable(use.field, it->second, RequiredKind(use.field),
                                        use_day);
          !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

// The timeline `before` with `replaced` (one of its records, or null) taken
// out and `candidate` added.
std::vector<const RecordData*> CandidateTimeline(const std::vector<const RecordData*>& before,
                                                 const RecordData* replaced,
                                                 const RecordData& candidate) {
  std::vector<const RecordData*> out;
  for (const RecordData* d : before) {
    if (d != replaced) out.push_back(d);
  }
  out.push_back(&candidate);
  return out;
}

absl::StatusOr<StepDecision> Decide(const Batch& batch, const BatchHistory& history,
                                    const std::vector<Deviation>& deviations,
                                    BatchAction action, const RecordData* replaced,
                                    RecordData data,
                                    const StepResources& resources, const Product& product,
                                    const StepContext& ctx) {
  absl::StatusOr<BatchState> next = Transition(batch.state, action);
  if (!next.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("batch ", batch.batch_id.compact(), ": ", next.status().message()));
  }
  if (replaced == nullptr && action != BatchAction::kReceiveTissue) {
    for (const RecordData* d : history.EffectiveData()) {
      const auto* p = std::get_if<Passage>(d);
      if (p != nullptr && p->final_harvest) {
        return absl::FailedPreconditionError(absl::StrCat(
            "batch ", batch.batch_id.compact(), ": the culture ended with the final harvest at ",
            FormatUtc(p->passage_time), "; no culture step is accepted after it (",
            BatchActionDescription(action), ")"));
      }
    }
  }
  if (auto s = ValidateRecordData(data, ctx.now); !s.ok()) return s;
  if (auto* passage = std::get_if<Passage>(&data)) {
    passage->passage_number = replaced != nullptr
                                  ? std::get<Passage>(*replaced).passage_number
                                  : history.CurrentPassage() + 1;
  }
  std::vector<Deviation> findings;
  if (auto s = CheckResources(data, resources, ctx, replaced, findings); !s.ok()) return s;
  const std::vector<const RecordData*> before = history.EffectiveData();
  const std::vector<const RecordData*> timeline = CandidateTimeline(before, replaced, data);
  if (auto s = CheckTimeline(timeline); !s.ok()) return s;

  StepDecision decision;
  decision.new_state = *next;
  decision.deviations_to_open = std::move(findings);
  for (Deviation& d : RaiseDeviations(before, timeline, replaced != nullptr, product, deviations,
                                      ctx.now, ctx.actor)) {
    decision.deviations_to_open.push_back(std::move(d));
  }
  if (replaced == nullptr) {
    // A correction says why in its own reason; an original must be on time
    // or say why it is not.
    ASSIGN_OR_RETURN(decision.late_entry,
                     CheckLateEntry(EventTimeField(KindOf(data)), EventTime(data),
                                    product.max_entry_delay, ctx.late_entry_reason, ctx.now,
                                    ctx.actor));
  }
  decision.record.recorded_at = ctx.now;
  decision.record.recorded_by = ctx.actor;
  decision.record.data = std::move(data);
  return decision;
}

}  // namespace

int DinYear(absl::Time now, absl::TimeZone facility_zone) {
  return static_cast<int>(absl::ToCivilYear(now, facility_zone).year() % 100);
}

absl::StatusOr<Batch> DecideCreateBatch(const Patient& patient, const Product& product,
                                        absl::string_view facility_code, int sequence,
                                        const StepContext& ctx) {
  if (auto s = CheckEligibleForBatch(patient); !s.ok()) return s;
  absl::StatusOr<Din> din = Din::Create(facility_code, DinYear(ctx.now, ctx.facility_zone),
                                        sequence);
  if (!din.ok()) {
    if (absl::IsOutOfRange(din.status())) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "no batch IDs left this year for facility ", facility_code, ": ",
          din.status().message()));
    }
    return din.status();
  }
  return Batch{.batch_id = *std::move(din),
               .patient_id = patient.patient_id,
               .product_code = product.product_code,
               .product_version = product.version,
               .state = BatchState::kRegistered,
               .created_at = ctx.now,
               .created_by = ctx.actor,
               .updated_at = ctx.now,
               .current_passage = -1};
}

absl::StatusOr<StepDecision> DecideAppend(const Batch& batch, const BatchHistory& history,
                                          const std::vector<Deviation>& deviations,
                                          RecordData data, const StepResources& resources,
                                          const Product& product, const StepContext& ctx) {
  const BatchAction action = ActionFor(data);
  return Decide(batch, history, deviations, action, nullptr, std::move(data), resources,
                product, ctx);
}

absl::StatusOr<StepDecision> DecideCorrection(const Batch& batch, const BatchHistory& history,
                                              const std::vector<Deviation>& deviations,
                                              int64_t record_id, std::string reason,
                                              RecordData data, const StepResources& resources,
                                              const Product& product, const StepContext& ctx) {
  if (auto s = CheckFreeText("reason", reason, 1000, true); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(s.message(), ": a correction must say why the record was wrong"));
  }
  if (record_id <= 0) {
    return absl::InvalidArgumentError("record_id: required (the # shown in `cpc batch show`)");
  }
  const BatchRecord* old = history.Find(record_id);
  if (old == nullptr) {
    return absl::NotFoundError(absl::StrFormat("record_id: batch %s has no record %d",
                                               batch.batch_id.compact(), record_id));
  }
  if (old->corrected_by_record_id != 0) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "record_id: record %d was already corrected by record %d; correct that one instead",
        record_id, old->corrected_by_record_id));
  }
  if (KindOf(old->data) != KindOf(data)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "record %d is a %s; a correction must be a %s too", record_id,
        RecordKindName(KindOf(old->data)), RecordKindName(KindOf(old->data))));
  }
  absl::StatusOr<StepDecision> decision =
      Decide(batch, history, deviations, BatchAction::kCorrectRecord, &old->data,
             std::move(data), resources, product, ctx);
  if (!decision.ok()) return decision.status();
  decision->record.corrects_record_id = record_id;
  decision->record.correction_reason = std::move(reason);
  return decision;
}

void ApplyToBatch(const StepDecision& decision, absl::Time now, Batch& batch) {
  batch.state = decision.new_state;
  batch.updated_at = now;
  if (std::holds_alternative<Seeding>(decision.record.data)) {
    batch.current_passage = std::max(batch.current_passage, 0);
  }
  if (const auto* passage = std::get_if<Passage>(&decision.record.data)) {
    batch.current_passage = std::max(batch.current_passage, passage->passage_number);
  }
}

}  // namespace cpctrack::domain
