// Storage monitoring: tank temperature and LN2 level, typed by a technician
// or imported from the monitoring system, checked against the limits of the
// tank's temperature class. A reading out of limits is an excursion of every
// unit in the tank (domain/excursion.h), opened by the reading itself.
#ifndef CPCTRACK_DOMAIN_TANK_READINGS_H_
#define CPCTRACK_DOMAIN_TANK_READINGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/storage.h"

namespace cpctrack::domain {

// What a tank of a class must hold to. LN2 vapour keeps cells below -150 °C
// (DOMAIN.md §8) and needs enough liquid below the racks to stay there; the
// level minimum is the fill alarm point most dewar makers set. nullopt: no
// such limit for the class.
struct StorageLimits {
  std::optional<double> min_temperature_c;
  std::optional<double> max_temperature_c;
  std::optional<double> min_ln2_level_percent;
};
StorageLimits LimitsFor(TemperatureClass temperature_class);

// Stored values: append, never renumber.
enum class ReadingSource { kUnspecified = 0, kTyped = 1, kImported = 2 };
absl::string_view ReadingSourceName(ReadingSource source);  // "typed", "imported"

struct TankReading {
  int64_t reading_id = 0;  // 0 until stored
  std::string tank_id;
  absl::Time at = absl::InfinitePast();  // when the monitor read it
  double temperature_c = 0;
  std::optional<double> ln2_level_percent;
  ReadingSource source = ReadingSource::kTyped;
  bool in_limits = true;  // as judged when recorded (CheckReading)
  absl::Time recorded_at = absl::InfinitePast();
  std::string recorded_by;
};

// Plausible as a measurement: a temperature between -200 and +60 °C (what a
// tank probe can read), a level of 0 to 100 %, a time not after `now` (a
// reading from a monitor whose clock runs a little fast is allowed 5
// minutes). InvalidArgument naming the field, the value and the rule.
absl::Status ValidateReading(const TankReading& reading, absl::Time now);

// One limit a reading is outside of.
struct ReadingBreach {
  std::string field;  // "temperature_c" or "ln2_level_percent"
  double value = 0;
  double limit = 0;
  bool above = false;  // the value is above a maximum (else below a minimum)
  // "temperature_c -120 is above the -150 °C maximum of LN2_VAPOUR"
  std::string Describe(TemperatureClass temperature_class) const;
};

// Every limit of the tank's class the reading is outside of; empty when in
// limits. A reading without a level is judged on its temperature alone.
std::vector<ReadingBreach> CheckReading(TemperatureClass temperature_class,
                                        const TankReading& reading);

// Whether an out-of-limits reading opens an excursion: only the first of a
// run does (the tank's previous reading, if any, was in limits); the readings
// after it, still out, belong to the excursion it opened.
bool OpensExcursion(const std::optional<TankReading>& previous);

// The window the excursion of an out-of-limits reading covers: from the last
// reading in limits before it (the tank may have warmed any time since) to
// the reading; from the reading itself when none is on record.
absl::Time ExcursionStart(const std::optional<TankReading>& last_in_limits,
                          const TankReading& breach);

std::string ToJson(const TankReading& reading);

}  // namespace cpctrack::domain

#endif  // CPCTRACK_DOMAIN_TANK_READINGS_H_
