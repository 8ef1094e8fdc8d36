import { formatTime } from './time'
import { ALERT_STATES, PERMIT_STATES } from './permits'

// Readable labels for audit entries. Unknown codes fall back to the code itself.

export const TARGET_LABEL: Record<string, string> = {
  user: '用户',
  org_unit: '组织机构',
  role: '角色',
  dict_type: '字典类型',
  dict_item: '字典项',
  api_token: '接口令牌',
  permit: '动火作业证',
  alert: '预警',
  venue: '场所',
  unit: '单位',
  person: '人员',
  certificate: '证书',
  machine: '焊机',
  hazard: '隐患',
  report: '群众举报',
  inspection: '监督检查',
  draw: '双随机抽查',
  case: '执法案件',
  small_project: '小型工程备案',
  work_request: '动火作业需求',
  machine_retrofit: '焊机改造申请',
  work_offer: '动火作业应征',
  meeting: '培训与约谈记录',
  campaign: '专项行动',
  campaign_task: '专项行动任务',
  checklist_template: '检查表模板',
  calendar: '节假日日历',
  key_period: '重点时段',
  measure_templates: '安全措施模板',
  settings: '规则设置',
  security_policy: '安全策略',
  audit_log: '审计日志',
  login_log: '登录日志',
  webhook: '消息推送',
  backup: '数据备份',
  town: '演示数据',
}

// Action prefixes that differ from the target type name.
const ACTION_TARGET: Record<string, string> = { ...TARGET_LABEL, org: '组织机构', token: '接口令牌', dict: '字典' }

// Actions the server records (src/app/*.cpp); keep in step when new ones appear.
export const ACTION_LABEL: Record<string, string> = {
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.auto_disable': '长期未使用自动停用',
  'hazard.export': '导出隐患台账',
  'certificate.export': '导出证书台账',
  'retrofit.export': '导出焊机改造台账',
  'user.disable': '停用用户',
  'user.enable': '启用用户',
  'user.unlock': '解锁用户',
  'user.reset_password': '重置用户密码',
  'auth.password_change': '修改本人密码',
  'auth.second_factor_enable': '绑定动态口令',
  'auth.recovery_codes_renew': '重新生成恢复码',
  'user.second_factor_reset': '重置用户动态口令',
  'security.policy_update': '修改安全策略',
  'user.role_assign': '分配角色',
  'audit.query': '查询审计日志',
  'audit.verify': '校验审计日志',
  'loginlog.query': '查询登录日志',
  'org.create': '新建组织机构',
  'org.update': '修改组织机构',
  'org.delete': '删除组织机构',
  'role.create': '新建角色',
  'role.update': '修改角色',
  'dict.type_create': '新建字典类型',
  'dict.item_create': '新建字典项',
  'dict.item_update': '修改字典项',
  'token.create': '新建接口令牌',
  'token.revoke': '吊销接口令牌',
  'permit.create': '新建动火作业证',
  'permit.update': '修改动火作业证草稿',
  'permit.submit': '提交动火申请',
  'permit.survey': '现场勘察',
  'permit.confirm-risk': '确认动火风险',
  'permit.approve': '批准动火作业',
  'permit.reject': '退回动火申请',
  'permit.check_in': '动火现场签到',
  'permit.gas_analysis': '记录气体分析',
  'permit.start': '开始动火作业',
  'permit.suspend': '暂停动火作业',
  'permit.resume': '恢复动火作业',
  'permit.finish': '结束动火作业',
  'permit.round': '作业后监护巡查',
  'permit.close': '关闭动火作业证',
  'permit.cancel': '取消动火作业证',
  'permit.revoke': '撤销动火作业证',
  'permit.expire': '动火作业证过期',
  'alert.acknowledge': '确认预警',
  'alert.handle': '处置预警',
  'venue.create': '新建场所',
  'venue.update': '修改场所',
  'unit.create': '新建单位',
  'unit.update': '修改单位',
  'person.create': '新建人员',
  'person.update': '修改人员',
  'person.reveal': '查看人员完整信息',
  'certificate.create': '新建证书',
  'certificate.update': '修改证书',
  'certificate.import': '批量导入证书',
  'certificate.verify': '核验证书',
  'machine.create': '新建焊机',
  'machine.update': '修改焊机',
  'machine.issue_secret': '签发焊机芯片密钥',
  'machine.scan_start': '扫码开机',
  'hazard.report': '登记隐患',
  'hazard.assign': '交办隐患',
  'hazard.rectify': '填报隐患整改',
  'hazard.recheck': '复查隐患',
  'hazard.reopen': '重新打开隐患',
  'hazard.supervise': '挂牌督办隐患',
  'hazard.unsupervise': '撤销挂牌督办',
  'report.submit': '提交群众举报',
  'report.accept': '受理群众举报',
  'report.reject': '不予受理群众举报',
  'report.reward': '奖励举报人',
  'inspection.plan': '制定检查计划',
  'inspection.record': '记录监督检查',
  'inspection.patrol': '记录巡查',
  'draw.create': '新建双随机抽查',
  'draw.publish': '公布抽查结果',
  'checklist.replace': '更新检查表模板',
  'case.open': '立案',
  'case.penalize': '作出处罚决定',
  'case.refer': '移交案件',
  'case.referral': '登记移交结果',
  'case.close': '结案',
  'case.expose': '曝光案件',
  'case.withdraw_exposure': '撤回曝光',
  'credit.mark': '列入失信名单',
  'campaign.create': '部署专项行动',
  'campaign.report': '报送专项任务进展',
  'campaign.complete': '确认专项任务完成',
  'small_project.file': '填报小型工程备案',
  'small_project.refile': '修改并重新提交备案',
  'small_project.accept': '受理小型工程备案',
  'small_project.return': '退回备案补正',
  'small_project.guide': '记录安全指导',
  'small_project.check': '记录暗访检查',
  'small_project.finish': '小型工程完工销项',
  'market.request_post': '发布动火作业需求',
  'market.request_done': '确认动火作业需求完成',
  'market.request_rate': '评价动火作业承接单位',
  'market.request_cancel': '撤销动火作业需求',
  'market.offer_submit': '应征动火作业需求',
  'market.offer_accept': '选定承接单位',
  'market.offer_withdraw': '撤回应征',
  'retrofit.apply': '申请焊机改造',
  'retrofit.approve': '批准焊机改造',
  'retrofit.reject': '不予批准焊机改造',
  'retrofit.cancel': '撤销焊机改造申请',
  'retrofit.complete': '报告焊机改造完成',
  'retrofit.pay': '拨付焊机改造补贴',
  'retrofit.standards_update': '设置焊机改造补贴标准',
  'meeting.create': '记录培训、警示教育或约谈',
  'meeting.update': '修改培训、警示教育或约谈记录',
  'credit.lift': '移出失信名单',
  'rule.settings_update': '修改规则设置',
  'rule.calendar_replace': '更新节假日日历',
  'rule.key_period_create': '新建重点时段',
  'rule.key_period_delete': '删除重点时段',
  'rule.measure_templates_replace': '更新安全措施模板',
  'webhook.create': '新建消息推送',
  'webhook.update': '修改消息推送',
  'webhook.delete': '删除消息推送',
  'system.demo_load': '载入演示数据',
  'system.backup': '数据备份',
  'system.backup_failed': '数据备份失败',
  'system.backup_settings': '修改定时备份设置',
  'system.restore': '从备份恢复数据库',
}

