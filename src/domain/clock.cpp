#include "domain/clock.h"

#include <atomic>

namespace huoyan::clock {

namespace {
std::atomic<long long> offset_seconds{0};
}

TimePoint now() {
  auto t = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  return t + std::chrono::seconds(offset_seconds.load());
}

void set_offset(std::chrono::seconds offset) { offset_seconds = offset.count(); }

namespace {
// Writes `v` as `n` decimal digits, zero-padded, at `out`.
void put_digits(char* out, int n, int v) {
  for (int k = n - 1; k >= 0; --k, v /= 10) out[k] = static_cast<char>('0' + v % 10);
}
// The number the `n` ASCII digits at s[at] write, or -1 when s is shorter or one is not a digit (no sign, no space).
int read_digits(std::string_view s, size_t at, size_t n) {
  if (s.size() < at + n) return -1;
  int v = 0;
  for (size_t k = at; k < at + n; ++k) {
    if (s[k] < '0' || s[k] > '9') return -1;
    v = v * 10 + (s[k] - '0');
  }
  return v;
}
}  // namespace

// Called for every timestamp read or written (a permit's detail: dozens): plain digit work, no stdio.
std::string iso_utc(TimePoint t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd{days};
  std::chrono::hh_mm_ss hms{t - days};
  std::string out = "0000-00-00T00:00:00Z";  // years 0-9999, as parse_iso reads them
  put_digits(&out[0], 4, int(ymd.year()));
  put_digits(&out[5], 2, int(unsigned(ymd.month())));
  put_digits(&out[8], 2, int(unsigned(ymd.day())));
  put_digits(&out[11], 2, int(hms.hours().count()));
  put_digits(&out[14], 2, int(hms.minutes().count()));
  put_digits(&out[17], 2, int(hms.seconds().count()));
  return out;
}

std::optional<TimePoint> parse_iso(std::string_view s) {
  int y = read_digits(s, 0, 4), mo = read_digits(s, 5, 2), d = read_digits(s, 8, 2);
  if (y < 0 || mo < 0 || d < 0 || s[4] != '-' || s[7] != '-') return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(mo), std::chrono::day(d)};
  if (!ymd.ok()) return std::nullopt;
  int h = 0, mi = 0, sec = 0;
  std::chrono::seconds offset = kChinaOffset;  // a bare date means midnight in China
  std::string_view rest = s.substr(10);
  if (!rest.empty()) {
    if (rest[0] != 'T' && rest[0] != ' ') return std::nullopt;
    h = read_digits(rest, 1, 2);
    mi = read_digits(rest, 4, 2);
    if (h < 0 || mi < 0 || rest[3] != ':') return std::nullopt;
    rest = rest.substr(6);
    if (!rest.empty() && rest[0] == ':') {
      sec = read_digits(rest, 1, 2);
      if (sec < 0) return std::nullopt;
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
      int oh = read_digits(rest, 1, 2), om = read_digits(rest, 4, 2);
      if (oh < 0 || om < 0 || oh > 14 || om > 59) return std::nullopt;
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
