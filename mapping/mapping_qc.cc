// Mapping: QC, deviation handling, storage and units.
#include "absl/strings/str_cat.h"
#include "domain/status_macros.h"
#include "mapping/mapping.h"

namespace cpctrack::mapping {
namespace {

using namespace cpctrack::domain;  // NOLINT: the QC and unit types, in one file

// The proto enums carry the domain's stored values; a value the domain does
// not name (unset, or from a newer client) is refused.
template <class D, class P>
absl::StatusOr<D> Enum(absl::string_view field, P value, absl::string_view (*name)(D),
                       absl::string_view choices) {
  const D d = static_cast<D>(value);
  const absl::string_view n = name(d);
  if (static_cast<int>(value) == 0 || n == "UNSPECIFIED" || n == "UNKNOWN" || n == "unknown" ||
      n == "unspecified") {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required, one of ", choices));
  }
  return d;
}

}  // namespace

absl::StatusOr<SamplePoint> FromProto(v1::SamplePoint point) {
  return Enum<SamplePoint>("sample_point", point, SamplePointName,
                           "AFTER_ISOLATION, PASSAGE, FINAL_HARVEST, FINAL_PRODUCT, POST_THAW, "
                           "OTHER");
}

absl::StatusOr<QcTestType> FromProto(v1::QcTestType type) {
  return Enum<QcTestType>("type", type, QcTestTypeName,
                          "STERILITY, MYCOPLASMA, ENDOTOXIN, GRAM_STAIN, FLOW_CYTOMETRY, "
                          "VIABILITY");
}

absl::StatusOr<TestOrder> FromProto(const v1::TestOrder& o) {
  TestOrder order;
  ASSIGN_OR_RETURN(order.type, FromProto(o.type()));
  order.method = o.method();
  order.started_at = FromProto(o.start_time());
  order.retest_of = o.retest_of();
  if (order.retest_of < 0) return absl::InvalidArgumentError("tests.retest_of: must be >= 0");
  return order;
}

absl::StatusOr<QcResult> FromProto(const v1::QcResult& r) {
  QcResult result;
  result.read_at = FromProto(r.read_time());
  result.instrument_id = r.instrument_id();
  result.kit_lot = r.kit_lot();
  switch (r.value_case()) {
    case v1::QcResult::kDetection: {
      if (!v1::Detection_IsValid(r.detection().detection())) {
        return absl::InvalidArgumentError("result.detection: unknown value");
      }
      result.value = DetectionResult{static_cast<Detection>(r.detection().detection()),
                                     r.detection().organism()};
      break;
    }
    case v1::QcResult::kEndotoxinEuPerMl:
      result.value = EndotoxinResult{r.endotoxin_eu_per_ml()};
      break;
    case v1::QcResult::kGramStain:
      if (!v1::GramFinding_IsValid(r.gram_stain().finding())) {
        return absl::InvalidArgumentError("result.gram_stain: unknown value");
      }
      result.value = GramStainResult{static_cast<GramFinding>(r.gram_stain().finding()),
                                     r.gram_stain().description()};
      break;
    case v1::QcResult::kFlow: {
      FlowResult flow;
      for (const v1::MarkerResult& m : r.flow().markers()) {
        flow.markers.push_back({m.marker(), m.percent_positive()});
      }
      result.value = std::move(flow);
      break;
    }
    case v1::QcResult::kViabilityPercent:
      result.value = ViabilityResult{r.viability_percent()};
      break;
    case v1::QcResult::VALUE_NOT_SET:
      return absl::InvalidArgumentError(
          "result: required: detection, endotoxin_eu_per_ml, gram_stain, flow or "
          "viability_percent");
  }
  return result;
}

void ToProto(const QcSample& s, v1::QcSample* out) {
  out->set_sample_id(s.sample_id);
  out->set_batch_id(s.batch_id);
  out->set_sample_point(static_cast<v1::SamplePoint>(s.point));
  out->set_point_detail(s.point_detail);
  mapping::ToProto(s.drawn_at, out->mutable_drawn_time());
  out->set_drawn_by(s.drawn_by);
  mapping::ToProto(s.recorded_at, out->mutable_record_time());
}

void AddLateEntries(const std::vector<LateEntry>& batch_late_entries, v1::QcTest* out) {
  const std::string sample = absl::StrCat("qc/samples/", out->sample().sample_id());
  const std::string test = absl::StrCat("qc/tests/", out->test_id());
  for (const LateEntry& e : batch_late_entries) {
    if (e.IsAbout(sample) || e.IsAbout(test)) ToProto(e, out->add_late_entries());
  }
}

void ToProto(const QcTest& t, const QcSample& sample, absl::string_view patient_id,
             v1::QcTest* out) {
  out->set_test_id(t.test_id);
  ToProto(sample, out->mutable_sample());
  out->set_patient_id(std::string(patient_id));
  out->set_type(static_cast<v1::QcTestType>(t.type));
  out->set_method(t.method);
  mapping::ToProto(t.started_at, out->mutable_start_time());
  mapping::ToProto(t.ordered_at, out->mutable_order_time());
  out->set_ordered_by(t.ordered_by);
  out->set_retest_of(t.retest_of);
  out->set_state(static_cast<v1::QcTestState>(t.State()));
  for (const QcResult& r : t.results) {
    v1::QcResult* p = out->add_results();
    p->set_result_id(r.result_id);
    mapping::ToProto(r.read_at, p->mutable_read_time());
    p->set_performed_by(r.performed_by);
    p->set_instrument_id(r.instrument_id);
    p->set_kit_lot(r.kit_lot);
    mapping::ToProto(r.recorded_at, p->mutable_record_time());
    p->set_corrects_result_id(r.corrects_result_id);
    p->set_correction_reason(r.correction_reason);
    if (const auto* d = std::get_if<DetectionResult>(&r.value)) {
      p->mutable_detection()->set_detection(static_cast<v1::Detection>(d->detection));
      p->mutable_detection()->set_organism(d->organism);
    } else if (const auto* e = std::get_if<EndotoxinResult>(&r.value)) {
      p->set_endotoxin_eu_per_ml(e->eu_per_ml);
    } else if (const auto* g = std::get_if<GramStainResult>(&r.value)) {
      p->mutable_gram_stain()->set_finding(static_cast<v1::GramFinding>(g->finding));
      p->mutable_gram_stain()->set_description(g->description);
    } else if (const auto* f = std::get_if<FlowResult>(&r.value)) {
      v1::FlowResult* flow = p->mutable_flow();
      for (const MarkerResult& m : f->markers) {
        v1::MarkerResult* marker = flow->add_markers();
        marker->set_marker(m.marker);
        marker->set_percent_positive(m.percent_positive);
      }
    } else if (const auto* v = std::get_if<ViabilityResult>(&r.value)) {
      p->set_viability_percent(v->viability_percent);
    }
  }
  for (const QcReview& r : t.reviews) {
    v1::QcReview* p = out->add_reviews();
    p->set_result_id(r.result_id);
    mapping::ToProto(r.reviewed_at, p->mutable_review_time());
    p->set_reviewed_by(r.reviewed_by);
  }
  for (const domain::InterimReading& r : t.interim_readings) {
    v1::InterimReading* p = out->add_interim_readings();
    p->set_reading_id(r.reading_id);
    mapping::ToProto(r.read_at, p->mutable_read_time());
    p->set_note(r.note);
    p->set_performed_by(r.performed_by);
    mapping::ToProto(r.recorded_at, p->mutable_record_time());
  }
  if (t.invalidation.has_value()) {
    v1::QcInvalidation* p = out->mutable_invalidation();
    mapping::ToProto(t.invalidation->invalidated_at, p->mutable_invalidate_time());
    p->set_invalidated_by(t.invalidation->invalidated_by);
    p->set_reason(t.invalidation->reason);
  }
}

absl::StatusOr<DeviationKind> FromProto(v1::DeviationKind kind) {
  return Enum<DeviationKind>("kind", kind, DeviationKindName,
                             "OTHER, EXCURSION, OUT_OF_SPECIFICATION, POSITIVE_TEST, "
                             "LATE_PROCESSING, EXPIRED_MATERIAL, ...");
}

absl::StatusOr<Disposition> FromProto(v1::Disposition disposition) {
  return Enum<Disposition>("disposition", disposition, DispositionName,
                           "CONTINUE, REJECT, USE_UNDER_PHYSICIAN_RESPONSIBILITY");
}

absl::StatusOr<TemperatureClass> FromProto(v1::TemperatureClass t) {
  return Enum<TemperatureClass>("temperature_class", t, TemperatureClassName,
                                "LN2_VAPOUR, LN2_LIQUID, ULTRA_LOW, REFRIGERATED");
}

absl::StatusOr<UnitKind> FromProto(v1::UnitKind kind) {
  return Enum<UnitKind>("kind", kind, UnitKindName, "VIAL, BAG");
}

absl::StatusOr<UnitState> FromProto(v1::UnitState state) {
  return Enum<UnitState>("state", state, UnitStateName,
                         "STORED, THAWED, INFUSED, DISPOSED, QUARANTINED");
}

absl::StatusOr<ThawResult> FromProto(const v1::ThawResult& thaw) {
  return ThawResult{FromProto(thaw.thawed_time()), thaw.total_cells(), thaw.viable_cells(),
                    thaw.viability_percent()};
}

void ToProto(const Unit& u, v1::Unit* out) {
  out->set_unit_id(u.unit_id);
  out->set_batch_id(u.batch_id);
  out->set_patient_id(u.patient_id);
  out->set_sequence(u.sequence);
  out->set_kind(static_cast<v1::UnitKind>(u.kind));
  out->set_cells(u.cells);
  out->set_volume_ml(u.volume_ml);
  out->set_medium_lot(u.medium_lot);
  if (const std::optional<absl::Time> expiry = u.expiry(); expiry.has_value()) {
    mapping::ToProto(*expiry, out->mutable_expire_time());
  }
  if (u.fresh()) {
    v1::FreshFormulation* fresh = out->mutable_fresh();
    mapping::ToProto(u.frozen_at, fresh->mutable_formulated_time());
    fresh->set_formulated_by(u.frozen_by);
    fresh->set_medium(u.freezing_medium);
    mapping::ToProto(*u.expires_at, fresh->mutable_expire_time());
  } else {
    out->set_freezing_medium(u.freezing_medium);
    out->set_freezer_program(u.freezer_program);
    out->set_freezer_id(u.freezer_id);
    mapping::ToProto(u.frozen_at, out->mutable_frozen_time());
    out->set_frozen_by(u.frozen_by);
  }
  out->set_state(static_cast<v1::UnitState>(u.state));
  if (u.position.has_value()) out->set_position(u.position->Label());
  if (u.thaw.has_value()) {
    v1::ThawResult* t = out->mutable_thaw();
    mapping::ToProto(u.thaw->thawed_at, t->mutable_thawed_time());
    t->set_total_cells(u.thaw->total_cells);
    t->set_viable_cells(u.thaw->viable_cells);
    t->set_viability_percent(u.thaw->viability_percent);
  }
}

void ToProto(const UnitEvent& e, v1::UnitEvent* out) {
  out->set_kind(static_cast<v1::UnitEventKind>(e.kind));
  out->set_from_state(static_cast<v1::UnitState>(e.from_state));
  out->set_to_state(static_cast<v1::UnitState>(e.to_state));
  if (e.from_position.has_value()) out->set_from_position(e.from_position->Label());
  if (e.to_position.has_value()) out->set_to_position(e.to_position->Label());
  mapping::ToProto(e.at, out->mutable_event_time());
  out->set_recorded_by(e.by);
  out->set_reason(e.reason);
}

void ToProto(const Tank& t, v1::Tank* out) {
  out->set_tank_id(t.tank_id);
  out->set_name(t.name);
  out->set_temperature_class(static_cast<v1::TemperatureClass>(t.temperature_class));
  mapping::ToProto(t.created_at, out->mutable_create_time());
  out->set_created_by(t.created_by);
}

void ToProto(const Box& b, v1::Box* out) {
  out->set_box_id(b.box_id);
  out->set_rack(b.rack);
  out->set_name(b.name);
  out->set_rows(b.rows);
  out->set_columns(b.columns);
}

}  // namespace cpctrack::mapping
