#pragma once
// Accounts: passwords (argon2id), login with lockout, cookie sessions with a
// CSRF token and an idle timeout, API tokens, and the login log.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/query.h"
#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

constexpr int kMaxFailedLogins = 5;
constexpr int kLockMinutes = 15;
constexpr int kIdleMinutes = 30;
// The time between an accepted password and its second factor's code.
constexpr int kChallengeMinutes = 5;
// 等保 身份鉴别 (定期更换): a session's password older than this must be changed before anything else.
constexpr int kPasswordMaxAgeDays = 90;
// A new password may not be the current one nor one of the this many before it.
constexpr int kPasswordHistory = 4;
// 等保 访问控制 (多余、过期账户): an account unused this long is disabled (run_inactive_accounts).
constexpr int kInactiveAccountDays = 90;

// argon2id with libsodium's interactive limits (~60 ms, 64 MiB). At most two
// hashes run at once so a burst of logins cannot exhaust memory.
std::string hash_password(const std::string& password);
bool verify_password(const std::string& hash, const std::string& password);

// A random token (URL-safe) and its SHA-256 hex, which is what is stored.
std::string random_token(size_t bytes = 32);
// random_token(bytes) behind the time it was made (11 hex digits of milliseconds since 1970, by the machine's own
// clock), so that tokens made one after another sort side by side: a key stored under a unique index, where a
// purely random one lands on a random page of the index at every insert (a page written for each row).
std::string time_ordered_token(size_t bytes);
std::string sha256_hex(const std::string& s);

struct Session {
  std::string token;  // goes into the cookie, never stored
  std::string csrf;
};

struct Authenticated {
  access::Caller caller;
  bool must_change_password = false;  // first login, reset by an administrator, or expired
  bool password_expired = false;      // older than kPasswordMaxAgeDays (sessions only: API tokens do not expire so)
  bool must_enroll_second_factor = false;  // the role requires a second factor the user has not set up (sessions only)
  std::string csrf;        // empty for API tokens
  bool via_token = false;  // API token: no cookie, no CSRF
};

// A password accepted: a session, or, for a user with a second factor, a challenge (a token, valid
// kChallengeMinutes) that login_second_factor takes with the code.
struct LoginResult {
  std::optional<Session> session;
  std::string challenge, challenge_expires_at;
};
// Throws ApiError LOGIN_FAILED / ACCOUNT_LOCKED / ACCOUNT_DISABLED. Records a refusal or a session in the login log.
LoginResult login(store::Db& db, const std::string& login, const std::string& password, const std::string& ip,
                  const std::string& user_agent);
// The second step: the code for the challenge's user. Throws LOGIN_CHALLENGE_EXPIRED, TOTP_WRONG (wrong or used
// before; counts towards the lock with the password's failures), ACCOUNT_LOCKED, ACCOUNT_DISABLED.
Session login_second_factor(store::Db& db, const std::string& challenge, const std::string& code, const std::string& ip,
                            const std::string& user_agent);

// Setting up one's own second factor: a new secret (kept aside until confirmed), as {secret, uri, qrSvg}.
// SECOND_FACTOR_ENROLLED when one is set up already (an administrator resets it).
nlohmann::json start_second_factor(store::Db& db, const access::Caller& who);
// The first code from the app for the secret being set up: from now on login asks for a code. TOTP_WRONG,
// SECOND_FACTOR_NOT_STARTED.
void confirm_second_factor(store::Db& db, const access::Caller& who, const std::string& code);
void logout(store::Db& db, const std::string& token, const access::Caller& who);

// nullopt when the token is unknown, ended, idle too long, or its user is disabled.
std::optional<Authenticated> authenticate_session(store::Db& db, const std::string& token, const std::string& ip);
std::optional<Authenticated> authenticate_api_token(store::Db& db, const std::string& token, const std::string& ip);

// {user: Me, csrfToken}
nlohmann::json me(store::Db& db, const Authenticated& a);

// Refuses the current password and the kPasswordHistory before it (PASSWORD_REUSED).
void change_password(store::Db& db, const access::Caller& who, const std::string& old_password,
                     const std::string& new_password);
// Before a user's password hash is replaced: keeps the hash being replaced among their last kPasswordHistory.
void remember_password(store::Conn& c, long long user_id);

nlohmann::json list_login_log(store::Db& db, const QueryMap& q);

// Loads the caller (role, scope, org path) for a user id, or nullopt.
std::optional<access::Caller> load_caller(store::Conn& c, long long user_id);

}  // namespace huoyan::app
