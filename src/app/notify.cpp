#include "app/notify.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "app/audit.h"
#include "app/input.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "domain/webhook_message.h"
#include "net/http_client.h"

namespace huoyan::app {

using nlohmann::json;

namespace {

using clock::now_iso;

std::string event_label(std::string_view key) {
  for (const auto& e : notification_events())
    if (e.key == key) return std::string(e.label);
  return std::string(key);
}

const char* format_label(const std::string& f) {
  return f == "wecom" ? "企业微信群机器人" : f == "dingtalk" ? "钉钉群机器人" : "通用 JSON";
}

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// A robot's URL carries its key in the query (企业微信, 钉钉) or the path (飞书): query values and path
// segments longer than 16 characters are masked, showing at most their last four characters.
std::string mask_url(const std::string& url) {
  auto mask = [](const std::string& v) { return "****" + (v.size() > 8 ? v.substr(v.size() - 4) : std::string()); };
  size_t q = url.find('?');
  std::string path = url.substr(0, q), out;
  size_t host_end = path.find('/', path.find("//") + 2);
  out = path.substr(0, host_end);
  if (host_end != std::string::npos) {
    std::string rest = path.substr(host_end);
    std::replace(rest.begin(), rest.end(), '/', ' ');
    for (const auto& seg : split_words(rest)) out += "/" + (seg.size() > 16 ? mask(seg) : seg);
    if (path.back() == '/') out += '/';
  }
  if (q == std::string::npos) return out;
  std::string query = url.substr(q + 1);
  std::replace(query.begin(), query.end(), '&', ' ');
  out += '?';
  for (const auto& part : split_words(query)) {
    if (out.back() != '?') out += '&';
    size_t eq = part.find('=');
    out += eq == std::string::npos ? part : part.substr(0, eq + 1) + mask(part.substr(eq + 1));
  }
  return out;
}

// http(s)://host[...] without spaces or control characters.
bool is_web_url(const std::string& s) {
  std::string_view v(s);
  size_t scheme = v.starts_with("https://") ? 8 : v.starts_with("http://") ? 7 : 0;
  if (!scheme || v.size() <= scheme || v[scheme] == '/') return false;
  return std::none_of(v.begin(), v.end(), [](char ch) { return static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f; });
}

std::string read_url(Input& in, const char* field, const char* label) {
  std::string url = in.str(field, 500, label);
  if (!is_web_url(url)) throw bad_request("INVALID_VALUE", std::string(label) + "须以 http:// 或 https:// 开头", field);
  return url;
}

std::string read_events(Input& in) {
  std::vector<std::string> keys;
  for (const auto& e : in.str_list("events", 50, 40, "推送事件")) {
    bool known = std::any_of(notification_events().begin(), notification_events().end(),
                             [&](const NotificationEvent& k) { return k.key == e; });
    if (!known) throw bad_request("INVALID_VALUE", "推送事件「" + e + "」不存在", "events");
    if (std::find(keys.begin(), keys.end(), e) == keys.end()) keys.push_back(e);
  }
  std::string joined;
  for (const auto& k : keys) joined += (joined.empty() ? "" : " ") + k;
  return joined;
}

json webhook_json(store::Conn& c, long long id) {
  auto w = c.row("SELECT id, name, url, format, events, secret, site_url, enabled, created_at, updated_at FROM webhooks WHERE id = ?",
                 {id});
  if (!w) throw not_found();
  json events = json::array();
  for (const auto& e : split_words((*w)["events"].get<std::string>())) events.push_back(e);
  json out = {{"id", store::as_id((*w)["id"])},
              {"name", (*w)["name"]},
              {"url", mask_url((*w)["url"].get<std::string>())},
              {"format", (*w)["format"]},
              {"formatLabel", format_label((*w)["format"].get<std::string>())},
              {"events", events},
              {"hasSecret", !(*w)["secret"].get<std::string>().empty()},
              {"siteUrl", (*w)["site_url"]},
              {"enabled", store::as_id((*w)["enabled"]) != 0},
              {"createdAt", (*w)["created_at"]},
              {"updatedAt", (*w)["updated_at"]}};
  auto last = c.row("SELECT state, attempts, last_status AS \"lastStatus\", last_error AS \"lastError\", created_at AS \"createdAt\", "
                    "sent_at AS \"sentAt\" FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT 1",
                    {id});
  out["lastDelivery"] = last ? *last : json(nullptr);
  if (last) store::as_int(out["lastDelivery"], {"attempts", "lastStatus"});
  out["pending"] = c.scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = ? AND state = 'pending'", {id});
  return out;
}

struct Attempt {
  bool delivered = false;
  long status = 0;
  std::string error;
};

Attempt send(const json& hook, const std::string& event, const std::string& title, const std::string& body,
             const std::string& link) {
  std::string site = hook["site_url"].get<std::string>();
  while (!site.empty() && site.back() == '/') site.pop_back();
  webhook::Message m{event, event_label(event), title, body, link.empty() || site.empty() ? "" : site + link, now_iso()};
  long long now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now().time_since_epoch()).count();
  std::string format = hook["format"].get<std::string>();
  auto post = webhook::build_request(format, hook["url"].get<std::string>(), hook["secret"].get<std::string>(), m, now_ms);
  auto reply = net::post(post.url, post.body, post.headers);
  Attempt a{false, reply.status, reply.error};
  if (reply.error.empty()) {
    auto err = webhook::reply_error(format, reply.status, reply.body);
    a.delivered = !err;
    a.error = err.value_or("");
  }
  return a;
}

// Minutes to wait after the n-th failed attempt; none after the last.
std::optional<int> retry_after(long long attempts) {
  static const int waits[] = {1, 5, 30, 120};
  if (attempts < 1 || attempts > 4) return std::nullopt;
  return waits[attempts - 1];
}

}  // namespace

