// Hot-work permits (docs/api-permits.md): labels and tag colours, which buttons a permit's allowedCommands give,
// the post-work rounds countdown, and the opening-hours rule the form warns about before the server refuses.
import type { OpeningHour, Permit, PermitEvent, PermitLevel, PermitRound, PermitState } from './types'
import { formatDuration, formatHm, localDay, weekdayOf, addDays } from './time'
import type { TagType } from './registry'

// --- States

export interface StateStyle {
  label: string
  tag: TagType
  /** Work under way (fire or its aftermath): a solid tag. */
  active: boolean
}

export const PERMIT_STATES: ({ value: PermitState } & StateStyle)[] = [
  { value: 'draft', label: '草稿', tag: 'info', active: false },
  { value: 'submitted', label: '待勘察', tag: 'warning', active: false },
  { value: 'surveyed', label: '待确认风险', tag: 'warning', active: false },
  { value: 'risk_confirmed', label: '待审批', tag: 'warning', active: false },
  { value: 'approved', label: '已批准', tag: 'primary', active: false },
  { value: 'in_progress', label: '作业中', tag: 'danger', active: true },
  { value: 'suspended', label: '已暂停', tag: 'warning', active: true },
  { value: 'watching', label: '作业后监护', tag: 'primary', active: true },
  { value: 'closed', label: '已关闭', tag: 'success', active: false },
  { value: 'cancelled', label: '已取消', tag: 'info', active: false },
  { value: 'revoked', label: '已撤销', tag: 'danger', active: false },
  { value: 'expired', label: '已过期', tag: 'info', active: false },
]

/** State -> label and tag colour; the server's label wins when given, an unknown state is grey. */
export function permitStateTag(state: string | null | undefined, serverLabel?: string | null): StateStyle {
  const hit = PERMIT_STATES.find((s) => s.value === state)
  if (hit) return { label: serverLabel || hit.label, tag: hit.tag, active: hit.active }
  return { label: serverLabel || state || '—', tag: 'info', active: false }
}

/**
 * The same colours for <van-tag :color>: the phone's theme colour is the brand red, so "primary" (已批准,
 * 作业后监护) must not take it; Element Plus's blue/green/orange/red/grey are kept.
 */
const VANT_COLORS: Record<TagType, string> = {
  primary: '#1989fa',
  success: '#07c160',
  warning: '#ed6a0c',
  danger: '#ee0a24',
  info: '#969799',
}
export const vantTagColor = (tag: TagType) => VANT_COLORS[tag] ?? VANT_COLORS.info

export const TERMINAL_STATES: readonly PermitState[] = ['closed', 'cancelled', 'revoked', 'expired']
export const isTerminal = (s: string) => (TERMINAL_STATES as readonly string[]).includes(s)

// --- Levels

export const PERMIT_LEVELS: { value: PermitLevel; label: string; tag: TagType; maxHours: number }[] = [
  { value: 'special', label: '特级', tag: 'danger', maxHours: 8 },
  { value: 'level1', label: '一级', tag: 'warning', maxHours: 8 },
  { value: 'level2', label: '二级', tag: 'info', maxHours: 72 },
]

export function levelTag(level: string | null | undefined, serverLabel?: string | null): { label: string; tag: TagType } {
  const hit = PERMIT_LEVELS.find((l) => l.value === level)
  return { label: serverLabel || hit?.label || level || '—', tag: hit?.tag ?? 'info' }
}

/** Whether the server raised the declared level (holiday, night, key period, wind). */
export function levelRaised(p: { level: string; levelDeclared: string; levelReasons?: string[] | null }): boolean {
  return p.level !== p.levelDeclared || !!p.levelReasons?.length
}

// --- Commands -> buttons

export type CommandDialog = 'confirm' | 'reason' | 'form' | 'route'
export type ButtonType = 'primary' | 'success' | 'warning' | 'danger' | 'default'

export interface CommandMeta {
  key: string
  label: string
  type: ButtonType
  dialog: CommandDialog
  /** Shown when a confirm dialog asks. */
  ask?: string
  /** Said when the command went through. */
  done: string
}

