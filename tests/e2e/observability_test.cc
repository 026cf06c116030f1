// What a clinic's IT watches: Prometheus metrics on a loopback port of their
// own, and the request log as JSON lines for a collector.
#include <httplib.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "absl/strings/str_split.h"
#include "tests/e2e/api_fixture.h"

namespace cpctrack::testing {
namespace {

using ::testing::HasSubstr;

class ObservabilityTest : public ApiTest {};

TEST_F(ObservabilityTest, MetricsAndJsonLogsDescribeTheServer) {
  Disconnect();
  ASSERT_EQ(server_->Stop(), 0);
  server_->Restart({.extra_flags = {"--metrics_port", "-1", "--log_format", "json"}});
  Connect();
  v1::ListPatientsResponse patients;
  ASSERT_TRUE(patients_->ListPatients(Context("tech.sato").get(), {}, &patients).ok());

  std::smatch port;
  const std::string output = server_->Output();
  ASSERT_TRUE(std::regex_search(output, port, std::regex("metrics at http://127.0.0.1:(\\d+)/")))
      << output;
  httplib::Client client("127.0.0.1", std::stoi(port[1]));
  const httplib::Result scraped = client.Get("/metrics");
  ASSERT_TRUE(scraped) << "no answer on the metrics port";
  EXPECT_EQ(scraped->status, 200);
  const std::string& text = scraped->body;
  EXPECT_THAT(text, HasSubstr(
      "cpcd_requests_total{method=\"/cpctrack.v1.PatientService/ListPatients\",code=\"OK\"} 1"));
  EXPECT_THAT(text, HasSubstr("cpcd_request_duration_seconds_bucket{method=\"/cpctrack.v1."
                              "PatientService/ListPatients\",le=\"+Inf\"} 1"));
  EXPECT_THAT(text, HasSubstr("cpcd_commit_group_size_count "));
  EXPECT_THAT(text, ::testing::ContainsRegex("cpcd_open_sessions [1-9]"));
  EXPECT_THAT(text, HasSubstr("cpcd_audit_entries "));
  EXPECT_THAT(text, HasSubstr("cpcd_database_bytes "));
  EXPECT_THAT(text, HasSubstr("cpcd_sign_in_failures_total 0"));

  // Every request log line is one JSON object.
  bool listed = false;
  for (absl::string_view line : absl::StrSplit(server_->Log(), '\n', absl::SkipEmpty())) {
    if (line.find("/cpctrack.v1.") == absl::string_view::npos) continue;
    EXPECT_EQ(line.front(), '{') << line;
    EXPECT_EQ(line.back(), '}') << line;
    if (line.find("\"method\":\"/cpctrack.v1.PatientService/ListPatients\"") !=
        absl::string_view::npos) {
      listed = true;
      EXPECT_THAT(std::string(line), HasSubstr("\"user\":\"tech.sato\""));
      EXPECT_THAT(std::string(line), HasSubstr("\"code\":\"OK\""));
    }
  }
  EXPECT_TRUE(listed) << server_->Log();
}

}  // namespace
}  // namespace cpctrack::testing
