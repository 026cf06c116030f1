// Inventory made usable through the real cpc, as a lab does it: lots
// registered by the administrator and accepted by QA, equipment registered by
// the administrator and calibrated before use. Shared by the CLI fixtures.
#ifndef CPCTRACK_TESTS_E2E_CLI_INVENTORY_H_
#define CPCTRACK_TESTS_E2E_CLI_INVENTORY_H_

#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/e2e/server_process.h"
#include "tests/e2e/test_users.h"

namespace cpctrack::testing {

// A calibration due a year ahead: the fixtures' steps never meet its lapse
// (and a due date is refused more than 10 years after the calibration).
inline std::string CalibrationDue() {
  return absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 365);
}

// Registers `id` as the administrator and records its calibration.
inline void RegisterCalibratedEquipment(const std::string& server, const std::string& state_dir,
                                        const std::string& id, const std::string& kind,
                                        const std::string& name) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"equipment", "register", id, "--kind", kind, "--name", name},
        std::vector<std::string>{"equipment", "calibrate", id, "--certificate", "CAL-" + id,
                                 "--next-due", CalibrationDue()}}) {
    const CliResult r = RunCpc(server, kAdmin, args, state_dir);
    EXPECT_EQ(r.exit_code, 0) << "cpc " << absl::StrJoin(args, " ") << "\n" << r.err;
  }
}

// Registers lot `lot` as the administrator and has kLotAcceptor accept it
// (a signature: the password on stdin).
inline void RegisterAcceptedLot(const std::string& server, const std::string& state_dir,
                                const std::string& lot, const std::string& name,
                                const std::string& expiry) {
  const std::vector<std::string> steps[] = {
      {"lot", "register", lot, "--name", name, "--expiry", expiry},
      {"lot", "accept", lot, "--certificate", "CoA " + lot, "--password-stdin"}};
  const std::string users[] = {kAdmin, kLotAcceptor};
  for (int i = 0; i < 2; ++i) {
    const CliResult r = RunCpc(server, users[i], steps[i], state_dir);
    EXPECT_EQ(r.exit_code, 0) << "cpc " << absl::StrJoin(steps[i], " ") << "\n" << r.err;
  }
}

// What the CLI fixtures' batches are grown with: the README's medium,
// collagenase and TrypLE lots, incubator INC-01 and cell counter NC-01.
inline void RegisterCultureInventory(const std::string& server, const std::string& state_dir) {
  RegisterAcceptedLot(server, state_dir, "MEM-2611", "alpha-MEM", "2099-06-30");
  RegisterAcceptedLot(server, state_dir, "COL-0425", "collagenase I", "2099-01-31");
  RegisterAcceptedLot(server, state_dir, "TRY-7781", "TrypLE", "2099-03-31");
  RegisterCalibratedEquipment(server, state_dir, "INC-01", "incubator", "CO2 incubator 1");
  RegisterCalibratedEquipment(server, state_dir, "NC-01", "counter", "NucleoCounter 1");
}

}  // namespace cpctrack::testing

#endif  // CPCTRACK_TESTS_E2E_CLI_INVENTORY_H_
