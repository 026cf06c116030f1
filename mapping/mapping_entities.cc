// Mapping: times, patients, lots, equipment, products.
#include "absl/strings/str_cat.h"
#include "domain/status_macros.h"
#include "mapping/mapping.h"

namespace cpctrack::mapping {
namespace {

absl::StatusOr<domain::ScreeningResult> ScreeningFromProto(absl::string_view field,
                                                           v1::ScreeningResult r) {
  if (!v1::ScreeningResult_IsValid(r)) {
    return absl::InvalidArgumentError(
        absl::StrCat("screening.", field, ": unknown value ", static_cast<int>(r)));
  }
  return static_cast<domain::ScreeningResult>(r);
}

}  // namespace

absl::StatusOr<domain::Din> ParseBatchId(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("batch_id: required");
  absl::StatusOr<domain::Din> din = domain::Din::Parse(text);
  if (!din.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("batch_id: ", din.status().message()));
  }
  return din;
}

absl::StatusOr<domain::Patient> FromProto(const v1::Patient& p) {
  domain::Patient out;
  out.patient_id = p.patient_id();
  out.body_weight_kg = p.body_weight_kg();
  ASSIGN_OR_RETURN(out.screening.hbv, ScreeningFromProto("hbv", p.screening().hbv()));
  ASSIGN_OR_RETURN(out.screening.hcv, ScreeningFromProto("hcv", p.screening().hcv()));
  ASSIGN_OR_RETURN(out.screening.hiv, ScreeningFromProto("hiv", p.screening().hiv()));
  ASSIGN_OR_RETURN(out.screening.htlv1, ScreeningFromProto("htlv1", p.screening().htlv1()));
  ASSIGN_OR_RETURN(out.screening.syphilis,
                   ScreeningFromProto("syphilis", p.screening().syphilis()));
  out.consent.given = p.consent().given();
  out.consent.consent_time = FromProto(p.consent().consent_time());
  out.consent.document_ref = p.consent().document_ref();
  return out;
}

void ToProto(const domain::Patient& p, v1::Patient* out) {
  out->set_patient_id(p.patient_id);
  out->set_body_weight_kg(p.body_weight_kg);
  v1::Screening* s = out->mutable_screening();
  s->set_hbv(static_cast<v1::ScreeningResult>(p.screening.hbv));
  s->set_hcv(static_cast<v1::ScreeningResult>(p.screening.hcv));
  s->set_hiv(static_cast<v1::ScreeningResult>(p.screening.hiv));
  s->set_htlv1(static_cast<v1::ScreeningResult>(p.screening.htlv1));
  s->set_syphilis(static_cast<v1::ScreeningResult>(p.screening.syphilis));
  out->mutable_consent()->set_given(p.consent.given);
  if (p.consent.given) ToProto(p.consent.consent_time, out->mutable_consent()->mutable_consent_time());
  out->mutable_consent()->set_document_ref(p.consent.document_ref);
  ToProto(p.created_at, out->mutable_create_time());
  out->set_created_by(p.created_by);
  out->set_revision(p.revision);
  if (p.revision > 1) {
    ToProto(p.updated_at, out->mutable_update_time());
    out->set_updated_by(p.updated_by);
    out->set_update_reason(p.update_reason);
  }
}

absl::StatusOr<domain::ReagentLot> FromProto(const v1::ReagentLot& lot) {
  domain::ReagentLot out;
  out.lot_number = lot.lot_number();
  out.name = lot.name();
  out.manufacturer = lot.manufacturer();
  ASSIGN_OR_RETURN(out.expiry_day, domain::ParseDate("expiry_date", lot.expiry_date()));
  return out;
}

void ToProto(const domain::ReagentLot& lot, absl::Time now, absl::TimeZone zone,
             v1::ReagentLot* out) {
  out->set_lot_number(lot.lot_number);
  out->set_name(lot.name);
  out->set_manufacturer(lot.manufacturer);
  out->set_expiry_date(domain::FormatDate(lot.expiry_day));
  ToProto(lot.created_at, out->mutable_create_time());
  out->set_created_by(lot.created_by);
  out->set_expired(domain::IsExpired(lot, absl::ToCivilDay(now, zone)));
  out->set_status(static_cast<v1::LotStatus>(lot.status));
  out->set_certificate(lot.certificate);
  out->set_status_reason(lot.status_reason);
  out->set_decided_by(lot.decided_by);
  if (lot.decided_at != absl::InfinitePast()) ToProto(lot.decided_at, out->mutable_decide_time());
}