/** Every command a permit may list in allowedCommands, in the order buttons are shown. */
export const COMMANDS: CommandMeta[] = [
  { key: 'update', label: '编辑', type: 'default', dialog: 'route', done: '' },
  { key: 'submit', label: '提交申请', type: 'primary', dialog: 'confirm', ask: '提交后将由场所审批人现场勘察，期间不能修改。确定提交吗？', done: '已提交，等待现场勘察' },
  { key: 'survey', label: '现场勘察', type: 'primary', dialog: 'form', done: '现场勘察已记录' },
  { key: 'confirm-risk', label: '确认风险', type: 'primary', dialog: 'form', done: '安全措施已确认，等待审批' },
  { key: 'approve', label: '批准', type: 'success', dialog: 'form', done: '已批准' },
  { key: 'reject', label: '退回', type: 'warning', dialog: 'reason', done: '已退回申请人' },
  { key: 'check-in', label: '现场签到', type: 'primary', dialog: 'form', done: '已签到' },
  { key: 'gas-analyses', label: '气体分析', type: 'default', dialog: 'form', done: '气体分析已记录' },
  { key: 'start', label: '开始作业', type: 'danger', dialog: 'confirm', ask: '确认监护人、作业人员均已到场签到，安全措施已落实，开始动火作业？', done: '已开始作业' },
  { key: 'suspend', label: '暂停作业', type: 'warning', dialog: 'reason', done: '已暂停作业' },
  { key: 'resume', label: '恢复作业', type: 'primary', dialog: 'confirm', ask: '确认暂停原因已消除，恢复动火作业？', done: '已恢复作业' },
  { key: 'finish', label: '结束作业', type: 'primary', dialog: 'form', done: '作业已结束，进入作业后监护' },
  { key: 'rounds', label: '监护巡查', type: 'primary', dialog: 'form', done: '巡查已记录' },
  { key: 'close', label: '关闭', type: 'success', dialog: 'form', done: '动火作业证已关闭' },
  { key: 'cancel', label: '取消', type: 'default', dialog: 'reason', done: '已取消' },
  { key: 'revoke', label: '撤销', type: 'danger', dialog: 'reason', done: '已撤销' },
]

export const REASON_TITLE: Record<string, string> = {
  reject: '退回原因',
  cancel: '取消原因',
  revoke: '撤销原因',
  suspend: '暂停原因',
}

export function commandMeta(key: string): CommandMeta | undefined {
  return COMMANDS.find((c) => c.key === key)
}

/**
 * The buttons a permit shows: exactly the commands in `allowed` (unknown ones left out), in the fixed order.
 * `omit` drops commands a page handles elsewhere (e.g. the phone has no draft editing).
 */
export function permitButtons(allowed: readonly string[] | null | undefined, omit: readonly string[] = []): CommandMeta[] {
  const have = new Set(allowed ?? [])
  return COMMANDS.filter((c) => have.has(c.key) && !omit.includes(c.key))
}

/** Why buttons cannot run yet (the permit's notYet), "开始作业：监护人尚未到岗签到", in button order. */
export function notYetHints(buttons: readonly CommandMeta[], notYet: Record<string, string> | null | undefined): string[] {
  return buttons.filter((b) => notYet?.[b.key]).map((b) => `${b.label}：${notYet![b.key]}`)
}

/**
 * The main next step among the buttons (drawn larger on the phone): the first that is not editing or stopping,
 * nor a check-in the caller has nobody left for (`checkedIn`: every person they may check in has).
 */
export function mainButton(buttons: readonly CommandMeta[], checkedIn = false): CommandMeta | null {
  const side = ['update', 'cancel', 'revoke', 'reject', 'suspend', 'gas-analyses', ...(checkedIn ? ['check-in'] : [])]
  return buttons.find((b) => !side.includes(b.key)) ?? null
}

// --- People on a permit

export interface MyRoles {
  applicant: boolean
  approver: boolean
  jobLeader: boolean
  fireWatch: boolean
  worker: boolean
}

