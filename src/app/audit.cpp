#include "app/audit.h"

#include <spdlog/spdlog.h>
#include <sys/statvfs.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "app/auth.h"
#include "app/notify.h"
#include "domain/audit_chain.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "domain/validate.h"

namespace huoyan::app {

using nlohmann::json;

namespace {
// 个人信息保护: audit records name phones masked, whoever acted and whatever the record shows of its object: a
// summary's top-level "phone" or "…Phone" (people's, users' and contacts' phones are all named so).
void mask_phones(json& part) {
  if (!part.is_object()) return;
  for (auto& [key, value] : part.items()) {
    bool phone = key == "phone" || (key.size() > 5 && key.compare(key.size() - 5, 5, "Phone") == 0);
    if (phone && value.is_string() && !value.get_ref<const std::string&>().empty())
      value = validate::mask_phone(value.get_ref<const std::string&>());
  }
}
}  // namespace

void record(store::Conn& c, const access::Caller& who, const std::string& action, const std::string& target_type,
            const std::string& target_id, const json& before, const json& after) {
  audit_chain::Entry e;
  e.at = clock::iso_utc(clock::now());
  e.user_id = who.user_id;
  e.username = who.username;
  e.ip = who.ip;
  e.action = action;
  e.target_type = target_type;
  e.target_id = target_id;
  json summary{{"before", before}, {"after", after}};
  mask_phones(summary["before"]);
  mask_phones(summary["after"]);
  e.summary = summary.dump();
  // The chain needs the previous hash, so appenders queue up: SQLite already has one writer. PostgreSQL takes a
  // transaction-scoped advisory lock at commit, and the row reads the head and computes its hash in SQL (the same
  // input as audit_chain::compute_hash), so that the lock, the append and the COMMIT go in one round trip
  // (Conn::defer): the lock every write waits on is held for no round trip to this process.
  c.before_commit([e = std::move(e)](store::Conn& c) mutable {
    if (c.dialect() == store::Dialect::Postgres) {
      c.defer("SELECT pg_advisory_xact_lock(7716002)");
      c.defer("WITH head AS (SELECT COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), ?) AS prev) "
              "INSERT INTO audit_log (at, user_id, username, ip, action, target_type, target_id, summary, prev_hash, hash) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT prev FROM head), (SELECT encode(sha256(convert_to("
              "length(prev) || ':' || prev || ?::text, 'UTF8')), 'hex') FROM head))",
              {audit_chain::kGenesis, e.at, e.user_id, e.username, e.ip, e.action, e.target_type, e.target_id,
               e.summary, audit_chain::content_input(e)});
      return;
    }
    e.prev_hash = c.text("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").value_or(audit_chain::kGenesis);
    e.hash = audit_chain::compute_hash(e);
    c.exec("INSERT INTO audit_log (at, user_id, username, ip, action, target_type, target_id, summary, prev_hash, hash) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
           {e.at, e.user_id, e.username, e.ip, e.action, e.target_type, e.target_id, e.summary, e.prev_hash, e.hash});
  });
}

namespace {

Filter audit_filter(const QueryMap& q) {
  Filter f;
  if (auto v = query_str(q, "username")) f.add("username = ?", *v);
  if (auto v = query_str(q, "action")) f.add("action LIKE ?", *v + "%");
  if (auto v = query_str(q, "targetType")) f.add("target_type = ?", *v);
  if (auto v = query_str(q, "targetId")) f.add("target_id = ?", *v);
  add_time_range(f, q, "at");
  return f;
}

}  // namespace

void record_read(store::Db& db, const access::Caller& who, const std::string& action, const std::string& target_type,
                   const QueryMap& filters) {
  db.write([&](store::Conn& c) { record(c, who, action, target_type, "", nullptr, json{{"filters", filters}}); });
}

json list_audit(store::Db& db, const QueryMap& q) {
  Paging p = paging(q);
  Filter f = audit_filter(q);
  // Keyset mode (?cursor=first, then each answer's nextCursor, the last row's id): no OFFSET and no COUNT over
  // millions of rows (a city's log); the total is GET /api/audit-logs/count.
  std::optional<std::string> cursor = query_str(q, "cursor", 20);
  if (cursor && *cursor != "first") {
    long long before_id = 0;
    auto [end, ec] = std::from_chars(cursor->data(), cursor->data() + cursor->size(), before_id);
    if (ec != std::errc() || end != cursor->data() + cursor->size() || before_id < 1)
      throw bad_request("INVALID_VALUE", "翻页游标无效，请从第一页重新查询", "cursor");
    f.add("id < ?", before_id);
  }
  return db.read([&](store::Conn& c) {
    const std::string select =
        "SELECT id, at, user_id AS \"userId\", username, ip, action, target_type AS \"targetType\", "
        "target_id AS \"targetId\", summary, hash FROM audit_log";
    json out;
    if (cursor) {
      json items = c.rows(select + f.sql + " ORDER BY id DESC" + limit_sql(p.size + 1), f.params);
      bool more = static_cast<long long>(items.size()) > p.size;
      if (more) items.erase(items.end() - 1);
      json next = more ? json(std::to_string(store::as_id(items.back()["id"]))) : json(nullptr);
      out = {{"items", std::move(items)}, {"nextCursor", std::move(next)}};
    } else {
      out = page_of(c, select, "FROM audit_log", f, "id DESC", p);
    }
    for (auto& item : out["items"]) {
      item["summary"] = json::parse(item["summary"].get<std::string>(), nullptr, false);
      store::as_int(item, {"userId"});
      if (item["userId"] == 0) item["userId"] = nullptr;
    }
    return out;
  });
}

json count_audit(store::Db& db, const QueryMap& q) {
  Filter f = audit_filter(q);
  return {{"total", db.read([&](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM audit_log" + f.sql, f.params); })}};
}

ChainCheck verify_chain(store::Db& db) {
  // Read in id order, in batches, carrying the last hash across batches.
  ChainCheck result;
  std::string prev = audit_chain::kGenesis;
  long long after_id = 0;
  db.read([&](store::Conn& c) {
    while (true) {
      json rows = c.rows(
          "SELECT id, at, user_id, username, ip, action, target_type, target_id, summary, prev_hash, hash "
          "FROM audit_log WHERE id > ? ORDER BY id LIMIT 5000",
          {after_id});
      if (rows.empty()) break;
      std::vector<audit_chain::Entry> batch;
      for (const auto& r : rows) {
        audit_chain::Entry e;
        e.id = r["id"].get<long long>();
        e.at = r["at"];
        e.user_id = r["user_id"].is_string() ? std::stoll(r["user_id"].get<std::string>()) : r["user_id"].get<long long>();
        e.username = r["username"];
        e.ip = r["ip"];
        e.action = r["action"];
        e.target_type = r["target_type"];
        e.target_id = r["target_id"];
        e.summary = r["summary"];
        e.prev_hash = r["prev_hash"];
        e.hash = r["hash"];
        batch.push_back(std::move(e));
      }
      long long broken = audit_chain::first_broken(batch, prev);
      if (broken) {
        result.ok = false;
        result.broken_at = broken;
        for (const auto& e : batch) {
          if (e.id == broken) break;
          result.checked++;
        }
        return;
      }
      result.checked += static_cast<long long>(batch.size());
      prev = batch.back().hash;
      after_id = batch.back().id;
    }
  });
  return result;
}

int run_storage_check(store::Db& db) {
  const std::string& url = db.url();
  if (url.rfind("sqlite:", 0) != 0 || url == "sqlite::memory:") return 0;
  auto dir = std::filesystem::absolute(url.substr(7)).parent_path();
  struct statvfs fs {};
  if (::statvfs(dir.c_str(), &fs) != 0 || fs.f_blocks == 0) return 0;
  double free_percent = 100.0 * static_cast<double>(fs.f_bavail) / static_cast<double>(fs.f_blocks);
  int threshold = security_policy(db)->storage_alert_percent;
  if (free_percent >= threshold) return 0;
  double free_gb = static_cast<double>(fs.f_bavail) * static_cast<double>(fs.f_frsize) / (1024.0 * 1024 * 1024);
  return db.write([&](store::Conn& c) {
    std::string today = clock::today();
    if (c.text("SELECT value FROM settings WHERE key = 'storage_alert_day' AND value = ?", {today})) return 0;
    c.exec("DELETE FROM settings WHERE key = 'storage_alert_day'");
    c.exec("INSERT INTO settings (key, value) VALUES ('storage_alert_day', ?)", {today});
    Notice n;
    n.event = "system.storage_low";
    n.title = "数据库所在磁盘剩余空间不足";
    char body[400];
    std::snprintf(body, sizeof body,
                  "数据库所在磁盘（%s）剩余 %.1f GB，占 %.1f%%，低于安全策略设定的 %d%%。磁盘写满后审计日志和业务数据将无法保存，"
                  "请及时扩容或转存备份。",
                  dir.c_str(), free_gb, std::floor(free_percent * 10) / 10, threshold);
    n.body = body;
    n.holders_of = {"security:write", "audit:read"};
    notify(c, n);
    spdlog::warn("storage: {:.1f}% free under {} (alert below {}%)", free_percent, dir.string(), threshold);
    return 1;
  });
}

}  // namespace huoyan::app
