#pragma once
// List parameters from a URL query string, validated like body fields.
#include <map>
#include <optional>
#include <string>

#include "store/db.h"

namespace huoyan::app {

using QueryMap = std::map<std::string, std::string>;

struct Paging {
  long long page = 1;
  long long size = 20;
  long long offset() const { return (page - 1) * size; }
};
// ?page=1&pageSize=20 (pageSize at most 200).
Paging paging(const QueryMap& q);

std::optional<std::string> query_str(const QueryMap& q, const std::string& key, size_t max_chars = 100);
std::optional<long long> query_int(const QueryMap& q, const std::string& key);
// A decimal number within [min, max].
std::optional<double> query_number(const QueryMap& q, const std::string& key, double min, double max);
std::optional<bool> query_bool(const QueryMap& q, const std::string& key);
// ?from=2026-11-01 or an ISO time; returned as ISO UTC text for comparisons.
std::optional<std::string> query_time(const QueryMap& q, const std::string& key, bool end_of_day = false);

// A WHERE clause built from optional filters, with its parameters in order.
struct Filter {
  std::string sql = " WHERE 1 = 1";
  store::Params params;
  template <class... V>
  void add(const std::string& condition, V... values) {
    sql += " AND " + condition;
    (params.emplace_back(values), ...);
  }
};

// ?from=&to= (dates or times) as a range on `column`, which holds ISO UTC text.
void add_time_range(Filter& f, const QueryMap& q, const std::string& column);

// " LIMIT n [OFFSET m]" written into the statement, not bound: PostgreSQL reuses a prepared statement's
// generic plan, and only a known small LIMIT makes that plan walk an index in order instead of sorting all rows.
std::string limit_sql(long long limit, long long offset = 0);

// {items, total} for `select` + filter + `order`, one page of it.

store::Json page_of(store::Conn& c, const std::string& select, const std::string& count_from, const Filter& f,
                    const std::string& order, const Paging& p);

}  // namespace huoyan::app
