// Hazards and public reports (docs/api-hazards.md): shapes, labels and tag colours, which buttons a hazard shows
// for a state and the caller's permissions, list filters <-> query string, the checks each command's dialog runs
// before the server does, and the verification countdown of a public report. Pure: no UI library.
import type { Query } from './api'
import type { TagType } from './registry'
import { formatDuration } from './time'
import { PHONE_RE } from './validators'

// --- Shapes

export type HazardState = 'reported' | 'rectifying' | 'awaiting_recheck' | 'closed'
export type HazardSeverity = 'general' | 'major'
export type HazardSource = 'inspection' | 'patrol' | 'report' | 'device' | 'self_check'
export type SupervisionLevel = 'town' | 'district' | 'city'

export interface HazardCategory {
  code: string
  label: string
  defaultDays: number
  verifyHours: number | null
}

export interface HazardSupervision {
  level: SupervisionLevel
  levelLabel?: string
  deadline: string
  note?: string | null
  at: string
}

export interface HazardRectification {
  measures: string
  photos: string[]
  signedBy: string
  /** The file id of the responsible person's handwritten signature, when they signed. */
  signature?: string
  at: string
}

export interface HazardRecheck {
  passed: boolean
  note: string | null
  by: string
  at: string
}

export interface HazardEvent {
  at: string
  action: string
  actionLabel?: string
  by: string
  note?: string | null
}

export interface Hazard {
  id: number
  number: string
  source: HazardSource
  sourceLabel?: string
  venueId: number
  venueName: string
  villageName?: string | null
  category: string
  categoryLabel?: string
  severity: HazardSeverity
  severityLabel?: string
  decisionRecord: string | null
  description: string
  location: string | null
  photos: string[]
  foundBy: string
  foundAt: string
  responsibleUnitId: number | null
  responsibleUnitName?: string | null
  responsiblePerson: string | null
  responsiblePhone: string | null
  supervisorOrgUnitId: number | null
  supervisorName: string | null
  deadline: string | null
  interimMeasures: string | null
  funds: number | null
  state: HazardState
  stateLabel?: string
  overdue: boolean
  supervision: HazardSupervision | null
  rectification: HazardRectification | null
  recheck: HazardRecheck | null
  reportId: number | null
  noticeNumber: string | null
  createdAt: string
  updatedAt: string
  version: number
  timeline?: HazardEvent[]
}

export interface HazardSummaryRow {
  orgUnitId: number
  name: string
  open: number
  overdue: number
  closed: number
}

export interface HazardSummary {
  byState: Partial<Record<HazardState, number>>
  overdue: number
  supervised: number
  byDepartment: HazardSummaryRow[]
  byVillage: HazardSummaryRow[]
}

export type ReportState = 'received' | 'accepted' | 'rejected'

export interface ReportDuplicate {
  type: 'hazard' | 'report'
  id: number
  number?: string
  trackingCode?: string
  state: string
  stateLabel?: string
  createdAt: string
}

export interface PublicReport {
  id: number
  trackingCode: string
  venueId: number | null
  venueName: string
  category: string
  categoryLabel?: string
  description: string
  photos: string[]
  lat: number | null
  lng: number | null
  phone: string | null
  anonymous: boolean
  state: ReportState
  stateLabel?: string
  createdAt: string
  verifyBy: string
  overdue: boolean
  result: string | null
  hazardId: number | null
  reward: { amount: number; note?: string | null; at: string } | null
  duplicates?: ReportDuplicate[]
}

// --- Labels and colours

export interface Labelled<T extends string> {
  value: T
  label: string
  tag: TagType
}

export const HAZARD_STATES: Labelled<HazardState>[] = [
  { value: 'reported', label: '待交办', tag: 'warning' },
  { value: 'rectifying', label: '整改中', tag: 'primary' },
  { value: 'awaiting_recheck', label: '待复查', tag: 'warning' },
  { value: 'closed', label: '已销号', tag: 'success' },
]

export const HAZARD_SEVERITIES: Labelled<HazardSeverity>[] = [
  { value: 'general', label: '一般', tag: 'info' },
  { value: 'major', label: '重大', tag: 'danger' },
]

export const HAZARD_SOURCES: Labelled<HazardSource>[] = [
  { value: 'inspection', label: '检查', tag: 'info' },
  { value: 'patrol', label: '巡查', tag: 'info' },
  { value: 'report', label: '举报', tag: 'warning' },
  { value: 'device', label: '设备预警', tag: 'danger' },
  { value: 'self_check', label: '自查', tag: 'info' },
]