export function myRoles(p: Permit, userId: number | null | undefined): MyRoles {
  const me = userId ?? -1
  return {
    applicant: p.applicant?.id === me,
    approver: p.approver?.id === me,
    jobLeader: p.jobLeader?.userId === me,
    fireWatch: p.fireWatch?.userId === me,
    worker: p.workers.some((w) => w.userId === me),
  }
}

export function myRoleLabels(r: MyRoles): string[] {
  const out: string[] = []
  if (r.applicant) out.push('申请人')
  if (r.jobLeader) out.push('作业负责人')
  if (r.approver) out.push('审批人')
  if (r.fireWatch) out.push('监护人')
  if (r.worker) out.push('作业人员')
  return out
}

export interface CheckInTarget {
  personId: number
  name: string
  role: 'fire_watch' | 'worker'
  roleLabel: string
  checkedInAt: string | null
  userId: number | null
}

/**
 * Whom the caller may check in: the job leader and the fire watch check in anybody on the permit; anyone else
 * checks in themselves. Workers carry no account id in the current answer, so then every worker is offered and
 * the server refuses the wrong one (NOT_YOUR_STEP).
 */
export function checkInTargets(p: Permit, userId: number | null | undefined): CheckInTarget[] {
  const all: CheckInTarget[] = [
    {
      personId: p.fireWatch.id,
      name: p.fireWatch.name,
      role: 'fire_watch',
      roleLabel: '监护人',
      checkedInAt: p.fireWatch.checkedInAt ?? null,
      userId: p.fireWatch.userId ?? null,
    },
    ...p.workers.map((w) => ({
      personId: w.personId,
      name: w.name,
      role: 'worker' as const,
      roleLabel: '作业人员',
      checkedInAt: w.checkedInAt,
      userId: w.userId ?? null,
    })),
  ]
  const r = myRoles(p, userId)
  if (r.jobLeader || r.fireWatch) return all
  const mine = all.filter((t) => t.userId != null && t.userId === userId)
  if (mine.length) return mine
  const accountsKnown = p.workers.some((w) => w.userId !== undefined)
  return accountsKnown ? [] : all.filter((t) => t.role === 'worker')
}

// --- Rounds (作业后监护巡查)

/** The server takes a round from 5 minutes before it is due (ROUND_NOT_DUE otherwise). */
export const ROUND_EARLY_MS = 5 * 60 * 1000

export function nextRound(rounds: readonly PermitRound[] | null | undefined): PermitRound | null {
  return [...(rounds ?? [])].filter((r) => !r.doneAt).sort((a, b) => a.seq - b.seq)[0] ?? null
}

export interface RoundCountdown {
  seq: number
  total: number
  dueAt: string
  /** Milliseconds until due (negative when overdue). */
  ms: number
  overdue: boolean
  /** Within 5 minutes of the due time or later: the round can be recorded now. */
  open: boolean
  text: string
}

/** The next round's countdown while the permit is in 作业后监护; null otherwise or when every round is done. */
export function roundCountdown(p: { state: string; rounds?: PermitRound[] | null }, now: number): RoundCountdown | null {
  if (p.state !== 'watching') return null
  const r = nextRound(p.rounds)
  if (!r) return null
  const ms = Date.parse(r.dueAt) - now
  const overdue = ms < 0
  return {
    seq: r.seq,
    total: p.rounds?.length ?? 0,
    dueAt: r.dueAt,
    ms,
    overdue,
    open: ms <= ROUND_EARLY_MS,
    text: overdue ? `已超时 ${formatDuration(ms)}` : `还剩 ${formatDuration(ms)}`,
  }
}

/** A round's tag: 已完成 / 逾期完成 / 已逾期 / 待巡查. */
export function roundTag(r: PermitRound): { label: string; tag: TagType } {
  if (r.doneAt && r.result === 'abnormal') return { label: '发现异常', tag: 'danger' }
  if (r.doneAt) return r.late ? { label: '逾期完成', tag: 'warning' } : { label: '已完成', tag: 'success' }
  return r.late ? { label: '已逾期', tag: 'danger' } : { label: '待巡查', tag: 'info' }
}

export const ROUND_RESULTS = [
  { value: 'normal', label: '正常' },
  { value: 'abnormal', label: '异常' },
] as const

