// Mapping: batches, records, growth and deviations.
#include "absl/strings/str_cat.h"
#include "domain/status_macros.h"
#include "domain/overloaded.h"
#include "mapping/mapping.h"

namespace cpctrack::mapping {
namespace {

using namespace cpctrack::domain;  // NOLINT: the record types, in one file

std::vector<std::string> Lots(const google::protobuf::RepeatedPtrField<std::string>& lots) {
  return {lots.begin(), lots.end()};
}

void ToProto(const TissueReceipt& r, v1::TissueReceipt* out) {
  mapping::ToProto(r.collection_time, out->mutable_collection_time());
  mapping::ToProto(r.receipt_time, out->mutable_receipt_time());
  out->set_collection_site(r.collection_site);
  out->set_volume_ml(r.volume_ml);
  out->set_transport_temperature_c(r.transport_temperature_c);
  out->set_collected_by(r.collected_by);
}

void ToProto(const Seeding& r, v1::Seeding* out) {
  mapping::ToProto(r.seeding_time, out->mutable_seeding_time());
  out->set_cells_seeded(r.cells_seeded);
  out->set_vessel_type(r.vessel_type);
  out->set_vessel_count(r.vessel_count);
  out->set_surface_area_cm2(r.surface_area_cm2);
  out->set_medium_lot(r.medium_lot);
  for (const std::string& lot : r.reagent_lots) out->add_reagent_lots(lot);
  out->set_incubator_id(r.incubator_id);
  out->set_cabinet_id(r.cabinet_id);
}

void ToProto(const Observation& r, v1::Observation* out) {
  mapping::ToProto(r.observation_time, out->mutable_observation_time());
  out->set_confluence_percent(r.confluence_percent);
  out->set_morphology(r.morphology);
}

void ToProto(const MediumChange& r, v1::MediumChange* out) {
  mapping::ToProto(r.change_time, out->mutable_change_time());
  out->set_medium_lot(r.medium_lot);
  for (const std::string& lot : r.reagent_lots) out->add_reagent_lots(lot);
  out->set_volume_ml(r.volume_ml);
}

void ToProto(const Passage& r, v1::Passage* out) {
  mapping::ToProto(r.passage_time, out->mutable_passage_time());
  out->set_total_cells(r.total_cells);
  out->set_viable_cells(r.viable_cells);
  out->set_viability_percent(r.viability_percent);
  out->set_counting_method(static_cast<v1::CountingMethod>(r.counting_method));
  out->set_cells_reseeded(r.cells_reseeded);
  out->set_vessel_count(r.vessel_count);
  out->set_surface_area_cm2(r.surface_area_cm2);
  out->set_medium_lot(r.medium_lot);
  for (const std::string& lot : r.reagent_lots) out->add_reagent_lots(lot);
  out->set_incubator_id(r.incubator_id);
  out->set_counter_id(r.counter_id);
  out->set_passage_number(r.passage_number);
  out->set_final_harvest(r.final_harvest);
}

}  // namespace

absl::StatusOr<BatchState> FromProto(v1::BatchState state) {
  if (!v1::BatchState_IsValid(state) || state == v1::BATCH_STATE_UNSPECIFIED ||
      !IsKnownBatchState(static_cast<int>(state))) {
    return absl::InvalidArgumentError(
        absl::StrCat("state: unknown value ", static_cast<int>(state)));
  }
  return static_cast<BatchState>(state);
}

void ToProto(const Batch& b, int open_deviations, v1::Batch* out) {
  out->set_batch_id(b.batch_id.compact());
  out->set_patient_id(b.patient_id);
  out->set_product_code(b.product_code);
  out->set_product_version(b.product_version);
  out->set_state(static_cast<v1::BatchState>(b.state));
  mapping::ToProto(b.created_at, out->mutable_create_time());
  out->set_created_by(b.created_by);
  mapping::ToProto(b.updated_at, out->mutable_update_time());
  out->set_current_passage(b.current_passage);
  out->set_open_deviation_count(open_deviations);
}

absl::StatusOr<RecordData> FromProto(const v1::TissueReceipt& r) {
  TissueReceipt out;
  out.collection_time = FromProto(r.collection_time());
  out.receipt_time = FromProto(r.receipt_time());
  out.collection_site = r.collection_site();
  out.volume_ml = r.volume_ml();
  out.transport_temperature_c = r.transport_temperature_c();
  out.collected_by = r.collected_by();
  return out;
}

absl::StatusOr<RecordData> FromProto(const v1::Seeding& r) {
  Seeding out;
  out.seeding_time = FromProto(r.seeding_time());
  out.cells_seeded = r.cells_seeded();
  out.vessel_type = r.vessel_type();
  out.vessel_count = r.vessel_count();
  out.surface_area_cm2 = r.surface_area_cm2();
  out.medium_lot = r.medium_lot();
  out.reagent_lots = Lots(r.reagent_lots());
  out.incubator_id = r.incubator_id();
  out.cabinet_id = r.cabinet_id();
  return out;
}

absl::StatusOr<RecordData> FromProto(const v1::Observation& r) {
  Observation out;
  out.observation_time = FromProto(r.observation_time());
  out.confluence_percent = r.confluence_percent();
  out.morphology = r.morphology();
  return out;
}

absl::StatusOr<RecordData> FromProto(const v1::MediumChange& r) {
  MediumChange out;
  out.change_time = FromProto(r.change_time());
  out.medium_lot = r.medium_lot();
  out.reagent_lots = Lots(r.reagent_lots());
  out.volume_ml = r.volume_ml();
  return out;
}

absl::StatusOr<RecordData> FromProto(const v1::Passage& r) {
  if (!v1::CountingMethod_IsValid(r.counting_method())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "counting_method: unknown value ", static_cast<int>(r.counting_method())));
  }
  Passage out;
  out.passage_time = FromProto(r.passage_time());
  out.total_cells = r.total_cells();
  out.viable_cells = r.viable_cells();
  out.viability_percent = r.viability_percent();
  out.counting_method = static_cast<CountingMethod>(r.counting_method());
  out.cells_reseeded = r.cells_reseeded();
  out.vessel_count = r.vessel_count();
  out.surface_area_cm2 = r.surface_area_cm2();
  out.medium_lot = r.medium_lot();
  out.reagent_lots = Lots(r.reagent_lots());
  out.incubator_id = r.incubator_id();
  out.counter_id = r.counter_id();
  out.final_harvest = r.final_harvest();
  return out;
}

