// Canonical JSON of QC, deviation handling, storage and unit records.
#include "domain/audit.h"
#include "domain/overloaded.h"

namespace cpctrack::domain {
namespace {

std::string ValueJson(const QcValue& value) {
  return std::visit(
      Overloaded{
          [](const DetectionResult& r) {
            return JsonObject()
                .Add("detection", DetectionName(r.detection))
                .Add("organism", r.organism)
                .Build();
          },
          [](const EndotoxinResult& r) {
            return JsonObject().Add("endotoxin_eu_per_ml", r.eu_per_ml).Build();
          },
          [](const GramStainResult& r) {
            return JsonObject()
                .Add("gram_stain", GramFindingName(r.finding))
                .Add("description", r.description)
                .Build();
          },
          [](const FlowResult& r) {
            JsonObject markers;
            for (const MarkerResult& m : r.markers) markers.Add(m.marker, m.percent_positive);
            return JsonObject().AddRaw("markers", markers.Build()).Build();
          },
          [](const ViabilityResult& r) {
            return JsonObject().Add("viability_percent", r.viability_percent).Build();
          },
      },
      value);
}

}  // namespace

std::string ToJson(const QcSample& s) {
  return JsonObject()
      .Add("sample_id", s.sample_id)
      .Add("batch_id", s.batch_id)
      .Add("sample_point", SamplePointName(s.point))
      .Add("point_detail", s.point_detail)
      .Add("drawn_at", s.drawn_at)
      .Add("drawn_by", s.drawn_by)
      .Build();
}

std::string ToJson(const InterimReading& r) {
  return JsonObject()
      .Add("reading_id", r.reading_id)
      .Add("read_at", r.read_at)
      .Add("note", r.note)
      .Add("performed_by", r.performed_by)
      .Add("interim", "no growth so far; not a result")
      .Build();
}

std::string ToJson(const QcTest& t) {
  return JsonObject()
      .Add("test_id", t.test_id)
      .Add("sample_id", t.sample_id)
      .Add("type", QcTestTypeName(t.type))
      .Add("method", t.method)
      .Add("started_at", t.started_at)
      .Add("retest_of", t.retest_of)
      .Build();
}

std::string ToJson(const QcResult& r) {
  JsonObject o;
  o.Add("result_id", r.result_id)
      .Add("read_at", r.read_at)
      .Add("performed_by", r.performed_by)
      .Add("instrument_id", r.instrument_id)
      .Add("kit_lot", r.kit_lot)
      .AddRaw("value", ValueJson(r.value));
  if (r.corrects_result_id != 0) {
    o.Add("corrects_result_id", r.corrects_result_id).Add("correction_reason", r.correction_reason);
  }
  return o.Build();
}

std::string ToJson(const QcReview& r) {
  return JsonObject().Add("result_id", r.result_id).Add("reviewed_by", r.reviewed_by).Build();
}

std::string ToJson(const QcInvalidation& i) {
  return JsonObject().Add("invalidated_by", i.invalidated_by).Add("reason", i.reason).Build();
}

std::string ToJson(const DeviationNote& n) {
  return JsonObject().Add("note_id", n.note_id).Add("text", n.text).Build();
}

std::string ToJson(const DeviationClosure& c) {
  JsonObject json;
  json
      .Add("disposition", DispositionName(c.disposition))
      .Add("reason", c.reason)
      .Add("closed_by", c.closed_by);
  // Only a physician's request adds it: earlier closures hash as they always
  // have, so that releases signed on them hold.
  if (!c.physician.empty()) json.Add("physician", c.physician);
  return json.Build();
}

std::string ToJson(const Tank& t) {
  return JsonObject()
      .Add("tank_id", t.tank_id)
      .Add("name", t.name)
      .Add("temperature_class", TemperatureClassName(t.temperature_class))
      .Build();
}

std::string ToJson(const Box& b) {
  return JsonObject()
      .Add("box_id", b.box_id)
      .Add("rows", b.rows)
      .Add("columns", b.columns)
      .Build();
}

std::string ToJson(const Unit& u) {
  JsonObject json;
  json.Add("unit_id", u.unit_id)
      .Add("batch_id", u.batch_id)
      .Add("patient_id", u.patient_id)
      .Add("kind", UnitKindName(u.kind))
      .Add("cells", u.cells)
      .Add("volume_ml", u.volume_ml);
  if (u.fresh()) {
    json.Add("fresh", true)
        .Add("medium", u.freezing_medium)
        .Add("medium_lot", u.medium_lot)
        .Add("formulated_at", u.frozen_at)
        .Add("expires_at", *u.expires_at);
  } else {
    json.Add("freezing_medium", u.freezing_medium)
        .Add("medium_lot", u.medium_lot)
        .Add("freezer_program", u.freezer_program)
        .Add("freezer_id", u.freezer_id)
        .Add("frozen_at", u.frozen_at);
  }
  return json.Add("state", UnitStateName(u.state))
      .Add("position", u.position.has_value() ? u.position->Label() : "")
      .Build();
}

std::string ToJson(const UnitEvent& e) {
  return JsonObject()
      .Add("unit_id", e.unit_id)
      .Add("event", UnitEventKindName(e.kind))
      .Add("state", UnitStateName(e.to_state))
      .Add("position", e.to_position.has_value() ? e.to_position->Label() : "")
      .Add("at", e.at)
      .Build();
}

std::string ToJson(const Release& release) {
  return JsonObject()
      .Add("signer", release.signer)
      .Add("meaning", release.meaning)
      .Add("signed_at", release.signed_at)
      .Add("record_hash", release.record_hash)
      .Build();
}

}  // namespace cpctrack::domain