export const roundResultLabel = (v: string | null | undefined) => ROUND_RESULTS.find((r) => r.value === v)?.label ?? '—'

// --- Opening hours (the server's rule PERMIT_IN_BUSINESS_HOURS and its exceptions)

/** Venue types that may have hot work while open, with a risk assessment, assigned controls and fire separation. */
export const MAY_WORK_WHILE_OPEN = ['hospital', 'elderly_care', 'welfare_home', 'school', 'training', 'kindergarten', 'nursery']

const HM = (s: string) => {
  const [h, m] = s.split(':').map(Number)
  return h * 60 + m
}
const OFFSET_MS = 8 * 3600 * 1000

/** Whether [start, end) touches any opening range of the venue (past-midnight ranges and closed dates included). */
export function windowTouchesOpenHours(
  startIso: string,
  endIso: string,
  hours: readonly OpeningHour[] | null | undefined,
  closedDates: readonly string[] = [],
): boolean {
  const s = Date.parse(startIso)
  const e = Date.parse(endIso)
  if (!(e > s) || !hours?.length) return false
  // Start a day early: yesterday's late opening may run past midnight.
  const last = localDay(e - 1000)
  for (let day = addDays(localDay(s), -1); day <= last; day = addDays(day, 1)) {
    if (closedDates.includes(day)) continue
    const wd = weekdayOf(day)
    const [y, m, d] = day.split('-').map(Number)
    const midnight = Date.UTC(y, m - 1, d) - OFFSET_MS
    for (const h of hours) {
      if (h.weekday !== wd) continue
      const from = HM(h.from)
      let to = h.to === '24:00' ? 1440 : HM(h.to)
      if (to <= from) to += 1440
      const os = midnight + from * 60_000
      const oe = midnight + to * 60_000
      if (s < oe && os < e) return true
    }
  }
  return false
}

export type OpenHoursRule =
  /** Outside opening hours (or no hours): nothing extra. */
  | 'clear'
  /** 公共娱乐场所 open: hot work is forbidden. */
  | 'entertainment'
  /** Other crowded venues open: forbidden, move the window. */
  | 'forbidden'
  /** 医院/养老院/学校/培训机构 etc. open: risk assessment, controls with 责任人 and fire separation required. */
  | 'mitigate'
  /** The venue's hours are not known to this page (the server checks at submission). */
  | 'unknown'

export interface VenueFacts {
  type?: string | null
  crowded?: boolean | null
  entertainment?: boolean | null
  openingHours?: OpeningHour[] | null
  closedDates?: string[] | null
}

export function openHoursRule(v: VenueFacts | null | undefined, startIso: string, endIso: string): OpenHoursRule {
  if (!v || !startIso || !endIso) return 'clear'
  if (!v.openingHours) return v.type && MAY_WORK_WHILE_OPEN.includes(v.type) ? 'unknown' : 'clear'
  if (v.crowded === false) return 'clear'
  if (!windowTouchesOpenHours(startIso, endIso, v.openingHours, v.closedDates ?? [])) return 'clear'
  if (v.entertainment || v.type === 'entertainment') return 'entertainment'
  if (!v.type || !MAY_WORK_WHILE_OPEN.includes(v.type)) return 'forbidden'
  return 'mitigate'
}

// --- Alerts

export const ALERT_STATES: { value: string; label: string; tag: TagType }[] = [
  { value: 'open', label: '待处置', tag: 'danger' },
  { value: 'acknowledged', label: '已确认', tag: 'warning' },
  { value: 'handled', label: '已处置', tag: 'success' },
  { value: 'false_alarm', label: '误报', tag: 'info' },
]

export function alertStateTag(s: string | null | undefined): { label: string; tag: TagType } {
  const hit = ALERT_STATES.find((a) => a.value === s)
  return hit ? { label: hit.label, tag: hit.tag } : { label: s || '—', tag: 'info' }
}

export const ALERT_SEVERITIES: { value: string; label: string; tag: TagType }[] = [
  { value: 'critical', label: '严重', tag: 'danger' },
  { value: 'warning', label: '警告', tag: 'warning' },
  { value: 'info', label: '提示', tag: 'info' },
]

