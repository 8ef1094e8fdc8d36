#include "app/auth.h"
#include "app/devices.h"
#include "app/input.h"
#include "domain/errors.h"
#include "domain/field_cipher.h"
#include "domain/totp.h"
#include "http/handlers/handlers.h"
#include "http/metrics.h"

namespace huoyan::http {

namespace {
bool secure_cookies = false;

std::string session_cookie(const std::string& value, bool expire) {
  std::string c = "hy_session=" + value + "; Path=/; HttpOnly; SameSite=Strict";
  if (expire) c += "; Max-Age=0";
  if (secure_cookies) c += "; Secure";
  return c;
}
// The answer to a login that made `session`: Me, with the session's cookie.
Reply signed_in(Context& ctx, const app::Session& session) {
  auto auth = app::authenticate_session(ctx.db, session.token, ctx.req.remote_ip);
  Reply r = Reply::json_body(app::me(ctx.db, *auth));
  r.headers.emplace_back("Set-Cookie", session_cookie(session.token, false));
  return r;
}

std::string read_code(app::Input& in) {
  std::string code = in.str("code", 6, "动态口令");
  if (code.size() != 6 || code.find_first_not_of("0123456789") != std::string::npos)
    throw bad_request("INVALID_VALUE", "动态口令为 6 位数字", "code");
  return code;
}
}  // namespace

void set_secure_cookies(bool secure) { secure_cookies = secure; }

void add_system_routes(std::vector<Route>& out) {
  out.push_back({"GET", "/healthz", Guard::Public, "", {}, [](Context& ctx) {
                   ctx.db.read([](store::Conn& c) { return c.scalar("SELECT 1"); });
                   return Reply::json_body({{"status", "ok"}, {"db", ctx.db.kind()}});
                 }, false, "健康检查"});

  // Touches no database: the server's own ceiling in benchmarks.
  out.push_back({"GET", "/api/version", Guard::Public, "", {}, [](Context&) {
                   return Reply::json_body({{"name", "huoyan"}, {"version", HUOYAN_VERSION}});
                 }, false, "版本信息"});

  out.push_back({"GET", "/metrics", Guard::Public, "", {}, [](Context& ctx) {
                   Reply r;
                   r.content_type = "text/plain; version=0.0.4; charset=utf-8";
                   r.body = metrics().render(ctx.db.stats());
                   const auto& d = app::device_counters();
                   r.body += "# HELP huoyan_device_messages_total Device messages by outcome.\n"
                             "# TYPE huoyan_device_messages_total counter\n";
                   for (auto [outcome, n] : {std::pair<const char*, long long>{"accepted", d.accepted}, {"malformed", d.malformed},
                                             {"oversize", d.oversize}, {"bad_signature", d.bad_signature},
                                             {"unknown_machine", d.unknown_machine}, {"replayed", d.replayed}})
                     r.body += "huoyan_device_messages_total{outcome=\"" + std::string(outcome) + "\"} " + std::to_string(n) + "\n";
                   return r;
                 }, false, "运行指标（Prometheus 文本格式）"});

  out.push_back({"POST", "/api/auth/login", Guard::Public, "", {{"login", FieldType::String}, {"password", FieldType::String}},
                 [](Context& ctx) {
                   app::Input in(ctx.body);
                   std::string login = in.str("login", 64, "账号");
                   field_cipher::WipedText password(in.str("password", 128, "密码"));
                   auto result = app::login(ctx.db, login, password.text, ctx.req.remote_ip, ctx.req.header("user-agent"));
                   if (!result.session)
                     return Reply::json_body(
                         {{"secondFactor", "totp"}, {"challenge", result.challenge}, {"expiresAt", result.challenge_expires_at}});
                   return signed_in(ctx, *result.session);
                 }, true, "登录（启用动态口令的账号先得到 challenge）"});

  out.push_back({"POST", "/api/auth/login/second-factor", Guard::Public, "",
                 {{"challenge", FieldType::String}, {"code", FieldType::String}, {"recoveryCode", FieldType::String}},
                 [](Context& ctx) {
                   app::Input in(ctx.body);
                   std::string challenge = in.str("challenge", 100, "登录凭据");
                   app::SecondFactorProof proof;
                   if (in.has("recoveryCode")) {
                     if (in.has("code")) throw bad_request("INVALID_VALUE", "动态口令和恢复码只填一个", "recoveryCode");
                     auto recovery = totp::normalize_recovery_code(in.str("recoveryCode", 20, "恢复码"));
                     if (!recovery) throw bad_request("INVALID_VALUE", "恢复码为 10 位字母和数字，如 ABCDE-23456", "recoveryCode");
                     proof.recovery = *recovery;
                   } else {
                     proof.code = read_code(in);
                   }
                   return signed_in(ctx, app::login_second_factor(ctx.db, challenge, proof, ctx.req.remote_ip,
                                                                  ctx.req.header("user-agent")));
                 }, true, "登录第二步：动态口令或恢复码"});

  out.push_back({"POST", "/api/auth/second-factor/setup", Guard::Session, "", {}, [](Context& ctx) {
                   return Reply::json_body(app::start_second_factor(ctx.db, ctx.caller()));
                 }, true, "绑定动态口令：生成密钥和二维码"});

  out.push_back({"POST", "/api/auth/second-factor/confirm", Guard::Session, "", {{"code", FieldType::String}}, [](Context& ctx) {
                   app::Input in(ctx.body);
                   auto codes = app::confirm_second_factor(ctx.db, ctx.caller(), read_code(in));
                   app::Authenticated now_enrolled = *ctx.auth;
                   now_enrolled.must_enroll_second_factor = false;
                   nlohmann::json out = app::me(ctx.db, now_enrolled);
                   out["recoveryCodes"] = codes;
                   return Reply::json_body(out);
                 }, true, "绑定动态口令：输入第一个口令确认"});

  out.push_back({"POST", "/api/auth/second-factor/recovery-codes", Guard::Session, "", {{"code", FieldType::String}},
                 [](Context& ctx) {
                   app::Input in(ctx.body);
                   return Reply::json_body(
                       {{"recoveryCodes", app::renew_recovery_codes(ctx.db, ctx.caller(), read_code(in))}});
                 }, true, "重新生成恢复码（须输入当前动态口令）"});

  out.push_back({"POST", "/api/auth/logout", Guard::Session, "", {}, [](Context& ctx) {
                   app::logout(ctx.db, ctx.req.cookie("hy_session"), ctx.caller());
                   Reply r = Reply::json_body({{"ok", true}});
                   r.headers.emplace_back("Set-Cookie", session_cookie("", true));
                   return r;
                 }, true, "退出登录"});

  out.push_back({"GET", "/api/auth/me", Guard::Session, "", {}, [](Context& ctx) {
                   return Reply::json_body(app::me(ctx.db, *ctx.auth));
                 }, true, "当前用户"});

  out.push_back({"POST", "/api/auth/password", Guard::Session, "",
                 {{"oldPassword", FieldType::String}, {"newPassword", FieldType::String}}, [](Context& ctx) {
                   app::Input in(ctx.body);
                   field_cipher::WipedText old_password(in.str("oldPassword", 128, "原密码"));
                   field_cipher::WipedText new_password(in.str("newPassword", 128, "新密码"));
                   app::change_password(ctx.db, ctx.caller(), old_password.text, new_password.text);
                   return Reply::json_body({{"ok", true}});
                 }, true, "修改密码"});
}

}  // namespace huoyan::http