absl::StatusOr<domain::EquipmentStatus> FromProto(v1::EquipmentStatus status) {
  if (!v1::EquipmentStatus_IsValid(status)) {
    return absl::InvalidArgumentError(
        absl::StrCat("status: unknown value ", static_cast<int>(status)));
  }
  return static_cast<domain::EquipmentStatus>(status);
}

absl::StatusOr<domain::Equipment> FromProto(const v1::Equipment& e) {
  if (!v1::EquipmentKind_IsValid(e.kind())) {
    return absl::InvalidArgumentError(
        absl::StrCat("kind: unknown value ", static_cast<int>(e.kind())));
  }
  domain::Equipment out;
  out.equipment_id = e.equipment_id();
  out.kind = static_cast<domain::EquipmentKind>(e.kind());
  out.name = e.name();
  out.status = domain::EquipmentStatus::kInService;
  out.status_reason = "registered";
  return out;
}

void ToProto(const domain::Equipment& e, v1::Equipment* out) {
  out->set_equipment_id(e.equipment_id);
  out->set_kind(static_cast<v1::EquipmentKind>(e.kind));
  out->set_name(e.name);
  out->set_status(static_cast<v1::EquipmentStatus>(e.status));
  out->set_status_reason(e.status_reason);
  ToProto(e.created_at, out->mutable_create_time());
  out->set_created_by(e.created_by);
  out->set_calibration_required(e.calibration_required);
  if (e.calibration_due) out->set_calibration_due(domain::FormatDate(*e.calibration_due));
  if (e.maintenance_due) out->set_maintenance_due(domain::FormatDate(*e.maintenance_due));
}

void ToProto(const domain::UpkeepRecord& r, v1::UpkeepRecord* out) {
  out->set_record_id(r.record_id);
  out->set_equipment_id(r.equipment_id);
  out->set_kind(static_cast<v1::UpkeepKind>(r.kind));
  ToProto(r.performed_at, out->mutable_performed_at());
  out->set_next_due(domain::FormatDate(r.next_due));
  out->set_certificate(r.certificate);
  ToProto(r.recorded_at, out->mutable_record_time());
  out->set_recorded_by(r.recorded_by);
}

void ToProto(const domain::Product& p, v1::Product* out) {
  out->set_product_code(p.product_code);
  out->set_version(p.version);
  out->set_name(p.name);
  ToProto(p.max_processing_delay, out->mutable_max_processing_delay());
  out->set_max_passage(p.max_passage);
  out->set_max_cumulative_population_doublings(p.max_cumulative_population_doublings);
  out->set_min_viability_percent(p.qc.min_viability_percent);
  out->set_min_post_thaw_viability_percent(p.qc.min_post_thaw_viability_percent);
  out->set_max_endotoxin_eu_per_ml(p.qc.max_endotoxin_eu_per_ml);
  for (const domain::MarkerLimit& m : p.qc.markers) {
    v1::MarkerLimit* limit = out->add_marker_limits();
    limit->set_marker(m.marker);
    limit->set_min_percent(m.min_percent);
    limit->set_max_percent(m.max_percent);
  }
  out->set_min_viable_cells_per_dose(p.min_viable_cells_per_dose);
  ToProto(p.fresh_shelf_life, out->mutable_fresh_shelf_life());
  out->set_isbt_product_description_code(p.isbt_product_description_code);
  for (const domain::RequiredTest& t : p.required_tests) {
    v1::RequiredTest* test = out->add_required_tests();
    test->set_type(static_cast<v1::QcTestType>(t.type));
    ToProto(t.min_incubation, test->mutable_min_incubation());
    test->set_method(t.method);
    test->set_release_basis(static_cast<v1::ReleaseBasis>(t.basis));
    if (t.basis == domain::ReleaseBasis::kInterimReading) {
      ToProto(t.min_interim, test->mutable_min_interim());
    }
    for (domain::SamplePoint point : domain::ReleasePoints(t)) {
      test->add_sample_points(static_cast<v1::SamplePoint>(point));
    }
    for (domain::SamplePoint point : domain::FollowUpPoints(t)) {
      test->add_follow_up_points(static_cast<v1::SamplePoint>(point));
    }
  }
  ToProto(p.frozen_shelf_life, out->mutable_frozen_shelf_life());
  ToProto(p.max_thaw_to_infusion, out->mutable_max_thaw_to_infusion());
  ToProto(p.max_entry_delay, out->mutable_max_entry_delay());
  out->set_min_transport_temperature_c(p.min_transport_temperature_c);
  out->set_max_transport_temperature_c(p.max_transport_temperature_c);
}