const std::vector<NotificationEvent>& notification_events() {
  static const std::vector<NotificationEvent> all = {
      {"alert.critical", "严重预警（未审批动火、超时作业、证书过期等）"},
      {"alert.warning", "一般预警（逾期、巡查迟到等）"},
      {"alert.info", "提示"},
      {"permit.step", "动火作业证待办与结果（发给本人；推送须单独订阅）", true},
      {"hazard.assigned", "隐患交办"},
      {"hazard.rectified", "隐患整改待复查"},
      {"hazard.recheck_failed", "隐患复查不合格"},
      {"hazard.reopened", "隐患重新打开"},
      {"hazard.supervised", "隐患挂牌督办"},
      {"report.received", "收到群众举报"},
      {"project.submitted", "小型工程备案待受理"},
      {"project.reviewed", "小型工程备案已受理或退回"},
      {"campaign.task_assigned", "专项行动任务部署"},
      {"campaign.task_late", "专项行动任务逾期"},
      {"market.offer", "动火作业需求收到应征"},
      {"market.result", "动火作业应征结果（选定或未选定）"},
      {"market.remind", "动火作业需求临近开始仍未选定"},
      {"market.closed", "动火作业需求完成、撤销或评价"},
      {"retrofit.pending", "焊机改造待审核或待拨付补贴"},
      {"retrofit.reviewed", "焊机改造审核结果与补贴拨付"},
      {"retrofit.remind", "存量焊机加芯赋码提醒（每月）"},
      {"account.recovery_login", "账号用恢复码登录（发给本人；推送须单独订阅）", true},
      {"system.storage_low", "数据库所在磁盘剩余空间不足"},
      {"system.backup_failed", "数据备份失败"},
      {"webhook.test", "推送测试"},
  };
  return all;
}

std::vector<long long> venue_departments(store::Conn& c, long long venue_id) {
  std::vector<long long> out;
  for (const auto& r : c.rows("SELECT org_unit_id FROM venue_supervisors WHERE venue_id = ?", {venue_id}))
    out.push_back(store::as_id(r["org_unit_id"]));
  return out;
}