absl::StatusOr<RecordData> FromProto(const v1::CorrectRecordRequest& r) {
  switch (r.data_case()) {
    case v1::CorrectRecordRequest::kTissueReceipt: return FromProto(r.tissue_receipt());
    case v1::CorrectRecordRequest::kSeeding: return FromProto(r.seeding());
    case v1::CorrectRecordRequest::kObservation: return FromProto(r.observation());
    case v1::CorrectRecordRequest::kMediumChange: return FromProto(r.medium_change());
    case v1::CorrectRecordRequest::kPassage: return FromProto(r.passage());
    case v1::CorrectRecordRequest::DATA_NOT_SET: break;
  }
  return absl::InvalidArgumentError(
      "data: required (the full corrected record: tissue_receipt, seeding, observation, "
      "medium_change or passage)");
}

void ToProto(const BatchRecord& r, v1::BatchRecord* out) {
  out->set_record_id(r.record_id);
  mapping::ToProto(r.recorded_at, out->mutable_record_time());
  out->set_recorded_by(r.recorded_by);
  out->set_corrects_record_id(r.corrects_record_id);
  out->set_correction_reason(r.correction_reason);
  out->set_corrected_by_record_id(r.corrected_by_record_id);
  std::visit(Overloaded{
                 [&](const TissueReceipt& d) { ToProto(d, out->mutable_tissue_receipt()); },
                 [&](const Seeding& d) { ToProto(d, out->mutable_seeding()); },
                 [&](const Observation& d) { ToProto(d, out->mutable_observation()); },
                 [&](const MediumChange& d) { ToProto(d, out->mutable_medium_change()); },
                 [&](const Passage& d) { ToProto(d, out->mutable_passage()); },
             },
             r.data);
}

void ToProto(const LateEntry& e, v1::LateEntry* out) {
  out->set_resource(e.resource);
  out->set_field(e.field);
  mapping::ToProto(e.event_time, out->mutable_event_time());
  mapping::ToProto(e.recorded_at, out->mutable_record_time());
  out->set_recorded_by(e.recorded_by);
  out->set_reason(e.reason);
}

void ToProto(const GrowthSummary& g, v1::Growth* out) {
  out->set_current_passage(g.current_passage);
  for (const PassageGrowth& p : g.passages) {
    v1::PassageGrowth* pg = out->add_passages();
    pg->set_passage_number(p.passage_number);
    mapping::ToProto(p.seeding_time, pg->mutable_seeding_time());
    mapping::ToProto(p.harvest_time, pg->mutable_harvest_time());
    pg->set_cells_seeded(p.cells_seeded);
    pg->set_viable_cells_harvested(p.viable_cells_harvested);
    pg->set_population_doublings(p.population_doublings);
    if (p.doubling_time.has_value()) mapping::ToProto(*p.doubling_time, pg->mutable_doubling_time());
  }
  out->set_cumulative_population_doublings(g.cumulative_population_doublings);
  out->set_current_viable_cells(g.current_viable_cells);
  out->set_cells_in_culture(g.cells_in_culture);
}

void ToProto(const Deviation& d, const Din& batch_id, v1::Deviation* out) {
  ToProto(d, batch_id.compact(), out);
}

void ToProto(const Deviation& d, absl::string_view batch_id, v1::Deviation* out) {
  out->set_deviation_id(d.deviation_id);
  out->set_batch_id(std::string(batch_id));
  out->set_kind(static_cast<v1::DeviationKind>(d.kind));
  out->set_description(d.description);
  out->set_state(static_cast<v1::DeviationState>(d.state));
  mapping::ToProto(d.opened_at, out->mutable_open_time());
  out->set_opened_by(d.opened_by);
  out->set_record_id(d.record_id);
  out->set_qc_test_id(d.qc_test_id);
  out->set_unit_id(d.unit_id);
  out->set_excursion_id(d.excursion_id);
  for (const DeviationNote& n : d.notes) {
    v1::DeviationNote* note = out->add_notes();
    note->set_note_id(n.note_id);
    mapping::ToProto(n.added_at, note->mutable_add_time());
    note->set_added_by(n.added_by);
    note->set_text(n.text);
  }
  if (d.closure.has_value()) {
    v1::DeviationClosure* c = out->mutable_closure();
    c->set_disposition(static_cast<v1::Disposition>(d.closure->disposition));
    c->set_reason(d.closure->reason);
    mapping::ToProto(d.closure->closed_at, c->mutable_close_time());
    c->set_closed_by(d.closure->closed_by);
    c->set_physician(d.closure->physician);
  }
}

}  // namespace cpctrack::mapping
