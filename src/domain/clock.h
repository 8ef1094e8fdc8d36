#pragma once
// Time as the application sees it. Stored and exchanged as ISO-8601 UTC text
// ("2026-11-22T04:10:02Z"), which sorts correctly as a string on both databases.
// China keeps UTC+08:00 all year, so local time is a fixed offset.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace huoyan::clock {

using TimePoint = std::chrono::sys_seconds;

// The current time, moved by the offset set with set_offset (tests and
// `serve --clock-offset` use it to reach deadlines without waiting).
TimePoint now();
void set_offset(std::chrono::seconds offset);

std::string iso_utc(TimePoint t);                     // "2026-11-22T04:10:02Z"
std::optional<TimePoint> parse_iso(std::string_view s);  // accepts ...Z, ...+08:00, or a bare date (midnight +08:00)
std::string local_date(TimePoint t);                  // "2026-11-22" in Asia/Shanghai
std::string local_hhmm(TimePoint t);                  // "12:10" in Asia/Shanghai
std::string today();                                  // local_date(now())
std::string now_iso();                                // iso_utc(now())
// The first and the last second of a local date ("2026-11-22") in Asia/Shanghai; the date must be valid.
TimePoint day_start(std::string_view local_date);
TimePoint day_end(std::string_view local_date);
// A local date moved by `days` ("2026-11-22" + 10 → "2026-12-02"); the input must be valid.
std::string add_days(const std::string& local_date, int days);
// Whole days from local date a to b (b - a).
int days_between(const std::string& a, const std::string& b);

constexpr std::chrono::hours kChinaOffset{8};

}  // namespace huoyan::clock
