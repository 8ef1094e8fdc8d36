#pragma once
// The rules a hot-work permit must pass, each a named check with a stable
// code and a Chinese message. Pure functions over plain facts; the app layer
// gathers the facts from the database and the town's rule settings.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/clock.h"

namespace huoyan::permit {

struct Violation {
  std::string code;     // stable, e.g. PERMIT_IN_BUSINESS_HOURS
  std::string message;  // 中文
  std::string field;    // the permit field it concerns
};

// ---- levels and windows -----------------------------------------------------

enum class Level { Special, One, Two };  // 特级 / 一级 / 二级 (GB 30871 5.1)
std::optional<Level> parse_level(std::string_view key);  // "special" | "level1" | "level2"
std::string_view level_key(Level l);
std::string_view level_label(Level l);
Level raise(Level l);  // one step up; 特级 stays 特级

struct Window {
  clock::TimePoint start, end;
};
bool overlaps(const Window& a, const Window& b);

// The town's public-holiday calendar: holidays, and the weekend days that are
// working days (调休上班). Dates are local "YYYY-MM-DD".
struct Calendar {
  std::set<std::string> holidays;
  std::set<std::string> workdays;
  bool is_rest_day(const std::string& local_date) const;  // holiday, or a weekend day not made a workday
};

struct KeyPeriod {
  std::string name;  // 春节, 两会 ...
  Window window;
};

// No permit's planned window is longer than this, whatever the town's settings: the settings may not allow more
// and a draft is refused past it. A list filtered by date relies on it to bound its scan (a permit that ends
// after `from` starts no earlier than `from` minus this).
constexpr int kLongestWindowHours = 168;

// Rule thresholds a town may change; defaults from GB 30871 and the 2025 notices.
struct Settings {
  int max_hours_high = 8;    // 特级 and 一级 (GB 30871 5.1.5)
  int max_hours_level2 = 72; // 二级
  int night_start_minute = 22 * 60;  // local time
  int night_end_minute = 6 * 60;
  int wind_force_limit = 5;          // outdoor work at or above this force is raised
  bool raise_on_rest_days = true;
  bool raise_at_night = true;
  bool raise_in_key_periods = true;
  bool raise_in_high_wind = true;
  int gas_max_age_minutes = 30;      // sampling to start (GB 30871 5.3.1)
  int watch_minutes = 60;            // post-work fire watch at least this long
  std::vector<int> round_offsets = {15, 30, 60};  // minutes after finish a round is due
  int round_grace_minutes = 10;      // a round later than offset + grace is late
  int geofence_radius = 200;         // metres, default for venues and scans
  int check_in_before_minutes = 60;  // people may check in on site this long before the planned start
  int start_before_minutes = 15;     // the job may start this long before the planned start
  // The steps that must carry a handwritten signature (command keys among kSignableSteps): none by default.
  std::vector<std::string> signature_steps;
};

// The steps whose forms take a handwritten signature and that a town may require one for (GB/T 40248: the
// approval is signed by the venue's 消防安全责任人).
inline const std::vector<std::string> kSignableSteps = {"survey", "confirm-risk", "approve", "rounds", "close"};

struct LevelDecision {
  Level level;                       // effective level after raises
  std::vector<std::string> reasons;  // 中文, why it was raised
};
// The declared level raised (once) for holidays and rest days, night work,
// key periods and outdoor work in high wind (GB 30871 5.1, 5.2.15).
LevelDecision effective_level(Level declared, const Window& w, bool outdoor, std::optional<int> wind_force,
                              const Calendar& cal, const std::vector<KeyPeriod>& key_periods, const Settings& s);

// Window sanity and maximum length for the (effective) level.
std::optional<Violation> check_window(const Window& w, Level level, const Settings& s);

// ---- venue opening hours ----------------------------------------------------

// Opening intervals per weekday (0 = Monday .. 6 = Sunday) in local minutes
// from midnight; an interval may end after 24:00 for late closing. Closing
// days (local dates) have no opening at all.
struct BusinessHours {
  std::map<int, std::vector<std::pair<int, int>>> open;
  std::set<std::string> closed_dates;
};
bool window_touches_open_hours(const Window& w, const BusinessHours& h);

struct VenueFacts {
  std::string type;           // dictionary value of venue_type
  bool crowded = true;        // 人员密集场所
  bool entertainment = false; // 公共娱乐场所
  BusinessHours hours;
};
struct OpenHoursMitigation {
  bool risk_assessment = false;      // recorded 风险辨识评估
  bool controls_assigned = false;    // every control assigned to a named person
  bool fire_separation = false;      // non-combustible separation from the open area
};
// Seed 000 二(三): no hot work in a crowded place while it is open; 公共娱乐场所
// never; 医院/养老院/学校/培训机构 only with assessment, named controls and separation.
std::optional<Violation> check_open_hours(const VenueFacts& v, const Window& w, const OpenHoursMitigation& m);
bool may_work_while_open(const std::string& venue_type);

// ---- certificates -----------------------------------------------------------

struct CertificateFacts {
  std::string kind;            // certificate_type dictionary value
  std::string number;
  std::string holder_citizen_id;
  std::string status;          // valid | suspended | revoked
  std::string valid_until;     // local date
  std::string next_review;     // local date, empty if none
};
// Accepted for hot work (2025 notice item 3): 焊接与热切割 special-operation
// certificates, 建筑焊工, and 特种设备作业人员证 (焊接).
bool accepted_kind(const std::string& kind);
// 特种作业操作证 numbers are "T" + the holder's citizen ID.
bool special_operation_kind(const std::string& kind);
// The certificate as used by `worker_citizen_id` for every day of `w`.
std::optional<Violation> check_certificate(const CertificateFacts& c, const std::string& worker_citizen_id,
                                           const Window& w);

// ---- gas analysis -----------------------------------------------------------

struct GasSample {
  clock::TimePoint at;
  std::string gas;
  double lel_percent = 0;   // the gas's lower explosive limit, % vol
  double result_percent = 0;  // measured, % vol
};
// GB 30871 5.3.2: LEL >= 4 % → at most 0.5 % vol; LEL < 4 % → at most 0.2 % vol.
double gas_threshold(double lel_percent);
// The latest sampling must be within gas_max_age_minutes before `start` and every
// sample at that time must pass.
std::optional<Violation> check_gas(const std::vector<GasSample>& samples, clock::TimePoint start, const Settings& s);

}  // namespace huoyan::permit
