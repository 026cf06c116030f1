// One request's state, shared by web_app.cc and web_routes.cc.
#ifndef CPCTRACK_WEB_WEB_CALL_H_
#define CPCTRACK_WEB_WEB_CALL_H_

#include <memory>

#include "web/messages.h"
#include "web/sessions.h"
#include "web/web_app.h"

namespace cpcweb {

struct WebApp::Call {
  Lang lang = Lang::kEnglish;
  std::shared_ptr<const WebSession> session;  // null: no session cookie known
};

}  // namespace cpcweb

#endif  // CPCTRACK_WEB_WEB_CALL_H_