void notify(store::Conn& c, const Notice& n) {
  // The inserts are sent with the next statement (PostgreSQL: the recipients' with the webhooks' read).
  std::string who;
  store::Params params;
  if (n.venue_manager_of) {
    who += " OR id = (SELECT manager_user_id FROM venues WHERE id = ?)";
    params.push_back(*n.venue_manager_of);
  }
  if (!n.departments.empty()) {
    who += " OR org_unit_id IN (";
    for (size_t i = 0; i < n.departments.size(); ++i) {
      who += i ? ", ?" : "?";
      params.push_back(n.departments[i]);
    }
    who += ")";
  }
  for (long long u : n.users) {
    who += " OR id = ?";
    params.push_back(u);
  }
  // EXISTS on the user's own role, not role_id IN (SELECT ...): SQLite would build a temporary table of the
  // roles for each notice.
  if (n.task_force) who += " OR EXISTS (SELECT 1 FROM roles r WHERE r.id = users.role_id AND r.key = 'admin')";
  for (const auto& p : n.holders_of) {
    who += " OR EXISTS (SELECT 1 FROM roles r WHERE r.id = users.role_id AND (' ' || r.permissions || ' ') LIKE ?)";
    params.push_back("% " + p + " %");
  }
  std::string now = now_iso();
  if (!who.empty()) {
    params.push_back(n.actor);
    std::string sql = "SELECT id FROM users WHERE status = 'active' AND (" + who.substr(4) + ") AND id <> ?";
    if (!n.permission.empty()) {
      sql += " AND EXISTS (SELECT 1 FROM roles r WHERE r.id = users.role_id AND (' ' || r.permissions || ' ') LIKE ?)";
      params.push_back("% " + n.permission + " %");
    }
    for (const auto& u : c.rows(sql, params))
      c.defer("INSERT INTO notifications (user_id, event, title, body, link, created_at) VALUES (?, ?, ?, ?, ?, ?)",
             {store::as_id(u["id"]), n.event, n.title, n.body, n.link, now});
  }
  bool personal = std::any_of(notification_events().begin(), notification_events().end(),
                              [&](const NotificationEvent& e) { return e.key == n.event && e.personal; });
  for (const auto& w : c.rows("SELECT id, events FROM webhooks WHERE enabled = 1")) {
    auto events = split_words(w["events"].get<std::string>());
    if (events.empty() ? personal : std::find(events.begin(), events.end(), n.event) == events.end()) continue;
    c.defer("INSERT INTO webhook_deliveries (webhook_id, event, title, body, link, state, next_attempt_at, created_at) "
           "VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
           {store::as_id(w["id"]), n.event, n.title, n.body, n.link, now, now});
  }
}

json list_notifications(store::Db& db, const access::Caller& who, const QueryMap& q) {
  Paging p = paging(q);
  Filter f;
  f.add("user_id = ?", who.user_id);
  if (query_bool(q, "unread").value_or(false)) f.sql += " AND read_at IS NULL";
  // Older than a message already shown: pages that stay put while the unread set shrinks as messages are read.
  if (auto before = query_int(q, "beforeId")) f.add("id < ?", *before);
  return db.read([&](store::Conn& c) {
    json out = page_of(c, "SELECT id, event, title, body, link, created_at AS \"createdAt\", read_at AS \"readAt\" FROM notifications",
                       "FROM notifications", f, "id DESC", p);
    for (auto& n : out["items"]) n["eventLabel"] = event_label(n["event"].get<std::string>());
    out["unread"] = c.scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", {who.user_id});
    return out;
  });
}

