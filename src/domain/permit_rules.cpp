#include "domain/permit_rules.h"

#include <algorithm>
#include <cstdio>

#include "domain/validate.h"

namespace huoyan::permit {

using namespace std::chrono;

namespace {
std::string fmt_num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

sys_days local_day(clock::TimePoint t) { return floor<days>(t + clock::kChinaOffset); }
clock::TimePoint local_midnight(sys_days d) { return clock::TimePoint(d) - clock::kChinaOffset; }
std::string date_key(sys_days d) { return clock::iso_utc(clock::TimePoint(d)).substr(0, 10); }
int weekday_index(sys_days d) { return static_cast<int>(weekday(d).iso_encoding()) - 1; }  // Monday = 0

// Every local day the window touches, [start, end).
std::vector<sys_days> days_of(const Window& w) {
  std::vector<sys_days> out;
  if (w.end <= w.start) return out;
  for (sys_days d = local_day(w.start); d <= local_day(w.end - seconds(1)); d += days(1)) out.push_back(d);
  return out;
}
}  // namespace

std::optional<Level> parse_level(std::string_view key) {
  if (key == "special") return Level::Special;
  if (key == "level1") return Level::One;
  if (key == "level2") return Level::Two;
  return std::nullopt;
}
std::string_view level_key(Level l) { return l == Level::Special ? "special" : l == Level::One ? "level1" : "level2"; }
std::string_view level_label(Level l) { return l == Level::Special ? "特级" : l == Level::One ? "一级" : "二级"; }
Level raise(Level l) { return l == Level::Two ? Level::One : Level::Special; }

bool overlaps(const Window& a, const Window& b) { return a.start < b.end && b.start < a.end; }

bool Calendar::is_rest_day(const std::string& local_date) const {
  if (holidays.count(local_date)) return true;
  if (workdays.count(local_date)) return false;
  auto t = clock::parse_iso(local_date);
  if (!t) return false;
  int wd = weekday_index(local_day(*t));
  return wd >= 5;
}

LevelDecision effective_level(Level declared, const Window& w, bool outdoor, std::optional<int> wind_force,
                              const Calendar& cal, const std::vector<KeyPeriod>& key_periods, const Settings& s) {
  LevelDecision d{declared, {}};
  auto day_list = days_of(w);
  if (s.raise_on_rest_days) {
    for (auto day : day_list)
      if (cal.is_rest_day(date_key(day))) {
        d.reasons.push_back("作业时间含节假日或公休日（" + date_key(day) + "）");
        break;
      }
  }
  if (s.raise_at_night) {
    for (auto day : day_list) {
      // The night that starts on this day and the one that ends on it.
      Window late{local_midnight(day) + minutes(s.night_start_minute), local_midnight(day) + days(1) + minutes(s.night_end_minute)};
      Window early{local_midnight(day) - days(1) + minutes(s.night_start_minute), local_midnight(day) + minutes(s.night_end_minute)};
      if (overlaps(w, late) || overlaps(w, early)) {
        d.reasons.push_back("作业时间含夜间");
        break;
      }
    }
  }
  if (s.raise_in_key_periods) {
    for (const auto& k : key_periods)
      if (overlaps(w, k.window)) {
        d.reasons.push_back("作业时间处于重要节点（" + k.name + "）");
        break;
      }
  }
  if (s.raise_in_high_wind && outdoor && wind_force && *wind_force >= s.wind_force_limit)
    d.reasons.push_back("室外作业风力达到 " + std::to_string(*wind_force) + " 级");
  if (!d.reasons.empty()) d.level = raise(declared);
  return d;
}

std::optional<Violation> check_window(const Window& w, Level level, const Settings& s) {
  if (w.end <= w.start) return Violation{"PERMIT_WINDOW_INVALID", "计划结束时间须晚于开始时间", "plannedEnd"};
  int max_hours = level == Level::Two ? s.max_hours_level2 : s.max_hours_high;
  if (w.end - w.start > hours(max_hours))
    return Violation{"PERMIT_WINDOW_TOO_LONG",
                     std::string(level_label(level)) + "动火作业证有效期不得超过 " + std::to_string(max_hours) + " 小时",
                     "plannedEnd"};
  return std::nullopt;
}

bool window_touches_open_hours(const Window& w, const BusinessHours& h) {
  if (w.end <= w.start) return false;
  // Start a day early: yesterday's late opening may run past midnight.
  for (sys_days d = local_day(w.start) - days(1); d <= local_day(w.end - seconds(1)); d += days(1)) {
    if (h.closed_dates.count(date_key(d))) continue;
    auto it = h.open.find(weekday_index(d));
    if (it == h.open.end()) continue;
    for (auto [from, to] : it->second) {
      Window open{local_midnight(d) + minutes(from), local_midnight(d) + minutes(to)};
      if (overlaps(w, open)) return true;
    }
  }
  return false;
}

bool may_work_while_open(const std::string& venue_type) {
  static const std::set<std::string> allowed = {"hospital", "elderly_care", "welfare_home", "school", "training",
                                                "kindergarten", "nursery"};
  return allowed.count(venue_type) > 0;
}

std::optional<Violation> check_open_hours(const VenueFacts& v, const Window& w, const OpenHoursMitigation& m) {
  if (!v.crowded || !window_touches_open_hours(w, v.hours)) return std::nullopt;
  if (v.entertainment || v.type == "entertainment")
    return Violation{"PERMIT_ENTERTAINMENT_OPEN", "公共娱乐场所营业期间严禁动火作业，请调整到非营业时间", "plannedStart"};
  if (!may_work_while_open(v.type))
    return Violation{"PERMIT_IN_BUSINESS_HOURS", "人员密集场所不得在使用、营业期间动火作业，请调整到非营业时间", "plannedStart"};
  if (!m.risk_assessment)
    return Violation{"PERMIT_RISK_ASSESSMENT_REQUIRED",
                     "医院、养老院、学校、培训机构等在使用、营业期间动火，须先对安全风险进行全面系统辨识评估", "riskAssessment"};
  if (!m.controls_assigned)
    return Violation{"PERMIT_CONTROLS_UNASSIGNED", "使用、营业期间动火，每项管控措施须落实到具体责任人", "controls"};
  if (!m.fire_separation)
    return Violation{"PERMIT_FIRE_SEPARATION_REQUIRED", "使用、营业期间动火，须用不燃材料将动火区域与使用、营业区域进行防火分隔",
                     "fireSeparation"};
  return std::nullopt;
}

bool accepted_kind(const std::string& kind) {
  return special_operation_kind(kind) || kind == "construction_welder" || kind == "special_equipment_welding";
}

bool special_operation_kind(const std::string& kind) { return kind.rfind("special_op_", 0) == 0; }

std::optional<Violation> check_certificate(const CertificateFacts& c, const std::string& worker_citizen_id,
                                           const Window& w) {
  // Messages name the certificate as lists show it: a 特种作业操作证's number carries the 身份证号.
  std::string shown = validate::mask_certificate_number(c.number);
  if (!accepted_kind(c.kind))
    return Violation{"CERT_KIND_NOT_ACCEPTED", "证书 " + shown + " 不是动火作业认可的证书类型（须为焊接与热切割特种作业操作证、建筑焊工证或特种设备焊接作业人员证）", "workers"};
  if (c.status != "valid") return Violation{"CERT_NOT_VALID", "证书 " + shown + " 已注销或暂停使用", "workers"};
  if (special_operation_kind(c.kind) && c.number != "T" + c.holder_citizen_id)
    return Violation{"CERT_NUMBER_MISMATCH", "证书编号 " + shown + " 与持证人身份证号不符（人证不符）", "workers"};
  if (c.holder_citizen_id != worker_citizen_id)
    return Violation{"CERT_NOT_HOLDER", "证书 " + shown + " 不属于该作业人员（人证不符）", "workers"};
  auto day_list = days_of(w);
  if (day_list.empty()) return std::nullopt;
  std::string last = date_key(day_list.back());
  if (c.valid_until < last)
    return Violation{"CERT_EXPIRED", "证书 " + shown + " 有效期至 " + c.valid_until + "，不覆盖作业期间", "workers"};
  if (!c.next_review.empty() && c.next_review < last)
    return Violation{"CERT_REVIEW_OVERDUE", "证书 " + shown + " 应于 " + c.next_review + " 前复审，已逾期", "workers"};
  return std::nullopt;
}

double gas_threshold(double lel_percent) { return lel_percent >= 4.0 ? 0.5 : 0.2; }

std::optional<Violation> check_gas(const std::vector<GasSample>& samples, clock::TimePoint start, const Settings& s) {
  if (samples.empty()) return Violation{"GAS_ANALYSIS_MISSING", "该作业须在动火前进行气体分析，尚无分析记录", "gasAnalyses"};
  auto latest = std::max_element(samples.begin(), samples.end(), [](const auto& a, const auto& b) { return a.at < b.at; })->at;
  if (latest > start + minutes(1) || start - latest > minutes(s.gas_max_age_minutes))
    return Violation{"GAS_ANALYSIS_STALE",
                     "气体分析须在动火前 " + std::to_string(s.gas_max_age_minutes) + " 分钟内完成，请重新取样分析", "gasAnalyses"};
  for (const auto& g : samples) {
    if (latest - g.at > minutes(5)) continue;  // only the latest sampling round counts
    double limit = gas_threshold(g.lel_percent);
    if (g.result_percent > limit)
      return Violation{"GAS_ANALYSIS_FAILED",
                       g.gas + " 检测结果 " + fmt_num(g.result_percent) + "%，超过合格标准 " + fmt_num(limit) + "%", "gasAnalyses"};
  }
  return std::nullopt;
}

}  // namespace huoyan::permit
