#include "web/sessions.h"

#include <array>
#include <random>

#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace cpcweb {

std::string RandomToken() {
  std::random_device device;  // /dev/urandom on Linux
  std::string token;
  for (int i = 0; i < 8; ++i) absl::StrAppendFormat(&token, "%08x", device());
  return token;
}

bool SameToken(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  unsigned char difference = 0;
  for (size_t i = 0; i < a.size(); ++i) difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  return difference == 0;
}

std::string CookieValue(absl::string_view cookie_header, absl::string_view name) {
  for (absl::string_view pair : absl::StrSplit(cookie_header, ';')) {
    pair = absl::StripAsciiWhitespace(pair);
    if (absl::ConsumePrefix(&pair, name) && absl::ConsumePrefix(&pair, "=")) {
      return std::string(pair);
    }
  }
  return "";
}

std::shared_ptr<const WebSession> SessionStore::Create(std::string user,
                                                       std::shared_ptr<const cpc::Connection> cpcd,
                                                       absl::Time expire_time, absl::Time now) {
  auto session = std::make_shared<WebSession>();
  session->id = RandomToken();
  session->csrf = RandomToken();
  session->user = std::move(user);
  session->cpcd = std::move(cpcd);
  session->expire_time = expire_time;
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = it->second->expire_time <= now ? sessions_.erase(it) : std::next(it);
  }
  sessions_[session->id] = session;
  return session;
}

std::shared_ptr<const WebSession> SessionStore::Find(absl::string_view id, absl::Time now) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return nullptr;
  if (it->second->expire_time <= now) {
    sessions_.erase(it);
    return nullptr;
  }
  return it->second;
}

void SessionStore::Erase(absl::string_view id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sessions_.find(id);
  if (it != sessions_.end()) sessions_.erase(it);
}

}  // namespace cpcweb
