#include "domain/errors.h"
#include "http/api.h"
#include "http/handlers/handlers.h"

namespace huoyan::http {

const std::vector<Route>& routes() {
  static const std::vector<Route> all = [] {
    std::vector<Route> r;
    add_system_routes(r);
    add_admin_routes(r);
    add_registry_routes(r);
    add_permit_routes(r);
    add_hazard_routes(r);
    add_notification_routes(r);
    return r;
  }();
  return all;
}

std::string Request::cookie(const std::string& name) const {
  std::string header_value = header("cookie");
  size_t pos = 0;
  while (pos < header_value.size()) {
    size_t end = header_value.find(';', pos);
    if (end == std::string::npos) end = header_value.size();
    std::string part = header_value.substr(pos, end - pos);
    size_t start = part.find_first_not_of(' ');
    if (start != std::string::npos) part = part.substr(start);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return {};
}

long long Request::id(const std::string& name) const {
  auto it = params.find(name);
  if (it == params.end() || it->second.empty() || it->second.size() > 15) throw not_found();
  long long v = 0;
  for (char c : it->second) {
    if (c < '0' || c > '9') throw not_found();
    v = v * 10 + (c - '0');
  }
  if (v == 0) throw not_found();
  return v;
}

Reply Reply::json_body(const json& j, int status) {
  Reply r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Reply Reply::json_text(std::string text, int status) {
  Reply r;
  r.status = status;
  r.body = std::move(text);
  return r;
}

Reply Reply::error(int status, const std::string& code, const std::string& message, const std::string& field) {
  return json_body({{"code", code}, {"message", message}, {"field", field.empty() ? json(nullptr) : json(field)}}, status);
}

}  // namespace huoyan::http