json unread_notifications(store::Db& db, const access::Caller& who) {
  return db.read([&](store::Conn& c) {
    return json{{"unread", c.scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", {who.user_id})}};
  });
}

json read_notification(store::Db& db, const access::Caller& who, long long id) {
  return db.write([&](store::Conn& c) {
    if (!c.row("SELECT id FROM notifications WHERE id = ? AND user_id = ?", {id, who.user_id})) throw not_found();
    c.exec("UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL", {now_iso(), id});
    return *c.row("SELECT id, read_at AS \"readAt\" FROM notifications WHERE id = ?", {id});
  });
}

json read_all_notifications(store::Db& db, const access::Caller& who) {
  return db.write([&](store::Conn& c) {
    return json{{"marked", c.exec("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", {now_iso(), who.user_id})}};
  });
}

json list_webhooks(store::Db& db) {
  return db.read([](store::Conn& c) {
    json items = json::array();
    for (const auto& r : c.rows("SELECT id FROM webhooks ORDER BY id")) items.push_back(webhook_json(c, store::as_id(r["id"])));
    json events = json::array();
    for (const auto& e : notification_events()) events.push_back({{"key", e.key}, {"label", e.label}});
    return json{{"items", items}, {"events", events}};
  });
}

json create_webhook(store::Db& db, const access::Caller& who, const json& body, const std::string& site_url) {
  Input in(body);
  std::string name = in.str("name", 50, "名称");
  std::string url = read_url(in, "url", "推送地址");
  std::string format = in.one_of("format", "消息格式", {"wecom", "dingtalk", "json"});
  std::string events = read_events(in);
  std::string secret = in.opt_str("secret", 200, "签名密钥").value_or("");
  bool site_given = in.has("siteUrl") && body["siteUrl"] != "";
  std::string site = site_given ? read_url(in, "siteUrl", "系统访问地址") : site_url;
  bool enabled = in.opt_bool("enabled").value_or(true);
  return db.write([&](store::Conn& c) {
    std::string now = now_iso();
    long long id = c.insert("INSERT INTO webhooks (name, url, format, events, secret, site_url, enabled, created_by, created_at, updated_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            {name, url, format, events, secret, site, enabled ? 1LL : 0LL, who.user_id, now, now});
    json after = webhook_json(c, id);
    record(c, who, "webhook.create", "webhook", std::to_string(id), nullptr, after);
    return after;
  });
}

json update_webhook(store::Db& db, const access::Caller& who, long long id, const json& body) {
  Input in(body);
  std::string sets;
  store::Params params;
  auto set = [&](const char* column, store::Value v) {
    sets += std::string(", ") + column + " = ?";
    params.push_back(std::move(v));
  };
  if (in.has("name")) set("name", in.str("name", 50, "名称"));
  if (in.has("url")) set("url", read_url(in, "url", "推送地址"));
  if (in.has("format")) set("format", in.one_of("format", "消息格式", {"wecom", "dingtalk", "json"}));
  if (body.contains("events")) set("events", read_events(in));
  if (body.contains("secret")) set("secret", in.opt_str("secret", 200, "签名密钥").value_or(""));
  if (in.has("siteUrl")) set("site_url", read_url(in, "siteUrl", "系统访问地址"));
  if (auto e = in.opt_bool("enabled")) set("enabled", *e ? 1LL : 0LL);
  return db.write([&](store::Conn& c) {
    json before = webhook_json(c, id);
    params.push_back(now_iso());
    params.push_back(id);
    c.exec("UPDATE webhooks SET " + sets.substr(sets.empty() ? 0 : 2) + (sets.empty() ? "" : ", ") + "updated_at = ? WHERE id = ?", params);
    json after = webhook_json(c, id);
    record(c, who, "webhook.update", "webhook", std::to_string(id), before, after);
    return after;
  });
}

json delete_webhook(store::Db& db, const access::Caller& who, long long id) {
  return db.write([&](store::Conn& c) {
    json before = webhook_json(c, id);
    c.exec("DELETE FROM webhook_deliveries WHERE webhook_id = ?", {id});
    c.exec("DELETE FROM webhooks WHERE id = ?", {id});
    record(c, who, "webhook.delete", "webhook", std::to_string(id), before, nullptr);
    return json{{"ok", true}};
  });
}

json test_webhook(store::Db& db, const access::Caller& who, long long id) {
  auto hook = db.read([&](store::Conn& c) { return c.row("SELECT format, url, secret, site_url FROM webhooks WHERE id = ?", {id}); });
  if (!hook) throw not_found();
  std::string title = "推送测试", body = who.name + " 在火眼平台发送的测试消息，收到即表示配置正确。";
  Attempt a = send(*hook, "webhook.test", title, body, "/");
  db.write([&](store::Conn& c) {
    std::string now = now_iso();
    c.defer("INSERT INTO webhook_deliveries (webhook_id, event, title, body, link, state, attempts, last_status, last_error, "
           "next_attempt_at, created_at, sent_at) VALUES (?, 'webhook.test', ?, ?, '/', ?, 1, ?, ?, ?, ?, ?)",
           {id, title, body, a.delivered ? "sent" : "failed", a.status ? store::Value(static_cast<long long>(a.status)) : store::Value(nullptr),
            a.error, now, now, a.delivered ? store::Value(now) : store::Value(nullptr)});
  });
  return json{{"delivered", a.delivered}, {"status", a.status}, {"error", a.error}};
}

json list_deliveries(store::Db& db, long long webhook_id, const QueryMap& q) {
  Paging p = paging(q);
  Filter f;
  f.add("webhook_id = ?", webhook_id);
  if (auto s = query_str(q, "state")) f.add("state = ?", *s);
  return db.read([&](store::Conn& c) {
    if (!c.row("SELECT id FROM webhooks WHERE id = ?", {webhook_id})) throw not_found();
    json out = page_of(c,
                       "SELECT id, event, title, state, attempts, last_status AS \"lastStatus\", last_error AS \"lastError\", "
                       "next_attempt_at AS \"nextAttemptAt\", created_at AS \"createdAt\", sent_at AS \"sentAt\" FROM webhook_deliveries",
                       "FROM webhook_deliveries", f, "id DESC", p);
    store::as_int(out["items"], {"attempts", "lastStatus"});
    for (auto& d : out["items"]) d["eventLabel"] = event_label(d["event"].get<std::string>());
    return out;
  });
}

int deliver_webhooks(store::Db& db) {
  json due = db.read([](store::Conn& c) {
    return c.rows("SELECT d.id, d.webhook_id, d.event, d.title, d.body, d.link, d.attempts, d.next_attempt_at, w.format, w.url, w.secret, w.site_url, w.enabled "
                  "FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
                  "WHERE d.state = 'pending' AND d.next_attempt_at <= ? ORDER BY d.id LIMIT 50",
                  {now_iso()});
  });
  std::set<long long> down;  // webhooks that failed this round: their other deliveries wait for the next
  int attempted = 0;
  for (const auto& d : due) {
    long long id = store::as_id(d["id"]);
    if (down.count(store::as_id(d["webhook_id"]))) continue;
    // Claim the row (another instance, or a test's timer run, may be draining the same outbox).
    std::string claim_until = clock::iso_utc(clock::now() + std::chrono::minutes(10));
    if (db.write([&](store::Conn& c) {
          return c.exec("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND state = 'pending' AND next_attempt_at = ?",
                        {claim_until, id, d["next_attempt_at"].get<std::string>()});
        }) != 1)
      continue;
    ++attempted;
    long long attempts = store::as_id(d["attempts"]) + 1;
    Attempt a = store::as_id(d["enabled"]) ? send(d, d["event"].get<std::string>(), d["title"].get<std::string>(), d["body"].get<std::string>(),
                                                  d["link"].get<std::string>())
                                           : Attempt{false, 0, "推送已停用"};
    auto wait = a.delivered || !store::as_id(d["enabled"]) ? std::nullopt : retry_after(attempts);
    std::string now = now_iso();
    std::string state = a.delivered ? "sent" : wait ? "pending" : "failed";
    std::string next = wait ? clock::iso_utc(clock::now() + std::chrono::minutes(*wait)) : now;
    if (!a.delivered) down.insert(store::as_id(d["webhook_id"]));
    if (!a.delivered) spdlog::warn("webhook delivery {} attempt {}: {}", id, attempts, a.error);
    db.write([&](store::Conn& c) {
      c.exec("UPDATE webhook_deliveries SET state = ?, attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ?, sent_at = ? "
             "WHERE id = ?",
             {state, attempts, a.status ? store::Value(static_cast<long long>(a.status)) : store::Value(nullptr), a.error, next,
              a.delivered ? store::Value(now) : store::Value(nullptr), id});
    });
  }
  return attempted;
}

}  // namespace huoyan::app
