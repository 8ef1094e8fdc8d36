#include "domain/machine_rules.h"

namespace huoyan::machine {

using namespace std::chrono;

std::vector<Warning> on_telemetry(const MachineState& before, const Telemetry& t, const std::optional<Session>& session,
                                  const Limits& limits, MachineState& next) {
  std::vector<Warning> out;
  next = before;
  // Sequence numbers that go backwards or jump back to the start mean the
  // chip was reset or swapped; long silences while powered, that the chip was cut off.
  if (before.last) {
    if (t.seq <= before.last->seq)
      out.push_back({"suspected_modified", "critical", "焊机芯片序号回退（疑似改装或更换芯片）", false});
    else if (before.last->power_on && t.at - before.last->at > minutes(limits.telemetry_gap_minutes))
      out.push_back({"suspected_modified", "warning", "焊机通电期间长时间无数据上报（疑似断开芯片）", false});
  }
  if (t.power_on) {
    if (!next.powered_since) next.powered_since = t.at;
    if (t.at - *next.powered_since > hours(limits.continuous_power_hours))
      out.push_back({"continuous_power", "warning", "焊机连续通电超过 " + std::to_string(limits.continuous_power_hours) + " 小时", false});
    if (!session) {
      out.push_back({"unpermitted_power_on", "critical", "焊机未经审批开机（无有效动火作业证）", true});
    } else {
      if (t.at > session->until) out.push_back({"overtime", "critical", "超过动火作业证有效时间仍在作业（超时动火）", true});
      if (t.fix && !geo::within(*t.fix, t.accuracy_m, session->venue, session->geofence_m))
        out.push_back({"out_of_fence", "warning", "焊机位置超出作业场所范围（越界作业）", false});
      if (!session->fire_watch_present) out.push_back({"fire_watch_left", "warning", "作业期间监护人不在岗", false});
      if (session->venue_open_now)
        out.push_back({"work_while_open", "critical", "人员密集场所营业期间动火作业", false});
    }
  } else {
    next.powered_since.reset();
  }
  next.last = t;
  return out;
}

std::optional<std::string> certificate_warning(const std::string& valid_until, const std::string& today) {
  if (valid_until < today) return "expired";
  int days_left = clock::days_between(today, valid_until);
  if (days_left <= 30) return "expiring_30";
  if (days_left <= 60) return "expiring_60";
  return std::nullopt;
}

}  // namespace huoyan::machine
