// cpc-web's sessions. The browser holds only a random session ID in an
// HttpOnly, SameSite=Strict cookie; the cpcd session token stays here, in
// the web session, with the CSRF token every form of that session carries.
#ifndef CPCTRACK_WEB_SESSIONS_H_
#define CPCTRACK_WEB_SESSIONS_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "client/connection.h"

namespace cpcweb {

struct WebSession {
  std::string id;
  std::string csrf;
  // Empty: not signed in yet (the session exists to carry the sign-in
  // form's CSRF token).
  std::string user;
  // Calls cpcd with this user's session token; null when not signed in.
  std::shared_ptr<const cpc::Connection> cpcd;
  absl::Time expire_time;
};

// 32 random bytes from the system's generator, as 64 hex digits.
std::string RandomToken();

// Whether two tokens are equal, in time that does not depend on where they
// differ.
bool SameToken(absl::string_view a, absl::string_view b);

// The value of cookie `name` in a Cookie header; "" when absent.
std::string CookieValue(absl::string_view cookie_header, absl::string_view name);

// Thread-safe; sessions past their expiry are dropped when found and when a
// session is created.
class SessionStore {
 public:
  // A new session with fresh random ID and CSRF token.
  std::shared_ptr<const WebSession> Create(std::string user,
                                           std::shared_ptr<const cpc::Connection> cpcd,
                                           absl::Time expire_time, absl::Time now);
  // Null when unknown or expired.
  std::shared_ptr<const WebSession> Find(absl::string_view id, absl::Time now);
  void Erase(absl::string_view id);

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const WebSession>, std::less<>> sessions_;
};

}  // namespace cpcweb

#endif  // CPCTRACK_WEB_SESSIONS_H_
