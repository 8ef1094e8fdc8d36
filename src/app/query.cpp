#include "app/query.h"

#include <charconv>
#include <cstdio>

#include "domain/clock.h"
#include "domain/errors.h"
#include "domain/validate.h"

namespace huoyan::app {

std::optional<std::string> query_str(const QueryMap& q, const std::string& key, size_t max_chars) {
  auto it = q.find(key);
  if (it == q.end() || it->second.empty()) return std::nullopt;
  auto len = validate::utf8_length(it->second);
  if (!len || *len > max_chars) throw bad_request("INVALID_VALUE", "查询条件无效", key);
  return it->second;
}

std::optional<long long> query_int(const QueryMap& q, const std::string& key) {
  auto s = query_str(q, key, 18);
  if (!s) return std::nullopt;
  size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(*s, &used);
  } catch (...) {
    used = 0;
  }
  if (used != s->size() || v < 0) throw bad_request("INVALID_VALUE", "查询条件须为非负整数", key);
  return v;
}

std::optional<double> query_number(const QueryMap& q, const std::string& key, double min, double max) {
  auto s = query_str(q, key, 24);
  if (!s) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || end != s->data() + s->size() || !(v >= min && v <= max)) {
    char message[96];
    std::snprintf(message, sizeof message, "查询条件须为 %g 到 %g 之间的数", min, max);
    throw bad_request("INVALID_VALUE", message, key);
  }
  return v;
}

std::optional<bool> query_bool(const QueryMap& q, const std::string& key) {
  auto s = query_str(q, key, 5);
  if (!s) return std::nullopt;
  if (*s == "true" || *s == "1") return true;
  if (*s == "false" || *s == "0") return false;
  throw bad_request("INVALID_VALUE", "查询条件须为 true 或 false", key);
}

std::optional<std::string> query_time(const QueryMap& q, const std::string& key, bool end_of_day) {
  auto s = query_str(q, key, 40);
  if (!s) return std::nullopt;
  auto t = clock::parse_iso(*s);
  if (!t) throw bad_request("INVALID_VALUE", "日期格式应为 YYYY-MM-DD", key);
  if (end_of_day && s->size() == 10) *t += std::chrono::hours(24) - std::chrono::seconds(1);
  return clock::iso_utc(*t);
}

Paging paging(const QueryMap& q) {
  Paging p;
  if (auto page = query_int(q, "page")) {
    if (*page < 1 || *page > 1000000) throw bad_request("INVALID_VALUE", "页码无效", "page");
    p.page = *page;
  }
  if (auto size = query_int(q, "pageSize")) {
    if (*size < 1 || *size > 200) throw bad_request("INVALID_VALUE", "每页条数应在 1 到 200 之间", "pageSize");
    p.size = *size;
  }
  return p;
}

void add_time_range(Filter& f, const QueryMap& q, const std::string& column) {
  if (auto v = query_time(q, "from")) f.add(column + " >= ?", *v);
  if (auto v = query_time(q, "to", true)) f.add(column + " <= ?", *v);
}

std::string limit_sql(long long limit, long long offset) {
  return " LIMIT " + std::to_string(limit) + (offset ? " OFFSET " + std::to_string(offset) : "");
}

store::Json page_of(store::Conn& c, const std::string& select, const std::string& count_from, const Filter& f,
                    const std::string& order, const Paging& p) {
  long long total = c.scalar("SELECT COUNT(*) " + count_from + f.sql, f.params);
  store::Json items = c.rows(select + f.sql + " ORDER BY " + order + limit_sql(p.size, p.offset()), f.params);
  return store::Json{{"items", items}, {"total", total}};
}

}  // namespace huoyan::app