const VERB_LABEL: Record<string, string> = {
  create: '新建',
  update: '修改',
  delete: '删除',
  disable: '停用',
  enable: '启用',
  revoke: '吊销',
}

/** "user.create" -> "新建用户"; unknown "x.create" -> "新建x" when x is a known target; else the code. */
export function actionLabel(action: string): string {
  if (ACTION_LABEL[action]) return ACTION_LABEL[action]
  const dot = action.lastIndexOf('.')
  if (dot < 0) return action
  const t = ACTION_TARGET[action.slice(0, dot)]
  const v = VERB_LABEL[action.slice(dot + 1)]
  return t && v ? v + t : action
}

export const KNOWN_ACTIONS = Object.keys(ACTION_LABEL)

export const FIELD_LABEL: Record<string, string> = {
  id: '编号',
  username: '用户名',
  name: '名称',
  phone: '手机号',
  orgUnitId: '组织机构编号',
  orgUnitName: '组织机构',
  roleId: '角色编号',
  roleKey: '角色标识',
  roleName: '角色',
  status: '状态',
  lockedUntil: '锁定至',
  mustChangePassword: '须修改密码',
  secondFactor: '登录须动态口令',
  secondFactorEnrolled: '已绑定动态口令',
  maxFailedLogins: '连续错误锁定次数',
  lockMinutes: '锁定时长（分钟）',
  idleMinutes: '无操作自动退出（分钟）',
  passwordMaxAgeDays: '密码有效期（天）',
  passwordHistory: '不得重复的近期密码数',
  inactiveAccountDays: '闲置账号停用（天）',
  storageAlertPercent: '磁盘剩余空间告警（%）',
  separationOfDuties: '三员分立',
  adminNetworks: '管理账号登录地址',
  lastLoginAt: '最近登录',
  createdAt: '创建时间',
  updatedAt: '修改时间',
  parentId: '上级编号',
  kind: '类型',
  code: '编码',
  sort: '排序',
  userCount: '人员数',
  key: '标识',
  dataScope: '数据范围',
  permissions: '功能权限',
  customOrgUnitIds: '指定部门',
  builtin: '内置',
  description: '说明',
  typeCode: '字典类型',
  value: '字典值',
  label: '显示名称',
  enabled: '启用',
  hour: '每天备份时刻（时）',
  keep: '保留份数',
  file: '文件',
  sizeBytes: '大小（字节）',
  sha256: 'SHA-256',
  error: '失败原因',
  itemCount: '项数',
  userId: '用户编号',
  prefix: '令牌前缀',
  lastUsedAt: '最近使用',
  revokedAt: '吊销时间',
  state: '状态',
  detail: '详情',
  venueId: '场所编号',
  place: '动火部位',
  personId: '人员编号',
  role: '角色',
  seq: '巡查次序',
  result: '结果',
  note: '说明',
  reason: '原因',
  chipId: '芯片编号',
  model: '型号',
  unitName: '单位',
  machineCode: '焊机编码',
  way: '改造方式',
  subsidyRequested: '申请补贴（元）',
  subsidyGranted: '核定补贴（元）',
  subsidyPaid: '拨付金额（元）',
  paidOn: '拨付日期',
  paymentRef: '拨付凭证号',
  insurer: '承保机构',
  policyNumber: '保单号',
  insuredUntil: '保险期限至',
  reviewNote: '审核意见',
  cancelReason: '撤销原因',
  rating: '评分',
  filters: '条件',
  q: '关键字',
  from: '起始',
  to: '截止',
  action: '操作',
  targetType: '对象类型',
  targetId: '对象编号',
  success: '是否成功',
  cursor: '翻页位置',
  page: '页码',
  pageSize: '每页条数',
}

