#include <algorithm>
#include <stdexcept>

#include "domain/errors.h"
#include "domain/validate.h"
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

std::map<std::string, std::string> parse_query(std::string_view query) {
  auto decode = [](std::string_view s) {
    auto hex = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1; };
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') {
        out += ' ';
      } else if (s[i] != '%') {
        out += s[i];  // other bytes as sent (raw UTF-8 from a hand-typed address included)
      } else {
        int high = i + 2 < s.size() ? hex(s[i + 1]) : -1, low = high < 0 ? -1 : hex(s[i + 2]);
        if (low < 0) throw std::invalid_argument("bad %-escape in the query");
        out += static_cast<char>(high * 16 + low);
        i += 2;
      }
    }
    if (!validate::utf8_length(out)) throw std::invalid_argument("the query is not UTF-8");
    return out;
  };
  std::map<std::string, std::string> out;
  for (size_t pos = 0; pos < query.size();) {
    size_t end = std::min(query.find('&', pos), query.size());
    std::string_view part = query.substr(pos, end - pos);
    if (!part.empty()) {
      size_t eq = part.find('=');
      out[decode(part.substr(0, eq))] = eq == std::string_view::npos ? "" : decode(part.substr(eq + 1));
    }
    pos = end + 1;
  }
  return out;
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
