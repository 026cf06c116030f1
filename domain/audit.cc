#include "domain/audit.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "domain/audit_action.h"
#include "domain/plausibility.h"
#include "domain/text.h"

namespace cpctrack::domain {
namespace {

std::string JsonStringList(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  quoted.reserve(items.size());
  for (const std::string& s : items) quoted.push_back(JsonString(s));
  return absl::StrCat("[", absl::StrJoin(quoted, ","), "]");
}

std::string Encode(const TissueReceipt& r) {
  return JsonObject()
      .Add("kind", "tissue_receipt")
      .Add("collection_time", r.collection_time)
      .Add("receipt_time", r.receipt_time)
      .Add("collection_site", r.collection_site)
      .Add("volume_ml", r.volume_ml)
      .Add("transport_temperature_c", r.transport_temperature_c)
      .Add("collected_by", r.collected_by)
      .Build();
}

std::string Encode(const Seeding& r) {
  return JsonObject()
      .Add("kind", "seeding")
      .Add("seeding_time", r.seeding_time)
      .Add("cells_seeded", r.cells_seeded)
      .Add("vessel_type", r.vessel_type)
      .Add("vessel_count", r.vessel_count)
      .Add("surface_area_cm2", r.surface_area_cm2)
      .Add("medium_lot", r.medium_lot)
      .AddRaw("reagent_lots", JsonStringList(r.reagent_lots))
      .Add("incubator_id", r.incubator_id)
      .Add("cabinet_id", r.cabinet_id)
      .Build();
}

std::string Encode(const Observation& r) {
  return JsonObject()
      .Add("kind", "observation")
      .Add("observation_time", r.observation_time)
      .Add("confluence_percent", r.confluence_percent)
      .Add("morphology", r.morphology)
      .Build();
}

std::string Encode(const MediumChange& r) {
  return JsonObject()
      .Add("kind", "medium_change")
      .Add("change_time", r.change_time)
      .Add("medium_lot", r.medium_lot)
      .AddRaw("reagent_lots", JsonStringList(r.reagent_lots))
      .Add("volume_ml", r.volume_ml)
      .Build();
}

std::string Encode(const Passage& r) {
  JsonObject o;
  o.Add("kind", "passage")
      .Add("passage_number", r.passage_number)
      .Add("passage_time", r.passage_time)
      .Add("total_cells", r.total_cells)
      .Add("viable_cells", r.viable_cells)
      .Add("viability_percent", r.viability_percent)
      .Add("counting_method", static_cast<int>(r.counting_method))
      .Add("cells_reseeded", r.cells_reseeded)
      .Add("vessel_count", r.vessel_count)
      .Add("surface_area_cm2", r.surface_area_cm2)
      .Add("medium_lot", r.medium_lot)
      .AddRaw("reagent_lots", JsonStringList(r.reagent_lots))
      .Add("incubator_id", r.incubator_id);
  // Only when set, so the encoding of every other passage (and the release
  // record hash of batches made before final harvests existed) is unchanged.
  if (r.final_harvest) o.Add("final_harvest", true);
  // Likewise only when named (passages before counters were named have none).
  if (!r.counter_id.empty()) o.Add("counter_id", r.counter_id);
  return o.Build();
}

}  // namespace

std::string JsonString(absl::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out += "\"";
  return out;
}

void JsonObject::Key(absl::string_view key) {
  if (body_.size() > 1) body_ += ",";
  absl::StrAppend(&body_, JsonString(key), ":");
}

JsonObject& JsonObject::Add(absl::string_view key, absl::string_view value) {
  Key(key);
  absl::StrAppend(&body_, JsonString(value));
  return *this;
}

JsonObject& JsonObject::Add(absl::string_view key, int64_t value) {
  Key(key);
  absl::StrAppend(&body_, value);
  return *this;
}

JsonObject& JsonObject::Add(absl::string_view key, double value) {
  Key(key);
  // %.17g round-trips every double; JSON has no NaN or infinity.
  absl::StrAppend(&body_, std::isfinite(value) ? absl::StrFormat("%.17g", value) : "null");
  return *this;
}

JsonObject& JsonObject::Add(absl::string_view key, bool value) {
  Key(key);
  absl::StrAppend(&body_, value ? "true" : "false");
  return *this;
}

JsonObject& JsonObject::Add(absl::string_view key, absl::Time value) {
  return Add(key, absl::string_view(absl::FormatTime(absl::RFC3339_full, value,
                                                    absl::UTCTimeZone())));
}

JsonObject& JsonObject::AddRaw(absl::string_view key, absl::string_view json) {
  Key(key);
  absl::StrAppend(&body_, json);
  return *this;
}

std::string ToJson(const RecordData& data) {
  return std::visit([](const auto& r) { return Encode(r); }, data);
}

std::string ToJson(const BatchRecord& record) {
  JsonObject o;
  o.Add("record_id", record.record_id).Add("recorded_by", record.recorded_by);
  if (record.corrects_record_id != 0) {
    o.Add("corrects_record_id", record.corrects_record_id)
        .Add("correction_reason", record.correction_reason);
  }
  return o.AddRaw("data", ToJson(record.data)).Build();
}

std::string ToJson(const Batch& batch) {
  return JsonObject()
      .Add("batch_id", batch.batch_id.compact())
      .Add("patient_id", batch.patient_id)
      .Add("product_code", batch.product_code)
      .Add("product_version", batch.product_version)
      .Add("state", BatchStateName(batch.state))
      .Add("current_passage", batch.current_passage)
      .Build();
}

std::string ToJson(const Patient& p) {
  const Screening& s = p.screening;
  return JsonObject()
      .Add("patient_id", p.patient_id)
      .Add("revision", p.revision)
      .Add("body_weight_kg", p.body_weight_kg)
      .AddRaw("screening", JsonObject()
                               .Add("hbv", ScreeningResultName(s.hbv))
                               .Add("hcv", ScreeningResultName(s.hcv))
                               .Add("hiv", ScreeningResultName(s.hiv))
                               .Add("htlv1", ScreeningResultName(s.htlv1))
                               .Add("syphilis", ScreeningResultName(s.syphilis))
                               .Build())
      .AddRaw("consent", JsonObject()
                             .Add("given", p.consent.given)
                             .Add("consent_time", p.consent.consent_time)
                             .Add("document_ref", p.consent.document_ref)
                             .Build())
      .Build();
}

std::string ToJson(const ReagentLot& lot) {
  return JsonObject()
      .Add("lot_number", lot.lot_number)
      .Add("name", lot.name)
      .Add("manufacturer", lot.manufacturer)
      .Add("expiry_date", FormatDate(lot.expiry_day))
      .Add("status", LotStatusName(lot.status))
      .Add("certificate", lot.certificate)
      .Add("status_reason", lot.status_reason)
      .Build();
}

std::string ToJson(const Equipment& e) {
  return JsonObject()
      .Add("equipment_id", e.equipment_id)
      .Add("kind", EquipmentKindName(e.kind))
      .Add("name", e.name)
      .Add("status", EquipmentStatusName(e.status))
      .Add("status_reason", e.status_reason)
      .Add("calibration_required", e.calibration_required)
      .Add("calibration_due", e.calibration_due ? FormatDate(*e.calibration_due) : "")
      .Add("maintenance_due", e.maintenance_due ? FormatDate(*e.maintenance_due) : "")
      .Build();
}

std::string ToJson(const UpkeepRecord& r) {
  return JsonObject()
      .Add("equipment_id", r.equipment_id)
      .Add("kind", UpkeepKindName(r.kind))
      .Add("performed_at", r.performed_at)
      .Add("next_due", FormatDate(r.next_due))
      .Add("certificate", r.certificate)
      .Build();
}

std::string ToJson(const Deviation& d) {
  JsonObject json;
  json.Add("deviation_id", d.deviation_id)
      .Add("kind", DeviationKindName(d.kind))
      .Add("description", d.description)
      .Add("state", DeviationStateName(d.state))
      .Add("record_id", d.record_id)
      .Add("qc_test_id", d.qc_test_id)
      .Add("unit_id", d.unit_id);
  // Only a child of an excursion says so: every other deviation's entry keeps
  // the bytes it always had.
  if (d.excursion_id != 0) json.Add("excursion_id", d.excursion_id);
  return json.Build();
}

absl::Status ValidateAuditFilter(absl::string_view user, absl::string_view action) {
  if (!user.empty()) {
    if (absl::Status s = ValidateIdentifier("filter.user", user); !s.ok()) return s;
  }
  if (absl::Status s = CheckText("filter.action", action, 64, false); !s.ok()) return s;
  if (action.empty() || ParseAuditAction(action).has_value()) return absl::OkStatus();
  // A misspelled filter would find nothing and look like an empty trail:
  // name the actions of the same kind instead.
  const absl::string_view noun = action.substr(0, action.find('.'));
  std::vector<std::string> near, nouns;
  for (AuditAction a : AllAuditActions()) {
    const absl::string_view name = AuditActionName(a);
    const absl::string_view its_noun = name.substr(0, name.find('.'));
    if (its_noun == noun) near.emplace_back(name);
    if (std::find(nouns.begin(), nouns.end(), its_noun) == nouns.end()) {
      nouns.emplace_back(its_noun);
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "filter.action: \"", EscapeUnprintable(action), "\" is not an action the audit trail records; ",
      near.empty() ? absl::StrCat("actions begin with one of: ", absl::StrJoin(nouns, ", "))
                   : absl::StrCat("the ", noun, " actions are: ", absl::StrJoin(near, ", "))));
}

}  // namespace cpctrack::domain
