#include "domain/tank_readings.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/audit.h"
#include "domain/plausibility.h"

namespace cpctrack::domain {

StorageLimits LimitsFor(TemperatureClass temperature_class) {
  switch (temperature_class) {
    case TemperatureClass::kLn2Vapour: return {std::nullopt, -150.0, 20.0};
    case TemperatureClass::kLn2Liquid: return {std::nullopt, -180.0, 30.0};
    case TemperatureClass::kUltraLow: return {std::nullopt, -65.0, std::nullopt};
    case TemperatureClass::kRefrigerated: return {2.0, 8.0, std::nullopt};
    case TemperatureClass::kUnspecified: break;
  }
  return {};
}

absl::string_view ReadingSourceName(ReadingSource source) {
  switch (source) {
    case ReadingSource::kTyped: return "typed";
    case ReadingSource::kImported: return "imported";
    case ReadingSource::kUnspecified: break;
  }
  return "unspecified";
}

absl::Status ValidateReading(const TankReading& r, absl::Time now) {
  if (!std::isfinite(r.temperature_c) || r.temperature_c < -200 || r.temperature_c > 60) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "temperature_c: %g is outside -200 to +60 °C, what a tank probe reads", r.temperature_c));
  }
  if (r.ln2_level_percent.has_value() &&
      (!std::isfinite(*r.ln2_level_percent) || *r.ln2_level_percent < 0 ||
       *r.ln2_level_percent > 100)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "ln2_level_percent: %g is outside 0 to 100 %%", *r.ln2_level_percent));
  }
  if (r.at == absl::InfinitePast()) {
    return absl::InvalidArgumentError("reading_time: required: when the monitor read it");
  }
  if (r.at > now + absl::Minutes(5)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "reading_time: ", FormatUtc(r.at), " is in the future (now ", FormatUtc(now), ")"));
  }
  return absl::OkStatus();
}

std::string ReadingBreach::Describe(TemperatureClass temperature_class) const {
  const bool temperature = field == "temperature_c";
  return absl::StrFormat("%s %g is %s the %g %s %s of %s", field, value,
                         above ? "above" : "below", limit, temperature ? "°C" : "%",
                         above ? "maximum" : "minimum", TemperatureClassName(temperature_class));
}

std::vector<ReadingBreach> CheckReading(TemperatureClass temperature_class,
                                        const TankReading& reading) {
  const StorageLimits limits = LimitsFor(temperature_class);
  std::vector<ReadingBreach> breaches;
  const double t = reading.temperature_c;
  if (limits.max_temperature_c.has_value() && t > *limits.max_temperature_c) {
    breaches.push_back({"temperature_c", t, *limits.max_temperature_c, true});
  }
  if (limits.min_temperature_c.has_value() && t < *limits.min_temperature_c) {
    breaches.push_back({"temperature_c", t, *limits.min_temperature_c, false});
  }
  if (limits.min_ln2_level_percent.has_value() && reading.ln2_level_percent.has_value() &&
      *reading.ln2_level_percent < *limits.min_ln2_level_percent) {
    breaches.push_back(
        {"ln2_level_percent", *reading.ln2_level_percent, *limits.min_ln2_level_percent, false});
  }
  return breaches;
}

bool OpensExcursion(const std::optional<TankReading>& previous) {
  return !previous.has_value() || previous->in_limits;
}

absl::Time ExcursionStart(const std::optional<TankReading>& last_in_limits,
                          const TankReading& breach) {
  return last_in_limits.has_value() ? last_in_limits->at : breach.at;
}

std::string ToJson(const TankReading& r) {
  JsonObject json;
  json.Add("reading_id", r.reading_id)
      .Add("tank_id", r.tank_id)
      .Add("at", r.at)
      .Add("temperature_c", r.temperature_c);
  if (r.ln2_level_percent.has_value()) json.Add("ln2_level_percent", *r.ln2_level_percent);
  return json.Add("source", ReadingSourceName(r.source)).Add("in_limits", r.in_limits).Build();
}

}  // namespace cpctrack::domain
