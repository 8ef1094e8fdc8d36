#include "app/auth.h"

#include <sodium.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <set>
#include <sstream>

#include "app/audit.h"
#include "app/input.h"
#include "app/notify.h"
#include "app/personal_data.h"
#include "app/qr.h"
#include "app/users.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "domain/totp.h"
#include "domain/validate.h"

namespace huoyan::app {

using nlohmann::json;

namespace {
// Two passwords hashed at a time (argon2id takes a core for a tenth of a second or more). A mutex and a condition
// variable, not std::counting_semaphore: libstdc++'s (GCC 12) spins on sched_yield before it sleeps and wakes every
// waiter on each release, and under 64 concurrent logins the waiters' spinning took the hashers' CPU (logins
// 9.2-10.0 -> 11.0-11.5 a second).
class HashingSlots {
 public:
  void acquire() {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [&] { return free_ > 0; });
    --free_;
  }
  void release() {
    std::lock_guard lock(mutex_);
    ++free_;
    freed_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable freed_;
  int free_ = 2;
} hashing_slots;

struct HashSlot {
  HashSlot() { hashing_slots.acquire(); }
  ~HashSlot() { hashing_slots.release(); }
};

using clock::now_iso;

std::string minutes_from_now(int minutes) { return clock::iso_utc(clock::now() + std::chrono::minutes(minutes)); }

void log_login(store::Conn& c, const std::string& username, long long user_id, const std::string& ip,
               const std::string& ua, bool success, const std::string& reason) {
  c.insert("INSERT INTO login_log (at, username, user_id, ip, user_agent, success, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
           {now_iso(), username, user_id ? store::Value(user_id) : store::Value(nullptr), ip, ua.substr(0, 300),
            static_cast<long long>(success ? 1 : 0), reason});
}

// A valid hash of an unguessable password, checked when the login name is
// unknown so that unknown and known names take the same time.
const std::string& dummy_hash() {
  static const std::string h = hash_password(random_token(16) + "!a1");
  return h;
}
}  // namespace

std::string hash_password(const std::string& password) {
  HashSlot slot;
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw std::runtime_error("argon2id: out of memory");
  return out;
}

bool verify_password(const std::string& hash, const std::string& password) {
  HashSlot slot;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string random_token(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string time_ordered_token(size_t bytes) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  char time[16];
  std::snprintf(time, sizeof time, "%011llx", static_cast<unsigned long long>(ms.count()));
  return time + random_token(bytes);
}

std::string sha256_hex(const std::string& s) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(s.data()), s.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::optional<access::Caller> load_caller(store::Conn& c, long long user_id) {
  auto r = c.row(
      "SELECT u.id, u.username, u.name, u.org_unit_id, o.path, u.role_id, r.key, r.data_scope, r.permissions "
      "FROM users u JOIN org_units o ON o.id = u.org_unit_id JOIN roles r ON r.id = u.role_id "
      "WHERE u.id = ? AND u.status = 'active'",
      {user_id});
  if (!r) return std::nullopt;
  store::as_int(*r, {"id", "org_unit_id", "role_id"});
  access::Caller caller;
  caller.user_id = (*r)["id"];
  caller.username = (*r)["username"];
  caller.name = (*r)["name"];
  caller.org_unit_id = (*r)["org_unit_id"];
  caller.org_path = (*r)["path"];
  caller.role_id = (*r)["role_id"];
  caller.role_key = (*r)["key"];
  access::parse_data_scope((*r)["data_scope"].get<std::string>(), caller.scope);
  std::istringstream perms((*r)["permissions"].get<std::string>());
  std::set<std::string, std::less<>> permissions;
  for (std::string p; perms >> p;) permissions.insert(p);
  caller.permissions = std::make_shared<const std::set<std::string, std::less<>>>(std::move(permissions));
  if (caller.scope == access::DataScope::Custom) {
    json units = c.rows("SELECT org_unit_id FROM role_scope_units WHERE role_id = ?", {caller.role_id});
    store::as_int(units, {"org_unit_id"});
    for (const auto& u : units) caller.custom_org_units.push_back(u["org_unit_id"]);
  }
  return caller;
}

namespace {
// One more failed password or code for `user_id`: at the policy's count the account locks and the user's pending
// second-factor challenges go. Returns whether it locked.
bool count_failure(store::Db& db, const SecurityPolicy& policy, long long user_id, const std::string& username,
                   const std::string& ip, const std::string& user_agent, const std::string& what) {
  return db.write([&](store::Conn& c) {
    long long failures = c.scalar("SELECT failed_logins FROM users WHERE id = ?", {user_id}) + 1;
    bool lock = failures >= policy.max_failed_logins;
    if (lock) {
      c.exec("UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?", {minutes_from_now(policy.lock_minutes), user_id});
      c.exec("DELETE FROM login_challenges WHERE user_id = ?", {user_id});
    } else {
      c.exec("UPDATE users SET failed_logins = ? WHERE id = ?", {failures, user_id});
    }
    log_login(c, username, user_id, ip, user_agent, false, lock ? what + "错误，账号已锁定" : what + "错误");
    return lock;
  });
}

ApiError just_locked(const SecurityPolicy& policy, const std::string& what) {
  return ApiError(423, "ACCOUNT_LOCKED", what + "连续错误 " + std::to_string(policy.max_failed_logins) + " 次，账号已锁定 " +
                                             std::to_string(policy.lock_minutes) + " 分钟");
}

ApiError locked_error(const json& locked_until) {
  auto until = clock::parse_iso(locked_until.get<std::string>());
  return ApiError(423, "ACCOUNT_LOCKED", "密码或动态口令错误次数过多，账号已锁定，请于 " + clock::local_hhmm(*until) + " 后重试");
}

bool is_locked(const json& locked_until) { return locked_until.is_string() && locked_until.get<std::string>() > now_iso(); }

Session start_session(store::Conn& c, long long user_id, const std::string& username, const std::string& ip,
                      const std::string& user_agent, const std::string& reason) {
  Session s{random_token(), random_token()};
  std::string now = now_iso();
  c.exec("UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?", {now, user_id});
  c.exec("INSERT INTO sessions (id, user_id, csrf_token, ip, user_agent, created_at, last_seen_at) "
         "VALUES (?, ?, ?, ?, ?, ?, ?)",
         {sha256_hex(s.token), user_id, s.csrf, ip, user_agent.substr(0, 300), now, now});
  log_login(c, username, user_id, ip, user_agent, true, reason);
  return s;
}

int64_t current_step() {
  return std::chrono::duration_cast<std::chrono::seconds>(clock::now().time_since_epoch()).count() / totp::kStepSeconds;
}

// A second factor's secret as stored (sealed under the field key), back as the raw bytes its codes need.
// The key was checked against the database at start, so a secret that does not open was altered.
std::string open_totp_secret(const store::Db& db, const std::string& stored) {
  return totp::base32_decode(db.field_key().open_stored(stored)).value_or("");
}
}  // namespace

void seal_second_factor_secrets(store::Db& db) {
  db.write([&](store::Conn& c) {
    for (const char* column : {"totp_secret", "totp_pending_secret"}) {
      std::string col = column;
      auto plain = c.rows("SELECT id, " + col + " AS secret FROM users WHERE " + col + " IS NOT NULL AND " + col +
                          " NOT LIKE 'sm4:%'");
      store::as_int(plain, {"id"});
      for (const auto& r : plain)
        c.exec("UPDATE users SET " + col + " = ? WHERE id = ?",
               {db.field_key().seal(r["secret"].get<std::string>()), r["id"].get<long long>()});
    }
  });
}

LoginResult login(store::Db& db, const std::string& login_name, const std::string& password, const std::string& ip,
                  const std::string& user_agent) {
  auto user = db.read([&](store::Conn& c) {
    return c.row(
        "SELECT id, username, password_hash, status, locked_until, totp_secret FROM users WHERE username = ? OR phone_hash = ?",
        {login_name, personal::lookup(db, login_name)});
  });
  // The login log names the account tried; a phone or ID number given for no account is kept masked (个人信息保护).
  std::string logged_name = user                                  ? (*user)["username"].get<std::string>()
                            : validate::mobile_phone(login_name) ? validate::mask_phone(login_name)
                            : validate::citizen_id(login_name)   ? validate::mask_citizen_id(login_name)
                                                                 : login_name.substr(0, 64);
  auto fail = [&](long long user_id, const std::string& reason, const ApiError& error) -> ApiError {
    db.write([&](store::Conn& c) { log_login(c, logged_name, user_id, ip, user_agent, false, reason); });
    return error;
  };
  const ApiError wrong(401, "LOGIN_FAILED", "账号或密码错误");
  if (!user) {
    verify_password(dummy_hash(), password);
    throw fail(0, "账号不存在", wrong);
  }
  store::as_int(*user, {"id"});
  long long user_id = (*user)["id"];
  std::string username = (*user)["username"];
  if ((*user)["status"] != "active") throw fail(user_id, "账号已停用", ApiError(403, "ACCOUNT_DISABLED", "账号已停用，请联系管理员"));
  if (is_locked((*user)["locked_until"])) throw fail(user_id, "账号已锁定", locked_error((*user)["locked_until"]));
  if (!verify_password((*user)["password_hash"], password)) {
    const auto& policy = *security_policy(db);
    if (count_failure(db, policy, user_id, username, ip, user_agent, "密码")) throw just_locked(policy, "密码");
    throw wrong;
  }
  auto caller = db.read([&](store::Conn& c) { return load_caller(c, user_id); });
  if (caller) caller->ip = ip;
  if (caller && !address_allowed(*security_policy(db), *caller)) throw fail(user_id, "登录地址不在管理账号允许的范围内", address_refused(ip));
  if ((*user)["totp_secret"].is_null())
    return {db.write([&](store::Conn& c) { return start_session(c, user_id, username, ip, user_agent, "登录成功"); }), {}, {}};
  // The failures are not reset here: password and code failures count together until a code is right.
  std::string challenge = random_token(), expires = minutes_from_now(kChallengeMinutes);
  db.write([&](store::Conn& c) {
    c.exec("DELETE FROM login_challenges WHERE expires_at < ?", {now_iso()});
    c.exec("INSERT INTO login_challenges (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
           {sha256_hex(challenge), user_id, now_iso(), expires});
  });
  return {std::nullopt, challenge, expires};
}

namespace {

// A recovery code's stored form: the keyed hash of the user and the normalized code (a code is only anyone's own).
std::string recovery_hash(const store::Db& db, long long user_id, const std::string& normalized) {
  return db.field_key().lookup_hash("recovery:" + std::to_string(user_id) + ":" + normalized);
}

// The user's new recovery codes, in place of any they had, as shown ("XXXXX-XXXXX").
std::vector<std::string> issue_recovery_codes(store::Conn& c, long long user_id) {
  c.exec("DELETE FROM recovery_codes WHERE user_id = ?", {user_id});
  std::set<std::string> codes;
  while (codes.size() < static_cast<size_t>(kRecoveryCodes)) {
    std::string random(totp::kRecoveryLength, '\0');
    randombytes_buf(random.data(), random.size());
    codes.insert(totp::recovery_code(random));
  }
  std::vector<std::string> shown;
  for (const auto& code : codes) {
    c.exec("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)", {user_id, recovery_hash(c.db(), user_id, code)});
    shown.push_back(code.substr(0, 5) + "-" + code.substr(5));
  }
  return shown;
}

}  // namespace

Session login_second_factor(store::Db& db, const std::string& challenge, const SecondFactorProof& proof, const std::string& ip,
                            const std::string& user_agent) {
  std::string id = sha256_hex(challenge);
  auto row = db.read([&](store::Conn& c) {
    return c.row(
        "SELECT u.id, u.username, u.status, u.locked_until, u.totp_secret, u.totp_last_step, ch.expires_at "
        "FROM login_challenges ch JOIN users u ON u.id = ch.user_id WHERE ch.id = ?",
        {id});
  });
  const ApiError expired(401, "LOGIN_CHALLENGE_EXPIRED", "登录已超时，请重新输入账号和密码", "challenge");
  if (!row || (*row)["expires_at"].get<std::string>() <= now_iso() || (*row)["totp_secret"].is_null()) throw expired;
  store::as_int(*row, {"id", "totp_last_step"});
  long long user_id = (*row)["id"];
  std::string username = (*row)["username"];
  if ((*row)["status"] != "active") throw ApiError(403, "ACCOUNT_DISABLED", "账号已停用，请联系管理员");
  if (is_locked((*row)["locked_until"])) throw locked_error((*row)["locked_until"]);
  bool by_recovery = !proof.recovery.empty();
  const ApiError wrong = by_recovery ? ApiError(401, "RECOVERY_CODE_WRONG", "恢复码不正确或已用过", "recoveryCode")
                                     : ApiError(401, "TOTP_WRONG", "动态口令错误或已使用过，请输入验证器上的新口令", "code");
  auto refuse = [&]() -> ApiError {
    const auto& policy = *security_policy(db);
    if (count_failure(db, policy, user_id, username, ip, user_agent, by_recovery ? "恢复码" : "动态口令"))
      return just_locked(policy, by_recovery ? "密码或恢复码" : "密码或动态口令");
    return wrong;
  };
  std::optional<int64_t> step;
  if (!by_recovery) {
    step = totp::match(open_totp_secret(db, (*row)["totp_secret"].get<std::string>()), proof.code, current_step(), (*row)["totp_last_step"]);
    if (!step) throw refuse();
  }
  auto session = db.write([&](store::Conn& c) -> std::optional<Session> {
    if (by_recovery &&
        c.exec("UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
               {now_iso(), user_id, recovery_hash(db, user_id, proof.recovery)}) == 0)
      return std::nullopt;  // nothing written: the challenge stays for another try
    // Two requests with the same code: only the first spends the challenge (and moves the step on) and gets a session.
    if (c.exec("DELETE FROM login_challenges WHERE id = ?", {id}) == 0) throw wrong;
    if (by_recovery) {
      long long left = c.scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", {user_id});
      // The holder hears of it wherever they look next (a stolen password and code sheet would be used once).
      notify(c, {.event = "account.recovery_login",
                 .title = "您的账号用恢复码登录了",
                 .body = clock::local_date(clock::now()) + " " + clock::local_hhmm(clock::now()) + " 从 " + ip +
                         " 用恢复码登录，恢复码还剩 " + std::to_string(left) + " 个。如不是您本人操作，请立即修改密码，并请管理员重置动态口令。" +
                         (left <= 3 ? "恢复码快用完了，请在「动态口令」页凭验证器上的口令重新生成。" : ""),
                 .link = "/second-factor",
                 .users = {user_id}});
      return start_session(c, user_id, username, ip, user_agent, "登录成功（恢复码，还剩 " + std::to_string(left) + " 个）");
    }
    if (c.exec("UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?", {*step, user_id, *step}) == 0) throw wrong;
    return start_session(c, user_id, username, ip, user_agent, "登录成功（动态口令）");
  });
  if (!session) throw refuse();
  return *session;
}

void logout(store::Db& db, const std::string& token, const access::Caller& who) {
  db.write([&](store::Conn& c) {
    c.changed(store::Topic::Access);
    c.exec("UPDATE sessions SET ended_at = ? WHERE id = ?", {now_iso(), sha256_hex(token)});
    log_login(c, who.username, who.user_id, who.ip, "", true, "退出登录");
  });
}

int run_session_retention(store::Db& db) {
  auto kept_since = clock::now() - std::chrono::days(kSessionKeptDays);
  std::string ended_before = clock::iso_utc(kept_since);
  std::string seen_before = clock::iso_utc(kept_since - std::chrono::minutes(security_policy(db)->idle_minutes));
  return db.write([&](store::Conn& c) {
    if (c.exec("INSERT INTO job_days (name, day) VALUES ('session_retention', ?) ON CONFLICT DO NOTHING", {clock::today()}) == 0)
      return 0;
    long long deleted = c.exec("DELETE FROM sessions WHERE ended_at < ? OR last_seen_at < ?", {ended_before, seen_before});
    if (deleted) c.changed(store::Topic::Access);  // no copy of a deleted session may authenticate
    return static_cast<int>(deleted);
  });
}

namespace {
// A session as authentication needs it; user_id 0 when there is no such session.
struct SessionRow {
  long long user_id = 0;
  std::string csrf, last_seen, password_changed;
  bool ended = false, must_change_password = false, must_enroll_second_factor = false;
};

// The caller behind a user id, from the process-wide copy (dropped on any change of users, roles or org units).
std::optional<access::Caller> cached_caller(store::Db& db, long long user_id, const std::string& ip) {
  auto caller = *db.cached<std::optional<access::Caller>>(store::Topic::Access, "caller:" + std::to_string(user_id), [&] {
    return db.read([&](store::Conn& c) { return load_caller(c, user_id); });
  });
  if (caller) caller->ip = ip;
  return caller;
}
}  // namespace

std::optional<Authenticated> authenticate_session(store::Db& db, const std::string& token, const std::string& ip) {
  std::string id = sha256_hex(token);
  std::string key = "session:" + id;
  auto s = db.cached<SessionRow>(store::Topic::Access, key, [&] {
    auto r = db.read([&](store::Conn& c) {
      return c.row(
          "SELECT s.user_id, s.csrf_token, s.last_seen_at, s.ended_at, u.must_change_password, u.password_changed_at, "
          "r.second_factor, u.totp_enrolled_at FROM sessions s JOIN users u ON u.id = s.user_id JOIN roles r ON r.id = u.role_id "
          "WHERE s.id = ?",
          {id});
    });
    SessionRow row;
    if (!r) return row;
    store::as_int(*r, {"user_id", "must_change_password", "second_factor"});
    row = {(*r)["user_id"], (*r)["csrf_token"], (*r)["last_seen_at"], (*r)["password_changed_at"], !(*r)["ended_at"].is_null(),
           (*r)["must_change_password"] != 0, (*r)["second_factor"] != 0 && (*r)["totp_enrolled_at"].is_null()};
    return row;
  });
  if (!s->user_id || s->ended) return std::nullopt;
  auto now = clock::now();
  auto last_seen = clock::parse_iso(s->last_seen).value_or(now);
  auto policy = security_policy(db);
  if (now - last_seen > std::chrono::minutes(policy->idle_minutes)) {
    db.write([&](store::Conn& c) {
      c.changed(store::Topic::Access);
      c.exec("UPDATE sessions SET ended_at = ? WHERE id = ?", {clock::iso_utc(now), id});
    });
    return std::nullopt;
  }
  // Touch at most once a minute: most requests then need no write. Only the copy's last_seen_at is stale then.
  if (now - last_seen > std::chrono::seconds(60)) {
    db.write([&](store::Conn& c) { c.exec("UPDATE sessions SET last_seen_at = ? WHERE id = ?", {clock::iso_utc(now), id}); });
    db.forget(store::Topic::Access, key);
  }
  auto caller = cached_caller(db, s->user_id, ip);
  if (!caller) return std::nullopt;
  bool expired = policy->password_max_age_days > 0 &&
                 now - clock::parse_iso(s->password_changed).value_or(now) > std::chrono::days(policy->password_max_age_days);
  return Authenticated{std::move(*caller), s->must_change_password || expired, expired, s->must_enroll_second_factor, s->csrf, false,
                       std::move(policy)};
}

std::optional<Authenticated> authenticate_api_token(store::Db& db, const std::string& token, const std::string& ip) {
  std::string hash = sha256_hex(token);
  auto t = db.read([&](store::Conn& c) {
    return c.row("SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL", {hash});
  });
  if (!t) return std::nullopt;
  store::as_int(*t, {"id", "user_id"});
  auto now = clock::now();
  auto last = (*t)["last_used_at"].is_string() ? clock::parse_iso((*t)["last_used_at"].get<std::string>()) : std::nullopt;
  if (!last || now - *last > std::chrono::seconds(60))
    db.write([&](store::Conn& c) {
      c.exec("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", {clock::iso_utc(now), (*t)["id"].get<long long>()});
    });
  auto caller = cached_caller(db, (*t)["user_id"], ip);
  if (!caller) return std::nullopt;
  return Authenticated{std::move(*caller), false, false, false, "", true, security_policy(db)};
}

json me(store::Db& db, const Authenticated& a) {
  const auto& who = a.caller;
  auto u = db.read([&](store::Conn& c) {
    return c.row(
        "SELECT u.phone, o.name AS org_name, o.kind AS org_kind, r.name AS role_name, r.second_factor, u.totp_enrolled_at, "
        "(SELECT COUNT(*) FROM recovery_codes k WHERE k.user_id = u.id AND k.used_at IS NULL) AS recovery_left "
        "FROM users u JOIN org_units o ON o.id = u.org_unit_id JOIN roles r ON r.id = u.role_id WHERE u.id = ?",
        {who.user_id});
  });
  if (!u) throw ApiError(401, "UNAUTHENTICATED", "请先登录");
  store::as_int(*u, {"second_factor", "recovery_left"});
  json user = {
      {"id", who.user_id},
      {"username", who.username},
      {"name", who.name},
      {"phone", personal::open(db, (*u)["phone"].get<std::string>())},
      {"orgUnit", {{"id", who.org_unit_id}, {"name", (*u)["org_name"]}, {"kind", (*u)["org_kind"]}}},
      {"role", {{"id", who.role_id}, {"key", who.role_key}, {"name", (*u)["role_name"]}, {"dataScope", access::data_scope_key(who.scope)}}},
      {"permissions", json(who.permissions ? std::vector<std::string>(who.permissions->begin(), who.permissions->end()) : std::vector<std::string>())},
      {"mustChangePassword", a.must_change_password},
      {"passwordExpired", a.password_expired},
      {"secondFactor",
       {{"required", (*u)["second_factor"] != 0}, {"enrolled", !(*u)["totp_enrolled_at"].is_null()}, {"recoveryCodesLeft", (*u)["recovery_left"]}}},
      {"mustEnrollSecondFactor", a.must_enroll_second_factor},
  };
  return json{{"user", user}, {"csrfToken", a.csrf}};
}

void change_password(store::Db& db, const access::Caller& who, const std::string& old_password,
                     const std::string& new_password) {
  auto hash = db.read([&](store::Conn& c) { return c.text("SELECT password_hash FROM users WHERE id = ?", {who.user_id}); });
  if (!hash || !verify_password(*hash, old_password))
    throw bad_request("PASSWORD_WRONG", "原密码不正确", "oldPassword");
  if (auto problem = validate::password_problem(new_password)) throw bad_request("PASSWORD_WEAK", *problem, "newPassword");
  int remembered = security_policy(db)->password_history;
  auto reused = [&] {
    if (new_password == old_password) return true;
    auto earlier = db.read([&](store::Conn& c) {
      return c.rows("SELECT password_hash FROM password_history WHERE user_id = ? ORDER BY id DESC LIMIT " +
                        std::to_string(remembered - 1),
                    {who.user_id});
    });
    for (const auto& h : earlier)
      if (verify_password(h["password_hash"].get<std::string>(), new_password)) return true;
    return false;
  };
  if (reused())
    throw bad_request("PASSWORD_REUSED", "新密码不能与最近 " + std::to_string(remembered) + " 次使用过的密码相同", "newPassword");
  std::string new_hash = hash_password(new_password);
  db.write([&](store::Conn& c) {
    c.changed(store::Topic::Access);
    remember_password(c, who.user_id, remembered);
    c.exec("UPDATE users SET password_hash = ?, must_change_password = 0, password_changed_at = ?, updated_at = ? "
           "WHERE id = ?",
           {new_hash, now_iso(), now_iso(), who.user_id});
    record(c, who, "auth.password_change", "user", std::to_string(who.user_id), nullptr, nullptr);
  });
}

json start_second_factor(store::Db& db, const access::Caller& who) {
  std::string raw(20, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string secret = totp::base32_encode(raw);
  db.write([&](store::Conn& c) {
    if (c.text("SELECT totp_enrolled_at FROM users WHERE id = ? AND totp_enrolled_at IS NOT NULL", {who.user_id}))
      throw conflict("SECOND_FACTOR_ENROLLED", "已绑定动态口令；如需更换手机或验证器，请联系管理员重置");
    c.exec("UPDATE users SET totp_pending_secret = ? WHERE id = ?", {db.field_key().seal(secret), who.user_id});
  });
  std::string uri = totp::key_uri("火眼", who.username, secret);
  return json{{"secret", secret}, {"uri", uri}, {"qrSvg", qr_svg(uri, 5)}};
}

std::vector<std::string> confirm_second_factor(store::Db& db, const access::Caller& who, const std::string& code) {
  return db.write([&](store::Conn& c) {
    auto pending = c.text("SELECT totp_pending_secret FROM users WHERE id = ? AND totp_enrolled_at IS NULL", {who.user_id});
    if (!pending) throw conflict("SECOND_FACTOR_NOT_STARTED", "请先获取绑定二维码，再输入动态口令", "code");
    auto step = totp::match(open_totp_secret(db, *pending), code, current_step(), 0);
    if (!step) throw bad_request("TOTP_WRONG", "动态口令不正确，请确认验证器已添加本账号且手机时间准确", "code");
    c.changed(store::Topic::Access);
    c.exec("UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_enrolled_at = ?, "
           "totp_last_step = ?, updated_at = ? WHERE id = ?",
           {now_iso(), *step, now_iso(), who.user_id});
    record(c, who, "auth.second_factor_enable", "user", std::to_string(who.user_id), nullptr, nullptr);
    return issue_recovery_codes(c, who.user_id);
  });
}

std::vector<std::string> renew_recovery_codes(store::Db& db, const access::Caller& who, const std::string& code) {
  return db.write([&](store::Conn& c) {
    auto u = c.row("SELECT totp_secret, totp_last_step FROM users WHERE id = ?", {who.user_id});
    if (!u || (*u)["totp_secret"].is_null()) throw conflict("SECOND_FACTOR_NOT_ENROLLED", "尚未绑定动态口令", "code");
    store::as_int(*u, {"totp_last_step"});
    auto step = totp::match(open_totp_secret(db, (*u)["totp_secret"].get<std::string>()), code, current_step(), (*u)["totp_last_step"]);
    if (!step) throw bad_request("TOTP_WRONG", "动态口令错误或已使用过，请输入验证器上的新口令", "code");
    c.exec("UPDATE users SET totp_last_step = ? WHERE id = ?", {*step, who.user_id});
    record(c, who, "auth.recovery_codes_renew", "user", std::to_string(who.user_id), nullptr, nullptr);
    return issue_recovery_codes(c, who.user_id);
  });
}

void remember_password(store::Conn& c, long long user_id, int remembered) {
  c.exec("INSERT INTO password_history (user_id, password_hash, replaced_at) SELECT id, password_hash, ? FROM users WHERE id = ?",
         {now_iso(), user_id});
  c.exec("DELETE FROM password_history WHERE user_id = ? AND id NOT IN (SELECT id FROM password_history WHERE user_id = ? "
         "ORDER BY id DESC LIMIT " + std::to_string(remembered - 1) + ")",
         {user_id, user_id});
}

namespace {
// The policy's fields as the API names them, with the range each may take.
struct PolicyField {
  const char* key;
  const char* label;
  int SecurityPolicy::*member;
  int min, max;
  bool optional = false;  // absent from an update: unchanged (added after clients that send every field)
};
const PolicyField kPolicyFields[] = {
    {"maxFailedLogins", "连续错误锁定次数", &SecurityPolicy::max_failed_logins, 3, 10},
    {"lockMinutes", "锁定时长（分钟）", &SecurityPolicy::lock_minutes, 5, 1440},
    {"idleMinutes", "无操作自动退出（分钟）", &SecurityPolicy::idle_minutes, 5, 120},
    {"passwordMaxAgeDays", "密码有效期（天，0 为不限）", &SecurityPolicy::password_max_age_days, 0, 365},
    {"passwordHistory", "不得重复使用的近期密码数", &SecurityPolicy::password_history, 1, 24},
    {"inactiveAccountDays", "闲置账号自动停用（天，0 为不停用）", &SecurityPolicy::inactive_account_days, 0, 3650},
    {"storageAlertPercent", "存储空间告警（剩余低于 %）", &SecurityPolicy::storage_alert_percent, 1, 99, true},
};

json policy_json(const SecurityPolicy& p) {
  json out = json::object();
  for (const auto& f : kPolicyFields) out[f.key] = p.*f.member;
  out["adminNetworks"] = p.admin_network_texts;
  out["separationOfDuties"] = p.separation_of_duties;
  return out;
}

void set_networks(SecurityPolicy& p, const std::vector<std::string>& texts) {
  p.admin_network_texts.clear();
  p.admin_networks.clear();
  for (const auto& t : texts)
    if (auto n = netmask::parse(t)) {
      p.admin_network_texts.push_back(t);
      p.admin_networks.push_back(*n);
    }
}

}  // namespace

SecurityPolicy read_security_policy(store::Conn& c) {
  SecurityPolicy p;
  auto saved = c.text("SELECT value FROM settings WHERE key = 'security_policy'");
  json stored = saved ? json::parse(*saved, nullptr, false) : json::object();
  if (!stored.is_object()) return p;
  for (const auto& f : kPolicyFields)
    if (stored.contains(f.key) && stored[f.key].is_number_integer()) p.*f.member = stored[f.key].get<int>();
  if (stored.contains("adminNetworks") && stored["adminNetworks"].is_array())
    set_networks(p, stored["adminNetworks"].get<std::vector<std::string>>());
  if (stored.contains("separationOfDuties") && stored["separationOfDuties"].is_boolean()) p.separation_of_duties = stored["separationOfDuties"];
  return p;
}

std::shared_ptr<const SecurityPolicy> security_policy(store::Db& db) {
  return db.cached<SecurityPolicy>(store::Topic::Rules, "security_policy", [&] { return db.read(read_security_policy); });
}

json get_security_policy(store::Db& db) { return policy_json(*security_policy(db)); }

json update_security_policy(store::Db& db, const access::Caller& who, const json& body) {
  Input in(body);
  SecurityPolicy p;
  std::vector<const PolicyField*> unchanged;
  for (const auto& f : kPolicyFields) {
    if (f.optional && !in.has(f.key))
      unchanged.push_back(&f);
    else
      p.*f.member = static_cast<int>(in.integer(f.key, f.label, f.min, f.max));
  }
  std::optional<std::vector<std::string>> networks;
  if (in.has("adminNetworks")) {
    networks = in.str_list("adminNetworks", 50, 50, "管理账号登录地址");
    for (const auto& t : *networks)
      if (!netmask::parse(t))
        throw bad_request("INVALID_VALUE", "不是有效的 IP 地址或网段（如 192.168.1.0/24）：" + t.substr(0, 50), "adminNetworks");
  }
  std::optional<bool> separation = in.opt_bool("separationOfDuties");
  return db.write([&](store::Conn& c) {
    SecurityPolicy current = read_security_policy(c);
    json before = policy_json(current);
    for (const PolicyField* f : unchanged) p.*f->member = current.*f->member;
    set_networks(p, networks.value_or(current.admin_network_texts));
    p.separation_of_duties = separation.value_or(current.separation_of_duties);
    if (p.separation_of_duties && !current.separation_of_duties) check_separation(c, "separationOfDuties");
    if (!address_allowed(p, who))
      throw bad_request("INVALID_VALUE", "名单须包含您当前的地址 " + who.ip + "，否则保存后您将无法再使用管理功能", "adminNetworks");
    json after = policy_json(p);
    c.changed(store::Topic::Rules);
    c.exec("DELETE FROM settings WHERE key = 'security_policy'");
    c.exec("INSERT INTO settings (key, value) VALUES ('security_policy', ?)", {after.dump()});
    record(c, who, "security.policy_update", "security_policy", "", before, after);
    return after;
  });
}

bool address_allowed(const SecurityPolicy& policy, const access::Caller& who) {
  bool manages_accounts = who.has("user:write") || who.has("role:write") || who.has("role:assign") || who.has("user:unlock") ||
                          who.has("security:write");
  if (policy.admin_networks.empty() || !manages_accounts) return true;
  for (const auto& n : policy.admin_networks)
    if (netmask::contains(n, who.ip)) return true;
  return false;
}

ApiError address_refused(const std::string& ip) {
  return ApiError(403, "IP_NOT_ALLOWED", "管理账号只能从安全策略允许的网络地址使用（当前地址 " + ip + "）");
}

json list_login_log(store::Db& db, const QueryMap& q) {
  Paging p = paging(q);
  Filter f;
  if (auto v = query_str(q, "username")) f.add("username = ?", *v);
  if (auto v = query_bool(q, "success")) f.add("success = ?", static_cast<long long>(*v ? 1 : 0));
  add_time_range(f, q, "at");
  return db.read([&](store::Conn& c) {
    json out = page_of(c,
                       "SELECT id, at, username, user_id AS \"userId\", ip, user_agent AS \"userAgent\", success, reason "
                       "FROM login_log",
                       "FROM login_log", f, "id DESC", p);
    store::as_int(out["items"], {"userId"});
    store::as_bool(out["items"], {"success"});
    return out;
  });
}

}  // namespace huoyan::app