/** Sources a person may pick when registering a hazard (the others come from reports and devices). */
export const REGISTER_SOURCES = HAZARD_SOURCES.filter((s) => ['inspection', 'patrol', 'self_check'].includes(s.value))

export const SUPERVISION_LEVELS: Labelled<SupervisionLevel>[] = [
  { value: 'town', label: '镇级', tag: 'warning' },
  { value: 'district', label: '区级', tag: 'danger' },
  { value: 'city', label: '市级', tag: 'danger' },
]

export const REPORT_STATES: Labelled<ReportState>[] = [
  { value: 'received', label: '待核查', tag: 'warning' },
  { value: 'accepted', label: '已受理', tag: 'success' },
  { value: 'rejected', label: '不予受理', tag: 'info' },
]

function tagOf<T extends string>(list: Labelled<T>[], value: string | null | undefined, serverLabel?: string | null) {
  const hit = list.find((x) => x.value === value)
  return { label: serverLabel || hit?.label || value || '—', tag: (hit?.tag ?? 'info') as TagType }
}
export const hazardStateTag = (s: string | null | undefined, label?: string | null) => tagOf(HAZARD_STATES, s, label)
export const severityTag = (s: string | null | undefined, label?: string | null) => tagOf(HAZARD_SEVERITIES, s, label)
export const sourceTag = (s: string | null | undefined, label?: string | null) => tagOf(HAZARD_SOURCES, s, label)
export const supervisionTag = (s: string | null | undefined, label?: string | null) => tagOf(SUPERVISION_LEVELS, s, label)
export const reportStateTag = (s: string | null | undefined, label?: string | null) => tagOf(REPORT_STATES, s, label)

/** Unresolved hazards: everything but 已销号. */
export const isOpenHazard = (h: { state: string }) => h.state !== 'closed'

// --- Commands -> buttons

export type HazardCommand = 'assign' | 'rectify' | 'recheck' | 'reopen' | 'supervise' | 'unsupervise'

export interface HazardButton {
  key: HazardCommand
  label: string
  type: 'primary' | 'success' | 'warning' | 'danger' | 'default'
  perm: 'hazard:assign' | 'hazard:rectify'
  /** Said when it went through. */
  done: string
}

export const HAZARD_COMMANDS: Record<HazardCommand, HazardButton> = {
  assign: { key: 'assign', label: '交办', type: 'primary', perm: 'hazard:assign', done: '已交办，进入整改' },
  rectify: { key: 'rectify', label: '整改', type: 'primary', perm: 'hazard:rectify', done: '整改记录已提交，等待复查' },
  recheck: { key: 'recheck', label: '复查', type: 'success', perm: 'hazard:assign', done: '复查结果已记录' },
  reopen: { key: 'reopen', label: '重新打开', type: 'warning', perm: 'hazard:assign', done: '已重新打开，回到整改中' },
  supervise: { key: 'supervise', label: '挂牌督办', type: 'danger', perm: 'hazard:assign', done: '已挂牌督办' },
  unsupervise: { key: 'unsupervise', label: '摘牌销案', type: 'default', perm: 'hazard:assign', done: '已摘牌销案' },
}

/**
 * The command buttons of a hazard, in display order: what its state allows (docs/api-hazards.md) and the caller's
 * permissions permit. 挂牌督办 while unresolved and not yet supervised; 摘牌销案 once closed while supervised.
 */
export function hazardButtons(
  h: { state: string; supervision: unknown } | null | undefined,
  permissions: readonly string[],
): HazardButton[] {
  if (!h) return []
  const keys: HazardCommand[] = []
  if (h.state === 'reported') keys.push('assign')
  if (h.state === 'rectifying') keys.push('rectify')
  if (h.state === 'awaiting_recheck') keys.push('recheck')
  if (h.state === 'closed') keys.push('reopen')
  if (!h.supervision && ['reported', 'rectifying', 'awaiting_recheck'].includes(h.state)) keys.push('supervise')
  if (h.supervision && h.state === 'closed') keys.push('unsupervise')
  const have = new Set(permissions)
  return keys.map((k) => HAZARD_COMMANDS[k]).filter((b) => have.has(b.perm))
}

/** Whether the 限期改正通知书 exists: from 交办 on. */
export const hasNotice = (h: { state: string } | null | undefined) => !!h && h.state !== 'reported'

// --- List filters <-> query

