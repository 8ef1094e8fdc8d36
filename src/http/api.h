#pragma once
// What a handler sees of HTTP: plain structs, no RESTinio or asio, so that
// handlers, app and domain code compile fast and test without a server.
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/auth.h"
#include "store/db.h"

namespace huoyan::http {

using nlohmann::json;

// A URL query string (without '?') as a browser's URLSearchParams reads it: parts split at '&', empty parts
// skipped, a part without '=' a key with an empty value, '+' a space, %XX decoded, a repeated key's last value
// kept. Throws std::invalid_argument on a broken %-escape or text that is not UTF-8.
std::map<std::string, std::string> parse_query(std::string_view query);

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;
  std::map<std::string, std::string> query;    // decoded
  std::map<std::string, std::string> headers;  // names lower-case
  std::map<std::string, std::string> params;   // route parameters (":id")
  std::string body;
  std::string remote_ip;

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::string cookie(const std::string& name) const;
  // Route parameter as a positive integer; NOT_FOUND otherwise.
  long long id(const std::string& name = "id") const;
};

struct Reply {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set by GET /api/alerts/stream for an EventSource: the server keeps the
  // response open and pushes the caller's alert changes (http/alert_feed).
  struct AlertFeed {
    access::Caller caller;
    std::string since;  // replay changes from here first; empty: none
  };
  std::optional<AlertFeed> alert_feed;

  static Reply json_body(const json& j, int status = 200);
  static Reply json_text(std::string text, int status = 200);  // already JSON
  static Reply error(int status, const std::string& code, const std::string& message, const std::string& field = {});
};

// The JSON type a body field must have; checked before the handler runs.
enum class FieldType { String, Integer, Boolean, StringList, IntList, Number, Object, ObjectList };
struct Field {
  std::string name;
  FieldType type;
};

struct Context {
  const Request& req;
  store::Db& db;
  std::optional<app::Authenticated> auth;  // set unless the route is public
  json body = json::object();              // validated object for write routes
  const access::Caller& caller() const { return auth->caller; }
};

using Handler = std::function<Reply(Context&)>;

enum class Guard {
  Public,       // no login
  Session,      // any logged-in user
  Permission,   // a logged-in user holding `permission`
};

struct Route {
  std::string method;
  std::string path;  // express style: /api/users/:id
  Guard guard = Guard::Permission;
  std::string permission;
  std::vector<Field> body;  // accepted body fields; any other field is UNKNOWN_FIELD
  Handler handle;
  bool before_password_change = false;  // reachable while the password must be changed or a second factor set up
  std::string summary;                  // 中文, shown by `huoyan routes`
  size_t raw_body_limit = 0;            // > 0: the body is not JSON; the handler reads req.body (at most this many bytes)
  bool bulk = false;                    // a read of a whole ledger (seconds at city scale): served by its own threads
};

// Every route of the API, in one table: the router, the OpenAPI check and the
// authorization-matrix test all read it.
const std::vector<Route>& routes();

}  // namespace huoyan::http
