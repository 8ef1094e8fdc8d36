#include "http/dispatch.h"

#include <spdlog/spdlog.h>

#include "domain/clock.h"
#include "domain/errors.h"
#include "domain/field_cipher.h"

namespace huoyan::http {

namespace {

bool changes_state(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

bool type_matches(FieldType t, const json& v) {
  if (v.is_null()) return true;
  switch (t) {
    case FieldType::String: return v.is_string();
    case FieldType::Integer: return v.is_number_integer();
    case FieldType::Boolean: return v.is_boolean();
    case FieldType::StringList:
      return v.is_array() && std::all_of(v.begin(), v.end(), [](const json& x) { return x.is_string(); });
    case FieldType::IntList:
      return v.is_array() && std::all_of(v.begin(), v.end(), [](const json& x) { return x.is_number_integer(); });
    case FieldType::Number: return v.is_number();
    case FieldType::Object: return v.is_object();
    case FieldType::ObjectList:
      return v.is_array() && std::all_of(v.begin(), v.end(), [](const json& x) { return x.is_object(); });
  }
  return false;
}

std::optional<app::Authenticated> authenticate(const Request& req, store::Db& db) {
  std::string authz = req.header("authorization");
  if (authz.rfind("Bearer ", 0) == 0) return app::authenticate_api_token(db, authz.substr(7), req.remote_ip);
  std::string token = req.cookie("hy_session");
  if (token.empty() || token.size() > 100) return std::nullopt;
  return app::authenticate_session(db, token, req.remote_ip);
}

void wipe_strings(json& j) {
  if (j.is_string()) field_cipher::wipe(j.get_ref<std::string&>());
  else if (j.is_structured())
    for (auto& v : j) wipe_strings(v);
}

json parse_body(const Route& route, const Request& req) {
  if (req.body.size() > kMaxJsonBody) throw ApiError(413, "BODY_TOO_LARGE", "请求内容过大（不能超过 1 MB）");
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return json::object();
  std::string type = req.header("content-type");
  if (!type.empty() && type.rfind("application/json", 0) != 0)
    throw ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "请求内容须为 JSON（Content-Type: application/json）");
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded()) throw bad_request("MALFORMED_JSON", "请求内容不是有效的 JSON");
  check_body_shape(route, body);
  return body;
}

// Runs the handler at most once per (caller, Idempotency-Key): a retry with
// the same method, path and body gets the stored reply; anything else with a
// used key is refused. Only successful replies are kept, so a refused command
// can be corrected and sent again under the same key. They are kept sealed under
// the field key (a reply may hold personal data in full: a person:pii holder's),
// for kKeptHours: each keyed command first forgets the keys older than that, so
// the table holds at most that long of keys.
constexpr int kKeptHours = 24;
Reply run_idempotent(const Route& route, Context& ctx, const std::string& key) {
  if (key.size() > 100 || key.find_first_of(" \t\r\n") != std::string::npos)
    throw bad_request("INVALID_VALUE", "Idempotency-Key 无效（不超过 100 个可见字符）", "Idempotency-Key");
  long long user = ctx.caller().user_id;
  std::string fingerprint = app::sha256_hex(ctx.req.method + " " + ctx.req.path + "\n" + ctx.req.body);
  auto claimed = ctx.db.write([&](store::Conn& c) -> std::optional<json> {
    c.exec("DELETE FROM idempotency_keys WHERE created_at < ?", {clock::iso_utc(clock::now() - std::chrono::hours(kKeptHours))});
    auto row = c.row("SELECT request_hash, status, reply FROM idempotency_keys WHERE user_id = ? AND key = ?", {user, key});
    if (row) return *row;
    c.exec("INSERT INTO idempotency_keys (user_id, key, method, path, request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
           {user, key, ctx.req.method, ctx.req.path, fingerprint, clock::iso_utc(clock::now())});
    return std::nullopt;
  });
  if (claimed) {
    store::as_int(*claimed, {"status"});
    if ((*claimed)["request_hash"] != fingerprint)
      throw conflict("IDEMPOTENCY_KEY_REUSED", "该 Idempotency-Key 已用于另一个请求", "Idempotency-Key");
    if ((*claimed)["status"] == 0) throw conflict("IDEMPOTENCY_IN_PROGRESS", "相同的请求正在处理中，请稍后重试");
    Reply r;
    r.status = (*claimed)["status"];
    std::string stored = (*claimed)["reply"];
    // Replies kept by a version before sealing are as they were sent.
    r.body = field_cipher::is_sealed(stored) ? ctx.db.field_key().open_stored(stored) : stored;
    r.headers.emplace_back("Idempotent-Replayed", "true");
    return r;
  }
  Reply r;
  try {
    r = route.handle(ctx);
  } catch (...) {
    ctx.db.write([&](store::Conn& c) { c.exec("DELETE FROM idempotency_keys WHERE user_id = ? AND key = ?", {user, key}); });
    throw;
  }
  ctx.db.write([&](store::Conn& c) {
    if (r.status < 300)
      c.exec("UPDATE idempotency_keys SET status = ?, reply = ? WHERE user_id = ? AND key = ?",
             {static_cast<long long>(r.status), ctx.db.field_key().seal(r.body), user, key});
    else
      c.exec("DELETE FROM idempotency_keys WHERE user_id = ? AND key = ?", {user, key});
  });
  return r;
}

}  // namespace

