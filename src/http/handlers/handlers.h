#pragma once
// Route groups, one function per capability; routes.cpp concatenates them.
#include <vector>

#include "http/api.h"

namespace huoyan::http {

void add_system_routes(std::vector<Route>& out);  // health, auth
void add_admin_routes(std::vector<Route>& out);   // users, org units, roles, dictionaries, tokens, logs
void add_registry_routes(std::vector<Route>& out); // venues, units, people, certificates, machines, rules
void add_permit_routes(std::vector<Route>& out);   // permits, files, alerts

// The address clients reached us by ("http://host:port"), for links printed on paper (QR codes).
std::string public_base(const Request& req);

void add_hazard_routes(std::vector<Route>& out);   // hazards, public reports
void add_notification_routes(std::vector<Route>& out);  // in-app notifications, webhooks

// Set by `serve --test-clock`: lets tests move the clock through POST /api/test/clock.
void enable_test_clock(bool on);

// Set by `serve`: adds "Secure" to the session cookie (behind HTTPS).
void set_secure_cookies(bool secure);

}  // namespace huoyan::http
