#include "domain/clock.h"

#include <atomic>
#include <cstdio>

namespace huoyan::clock {

namespace {
std::atomic<long long> offset_seconds{0};
}

TimePoint now() {
  auto t = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  return t + std::chrono::seconds(offset_seconds.load());
}

void set_offset(std::chrono::seconds offset) { offset_seconds = offset.count(); }

std::string iso_utc(TimePoint t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd{days};
  std::chrono::hh_mm_ss hms{t - days};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()), int(hms.hours().count()), int(hms.minutes().count()),
                int(hms.seconds().count()));
  return buf;
}

std::optional<TimePoint> parse_iso(std::string_view s) {
  int y, mo, d, h = 0, mi = 0, sec = 0;
  std::string str(s);
  int consumed = 0;
  if (std::sscanf(str.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3 || consumed != 10) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(mo), std::chrono::day(d)};
  if (!ymd.ok()) return std::nullopt;
  std::chrono::seconds offset = kChinaOffset;  // a bare date means midnight in China
  std::string_view rest = s.substr(10);
  if (!rest.empty()) {
    if (rest[0] != 'T' && rest[0] != ' ') return std::nullopt;
    int n = 0;
    std::string r(rest.substr(1));
    if (std::sscanf(r.c_str(), "%2d:%2d%n", &h, &mi, &n) != 2 || n != 5) return std::nullopt;
    rest = rest.substr(1 + 5);
    if (!rest.empty() && rest[0] == ':') {
      std::string r2(rest.substr(1));
      if (std::sscanf(r2.c_str(), "%2d%n", &sec, &n) != 1 || n != 2) return std::nullopt;
      rest = rest.substr(3);
      if (!rest.empty() && rest[0] == '.') {  // fractional seconds are dropped
        size_t k = 1;
        while (k < rest.size() && rest[k] >= '0' && rest[k] <= '9') ++k;
        if (k == 1) return std::nullopt;
        rest = rest.substr(k);
      }
    }
    if (h > 23 || mi > 59 || sec > 59) return std::nullopt;
    if (rest == "Z") {
      offset = std::chrono::seconds(0);
    } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
      int oh, om;
      std::string r3(rest.substr(1));
      if (std::sscanf(r3.c_str(), "%2d:%2d", &oh, &om) != 2 || oh > 14 || om > 59) return std::nullopt;
      offset = std::chrono::hours(oh) + std::chrono::minutes(om);
      if (rest[0] == '-') offset = -offset;
    } else if (!rest.empty()) {
      return std::nullopt;
    }
  }
  TimePoint local = std::chrono::sys_days(ymd) + std::chrono::hours(h) + std::chrono::minutes(mi) + std::chrono::seconds(sec);
  return local - offset;
}

std::string today() { return local_date(now()); }

std::string add_days(const std::string& date, int days) {
  auto t = parse_iso(date);
  return t ? local_date(*t + std::chrono::days(days)) : date;
}

int days_between(const std::string& a, const std::string& b) {
  auto ta = parse_iso(a), tb = parse_iso(b);
  if (!ta || !tb) return 0;
  return static_cast<int>(std::chrono::duration_cast<std::chrono::days>(*tb - *ta).count());
}

std::string now_iso() { return iso_utc(now()); }

TimePoint day_start(std::string_view local_date) { return *parse_iso(local_date.substr(0, 10)); }
TimePoint day_end(std::string_view local_date) { return day_start(local_date) + std::chrono::hours(24) - std::chrono::seconds(1); }

std::string local_date(TimePoint t) { return iso_utc(t + kChinaOffset).substr(0, 10); }
std::string local_hhmm(TimePoint t) { return iso_utc(t + kChinaOffset).substr(11, 5); }

}  // namespace huoyan::clock
