#pragma once
// The hot-work permit (动火作业证) life cycle: states, commands and the
// transitions between them. Pure: which command may run from which state.
// Rules that need facts (certificates, hours, gas) live in permit_rules.h.
#include <optional>
#include <string_view>
#include <vector>

namespace huoyan::permit {

enum class State {
  Draft,          // 草稿: the applicant is still editing
  Submitted,      // 已提交: waiting for the approver's site survey
  Surveyed,       // 已勘察: the approver has been on site
  RiskConfirmed,  // 已确认风险: the job leader confirmed risks and measures
  Approved,       // 已批准: may start inside its window
  InProgress,     // 作业中
  Suspended,      // 已暂停: e.g. the fire watch left
  Watching,       // 作业后监护: post-work fire watch rounds
  Closed,         // 已关闭: 人走场清 confirmed
  Cancelled,      // 已取消
  Revoked,        // 已撤销: by an official
  Expired,        // 已过期: not started / not finished in its window
};

enum class Command { Submit, Survey, ConfirmRisk, Approve, Reject, Start, Suspend, Resume, Finish, Close, Cancel, Revoke, Expire };

std::string_view state_key(State s);    // "in_progress"
std::string_view state_label(State s);  // "作业中"
std::optional<State> parse_state(std::string_view key);
std::string_view command_key(Command c);    // "confirm-risk"
std::string_view command_label(Command c);  // "确认风险"
const std::vector<State>& all_states();
const std::vector<Command>& all_commands();

// The state after `c` from `from`, or nullopt when `c` is not allowed there.
std::optional<State> next_state(State from, Command c);

bool is_terminal(State s);
// Whether the permit's place, scope and people may still be edited.
bool is_editable(State s);
// For the one-job rule: whether a permit in `s` holds its workers and
// machines (until the work is finished), and its fire watch (until closed).
bool holds_workers(State s);
bool holds_fire_watch(State s);

}  // namespace huoyan::permit