// A type (not an interface) so that it fits usePagedTable's Record<string, unknown>.
export type HazardFilters = {
  q: string
  state: string
  severity: string
  category: string
  source: string
  orgUnitId: number | null
  villageId: number | null
  venueId: number | null
  overdue: boolean
  supervised: boolean
  range: [string, string] | null
}

export const emptyHazardFilters = (): HazardFilters => ({
  q: '',
  state: '',
  severity: '',
  category: '',
  source: '',
  orgUnitId: null,
  villageId: null,
  venueId: null,
  overdue: false,
  supervised: false,
  range: null,
})

/** The list's (and the export's) query parameters; empty filters are left out, the flags only when on. */
export function hazardQuery(f: HazardFilters): Query {
  return {
    q: f.q.trim(),
    state: f.state,
    severity: f.severity,
    category: f.category,
    source: f.source,
    orgUnitId: f.orgUnitId,
    villageId: f.villageId,
    venueId: f.venueId,
    overdue: f.overdue ? 'true' : '',
    supervised: f.supervised ? 'true' : '',
    from: f.range ? f.range[0] : '',
    to: f.range ? f.range[1] : '',
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/
const one = (v: unknown) => (Array.isArray(v) ? v[0] : v)
const str = (v: unknown) => (typeof one(v) === 'string' ? String(one(v)).trim() : '')
const id = (v: unknown) => (/^\d+$/.test(str(v)) && Number(str(v)) > 0 ? Number(str(v)) : null)
const known = (v: unknown, list: { value: string }[]) => (list.some((x) => x.value === str(v)) ? str(v) : '')

/** Filters from a page address (e.g. /hazards?overdue=true&orgUnitId=4 from the summary); unknown values dropped. */
export function hazardFiltersFromQuery(q: Record<string, unknown>): HazardFilters {
  const from = str(q.from)
  const to = str(q.to)
  return {
    ...emptyHazardFilters(),
    q: str(q.q),
    state: known(q.state, HAZARD_STATES),
    severity: known(q.severity, HAZARD_SEVERITIES),
    category: /^[a-z0-9_]{1,40}$/.test(str(q.category)) ? str(q.category) : '',
    source: known(q.source, HAZARD_SOURCES),
    orgUnitId: id(q.orgUnitId),
    villageId: id(q.villageId),
    venueId: id(q.venueId),
    overdue: str(q.overdue) === 'true',
    supervised: str(q.supervised) === 'true',
    range: DAY.test(from) && DAY.test(to) && from <= to ? [from, to] : null,
  }
}

// --- Checks before the server (same rules, same fields)

export interface FieldError {
  field: string
  message: string
}

const blank = (s: string | null | undefined) => !(s ?? '').trim()

export interface HazardInputForm {
  venueId: number | null
  category: string
  severity: HazardSeverity
  decisionRecord: string
  description: string
  location: string
  photos: string[]
  source: string
  foundAt: string
}

/** Every problem of the form at once (the dialog marks each field). */
export function checkHazardInput(f: HazardInputForm): FieldError[] {
  const out: FieldError[] = []
  if (!f.venueId) out.push({ field: 'venueId', message: '请选择场所' })
  if (!f.category) out.push({ field: 'category', message: '请选择隐患类别' })
  if (f.severity === 'major' && blank(f.decisionRecord))
    out.push({ field: 'decisionRecord', message: '重大火灾隐患须填写集体研究（讨论）记录' })
  if (blank(f.description)) out.push({ field: 'description', message: '请描述隐患情况' })
  return out
}

export function hazardInputBody(f: HazardInputForm): Record<string, unknown> {
  const body: Record<string, unknown> = {
    venueId: f.venueId,
    category: f.category,
    severity: f.severity,
    description: f.description.trim(),
  }
  if (f.severity === 'major') body.decisionRecord = f.decisionRecord.trim()
  if (f.location.trim()) body.location = f.location.trim()
  if (f.photos.length) body.photos = [...f.photos]
  if (f.source) body.source = f.source
  if (f.foundAt) body.foundAt = f.foundAt
  return body
}

export interface AssignForm {
  responsiblePerson: string
  responsiblePhone: string
  responsibleUnitId: number | null
  supervisorOrgUnitId: number | null
  deadline: string
  interimMeasures: string
  funds: number | null
  severity: HazardSeverity
  decisionRecord: string
}

/** `today` is the Beijing day "YYYY-MM-DD"; `hadDecision`: the hazard already carries a decision record. */
export function checkAssign(f: AssignForm, today: string, hadDecision = false): FieldError | null {
  if (blank(f.responsiblePerson)) return { field: 'responsiblePerson', message: '请填写整改责任人' }
  if (f.responsiblePhone.trim() && !f.responsiblePhone.includes('*') && !PHONE_RE.test(f.responsiblePhone.trim()))
    return { field: 'responsiblePhone', message: '手机号格式不正确（11 位，以 13–19 开头）' }
  if (f.deadline && f.deadline < today) return { field: 'deadline', message: '整改期限不得早于今天' }
  if (f.funds != null && (!Number.isFinite(f.funds) || f.funds < 0)) return { field: 'funds', message: '整改资金不能为负数' }
  if (f.severity === 'major' && blank(f.decisionRecord) && !hadDecision)
    return { field: 'decisionRecord', message: '重大火灾隐患须填写集体研究（讨论）记录' }
  return null
}

export function assignBody(f: AssignForm, h: { severity: string; decisionRecord: string | null }): Record<string, unknown> {
  const body: Record<string, unknown> = { responsiblePerson: f.responsiblePerson.trim() }
  if (f.responsiblePhone.trim() && !f.responsiblePhone.includes('*')) body.responsiblePhone = f.responsiblePhone.trim()
  if (f.responsibleUnitId) body.responsibleUnitId = f.responsibleUnitId
  if (f.supervisorOrgUnitId) body.supervisorOrgUnitId = f.supervisorOrgUnitId
  if (f.deadline) body.deadline = f.deadline
  if (f.interimMeasures.trim()) body.interimMeasures = f.interimMeasures.trim()
  if (f.funds != null) body.funds = f.funds
  if (f.severity !== h.severity) body.severity = f.severity
  if (f.severity === 'major' && f.decisionRecord.trim() && f.decisionRecord.trim() !== (h.decisionRecord ?? ''))
    body.decisionRecord = f.decisionRecord.trim()
  return body
}

export function checkRectify(f: { measures: string; photos: string[]; signedBy: string }): FieldError | null {
  if (blank(f.measures)) return { field: 'measures', message: '请填写已采取的整改措施' }
  if (!f.photos.length) return { field: 'photos', message: '请上传至少一张整改后的现场照片' }
  if (blank(f.signedBy)) return { field: 'signedBy', message: '请责任人签字（填写姓名）' }
  return null
}

export function checkRecheck(f: { passed: boolean | null; note: string }): FieldError | null {
  if (f.passed === null) return { field: 'passed', message: '请选择复查结论' }
  if (!f.passed && blank(f.note)) return { field: 'note', message: '复查不合格须写明原因' }
  return null
}

export function checkReason(reason: string, what = '原因'): FieldError | null {
  return blank(reason) ? { field: 'reason', message: `请填写${what}` } : null
}

export function checkSupervise(f: { level: string; deadline: string }, today: string): FieldError | null {
  if (!SUPERVISION_LEVELS.some((l) => l.value === f.level)) return { field: 'level', message: '请选择督办级别' }
  if (!f.deadline) return { field: 'deadline', message: '请选择督办期限' }
  if (f.deadline < today) return { field: 'deadline', message: '督办期限不得早于今天' }
  return null
}

export function checkReward(f: { amount: number | null }): FieldError | null {
  if (f.amount == null || !Number.isFinite(f.amount)) return { field: 'amount', message: '请填写奖励金额' }
  if (f.amount < 1 || f.amount > 1_000_000) return { field: 'amount', message: '奖励金额须在 1 至 1000000 元之间' }
  return null
}

// --- Public reports: the verification time limit

export interface VerifyCountdown {
  overdue: boolean
  /** "剩余 5:12:03" / "已超时 2:00:00"; days shown as "剩余 2 天 3 小时". */
  text: string
  /** Less than 4 hours left: worth a warning colour. */
  urgent: boolean
}

/** Time left to verify a report (null once it has been triaged or when verifyBy is missing). */
export function verifyCountdown(r: { state: string; verifyBy: string | null | undefined; overdue?: boolean }, now: number): VerifyCountdown | null {
  if (r.state !== 'received' || !r.verifyBy) return null
  const due = Date.parse(r.verifyBy)
  if (Number.isNaN(due)) return null
  const left = due - now
  const overdue = left <= 0 || !!r.overdue
  const size = Math.abs(left)
  const days = Math.floor(size / 86_400_000)
  const span = days >= 1 ? `${days} 天 ${Math.floor((size % 86_400_000) / 3_600_000)} 小时` : formatDuration(size)
  return { overdue, text: overdue ? `已超时 ${left <= 0 ? span : ''}`.trim() : `剩余 ${span}`, urgent: !overdue && left < 4 * 3_600_000 }
}
