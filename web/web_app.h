// cpc-web's routes: sign-in and sign-out, the board, batch pages and the
// auditors' pages, each answered by calling cpcd as the signed-in user.
#ifndef CPCTRACK_WEB_WEB_APP_H_
#define CPCTRACK_WEB_WEB_APP_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "client/connection.h"
#include "web/messages.h"
#include "web/sessions.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace cpcweb {

struct WebOptions {
  std::string cpcd_address = "127.0.0.1:50051";
  // PEM of the CA that signed cpcd's certificate; empty: plain text (cpcd
  // allows that only on loopback).
  std::string cpcd_ca_pem;
  absl::TimeZone zone;
  int board_days = 14;
  int refresh_seconds = 60;
  // Served over TLS: the session cookie is marked Secure.
  bool tls = false;
  absl::Duration cpcd_timeout = absl::Seconds(10);
};

class WebApp {
 public:
  explicit WebApp(WebOptions options) : options_(std::move(options)) {}
  // Registers every route, the security headers and the request log.
  void Install(httplib::Server& server);

 private:
  struct Call;  // one request: its language, session and response

  void Login(const httplib::Request& req, httplib::Response& res);
  void SignIn(const httplib::Request& req, httplib::Response& res);
  void SignOut(const httplib::Request& req, httplib::Response& res);
  void Board(const httplib::Request& req, httplib::Response& res);
  void Batch(const httplib::Request& req, httplib::Response& res);
  void BatchPdf(const httplib::Request& req, httplib::Response& res);
  void Sterility(const httplib::Request& req, httplib::Response& res, bool csv);
  void Trail(const httplib::Request& req, httplib::Response& res);

  // The request's language and session; when `need_user` and nobody is
  // signed in, answers with a redirect to /login and returns false.
  bool Begin(const httplib::Request& req, httplib::Response& res, Call* call, bool need_user);
  // Whether the form's CSRF token is the session's; answers 403 otherwise.
  bool CheckCsrf(const httplib::Request& req, httplib::Response& res, const Call& call);
  void SendPage(const Call& call, httplib::Response& res, const std::string& title,
                const std::string& body, int refresh_seconds = 0,
                const std::string& body_class = "");
  // cpcd's refusal as a page: 403 for PERMISSION_DENIED, 404, 400; an ended
  // cpcd session signs the browser out.
  void SendError(const Call& call, httplib::Response& res, const absl::Status& status);
  std::string SessionCookie(const std::string& id, bool clear = false) const;
  cpc::ConnectionOptions CpcdOptions(const std::string& token) const;

  WebOptions options_;
  SessionStore sessions_;
};

}  // namespace cpcweb

#endif  // CPCTRACK_WEB_WEB_APP_H_
