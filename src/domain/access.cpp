#include "domain/access.h"

#include <algorithm>

namespace huoyan::access {

const std::vector<Permission>& permission_catalogue() {
  static const std::vector<Permission> all = {
      {"user:read", "查看用户", "系统管理"},     {"user:write", "管理用户", "系统管理"},
      {"org:read", "查看组织机构", "系统管理"},  {"org:write", "管理组织机构", "系统管理"},
      {"role:read", "查看角色", "系统管理"},     {"role:write", "管理角色与数据范围", "系统管理"},
      {"dict:read", "查看数据字典", "系统管理"}, {"dict:write", "管理数据字典", "系统管理"},
      {"token:write", "管理接口令牌", "系统管理"}, {"webhook:write", "管理消息推送（企业微信、钉钉）", "系统管理"},
      {"role:assign", "为用户分配角色", "系统管理"}, {"user:unlock", "解除账号登录锁定", "系统管理"},
      {"security:write", "设置安全策略（登录锁定、密码有效期、三员分立等）", "系统管理"},
      {"backup:write", "数据备份（立即备份、定时备份设置）", "系统管理"},
      {"venue:read", "查看场所", "基础台账"},    {"venue:write", "管理场所", "基础台账"},
      {"unit:read", "查看单位", "基础台账"},     {"unit:write", "管理单位", "基础台账"},
      {"person:read", "查看人员与证书", "基础台账"}, {"person:write", "管理人员与证书", "基础台账"},
      {"person:pii", "查看完整身份证号和手机号", "基础台账"},
      {"machine:read", "查看焊机", "基础台账"},  {"machine:write", "管理焊机", "基础台账"},
      {"retrofit:read", "查看存量焊机加芯赋码改造", "焊机改造"},
      {"retrofit:apply", "申请焊机改造、以旧换新并报告完成（产权单位）", "焊机改造"},
      {"retrofit:review", "审核焊机改造、核定和拨付补贴", "焊机改造"},
      {"permit:read", "查看动火作业证", "动火作业"}, {"permit:apply", "申请动火作业", "动火作业"},
      {"permit:approve", "审批动火作业（场所审批人）", "动火作业"}, {"permit:watch", "动火监护", "动火作业"},
      {"permit:revoke", "撤销动火作业证（监管）", "动火作业"},
      {"alert:read", "查看预警", "预警处置"}, {"alert:handle", "处置预警", "预警处置"},
      {"hazard:read", "查看隐患", "隐患治理"}, {"hazard:report", "登记隐患", "隐患治理"},
      {"hazard:assign", "交办、复查销号、挂牌督办", "隐患治理"}, {"hazard:rectify", "填报整改（场所）", "隐患治理"},
      {"report:triage", "核查群众举报", "隐患治理"},
      {"inspection:read", "查看检查与巡查", "隐患治理"}, {"inspection:write", "计划和记录检查、巡查", "隐患治理"},
      {"draw:write", "双随机抽取与公开", "隐患治理"},
      {"project:read", "查看小型工程备案", "小型工程备案"}, {"project:file", "填报小型工程备案", "小型工程备案"},
      {"project:review", "受理小型工程备案、记录安全指导和暗访检查", "小型工程备案"},
      {"campaign:read", "查看专项行动", "专项行动"}, {"campaign:write", "部署专项行动（任务与牵头部门）", "专项行动"},
      {"campaign:report", "报送专项行动进展、完成本部门牵头的任务", "专项行动"},
      {"market:read", "查看动火作业供需对接", "供需对接"}, {"market:post", "发布动火作业需求、选定承接单位", "供需对接"},
      {"market:offer", "应征动火作业需求（施工单位）", "供需对接"},
      {"meeting:read", "查看培训、警示教育与约谈记录", "培训与约谈"},
      {"meeting:write", "记录培训、警示教育、约谈与调度会商", "培训与约谈"},
      {"case:read", "查看执法案件", "执法与曝光"}, {"case:write", "立案、处罚、移交、曝光与信用惩戒", "执法与曝光"},
      {"rule:read", "查看规则设置", "规则设置"},  {"rule:write", "修改节假日、重要节点和动火规则", "规则设置"},
      {"audit:read", "查看审计日志", "安全审计"}, {"loginlog:read", "查看登录日志", "安全审计"},
  };
  return all;
}

bool is_permission(std::string_view key) {
  const auto& all = permission_catalogue();
  return std::any_of(all.begin(), all.end(), [&](const Permission& p) { return p.key == key; });
}

const std::vector<DataScopeInfo>& data_scopes() {
  static const std::vector<DataScopeInfo> all = {
      {DataScope::All, "all", "全部数据"},
      {DataScope::Dept, "dept", "本部门数据"},
      {DataScope::DeptTree, "dept_tree", "本部门及以下数据"},
      {DataScope::Self, "self", "仅本人数据"},
      {DataScope::Custom, "custom", "指定部门数据"},
  };
  return all;
}

bool parse_data_scope(std::string_view key, DataScope& out) {
  for (const auto& s : data_scopes())
    if (s.key == key) {
      out = s.scope;
      return true;
    }
  return false;
}

std::string_view data_scope_key(DataScope s) {
  for (const auto& info : data_scopes())
    if (info.scope == s) return info.key;
  return "self";
}

const std::vector<DutyInfo>& duties() {
  static const std::vector<DutyInfo> all = {
      {Duty::System, "系统管理员", {"user:write", "org:write", "dict:write", "token:write", "webhook:write", "backup:write"}},
      {Duty::Security, "安全管理员", {"role:write", "role:assign", "user:unlock", "security:write"}},
      {Duty::Audit, "审计管理员", {"audit:read", "loginlog:read"}},
  };
  return all;
}

std::vector<const DutyInfo*> duties_held(const std::vector<std::string>& permissions) {
  std::vector<const DutyInfo*> held;
  for (const auto& d : duties())
    if (std::any_of(d.permissions.begin(), d.permissions.end(),
                    [&](std::string_view p) { return std::find(permissions.begin(), permissions.end(), p) != permissions.end(); }))
      held.push_back(&d);
  return held;
}

const std::vector<BuiltinRole>& builtin_roles() {
  static const std::vector<BuiltinRole> roles = {
      {"admin", "专班管理员", DataScope::All,
       {"user:read", "user:write", "org:read", "org:write", "role:read", "role:write", "dict:read", "dict:write",
        "token:write", "role:assign", "user:unlock", "security:write", "audit:read", "loginlog:read", "venue:read", "venue:write", "unit:read", "unit:write",
        "person:read", "person:write", "person:pii", "machine:read", "machine:write", "rule:read", "rule:write",
        "permit:read", "permit:apply", "permit:approve", "permit:watch", "permit:revoke", "alert:read", "alert:handle",
        "hazard:read", "hazard:report", "hazard:assign", "hazard:rectify", "report:triage", "inspection:read", "inspection:write",
        "draw:write", "case:read", "case:write", "webhook:write", "project:read", "project:file", "project:review", "campaign:read", "campaign:write",
        "campaign:report", "market:read", "market:post", "market:offer", "meeting:read", "meeting:write", "retrofit:read", "retrofit:apply",
        "retrofit:review", "backup:write"},
       true},
      {"officer", "行业岗位监管员", DataScope::Dept,
       {"user:read", "org:read", "dict:read", "venue:read", "venue:write", "unit:read", "person:read", "machine:read",
        "rule:read", "permit:read", "permit:revoke", "alert:read", "alert:handle", "hazard:read", "hazard:report",
        "hazard:assign", "report:triage", "inspection:read", "inspection:write", "case:read", "case:write", "project:read",
        "project:review", "campaign:read", "campaign:report", "market:read", "meeting:read", "meeting:write", "retrofit:read",
        "retrofit:review"}},
      {"grid", "村/社区网格员", DataScope::DeptTree, {"org:read", "dict:read", "venue:read", "unit:read", "person:read", "permit:read", "alert:read",
                                                     "hazard:read", "hazard:report", "inspection:read", "inspection:write", "project:read",
                                                     "campaign:read", "market:read", "meeting:read", "meeting:write"}},
      {"venue_manager", "场所负责人", DataScope::Self, {"dict:read", "venue:read", "venue:write", "unit:read", "person:read", "permit:read", "permit:approve", "alert:read", "hazard:read", "hazard:rectify", "project:read", "project:file", "market:read", "market:post", "meeting:read"}},
      {"contractor", "施工单位负责人", DataScope::Self,
       {"dict:read", "unit:read", "unit:write", "person:read", "person:write", "machine:read", "machine:write",
        "permit:read", "permit:apply", "project:read", "project:file", "market:read", "market:offer", "meeting:read",
        "retrofit:read", "retrofit:apply"}},
      {"welder", "动火作业人员", DataScope::Self, {"dict:read", "permit:read"}},
      {"fire_watch", "监护人", DataScope::Self, {"dict:read", "permit:read", "permit:watch"}},
      {"inspector", "检查员", DataScope::Dept,
       {"user:read", "org:read", "dict:read", "venue:read", "unit:read", "person:read", "machine:read", "rule:read",
        "permit:read", "permit:revoke", "alert:read", "alert:handle", "hazard:read", "hazard:report", "hazard:assign",
        "inspection:read", "inspection:write", "case:read", "case:write", "project:read", "project:review", "campaign:read",
        "campaign:report", "market:read", "meeting:read", "meeting:write", "retrofit:read"}},
      {"auditor", "审计管理员", DataScope::All, {"audit:read", "loginlog:read"}, true},
      // 三员分立: the administrator's powers split three ways (the auditor above is the third).
      {"sys_admin", "系统管理员", DataScope::All,
       {"user:read", "user:write", "org:read", "org:write", "role:read", "dict:read", "dict:write", "token:write", "webhook:write",
        "backup:write"},
       true},
      {"sec_admin", "安全管理员", DataScope::All, {"user:read", "org:read", "role:read", "role:write", "role:assign", "user:unlock", "security:write"},
       true},
      // A new account's role until the security administrator gives it one: signs in, changes its password, nothing else.
      {"unassigned", "待分配角色", DataScope::Self, {}},
  };
  return roles;
}

}  // namespace huoyan::access
