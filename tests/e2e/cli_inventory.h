// Inventory made usable through the real cpc, as a lab does it: lots
// registered by the administrator and accepted by QA, equipment registered by
// the administrator and calibrated before use. Shared by the CLI fixtures.
#ifndef CPCTRACK_TESTS_E2E_CLI_INVENTORY_H_
#define CPCTRACK_TESTS_E2E_CLI_INVENTORY_H_

#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/e2e/server_process.h"
#include "tests/e2e/test_users.h"

namespace cpctrack::testing {

// A calibration due far ahead: the fixtures' steps never meet its lapse.
inline constexpr char kCalibrationDue[] = "2099-12-31";

// Registers `id` as the administrator and records its calibration.
inline void RegisterCalibratedEquipment(const std::string& server, const std::string& state_dir,
                                        const std::string& id, const std::string& kind,
                                        const std::string& name) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"equipment", "register", id, "--kind", kind, "--name", name},
        std::vector<std::string>{"equipment", "calibrate", id, "--certificate", "CAL-" + id,
                                 "--next-due", kCalibrationDue}}) {
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

}  // namespace cpctrack::testing

#endif  // CPCTRACK_TESTS_E2E_CLI_INVENTORY_H_
