// Sessions, sign-in and sign-out, errors and the routes table. The pages'
// handlers are in web_routes.cc.
#include "web/web_app.h"

#include <httplib.h>

#include <cstdio>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/time_format.h"
#include "web/html.h"
#include "web/simple_pages.h"
#include "web/web_call.h"

namespace cpcweb {

namespace v1 = ::cpctrack::v1;

namespace {

constexpr char kCookie[] = "cpcweb";
// A sign-in form not used within this long is stale.
constexpr absl::Duration kSignInFormLifetime = absl::Hours(1);

void Redirect(httplib::Response& res, const std::string& to) {
  res.status = 303;
  res.set_header("Location", to);
}

}  // namespace

std::string WebApp::SessionCookie(const std::string& id, bool clear) const {
  return absl::StrCat(kCookie, "=", clear ? "" : id, "; Path=/; HttpOnly; SameSite=Strict",
                      clear ? "; Max-Age=0" : "", options_.tls ? "; Secure" : "");
}

cpc::ConnectionOptions WebApp::CpcdOptions(const std::string& token) const {
  cpc::ConnectionOptions options;
  options.server = options_.cpcd_address;
  options.server_given = true;
  options.token = token;
  options.ca_pem = options_.cpcd_ca_pem;
  options.timeout = options_.cpcd_timeout;
  return options;
}

bool WebApp::Begin(const httplib::Request& req, httplib::Response& res, Call* call,
                   bool need_user) {
  call->lang = ChooseLanguage(req.get_header_value("Accept-Language"));
  call->session = sessions_.Find(CookieValue(req.get_header_value("Cookie"), kCookie), absl::Now());
  if (need_user && (call->session == nullptr || call->session->user.empty())) {
    Redirect(res, "/login");
    return false;
  }
  return true;
}

bool WebApp::CheckCsrf(const httplib::Request& req, httplib::Response& res, const Call& call) {
  if (call.session != nullptr && SameToken(req.get_param_value("csrf"), call.session->csrf)) {
    return true;
  }
  res.status = 403;
  SendPage(call, res, std::string(Msg(call.lang, "error.forbidden")),
           absl::StrCat(ErrorBody(std::string(Msg(call.lang, "error.csrf"))),
                        "<p><a href=\"/login\">", Escape(Msg(call.lang, "login.title")),
                        "</a></p>"));
  return false;
}

void WebApp::SendPage(const Call& call, httplib::Response& res, const std::string& title,
                      const std::string& body, int refresh_seconds,
                      const std::string& body_class) {
  PageFrame frame;
  frame.title = title;
  frame.lang = call.lang;
  frame.refresh_seconds = refresh_seconds;
  frame.body_class = body_class;
  if (call.session != nullptr && !call.session->user.empty()) {
    frame.viewer = {call.session->user, call.session->csrf};
  }
  res.set_content(RenderPage(frame, body), "text/html; charset=utf-8");
}

void WebApp::SendError(const Call& call, httplib::Response& res, const absl::Status& status) {
  const Lang lang = call.lang;
  const std::string message(status.message());
  if (absl::IsUnauthenticated(status)) {
    // cpcd no longer knows the session (expired, user disabled): sign out here too.
    if (call.session != nullptr) sessions_.Erase(call.session->id);
    res.set_header("Set-Cookie", SessionCookie("", /*clear=*/true));
    Redirect(res, "/login?expired=1");
    return;
  }
  const char* title_key = "error.unavailable";
  std::string text = message;
  if (absl::IsPermissionDenied(status)) {
    res.status = 403;
    title_key = "error.forbidden";
    text = Fill(Msg(lang, "error.forbidden_text"), {message});
  } else if (absl::IsNotFound(status)) {
    res.status = 404;
    title_key = "error.not_found";
  } else if (absl::IsInvalidArgument(status) || absl::IsFailedPrecondition(status) ||
             absl::IsOutOfRange(status)) {
    res.status = 400;
    title_key = "error.bad_request";
  } else if (absl::IsUnimplemented(status)) {
    res.status = 501;
    title_key = "error.not_found";
    text = absl::StrCat(Msg(lang, "error.pdf"), " (", message, ")");
  } else {
    res.status = 502;
  }
  SendPage(call, res, std::string(Msg(lang, title_key)), ErrorBody(text));
}

void WebApp::Login(const httplib::Request& req, httplib::Response& res) {
  Call call;
  Begin(req, res, &call, /*need_user=*/false);
  if (call.session != nullptr && !call.session->user.empty()) return Redirect(res, "/board");
  if (call.session == nullptr) {
    // A session before sign-in, so that the form carries a CSRF token.
    call.session = sessions_.Create("", nullptr, absl::Now() + kSignInFormLifetime, absl::Now());
    res.set_header("Set-Cookie", SessionCookie(call.session->id));
  }
  const std::string note =
      req.has_param("expired") ? std::string(Msg(call.lang, "login.expired")) : "";
  SendPage(call, res, std::string(Msg(call.lang, "login.title")),
           LoginBody(call.session->csrf, note, call.lang));
}

void WebApp::SignIn(const httplib::Request& req, httplib::Response& res) {
  Call call;
  Begin(req, res, &call, /*need_user=*/false);
  if (!CheckCsrf(req, res, call)) return;
  v1::LoginRequest request;
  request.set_user_name(req.get_param_value("user"));
  request.set_password(req.get_param_value("password"));
  // A password an administrator set is replaced at this sign-in.
  request.set_new_password(req.get_param_value("new_password"));
  v1::LoginResponse login;
  const cpc::Connection anonymous(CpcdOptions(""));
  const absl::Status status = anonymous.Call(&v1::AuthService::Stub::Login, request, &login);
  if (!status.ok()) {
    res.status = absl::IsUnauthenticated(status)        ? 401
                 : absl::IsFailedPrecondition(status) ||
                         absl::IsInvalidArgument(status) ? 400
                                                         : 502;
    SendPage(call, res, std::string(Msg(call.lang, "login.title")),
             LoginBody(call.session->csrf,
                       absl::StrCat(Msg(call.lang, "login.failed"), ": ", status.message()),
                       call.lang));
    return;
  }
  // A new session ID at sign-in: an ID seen before it is worth nothing after.
  sessions_.Erase(call.session->id);
  auto cpcd = std::make_shared<const cpc::Connection>(CpcdOptions(login.token()));
  std::shared_ptr<const WebSession> session =
      sessions_.Create(login.user().user_name(), std::move(cpcd),
                       cpc::FromProto(login.expire_time()), absl::Now());
  res.set_header("Set-Cookie", SessionCookie(session->id));
  Redirect(res, "/board");
}

void WebApp::SignOut(const httplib::Request& req, httplib::Response& res) {
  Call call;
  if (!Begin(req, res, &call, /*need_user=*/true)) return;
  if (!CheckCsrf(req, res, call)) return;
  v1::LogoutResponse response;
  const absl::Status status =
      call.session->cpcd->Call(&v1::AuthService::Stub::Logout, v1::LogoutRequest(), &response);
  if (!status.ok()) {
    std::fprintf(stderr, "cpc-web: logout of %s at cpcd failed: %s\n",
                 absl::CHexEscape(call.session->user).c_str(),
                 absl::CHexEscape(status.ToString()).c_str());
  }
  sessions_.Erase(call.session->id);
  res.set_header("Set-Cookie", SessionCookie("", /*clear=*/true));
  Redirect(res, "/login");
}

void WebApp::Install(httplib::Server& server) {
  httplib::Headers headers;
  for (const auto& [name, value] : SecurityHeaders()) headers.emplace(name, value);
  server.set_default_headers(headers);
  server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    // The path is the client's text: escaped, and without the query string.
    std::fprintf(stderr, "cpc-web: %s %s %d\n", req.method.c_str(),
                 absl::CHexEscape(req.path).c_str(), res.status);
  });
  server.Get("/style.css", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(StyleSheet()), "text/css; charset=utf-8");
  });
  server.Get("/", [](const httplib::Request&, httplib::Response& res) { Redirect(res, "/board"); });
  server.Get("/login", [this](const auto& req, auto& res) { Login(req, res); });
  server.Post("/login", [this](const auto& req, auto& res) { SignIn(req, res); });
  server.Post("/logout", [this](const auto& req, auto& res) { SignOut(req, res); });
  server.Get("/board", [this](const auto& req, auto& res) { Board(req, res); });
  server.Get("/batches", [this](const auto& req, auto& res) { Batch(req, res); });
  server.Get(R"(/batches/([A-Za-z0-9 -]+)/record\.pdf)",
             [this](const auto& req, auto& res) { BatchPdf(req, res); });
  server.Get(R"(/batches/([A-Za-z0-9 -]+))", [this](const auto& req, auto& res) { Batch(req, res); });
  server.Get("/audit/sterility", [this](const auto& req, auto& res) { Sterility(req, res, false); });
  server.Get("/audit/sterility.csv",
             [this](const auto& req, auto& res) { Sterility(req, res, true); });
  server.Get("/audit/trail", [this](const auto& req, auto& res) { Trail(req, res); });
  server.Post("/audit/trail", [this](const auto& req, auto& res) { Trail(req, res); });
}

}  // namespace cpcweb
