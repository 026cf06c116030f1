// cpc-lab: offline tools for the lab bench. Works without a server; every
// formula comes from the domain library, never a copy of it.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "domain/din.h"
#include "domain/growth.h"

namespace {

using cpctrack::domain::Din;

constexpr char kUsage[] =
    "cpc-lab: offline tools for the cell processing lab\n"
    "\n"
    "Commands:\n"
    "  check-din ID                   check a batch ID's ISBT 128 check character\n"
    "  din FACILITY YEAR SEQUENCE     the full batch ID (DIN + check character)\n"
    "  growth SEEDED HARVESTED HOURS  population doublings and doubling time\n"
    "\n"
    "Examples:\n"
    "  cpc-lab check-din \"G1234 17 654321 A\"\n"
    "  cpc-lab din G1234 17 654321\n"
    "  cpc-lab growth 1e6 8e6 72\n";

int Usage(const std::string& problem) {
  std::fprintf(stderr, "cpc-lab: %s\n\n%s", problem.c_str(), kUsage);
  return 2;
}

bool ParseCount(const std::string& text, double* out) {
  return absl::SimpleAtod(text, out) && *out > 0;
}

int CheckDin(const std::vector<std::string>& args) {
  if (args.size() != 1) return Usage("check-din takes one batch ID");
  absl::StatusOr<Din> din = Din::Parse(args[0]);
  if (!din.ok()) {
    std::fprintf(stderr, "cpc-lab: %s\n", std::string(din.status().message()).c_str());
    return 1;
  }
  std::printf("%s  ok (check character %c)\n", din->Spaced().c_str(), din->compact().back());
  return 0;
}

int MakeDin(const std::vector<std::string>& args) {
  int year = 0;
  int sequence = 0;
  if (args.size() != 3 || !absl::SimpleAtoi(args[1], &year) ||
      !absl::SimpleAtoi(args[2], &sequence)) {
    return Usage("din takes FACILITY YEAR SEQUENCE, e.g. din G1234 17 654321");
  }
  absl::StatusOr<Din> din = Din::Create(args[0], year, sequence);
  if (!din.ok()) {
    std::fprintf(stderr, "cpc-lab: %s\n", std::string(din.status().message()).c_str());
    return 1;
  }
  std::printf("%s\n%s\n", din->Spaced().c_str(), din->compact().c_str());
  return 0;
}

int Growth(const std::vector<std::string>& args) {
  double seeded = 0, harvested = 0, hours = 0;
  if (args.size() != 3 || !ParseCount(args[0], &seeded) || !ParseCount(args[1], &harvested) ||
      !ParseCount(args[2], &hours)) {
    return Usage("growth takes SEEDED HARVESTED HOURS, all positive numbers");
  }
  const auto n_seeded = static_cast<int64_t>(seeded);
  const auto n_harvested = static_cast<int64_t>(harvested);
  const double pd = cpctrack::domain::PopulationDoublings(n_seeded, n_harvested);
  std::printf("population doublings  PD = log2(%g / %g) = %.2f\n", harvested, seeded, pd);
  auto dt = cpctrack::domain::DoublingTime(absl::Hours(hours), n_seeded, n_harvested);
  if (dt.has_value()) {
    std::printf("doubling time         DT = %g h x ln 2 / ln(%g / %g) = %.1f h\n", hours,
                harvested, seeded, absl::ToDoubleHours(*dt));
  } else {
    std::printf("doubling time         none: the cells did not grow\n");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kUsage, stdout);
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "check-din") return CheckDin(args);
  if (command == "din") return MakeDin(args);
  if (command == "growth") return Growth(args);
  return Usage("unknown command \"" + command + "\"");
}