export function severityTag(s: string | null | undefined): { label: string; tag: TagType } {
  const hit = ALERT_SEVERITIES.find((a) => a.value === s)
  return hit ? { label: hit.label, tag: hit.tag } : { label: s || '—', tag: 'info' }
}

/** "06:00" style time of a round's due instant (for "第 2 次 09:35 到期"). */
export const roundDueText = (r: { dueAt: string }) => formatHm(r.dueAt)

/** A day as "11月23日 周一" for the board's header. */
export function dayTitle(day: string): string {
  const [, m, d] = day.split('-').map(Number)
  return `${m}月${d}日 ${['周一', '周二', '周三', '周四', '周五', '周六', '周日'][weekdayOf(day)]}`
}

// --- Timeline

/** The steps whose forms offer a handwritten signature (`signature`, a PNG's file id), as the paper permit has them
 * signed. (The API takes one at check-in too; the check-in list's buttons check a person in at once.) */
export const SIGNED_STEPS: readonly string[] = ['survey', 'confirm-risk', 'approve', 'rounds', 'close']
/** SIGNED_STEPS as the rule settings name them (a town may require a signature on any of them). */
export const SIGNED_STEP_LABELS: Record<string, string> = {
  survey: '现场勘察', 'confirm-risk': '风险确认', approve: '审批', rounds: '监护巡查', close: '关闭验收',
}

/** Whether the town's rules (`signatureSteps`) require a handwritten signature on `step` of this permit. */
export function signatureRequired(p: Pick<Permit, 'signatureSteps'>, step: string): boolean {
  return (p.signatureSteps ?? []).includes(step)
}
/** The signature field's hint on a step that requires one. */
export const REQUIRED_SIGNATURE_HINT = '必填：按本地动火规则须手写签名'

/** Why the form for `step` cannot be sent yet for want of a signature ('' when it can). */
export function missingSignature(p: Pick<Permit, 'signatureSteps'>, step: string, signature: string): string {
  return signatureRequired(p, step) && !signature ? '按本地动火规则，此步骤须手写签名' : ''
}

/** The file id of the handwritten signature a timeline entry keeps, or null. */
export function eventSignature(e: Pick<PermitEvent, 'detail'>): string | null {
  const s = (e.detail ?? {}).signature
  return typeof s === 'string' && s ? s : null
}

/** What a timeline entry adds besides its command: reason, note, who checked in, the round, the gas result. */
export function eventDetails(e: PermitEvent, p?: Pick<Permit, 'fireWatch' | 'workers'> | null): string[] {
  const d = (e.detail ?? {}) as Record<string, unknown>
  const out: string[] = []
  if (e.command === 'check-in') {
    const id = Number(d.personId)
    const name =
      p && p.fireWatch.id === id ? p.fireWatch.name : (p?.workers.find((w) => w.personId === id)?.name ?? (Number.isFinite(id) ? `#${id}` : ''))
    const role = d.role === 'fire_watch' ? '监护人' : d.role === 'worker' ? '作业人员' : ''
    if (name) out.push(`签到人员：${name}${role ? `（${role}）` : ''}`)
  }
  if (e.command === 'rounds' && d.seq != null) out.push(`第 ${d.seq} 次巡查：${roundResultLabel(String(d.result ?? ''))}`)
  if (e.command === 'gas-analyses' && d.gas != null)
    out.push(`${d.gas} ${d.resultPercent ?? '—'}%，${d.passed === true ? '合格' : d.passed === false ? '不合格' : ''}`)
  if (typeof d.reason === 'string' && d.reason) out.push(`原因：${d.reason}`)
  if (typeof d.note === 'string' && d.note) out.push(`说明：${d.note}`)
  if (typeof d.lat === 'number' && typeof d.lng === 'number') out.push(`位置：${d.lat.toFixed(5)}, ${d.lng.toFixed(5)}`)
  return out
}

/** "待勘察 → 待确认风险" when the entry changed the state, else ''. */
export function eventTransition(e: PermitEvent): string {
  if (!e.fromState || !e.toState || e.fromState === e.toState) return ''
  return `${permitStateTag(e.fromState).label} → ${permitStateTag(e.toState).label}`
}
