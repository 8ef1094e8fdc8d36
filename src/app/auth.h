#pragma once
// Accounts: passwords (argon2id), login with lockout, cookie sessions with a
// CSRF token and an idle timeout, API tokens, and the login log.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/query.h"
#include "domain/errors.h"
#include "domain/netmask.h"
#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

// The time between an accepted password and its second factor's code.
constexpr int kChallengeMinutes = 5;

// 等保 身份鉴别 / 访问控制 parameters the security administrator sets (settings 'security_policy'; the defaults are
// assessors' usual figures). Zero turns the password age and the idle-account rule off.
struct SecurityPolicy {
  int max_failed_logins = 5;       // password or code failures in a row that lock the account
  int lock_minutes = 30;           // how long
  int idle_minutes = 30;           // a session unused this long ends
  int password_max_age_days = 90;  // a password older than this must be changed before anything else
  int password_history = 5;        // a new password may not be any of the last this many (the current one included)
  int inactive_account_days = 90;  // an account unused this long is disabled (run_inactive_accounts)
  int storage_alert_percent = 10;  // less free disk than this under the database: its administrators are told (run_storage_check)
  // Where management accounts may sign in and work from (等保 入侵防范: the console limited to known addresses); empty:
  // anywhere. As the administrator wrote them, and parsed.
  std::vector<std::string> admin_network_texts;
  std::vector<netmask::Network> admin_networks;
  // 三员分立: no role holds two administrators' duties (access::duties()), a role is given only by a holder of
  // role:assign, and every duty keeps an active holder (users.h: check_separation).
  bool separation_of_duties = false;
};
// The policy in force (the process's copy; update_security_policy drops it).
std::shared_ptr<const SecurityPolicy> security_policy(store::Db& db);
// The policy as this transaction sees it: for writes whose checks depend on it (roles under 三员分立).
SecurityPolicy read_security_policy(store::Conn& c);
// {maxFailedLogins, lockMinutes, idleMinutes, passwordMaxAgeDays, passwordHistory, inactiveAccountDays,
// storageAlertPercent, adminNetworks, separationOfDuties}
nlohmann::json get_security_policy(store::Db& db);
// Every number required but storageAlertPercent (absent: unchanged), each within its range (INVALID_VALUE);
// adminNetworks (absent: unchanged) must be networks or addresses and, unless empty, include the caller's own address;
// separationOfDuties (absent: unchanged) is turned on only when check_separation passes. Audited security.policy_update with before and after.
nlohmann::json update_security_policy(store::Db& db, const access::Caller& who, const nlohmann::json& body);
// A management account (one that may administer users, roles or the policy) from an address outside the policy's
// list: refused at login and on every request (IP_NOT_ALLOWED). Anyone else, or an empty list: allowed.
bool address_allowed(const SecurityPolicy& policy, const access::Caller& who);
ApiError address_refused(const std::string& ip);

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
  bool password_expired = false;      // older than the policy's age (sessions only: API tokens do not expire so)
  bool must_enroll_second_factor = false;  // the role requires a second factor the user has not set up (sessions only)
  std::string csrf;        // empty for API tokens
  bool via_token = false;  // API token: no cookie, no CSRF
  std::shared_ptr<const SecurityPolicy> policy;  // the policy in force for this request
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
// The second step: the code for the challenge's user, or one of their recovery codes (`recovery`, normalized by
// totp::normalize_recovery_code; used up by this login). Throws LOGIN_CHALLENGE_EXPIRED, TOTP_WRONG or
// RECOVERY_CODE_WRONG (wrong or used before; either counts towards the lock with the password's failures),
// ACCOUNT_LOCKED, ACCOUNT_DISABLED.
struct SecondFactorProof {
  std::string code, recovery;  // one of them
};
Session login_second_factor(store::Db& db, const std::string& challenge, const SecondFactorProof& proof, const std::string& ip,
                            const std::string& user_agent);

// Setting up one's own second factor: a new secret (kept aside until confirmed), as {secret, uri, qrSvg}.
// SECOND_FACTOR_ENROLLED when one is set up already (an administrator resets it).
nlohmann::json start_second_factor(store::Db& db, const access::Caller& who);
// The first code from the app for the secret being set up: from now on login asks for a code. Returns the user's
// kRecoveryCodes recovery codes ("XXXXX-XXXXX"), shown this once. TOTP_WRONG, SECOND_FACTOR_NOT_STARTED.
constexpr int kRecoveryCodes = 10;
std::vector<std::string> confirm_second_factor(store::Db& db, const access::Caller& who, const std::string& code);
// New recovery codes in place of the old, for a current code from the app (TOTP_WRONG; SECOND_FACTOR_NOT_ENROLLED).
std::vector<std::string> renew_recovery_codes(store::Db& db, const access::Caller& who, const std::string& code);
// Seals the second-factor secrets still stored in the clear (written before they were sealed); at start-up,
// once the field key is loaded.
void seal_second_factor_secrets(store::Db& db);
void logout(store::Db& db, const std::string& token, const access::Caller& who);
// Timer, once a day: deletes the sessions that ended, or expired unused, more than kSessionKeptDays ago (a session
// row serves only to authenticate; the login log keeps who logged in, when and from where). Returns rows deleted.
constexpr int kSessionKeptDays = 30;
int run_session_retention(store::Db& db);

// nullopt when the token is unknown, ended, idle too long, or its user is disabled.
std::optional<Authenticated> authenticate_session(store::Db& db, const std::string& token, const std::string& ip);
std::optional<Authenticated> authenticate_api_token(store::Db& db, const std::string& token, const std::string& ip);

// {user: Me, csrfToken}
nlohmann::json me(store::Db& db, const Authenticated& a);

// Refuses the policy's last passwords, the current one included (PASSWORD_REUSED).
void change_password(store::Db& db, const access::Caller& who, const std::string& old_password,
                     const std::string& new_password);
// Before a user's password hash is replaced: keeps the hash being replaced, and no more than the policy's
// `remembered` (the current one included) asks for.
void remember_password(store::Conn& c, long long user_id, int remembered);

nlohmann::json list_login_log(store::Db& db, const QueryMap& q);

// Loads the caller (role, scope, org path) for a user id, or nullopt.
std::optional<access::Caller> load_caller(store::Conn& c, long long user_id);

}  // namespace huoyan::app
