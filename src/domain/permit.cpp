#include "domain/permit.h"

#include <array>

namespace huoyan::permit {

namespace {
struct StateInfo {
  State state;
  std::string_view key, label;
};
constexpr std::array<StateInfo, 12> kStates = {{
    {State::Draft, "draft", "草稿"},
    {State::Submitted, "submitted", "待勘察"},
    {State::Surveyed, "surveyed", "待确认风险"},
    {State::RiskConfirmed, "risk_confirmed", "待审批"},
    {State::Approved, "approved", "已批准"},
    {State::InProgress, "in_progress", "作业中"},
    {State::Suspended, "suspended", "已暂停"},
    {State::Watching, "watching", "作业后监护"},
    {State::Closed, "closed", "已关闭"},
    {State::Cancelled, "cancelled", "已取消"},
    {State::Revoked, "revoked", "已撤销"},
    {State::Expired, "expired", "已过期"},
}};

struct CommandInfo {
  Command command;
  std::string_view key, label;
};
constexpr std::array<CommandInfo, 13> kCommands = {{
    {Command::Submit, "submit", "提交申请"},
    {Command::Survey, "survey", "现场勘察"},
    {Command::ConfirmRisk, "confirm-risk", "确认风险"},
    {Command::Approve, "approve", "批准"},
    {Command::Reject, "reject", "退回"},
    {Command::Start, "start", "开始作业"},
    {Command::Suspend, "suspend", "暂停作业"},
    {Command::Resume, "resume", "恢复作业"},
    {Command::Finish, "finish", "结束作业"},
    {Command::Close, "close", "关闭"},
    {Command::Cancel, "cancel", "取消"},
    {Command::Revoke, "revoke", "撤销"},
    {Command::Expire, "expire", "过期"},
}};
}  // namespace

std::string_view state_key(State s) { return kStates[static_cast<size_t>(s)].key; }
std::string_view state_label(State s) { return kStates[static_cast<size_t>(s)].label; }

std::optional<State> parse_state(std::string_view key) {
  for (const auto& s : kStates)
    if (s.key == key) return s.state;
  return std::nullopt;
}

std::string_view command_key(Command c) { return kCommands[static_cast<size_t>(c)].key; }
std::string_view command_label(Command c) { return kCommands[static_cast<size_t>(c)].label; }

const std::vector<State>& all_states() {
  static const std::vector<State> v = [] {
    std::vector<State> out;
    for (const auto& s : kStates) out.push_back(s.state);
    return out;
  }();
  return v;
}

const std::vector<Command>& all_commands() {
  static const std::vector<Command> v = [] {
    std::vector<Command> out;
    for (const auto& c : kCommands) out.push_back(c.command);
    return out;
  }();
  return v;
}

bool is_terminal(State s) {
  return s == State::Closed || s == State::Cancelled || s == State::Revoked || s == State::Expired;
}

bool is_editable(State s) { return s == State::Draft; }

bool holds_workers(State s) { return !is_terminal(s) && s != State::Draft && s != State::Watching; }
bool holds_fire_watch(State s) { return !is_terminal(s) && s != State::Draft; }

std::optional<State> next_state(State from, Command c) {
  using S = State;
  switch (c) {
    case Command::Submit: return from == S::Draft ? std::optional(S::Submitted) : std::nullopt;
    case Command::Survey: return from == S::Submitted ? std::optional(S::Surveyed) : std::nullopt;
    case Command::ConfirmRisk: return from == S::Surveyed ? std::optional(S::RiskConfirmed) : std::nullopt;
    case Command::Approve: return from == S::RiskConfirmed ? std::optional(S::Approved) : std::nullopt;
    case Command::Reject:
      return (from == S::Submitted || from == S::Surveyed || from == S::RiskConfirmed) ? std::optional(S::Draft)
                                                                                       : std::nullopt;
    case Command::Start: return from == S::Approved ? std::optional(S::InProgress) : std::nullopt;
    case Command::Suspend: return from == S::InProgress ? std::optional(S::Suspended) : std::nullopt;
    case Command::Resume: return from == S::Suspended ? std::optional(S::InProgress) : std::nullopt;
    case Command::Finish:
      return (from == S::InProgress || from == S::Suspended) ? std::optional(S::Watching) : std::nullopt;
    case Command::Close: return from == S::Watching ? std::optional(S::Closed) : std::nullopt;
    case Command::Cancel:
      return (from == S::Draft || from == S::Submitted || from == S::Surveyed || from == S::RiskConfirmed ||
              from == S::Approved)
                 ? std::optional(S::Cancelled)
                 : std::nullopt;
    case Command::Revoke: return !is_terminal(from) ? std::optional(S::Revoked) : std::nullopt;
    case Command::Expire:
      return (from == S::Approved || from == S::InProgress || from == S::Suspended) ? std::optional(S::Expired)
                                                                                     : std::nullopt;
  }
  return std::nullopt;
}

}  // namespace huoyan::permit
