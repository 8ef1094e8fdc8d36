#pragma once
// Telling people: in-app notifications to the responsible people and
// departments, and outgoing webhooks (企业微信/钉钉 robots, plain JSON).
// notify() runs inside the transaction of the change it announces, so a
// notification is never lost nor sent for a change that rolled back; the
// webhook outbox is drained by deliver_webhooks() outside any transaction.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/query.h"
#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

struct NotificationEvent {
  std::string_view key;    // "hazard.assigned"
  std::string_view label;  // 隐患交办
  // A to-do of one person (a permit step): pushed only to webhooks that subscribe to it by name, not to those
  // that take every event, so that group chats do not get everybody's to-dos unasked.
  bool personal = false;
};
// Every event that notifies, in menu order; webhooks subscribe to these keys.
const std::vector<NotificationEvent>& notification_events();

struct Notice {
  std::string event;  // a key of notification_events()
  std::string title, body;
  std::string link;                          // console path, "/hazards/12"
  std::optional<long long> venue_manager_of;  // that venue's manager (场所负责人)
  std::vector<long long> departments;        // the active users of these org units
  bool task_force = false;                   // the 专班: users of the admin role
  std::vector<std::string> holders_of;       // the users whose role holds any of these permissions
  long long actor = 0;                       // the user who caused it is not told
  std::string permission;                    // recipients must hold it, so that the link opens for them
  std::vector<long long> users;              // these users themselves (the filer of a record, the author of an answer)
};
void notify(store::Conn& c, const Notice& n);
// The departments that supervise a venue (venue_supervisors).
std::vector<long long> venue_departments(store::Conn& c, long long venue_id);

// The caller's own notifications, newest first: {items, total, unread}. ?unread=true for unread only.
nlohmann::json list_notifications(store::Db& db, const access::Caller& who, const QueryMap& q);
nlohmann::json unread_notifications(store::Db& db, const access::Caller& who);  // {unread}
nlohmann::json read_notification(store::Db& db, const access::Caller& who, long long id);
nlohmann::json read_all_notifications(store::Db& db, const access::Caller& who);  // {marked}

nlohmann::json list_webhooks(store::Db& db);
// `site_url` is used when the body gives none: the address the admin reached the console by.
nlohmann::json create_webhook(store::Db& db, const access::Caller& who, const nlohmann::json& body, const std::string& site_url);
nlohmann::json update_webhook(store::Db& db, const access::Caller& who, long long id, const nlohmann::json& body);
nlohmann::json delete_webhook(store::Db& db, const access::Caller& who, long long id);  // its deliveries too
// Sends a test message now and returns {delivered, status, error}; recorded as a delivery.
nlohmann::json test_webhook(store::Db& db, const access::Caller& who, long long id);
nlohmann::json list_deliveries(store::Db& db, long long webhook_id, const QueryMap& q);

// Sends due deliveries; a failure is retried after 1, 5, 30 and 120 minutes, then given up. Returns the attempts made.
int deliver_webhooks(store::Db& db);

}  // namespace huoyan::app