const VALUE_LABEL: Record<string, string> = {
  active: '正常',
  disabled: '停用',
  town: '镇/街道',
  department: '部门/岗位',
  village: '村/社区',
  grid: '网格',
  all: '全部',
  dept: '本部门',
  dept_tree: '本部门及以下',
  self: '仅本人',
  custom: '指定部门',
}

// Permit and alert states in before/after summaries (key "state").
const STATE_LABEL: Record<string, string> = {
  ...Object.fromEntries(PERMIT_STATES.map((x) => [x.value, x.label])),
  ...Object.fromEntries(ALERT_STATES.map((x) => [x.value, x.label])),
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

/** A summary value as a person reads it: times in +08:00, booleans as 是/否, known codes in Chinese. */
export function showValue(key: string, v: unknown): string {
  if (v === undefined) return ''
  if (v === null || v === '') return '—'
  if (typeof v === 'boolean') return v ? '是' : '否'
  if (typeof v === 'string') {
    if (ISO_TIME.test(v)) return formatTime(v, true)
    if ((key === 'status' || key === 'kind' || key === 'dataScope') && VALUE_LABEL[v]) return VALUE_LABEL[v]
    if (key === 'state' && STATE_LABEL[v]) return STATE_LABEL[v]
    return v
  }
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object')) return v.length ? v.join('、') : '（空）'
  // An export's or a search's filters: "关键字：消防；状态：整改中", or 全部 without any.
  if (key === 'filters' && isObj(v)) {
    const parts = Object.entries(v).map(([k, x]) => `${FIELD_LABEL[k] ?? k}：${showValue(k, x)}`)
    return parts.length ? parts.join('；') : '（全部）'
  }
  return typeof v === 'object' ? JSON.stringify(v) : String(v)
}

export interface SummaryRow {
  key: string
  label: string
  before: string
  after: string
  changed: boolean
}

export interface SummaryView {
  rows: SummaryRow[]
  hasBefore: boolean
  hasAfter: boolean
}

/**
 * A `{before, after}` summary as rows of field / before / after; a row is `changed` only when
 * both sides exist and differ. Returns null for another shape (then the page shows JSON).
 */
export function summaryView(summary: unknown): SummaryView | null {
  if (!isObj(summary)) return null
  if (!('before' in summary) && !('after' in summary)) return null
  const { before, after } = summary
  if ((before != null && !isObj(before)) || (after != null && !isObj(after))) return null
  const b = (before ?? {}) as Record<string, unknown>
  const a = (after ?? {}) as Record<string, unknown>
  const hasBefore = before != null
  const hasAfter = after != null
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])]
  const rows = keys.map((key) => {
    const bs = key in b ? showValue(key, b[key]) : ''
    const as = key in a ? showValue(key, a[key]) : ''
    return { key, label: FIELD_LABEL[key] ?? key, before: bs, after: as, changed: hasBefore && hasAfter && bs !== as }
  })
  return { rows, hasBefore, hasAfter }
}

/** Other keys of a summary besides before/after (e.g. reason), for display under the table. */
export function summaryExtras(summary: unknown): [string, string][] {
  if (!isObj(summary)) return []
  return Object.entries(summary)
    .filter(([k]) => k !== 'before' && k !== 'after')
    .map(([k, v]) => [FIELD_LABEL[k] ?? k, showValue(k, v)])
}

export function shortHash(h: string | null | undefined, n = 12): string {
  if (!h) return '—'
  return h.length > n ? `${h.slice(0, n)}…` : h
}