void check_body_shape(const Route& route, const json& body) {
  if (!body.is_object()) throw bad_request("INVALID_TYPE", "请求内容须为 JSON 对象");
  for (const auto& [key, value] : body.items()) {
    auto field = std::find_if(route.body.begin(), route.body.end(), [&](const Field& f) { return f.name == key; });
    if (field == route.body.end()) throw bad_request("UNKNOWN_FIELD", "不支持的字段：" + key.substr(0, 64), key.substr(0, 64));
    if (!type_matches(field->type, value)) throw bad_request("INVALID_TYPE", "字段类型不正确：" + key, key);
  }
}

Reply dispatch(const Route& route, const Request& req, store::Db& db) {
  try {
    Context ctx{req, db, std::nullopt};
    // 剩余信息保护: the body's texts (passwords, codes) are zeroed once the request is done, however it ends.
    struct WipeBody {
      json& body;
      ~WipeBody() { wipe_strings(body); }
    } wipe_body{ctx.body};
    if (route.guard != Guard::Public) {
      ctx.auth = authenticate(req, db);
      if (!ctx.auth) return Reply::error(401, "UNAUTHENTICATED", "请先登录（会话已过期或未登录）");
      // Cookie sessions prove intent with the CSRF token; API tokens are not
      // sent by browsers on their own, so they need none.
      if (changes_state(req.method) && !ctx.auth->via_token && req.header("x-csrf-token") != ctx.auth->csrf)
        return Reply::error(403, "CSRF_INVALID", "请求缺少有效的 CSRF 令牌，请刷新页面后重试");
      if (ctx.auth->must_change_password && !route.before_password_change)
        return Reply::error(403, "PASSWORD_CHANGE_REQUIRED", ctx.auth->password_expired
                                                                 ? "密码已超过 " + std::to_string(ctx.auth->policy->password_max_age_days) + " 天未修改，请先修改密码"
                                                                 : "首次登录或密码已重置，请先修改密码");
      if (!app::address_allowed(*ctx.auth->policy, ctx.caller())) throw app::address_refused(ctx.caller().ip);
      if (ctx.auth->must_enroll_second_factor && !route.before_password_change)
        return Reply::error(403, "SECOND_FACTOR_REQUIRED", "您的角色要求登录时使用动态口令，请先绑定手机验证器");
      if (route.guard == Guard::Permission && !ctx.caller().has(route.permission))
        return Reply::error(403, "FORBIDDEN", "您没有执行此操作的权限");
    }
    if (route.raw_body_limit > 0) {
      if (req.body.size() > route.raw_body_limit)
        return Reply::error(413, "BODY_TOO_LARGE", "文件过大（不能超过 " + std::to_string(route.raw_body_limit >> 20) + " MB）");
    } else if (changes_state(req.method)) {
      ctx.body = parse_body(route, req);
    }
    std::string key = req.header("idempotency-key");
    if (changes_state(req.method) && !key.empty() && ctx.auth) return run_idempotent(route, ctx, key);
    return route.handle(ctx);
  } catch (const ApiError& e) {
    return Reply::error(e.status, e.code, e.what(), e.field);
  } catch (const std::exception& e) {
    spdlog::error("{} {}: {}", req.method, req.path, e.what());
    return Reply::error(500, "INTERNAL_ERROR", "服务器内部错误，请稍后重试");
  }
}

}  // namespace huoyan::http