absl::StatusOr<domain::Product> MergeProduct(const v1::Product& in, domain::Product base) {
  auto duration = [](const google::protobuf::Duration& d) {
    return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
  };
  base.product_code = in.product_code();
  if (!in.name().empty()) base.name = in.name();
  if (in.has_max_processing_delay()) base.max_processing_delay = duration(in.max_processing_delay());
  if (in.max_passage() != 0) base.max_passage = in.max_passage();
  if (in.max_cumulative_population_doublings() != 0) {
    base.max_cumulative_population_doublings = in.max_cumulative_population_doublings();
  }
  if (in.min_viability_percent() != 0) base.qc.min_viability_percent = in.min_viability_percent();
  if (in.min_post_thaw_viability_percent() != 0) {
    base.qc.min_post_thaw_viability_percent = in.min_post_thaw_viability_percent();
  }
  if (in.max_endotoxin_eu_per_ml() != 0) {
    base.qc.max_endotoxin_eu_per_ml = in.max_endotoxin_eu_per_ml();
  }
  if (in.marker_limits_size() > 0) {
    base.qc.markers.clear();
    for (const v1::MarkerLimit& m : in.marker_limits()) {
      base.qc.markers.push_back(
          {domain::CanonicalMarker(m.marker()), m.min_percent(), m.max_percent()});
    }
  }
  if (in.min_viable_cells_per_dose() != 0) {
    base.min_viable_cells_per_dose = in.min_viable_cells_per_dose();
  }
  if (in.has_fresh_shelf_life()) base.fresh_shelf_life = duration(in.fresh_shelf_life());
  if (!in.isbt_product_description_code().empty()) {
    base.isbt_product_description_code = in.isbt_product_description_code();
  }
  if (in.required_tests_size() > 0) {
    base.required_tests.clear();
    for (const v1::RequiredTest& t : in.required_tests()) {
      if (!v1::QcTestType_IsValid(t.type()) || t.type() == v1::QC_TEST_TYPE_UNSPECIFIED) {
        return absl::InvalidArgumentError("required_tests.type: unknown test type");
      }
      const auto type = static_cast<domain::QcTestType>(t.type());
      // Left out: the incubation DOMAIN.md gives the test type.
      domain::RequiredTest required{type, t.method(),
                                    t.has_min_incubation()
                                        ? duration(t.min_incubation())
                                        : domain::MinIncubation(domain::Product{}, type)};
      if (t.release_basis() != v1::RELEASE_BASIS_UNSPECIFIED) {
        if (!v1::ReleaseBasis_IsValid(t.release_basis())) {
          return absl::InvalidArgumentError("required_tests.release_basis: unknown basis");
        }
        required.basis = static_cast<domain::ReleaseBasis>(t.release_basis());
      }
      if (t.has_min_interim()) required.min_interim = duration(t.min_interim());
      for (auto [points, out] : {std::pair{&t.sample_points(), &required.sample_points},
                                 std::pair{&t.follow_up_points(), &required.follow_up_points}}) {
        for (int point : *points) {
          if (!v1::SamplePoint_IsValid(point) || point == v1::SAMPLE_POINT_UNSPECIFIED) {
            return absl::InvalidArgumentError(
                absl::StrCat("required_tests.sample_points: unknown sample point ", point));
          }
          out->push_back(static_cast<domain::SamplePoint>(point));
        }
      }
      base.required_tests.push_back(std::move(required));
    }
  }
  if (in.has_frozen_shelf_life()) base.frozen_shelf_life = duration(in.frozen_shelf_life());
  if (in.has_max_thaw_to_infusion()) {
    base.max_thaw_to_infusion = duration(in.max_thaw_to_infusion());
  }
  if (in.has_max_entry_delay()) base.max_entry_delay = duration(in.max_entry_delay());
  if (in.has_min_transport_temperature_c() != in.has_max_transport_temperature_c()) {
    return absl::InvalidArgumentError(
        "min_transport_temperature_c and max_transport_temperature_c: give both or neither");
  }
  if (in.has_min_transport_temperature_c()) {
    base.min_transport_temperature_c = in.min_transport_temperature_c();
    base.max_transport_temperature_c = in.max_transport_temperature_c();
  }
  return base;
}

}  // namespace cpctrack::mapping
