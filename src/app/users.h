#pragma once
// User accounts, organisation units, roles, dictionaries and API tokens:
// the administration use cases. Each write is one transaction with its audit row.
#include <nlohmann/json.hpp>

#include "app/query.h"
#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

using nlohmann::json;
using access::Caller;

json list_users(store::Db& db, const Caller& who, const QueryMap& q);
json get_user(store::Db& db, const Caller& who, long long id);
json create_user(store::Db& db, const Caller& who, const json& body);
json update_user(store::Db& db, const Caller& who, long long id, const json& body);
// Gives the user another role (role:assign, the security administrator's; check_role_assignable's rules). Audited
// user.role_assign with the role before and after.
json assign_user_role(store::Db& db, const Caller& who, long long id, const json& body);
// Under 三员分立 (either way, when it is being turned on): refused (409, `field`) while an active account's role holds
// two administrators' duties (ROLE_DUTIES_MIXED), or while a duty's permission has no active holder (DUTY_UNASSIGNED).
void check_separation(store::Conn& c, const std::string& field);
// Disabling checks that every duty keeps an active holder under 三员分立; enabling, that the account's role holds one.
json set_user_enabled(store::Db& db, const Caller& who, long long id, bool enabled);
json unlock_user(store::Db& db, const Caller& who, long long id);
json reset_user_password(store::Db& db, const Caller& who, long long id, const json& body);
// Clears the user's second factor (a lost phone): their next login sets one up again if their role requires it.
// Ends their sessions. SECOND_FACTOR_NOT_ENROLLED when there is none.
json reset_second_factor(store::Db& db, const Caller& who, long long id);
// `huoyan user reset-password`: for whoever runs the server when nobody can sign in to do it (an administrator's
// forgotten password or lost authenticator). A new one-time password the user must change at once, the lockout
// lifted, sessions ended and, with `second_factor`, the authenticator unbound; audited as 服务器命令行.
// Throws std::runtime_error when there is no such user.
struct ConsoleReset {
  std::string password;
  bool second_factor_cleared = false;
};
ConsoleReset reset_password_from_console(store::Db& db, const std::string& username, bool second_factor);
// Timers: disables the accounts unused for the security policy's days and ends their sessions; returns how many. Used:
// signed in, an API token of it made or used, or the account created or edited (an administrator enabling it
// again counts). Accounts that may administer users or give roles are left alone, so that someone can always enable
// the others.
int run_inactive_accounts(store::Db& db);

json list_org_units(store::Db& db);
json create_org_unit(store::Db& db, const Caller& who, const json& body);
json update_org_unit(store::Db& db, const Caller& who, long long id, const json& body);
json delete_org_unit(store::Db& db, const Caller& who, long long id);

json permissions_catalogue();
json list_roles(store::Db& db);
json get_role(store::Db& db, long long id);
json create_role(store::Db& db, const Caller& who, const json& body);
json update_role(store::Db& db, const Caller& who, long long id, const json& body);

json list_dict_types(store::Db& db);
json create_dict_type(store::Db& db, const Caller& who, const json& body);
json list_dict_items(store::Db& db, const std::string& type_code);
json create_dict_item(store::Db& db, const Caller& who, const std::string& type_code, const json& body);
json update_dict_item(store::Db& db, const Caller& who, long long id, const json& body);

json list_api_tokens(store::Db& db);
json create_api_token(store::Db& db, const Caller& who, const json& body);
json revoke_api_token(store::Db& db, const Caller& who, long long id);

}  // namespace huoyan::app
