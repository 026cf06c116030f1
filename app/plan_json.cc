#include "app/plan_json.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "domain/dose.h"
#include "domain/inventory.h"

namespace cpctrack::app {
namespace {

// A code point as protobuf's JSON printer escapes it ("" when it does not):
// the C0 and C1 controls, '"', '\\', '<', '>', DEL and the invisible
// formatting characters its JsonEscaping lists.
std::string Escaped(uint32_t cp) {
  switch (cp) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\t': return "\\t";
    case '\n': return "\\n";
    case '\f': return "\\f";
    case '\r': return "\\r";
    default: break;
  }
  const bool hex = cp < 0x20 || cp == '<' || cp == '>' || (cp >= 0x7f && cp < 0xa0) ||
                   cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb) || cp == 0x00ad ||
                   cp == 0x06dd || cp == 0x070f || cp == 0x17b4 || cp == 0x17b5 ||
                   (cp >= 0x0600 && cp <= 0x0603) || (cp >= 0x200b && cp <= 0x200f) ||
                   (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) ||
                   (cp >= 0x206a && cp <= 0x206f);
  if (hex) return absl::StrFormat("\\u%04x", cp);
  if (cp == 0xe0001 || (cp >= 0x1d173 && cp <= 0x1d17a) || (cp >= 0xe0020 && cp <= 0xe007f)) {
    const uint32_t v = cp - 0x10000;
    return absl::StrFormat("\\u%04x\\u%04x", 0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
  }
  return "";
}

// Text is valid UTF-8 here (domain::CheckText); a byte that does not start a
// sequence is copied as it is.
std::string String(absl::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    if (c >= 0x80 && (c < 0xc0 || i + n > s.size())) {
      out.push_back(s[i++]);
      continue;
    }
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1f) : n == 3 ? (c & 0x0f) : (c & 0x07);
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    const std::string escaped = Escaped(cp);
    if (escaped.empty()) {
      out.append(s.data() + i, n);
    } else {
      out += escaped;
    }
    i += n;
  }
  return out + "\"";
}

// protobuf's SimpleDtoa: the shortest of %.15g and %.17g that reads back.
std::string Double(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.15g", value);
  if (std::strtod(buffer, nullptr) != value) std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

// RFC 3339 in UTC, with 0, 3, 6 or 9 digits of fraction.
std::string Timestamp(absl::Time t) {
  const absl::Time whole = absl::FromUnixSeconds(absl::ToUnixSeconds(t));
  const absl::Time floor = whole > t ? whole - absl::Seconds(1) : whole;
  const int64_t nanos = absl::ToInt64Nanoseconds(t - floor);
  std::string out = absl::FormatTime("%Y-%m-%dT%H:%M:%S", floor, absl::UTCTimeZone());
  if (nanos % 1'000'000'000 == 0) {
  } else if (nanos % 1'000'000 == 0) {
    absl::StrAppend(&out, absl::StrFormat(".%03d", nanos / 1'000'000));
  } else if (nanos % 1'000 == 0) {
    absl::StrAppend(&out, absl::StrFormat(".%06d", nanos / 1'000));
  } else {
    absl::StrAppend(&out, absl::StrFormat(".%09d", nanos));
  }
  return out + "Z";
}

void Field(std::string& out, absl::string_view name, absl::string_view json) {
  absl::StrAppend(&out, out.size() > 1 ? "," : "", "\"", name, "\":", json);
}

void Text(std::string& out, absl::string_view name, absl::string_view value) {
  if (!value.empty()) Field(out, name, String(value));
}

void Int64(std::string& out, absl::string_view name, int64_t value) {
  if (value != 0) Field(out, name, absl::StrCat("\"", value, "\""));
}

}  // namespace

std::string PlanJson(const domain::TreatmentPlan& plan, const domain::Patient& patient) {
  std::string out = "{";
  Int64(out, "planId", plan.plan_id);
  Text(out, "patientId", plan.patient_id);
  Text(out, "batchId", plan.batch_id);
  Text(out, "planNumber", plan.plan_number);
  // A oneof member is printed when set, even at zero.
  if (plan.fixed_cells.has_value()) Field(out, "fixedCells", Double(*plan.fixed_cells));
  if (plan.cells_per_kg.has_value()) Field(out, "cellsPerKg", Double(*plan.cells_per_kg));
  if (!plan.infusions.empty()) {
    std::string list;
    for (const domain::PlannedInfusion& p : plan.infusions) {
      std::string item = "{";
      Int64(item, "plannedInfusionId", p.infusion_id);
      if (p.sequence != 0) Field(item, "sequence", absl::StrCat(p.sequence));
      Text(item, "plannedDate", domain::FormatDate(p.planned_day));
      absl::StrAppend(&list, list.empty() ? "" : ",", item, "}");
    }
    Field(out, "infusions", absl::StrCat("[", list, "]"));
  }
  if (plan.created_at != absl::InfinitePast()) {
    Field(out, "createTime", String(Timestamp(plan.created_at)));
  }
  Text(out, "createdBy", plan.created_by);
  if (absl::StatusOr<domain::DoseNeed> need = domain::PlanDose(plan, patient); need.ok()) {
    Int64(out, "cellsPerInfusion", need->cells_per_infusion);
  }
  return out + "}";
}

}  // namespace cpctrack::app
