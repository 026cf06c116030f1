// cpcd over TLS and mutual TLS, with a CA, server and client certificates
// made by the test itself (openssl), driven by gRPC stubs and the real cpc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "cpctrack/v1/patients.grpc.pb.h"
#include "tests/e2e/server_process.h"
#include "tests/e2e/test_users.h"

namespace cpctrack::testing {
namespace {

using ::testing::HasSubstr;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// ca.pem/ca.key; server.pem/server.key for 127.0.0.1 and localhost;
// client.pem/client.key; other-ca.pem, a CA that signed nothing here.
void MakeCertificates(const std::string& dir) {
  const std::string quiet = " >/dev/null 2>&1";
  auto run = [&](const std::string& command) {
    ASSERT_EQ(std::system((command + quiet).c_str()), 0) << command;
  };
  for (const char* ca : {"ca", "other-ca"}) {
    run(absl::StrCat("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
                     "-days 2 -subj /CN=cpctrack-test-", ca, " -keyout ", dir, "/", ca,
                     ".key -out ", dir, "/", ca, ".pem"));
  }
  std::ofstream(dir + "/server.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
  std::ofstream(dir + "/client.ext") << "extendedKeyUsage=clientAuth\n";
  for (const char* who : {"server", "client"}) {
    run(absl::StrCat("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
                     "-subj /CN=", who, " -keyout ", dir, "/", who, ".key -out ", dir, "/", who,
                     ".csr"));
    run(absl::StrCat("openssl x509 -req -in ", dir, "/", who, ".csr -CA ", dir, "/ca.pem -CAkey ",
                     dir, "/ca.key -CAcreateserial -days 2 -extfile ", dir, "/", who,
                     ".ext -out ", dir, "/", who, ".pem"));
  }
}

std::shared_ptr<grpc::Channel> TlsChannel(const std::string& address, const std::string& dir,
                                          bool client_certificate,
                                          const std::string& ca = "ca.pem") {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadAll(dir + "/" + ca);
  if (client_certificate) {
    ssl.pem_cert_chain = ReadAll(dir + "/client.pem");
    ssl.pem_private_key = ReadAll(dir + "/client.key");
  }
  return grpc::CreateChannel(address, grpc::SslCredentials(ssl));
}

grpc::Status Ping(const std::shared_ptr<grpc::Channel>& channel, const std::string& token) {
  auto stub = v1::PatientService::NewStub(channel);
  v1::ListPatientsResponse response;
  auto ctx = TokenContext(token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return stub->ListPatients(ctx.get(), v1::ListPatientsRequest(), &response);
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override { MakeCertificates(dir_.path()); }
  std::string Path(const std::string& name) const { return dir_.path() + "/" + name; }
  TempDir dir_;
};

TEST_F(TlsTest, ServesTlsThatCpcVerifiesAgainstTheCaFile) {
  ServerProcess server(Path("cpctrack.db"),
                       {.extra_flags = {"--tls_cert", Path("server.pem"), "--tls_key",
                                        Path("server.key")}});
  {
    auto channel = TlsChannel(server.address(), dir_.path(), false);
    CreateTestUsers(channel);
    const std::string token = LoginToken(channel, "tech.sato");
    EXPECT_TRUE(Ping(channel, token).ok());
    // A client that trusts another CA does not talk to this server.
    EXPECT_EQ(Ping(TlsChannel(server.address(), dir_.path(), false, "other-ca.pem"), token)
                  .error_code(),
              grpc::StatusCode::UNAVAILABLE);
    // Nor does a plain-text one.
    EXPECT_EQ(Ping(grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()),
                   token)
                  .error_code(),
              grpc::StatusCode::UNAVAILABLE);
  }

  const std::string config = Path("config");
  const std::vector<std::string> env =
      CpcEnvironment(server.address(), config, Path("state"));
  CliResult r = RunProgram({CPC_PATH, "--ca-file", Path("ca.pem"), "login", "qa.tanaka",
                            "--password-stdin"},
                           env, TestPassword("qa.tanaka") + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Logged in to " + server.address() + " as qa.tanaka"));
  r = RunProgram({CPC_PATH, "--ca-file", Path("ca.pem"), "status"}, env, "");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("qa.tanaka"));
  r = RunProgram({CPC_PATH, "status"}, env, "");
  EXPECT_NE(r.exit_code, 0) << "plain text to a TLS server";
  EXPECT_THAT(ReadAll(Path("cpctrack.db") + ".out"), HasSubstr("cpcd: TLS"));
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(TlsTest, MutualTlsRequiresAClientCertificateFromTheCa) {
  ServerProcess server(Path("cpctrack.db"),
                       {.extra_flags = {"--tls_cert", Path("server.pem"), "--tls_key",
                                        Path("server.key"), "--tls_client_ca", Path("ca.pem")}});
  {
    auto with_certificate = TlsChannel(server.address(), dir_.path(), true);
    CreateTestUsers(with_certificate);
    const std::string token = LoginToken(with_certificate, "tech.sato");
    EXPECT_TRUE(Ping(with_certificate, token).ok());
    EXPECT_EQ(Ping(TlsChannel(server.address(), dir_.path(), false), token).error_code(),
              grpc::StatusCode::UNAVAILABLE);
  }
  const std::vector<std::string> env =
      CpcEnvironment(server.address(), Path("config"), Path("state"));
  CliResult r = RunProgram({CPC_PATH, "--ca-file", Path("ca.pem"), "--cert", Path("client.pem"),
                            "--key", Path("client.key"), "login", "tech.sato",
                            "--password-stdin"},
                           env, TestPassword("tech.sato") + "\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = RunProgram({CPC_PATH, "--ca-file", Path("ca.pem"), "status"}, env, "");
  EXPECT_NE(r.exit_code, 0) << "no client certificate";
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(TlsTest, PlainTextIsRefusedOffLoopbackAndWarnedAboutOnIt) {
  const CliResult refused =
      RunProgram({CPCD_PATH, "--db", Path("x.db"), "--listen", "0.0.0.0", "--port", "0"}, {}, "");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("only on loopback"));

  ServerProcess server(Path("plain.db"));
  EXPECT_THAT(ReadAll(Path("plain.db") + ".out"), HasSubstr("WARNING: plain-text gRPC"));
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace cpctrack::testing
