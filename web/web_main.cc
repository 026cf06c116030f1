// cpc-web: the clinic's window on cpctrack. A small web server that is one
// more gRPC client of cpcd (never opening the database): the scheduler's
// board, batch pages and the auditors' pages, signed in with cpcd's users.
//   cpc-web --cpcd 127.0.0.1:50051 --port 8080
//   cpc-web --listen 0.0.0.0 --port 8443 --tls_cert web.pem --tls_key web.key
#include <httplib.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "domain/network.h"
#include "web/web_app.h"

ABSL_FLAG(std::string, listen, "127.0.0.1",
          "address to listen on; plain HTTP (no TLS) only on loopback");
ABSL_FLAG(int, port, 8080, "port to listen on; 0 picks a free port and prints it");
ABSL_FLAG(std::string, cpcd, "127.0.0.1:50051", "cpcd's address, HOST:PORT");
ABSL_FLAG(std::string, cpcd_ca_cert, "",
          "PEM CA that signed cpcd's certificate: talk to cpcd over TLS");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain of this web server: serve HTTPS");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, time_zone, "localtime",
          "IANA time zone times and dates are shown in, e.g. Asia/Tokyo");
ABSL_FLAG(int, board_days, 14, "days of planned infusions the board shows by default (1 to 90)");
ABSL_FLAG(int, refresh_seconds, 60, "how often the board reloads itself");

namespace {

httplib::Server* g_server = nullptr;

void Stop(int) {
  if (g_server != nullptr) g_server->stop();
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  *out = text.str();
  return true;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "cpc-web: %s\n", message.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "cpc-web: the board, batch pages and auditors' pages of cpctrack in a browser.\n"
      "  cpc-web --cpcd 127.0.0.1:50051 --port 8080\n"
      "  cpc-web --listen 0.0.0.0 --port 8443 --tls_cert web.pem --tls_key web.key "
      "--cpcd cpcd.example:50051 --cpcd_ca_cert ca.pem");
  absl::ParseCommandLine(argc, argv);
  const std::string host = absl::GetFlag(FLAGS_listen);
  const std::string cert = absl::GetFlag(FLAGS_tls_cert);
  const std::string key = absl::GetFlag(FLAGS_tls_key);
  if (cert.empty() != key.empty()) return Fail("--tls_cert and --tls_key go together");
  const bool tls = !cert.empty();
  if (!tls && !cpctrack::domain::IsLoopbackHost(host)) {
    return Fail(absl::StrCat("plain HTTP is allowed only on loopback; to listen on ", host,
                             " give --tls_cert and --tls_key"));
  }
  cpcweb::WebOptions options;
  options.cpcd_address = absl::GetFlag(FLAGS_cpcd);
  options.tls = tls;
  options.board_days = absl::GetFlag(FLAGS_board_days);
  options.refresh_seconds = absl::GetFlag(FLAGS_refresh_seconds);
  if (options.board_days < 1 || options.board_days > 90) {
    return Fail(absl::StrCat("--board_days: ", options.board_days, " must be 1 to 90"));
  }
  if (options.refresh_seconds < 5) {
    return Fail(absl::StrCat("--refresh_seconds: ", options.refresh_seconds,
                             " must be at least 5"));
  }
  const std::string zone_name = absl::GetFlag(FLAGS_time_zone);
  if (zone_name == "localtime") {
    options.zone = absl::LocalTimeZone();
  } else if (!absl::LoadTimeZone(zone_name, &options.zone)) {
    return Fail(absl::StrCat("--time_zone: unknown time zone \"", zone_name, "\""));
  }
  const std::string ca = absl::GetFlag(FLAGS_cpcd_ca_cert);
  if (!ca.empty() && !ReadFile(ca, &options.cpcd_ca_pem)) {
    return Fail(absl::StrCat("--cpcd_ca_cert: cannot read ", ca));
  }

  std::unique_ptr<httplib::Server> server;
  if (tls) {
    auto ssl = std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str());
    if (!ssl->is_valid()) {
      return Fail(absl::StrCat("--tls_cert/--tls_key: cannot load ", cert, " and ", key));
    }
    server = std::move(ssl);
  } else {
    server = std::make_unique<httplib::Server>();
  }
  cpcweb::WebApp app(options);
  app.Install(*server);
  int port = absl::GetFlag(FLAGS_port);
  if (port == 0) {
    port = server->bind_to_any_port(host);
    if (port < 0) return Fail(absl::StrCat("cannot listen on ", host));
  } else if (!server->bind_to_port(host, port)) {
    return Fail(absl::StrCat("cannot listen on ", host, ":", port));
  }
  g_server = server.get();
  std::signal(SIGTERM, Stop);
  std::signal(SIGINT, Stop);
  if (!tls) {
    std::printf("cpc-web: WARNING: plain HTTP on loopback: for development only; give "
                "--tls_cert and --tls_key in production\n");
  }
  // Tests and scripts read the port from this line.
  std::printf("cpc-web: listening on %s:%d (%s); cpcd at %s\n", host.c_str(), port,
              tls ? "https" : "http", options.cpcd_address.c_str());
  std::fflush(stdout);
  server->listen_after_bind();
  return 0;
}
