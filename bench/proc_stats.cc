#include "bench/proc_stats.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace cpctrack::bench {
namespace {

double StatusMib(pid_t pid, const char* field) {
  std::ifstream status(absl::StrFormat("/proc/%d/status", pid));
  std::string line;
  const std::string format = absl::StrCat(field, ": %ld kB");
  while (std::getline(status, line)) {
    long kib = 0;
    if (std::sscanf(line.c_str(), format.c_str(), &kib) == 1) return kib / 1024.0;
  }
  return 0;
}

}  // namespace

double CpuSeconds(pid_t pid) {
  // utime + stime: fields 14 and 15 of /proc/PID/stat, after the name.
  std::ifstream stat(absl::StrFormat("/proc/%d/stat", pid));
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t end_of_name = text.rfind(')');
  if (end_of_name == std::string::npos) return 0;
  std::vector<std::string> fields = absl::StrSplit(text.substr(end_of_name + 2), ' ');
  if (fields.size() < 13) return 0;
  return (std::stod(fields[11]) + std::stod(fields[12])) / sysconf(_SC_CLK_TCK);
}

double ThreadCpuSeconds(pid_t pid) {
  // The first field of each thread's schedstat: nanoseconds on a CPU.
  double total = 0;
  std::error_code error;
  for (const auto& task :
       std::filesystem::directory_iterator(absl::StrFormat("/proc/%d/task", pid), error)) {
    std::ifstream schedstat(task.path() / "schedstat");
    double ns = 0;
    if (schedstat >> ns) total += ns / 1e9;
  }
  return total;
}

double PeakRssMib(pid_t pid) { return StatusMib(pid, "VmHWM"); }
double RssMib(pid_t pid) { return StatusMib(pid, "VmRSS"); }

void ResetPeakRss(pid_t pid) {
  std::ofstream clear(absl::StrFormat("/proc/%d/clear_refs", pid));
  clear << "5\n";
}

}  // namespace cpctrack::bench
