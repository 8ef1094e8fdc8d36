// Inspections, grid patrols and 双随机 draws (docs/api-hazards.md "监督检查、网格巡查与双随机"): shapes, labels,
// the checks the forms run before the server does, and the request bodies (checklist results + findings → record,
// a patrol, a plan, a draw). Pure: no UI library.
import type { Query } from './api'
import type { FieldError, HazardSeverity } from './hazards'
import type { TagType } from './registry'

// --- Shapes

export type InspectionKind = 'routine' | 'special' | 'random' | 'patrol'
export type InspectionState = 'planned' | 'done'

export interface ChecklistItem {
  code: string
  label: string
  category: string
}

export interface ChecklistResult {
  code: string
  label?: string
  passed: boolean
  note?: string | null
}

export interface Inspection {
  id: number
  venueId: number
  venueName: string
  venueType?: string | null
  kind: InspectionKind
  kindLabel?: string
  unannounced: boolean
  plannedOn: string | null
  state: InspectionState
  stateLabel?: string
  inspectorIds: number[]
  inspectors: { id: number; name: string }[]
  drawId: number | null
  results: ChecklistResult[] | null
  summary: string | null
  lat: number | null
  lng: number | null
  inspectedAt: string | null
  createdAt: string
  updatedAt: string
  /** Detail only: the checklist of the venue's type. */
  checklist?: ChecklistItem[]
  /** Detail only: the hazards registered from this inspection. */
  hazards?: { id: number; number: string; state: string; stateLabel?: string; category: string; categoryLabel?: string }[]
}

export interface ChecklistTemplate {
  venueType: string
  items: ChecklistItem[]
  updatedAt: string | null
}

export interface DrawPick {
  venueId: number
  venueName: string
  keyUnit: boolean
  inspectors: { id: number; name: string }[]
  inspectionId: number | null
  inspectionState: InspectionState | string | null
  hazardCount: number
}

export interface Draw {
  id: number
  name: string
  seed: string
  createdAt: string
  publishedAt: string | null
  venueCount: number
  poolSize: number
  rosterSize: number
  keyPercent: number
  plannedOn: string
  picks: DrawPick[]
  inputs?: Record<string, unknown>
}

export interface DrawVerify {
  matches: boolean
  result: { venueId: number; inspectorIds: number[] }[]
}

export interface PublicDraw {
  name: string
  seed: string
  createdAt: string
  publishedAt: string
  plannedOn: string
  poolSize: number
  picks: { venueName: string; inspectors: string[]; inspectionState: string; hazardCount: number }[]
}

// --- Labels

export interface Labelled<T extends string> {
  value: T
  label: string
  tag: TagType
}

export const INSPECTION_KINDS: Labelled<InspectionKind>[] = [
  { value: 'routine', label: '日常检查', tag: 'info' },
  { value: 'special', label: '专项检查', tag: 'warning' },
  { value: 'random', label: '双随机抽查', tag: 'primary' },
  { value: 'patrol', label: '网格巡查', tag: 'success' },
]
/** Kinds planned on the 计划检查 dialog (random ones come from draws, patrols from the phone). */
export const PLAN_KINDS = INSPECTION_KINDS.filter((k) => k.value === 'routine' || k.value === 'special')

export const INSPECTION_STATES: Labelled<InspectionState>[] = [
  { value: 'planned', label: '待检查', tag: 'warning' },
  { value: 'done', label: '已检查', tag: 'success' },
]

function tagOf<T extends string>(list: Labelled<T>[], value: string | null | undefined, serverLabel?: string | null) {
  const hit = list.find((x) => x.value === value)
  return { label: serverLabel || hit?.label || value || '—', tag: (hit?.tag ?? 'info') as TagType }
}
export const inspectionKindTag = (k: string | null | undefined, label?: string | null) => tagOf(INSPECTION_KINDS, k, label)
export const inspectionStateTag = (s: string | null | undefined, label?: string | null) => tagOf(INSPECTION_STATES, s, label)

/** "周建国、罗勇" (or '—'). */
export const inspectorNames = (list: { name: string }[] | string[] | null | undefined) =>
  list?.length ? list.map((x) => (typeof x === 'string' ? x : x.name)).join('、') : '—'

/** Whether `userId` is one of the inspection's named inspectors. */
export const isNamedInspector = (i: { inspectorIds: number[] } | null | undefined, userId: number | null | undefined) =>
  !!i && userId != null && i.inspectorIds.includes(userId)

/** The record form shows only to a named inspector while the inspection is 待检查 (the server says NOT_YOUR_STEP otherwise). */
export const canRecord = (i: { state: string; inspectorIds: number[] } | null | undefined, userId: number | null | undefined) =>
  !!i && i.state === 'planned' && isNamedInspector(i, userId)

// --- List filters

export type InspectionFilters = {
  state: string
  kind: string
  venueId: number | null
  drawId: number | null
}
export const emptyInspectionFilters = (): InspectionFilters => ({ state: '', kind: '', venueId: null, drawId: null })
export const inspectionQuery = (f: InspectionFilters): Query => ({ state: f.state, kind: f.kind, venueId: f.venueId, drawId: f.drawId })

const one = (v: unknown) => (Array.isArray(v) ? v[0] : v)
const str = (v: unknown) => (typeof one(v) === 'string' ? String(one(v)).trim() : '')
const idOf = (v: unknown) => (/^\d+$/.test(str(v)) && Number(str(v)) > 0 ? Number(str(v)) : null)

/** Filters from a page address (/inspections?state=planned&drawId=2); unknown values dropped. */
export function inspectionFiltersFromQuery(q: Record<string, unknown>): InspectionFilters {
  return {
    state: INSPECTION_STATES.some((s) => s.value === str(q.state)) ? str(q.state) : '',
    kind: INSPECTION_KINDS.some((k) => k.value === str(q.kind)) ? str(q.kind) : '',
    venueId: idOf(q.venueId),
    drawId: idOf(q.drawId),
  }
}

// --- 计划检查

export interface PlanForm {
  venueId: number | null
  kind: 'routine' | 'special'
  plannedOn: string
  inspectorIds: number[]
  unannounced: boolean
}

/** `today`: the Beijing day "YYYY-MM-DD". */
export function checkPlan(f: PlanForm, today: string): FieldError[] {
  const out: FieldError[] = []
  if (!f.venueId) out.push({ field: 'venueId', message: '请选择检查场所' })
  if (f.plannedOn && f.plannedOn < today) out.push({ field: 'plannedOn', message: '计划日期不得早于今天' })
  if (new Set(f.inspectorIds).size < 2) out.push({ field: 'inspectorIds', message: '监督检查须由 2 名以上检查人员实施' })
  return out
}

export function planBody(f: PlanForm): Record<string, unknown> {
  const body: Record<string, unknown> = { venueId: f.venueId, kind: f.kind, inspectorIds: [...new Set(f.inspectorIds)], unannounced: f.unannounced }
  if (f.plannedOn) body.plannedOn = f.plannedOn
  return body
}

// --- 记录检查结果: the checklist and the findings

export interface ResultRow {
  code: string
  label: string
  category: string
  passed: boolean
  note: string
}

/** One editable row per checklist item, 合格 to start with. */
export const resultRows = (checklist: ChecklistItem[] | null | undefined): ResultRow[] =>
  (checklist ?? []).map((c) => ({ code: c.code, label: c.label, category: c.category, passed: true, note: '' }))

export interface FindingForm {
  category: string
  description: string
  location: string
  photos: string[]
  severity: HazardSeverity
  decisionRecord: string
}

export const emptyFinding = (category = '', description = ''): FindingForm => ({
  category,
  description,
  location: '',
  photos: [],
  severity: 'general',
  decisionRecord: '',
})

/** A finding to register for a failed checklist row: its hazard category, the row's note (else its label) as the description. */
export const findingFromRow = (r: ResultRow): FindingForm => emptyFinding(r.category, r.note.trim() || `不符合：${r.label}`)

const blank = (s: string | null | undefined) => !(s ?? '').trim()

/** Problems of the findings; fields are "findings[i].description" etc. */
export function checkFindings(list: FindingForm[]): FieldError[] {
  const out: FieldError[] = []
  list.forEach((f, i) => {
    if (!f.category) out.push({ field: `findings[${i}].category`, message: '请选择隐患类别' })
    if (blank(f.description)) out.push({ field: `findings[${i}].description`, message: '请描述发现的问题' })
    if (f.severity === 'major' && blank(f.decisionRecord))
      out.push({ field: `findings[${i}].decisionRecord`, message: '重大火灾隐患须填写集体研究（讨论）记录' })
  })
  return out
}

/** Problems of the record form: a failed item needs a note saying what is wrong. */
export function checkRecord(rows: ResultRow[], findings: FindingForm[]): FieldError[] {
  const out: FieldError[] = []
  rows.forEach((r, i) => {
    if (!r.passed && blank(r.note)) out.push({ field: `results[${i}].note`, message: '不合格项请写明情况' })
  })
  return [...out, ...checkFindings(findings)]
}

export function findingBody(f: FindingForm): Record<string, unknown> {
  const body: Record<string, unknown> = { category: f.category, description: f.description.trim() }
  if (f.location.trim()) body.location = f.location.trim()
  if (f.photos.length) body.photos = [...f.photos]
  body.severity = f.severity
  if (f.severity === 'major') body.decisionRecord = f.decisionRecord.trim()
  return body
}

export interface RecordExtras {
  summary?: string
  lat?: number | null
  lng?: number | null
}

/** POST /api/inspections/:id/record: every checklist row, the findings, the summary and position when given. */
export function recordBody(rows: ResultRow[], findings: FindingForm[], extra: RecordExtras = {}): Record<string, unknown> {
  const body: Record<string, unknown> = {
    results: rows.map((r) => (r.note.trim() ? { code: r.code, passed: r.passed, note: r.note.trim() } : { code: r.code, passed: r.passed })),
    findings: findings.map(findingBody),
  }
  if (extra.summary?.trim()) body.summary = extra.summary.trim()
  if (extra.lat != null && extra.lng != null) {
    body.lat = extra.lat
    body.lng = extra.lng
  }
  return body
}

/** Counts for a done inspection's header: "7 项，不合格 1 项". */
export function resultSummary(results: ChecklistResult[] | null | undefined): { total: number; failed: number; text: string } {
  const total = results?.length ?? 0
  const failed = (results ?? []).filter((r) => !r.passed).length
  return { total, failed, text: total ? (failed ? `${total} 项，不合格 ${failed} 项` : `${total} 项，全部合格`) : '未使用检查表' }
}

// --- 网格巡查 (the phone)

export interface PatrolForm {
  venueId: number | null
  findings: FindingForm[]
  summary: string
  lat: number | null
  lng: number | null
}

export function checkPatrol(f: PatrolForm): FieldError[] {
  const out: FieldError[] = []
  if (!f.venueId) out.push({ field: 'venueId', message: '请选择巡查场所' })
  return [...out, ...checkFindings(f.findings)]
}

/** POST /api/patrols: findings only when there are some; the position when the phone gave one. */
export function patrolBody(f: PatrolForm): Record<string, unknown> {
  const body: Record<string, unknown> = { venueId: f.venueId }
  if (f.findings.length) body.findings = f.findings.map(findingBody)
  if (f.summary.trim()) body.summary = f.summary.trim()
  if (f.lat != null && f.lng != null) {
    body.lat = f.lat
    body.lng = f.lng
  }
  return body
}

// --- 双随机 draws

export interface DrawForm {
  name: string
  venueCount: number | null
  plannedOn: string
  keyPercent: number | null
  inspectorsPerVenue: number | null
  seed: string
  venueTypes: string[]
}

export const emptyDrawForm = (plannedOn = ''): DrawForm => ({
  name: '',
  venueCount: 5,
  plannedOn,
  keyPercent: 70,
  inspectorsPerVenue: 2,
  seed: '',
  venueTypes: [],
})

export function checkDraw(f: DrawForm, today: string): FieldError[] {
  const out: FieldError[] = []
  if (blank(f.name)) out.push({ field: 'name', message: '请填写抽查名称' })
  if (f.venueCount == null || !Number.isInteger(f.venueCount) || f.venueCount < 1 || f.venueCount > 500)
    out.push({ field: 'venueCount', message: '抽取场所数须在 1–500 之间' })
  if (!f.plannedOn) out.push({ field: 'plannedOn', message: '请选择计划检查日期' })
  else if (f.plannedOn < today) out.push({ field: 'plannedOn', message: '计划日期不得早于今天' })
  if (f.keyPercent != null && (f.keyPercent < 0 || f.keyPercent > 100)) out.push({ field: 'keyPercent', message: '重点单位比例须在 0–100 之间' })
  if (f.inspectorsPerVenue != null && (f.inspectorsPerVenue < 2 || f.inspectorsPerVenue > 5))
    out.push({ field: 'inspectorsPerVenue', message: '每个场所 2–5 名检查人员' })
  if (f.seed.trim() && !/^\d{1,20}$/.test(f.seed.trim())) out.push({ field: 'seed', message: '随机种子为十进制数字（最多 20 位），不填由系统生成' })
  return out
}

export function drawBody(f: DrawForm): Record<string, unknown> {
  const body: Record<string, unknown> = { name: f.name.trim(), venueCount: f.venueCount, plannedOn: f.plannedOn }
  if (f.keyPercent != null) body.keyPercent = f.keyPercent
  if (f.inspectorsPerVenue != null) body.inspectorsPerVenue = f.inspectorsPerVenue
  if (f.seed.trim()) body.seed = f.seed.trim()
  if (f.venueTypes.length) body.venueTypes = [...f.venueTypes]
  return body
}

export interface PickRow {
  venueId: number
  venueName: string
  keyUnit: boolean
  inspectors: string
  inspectionId: number | null
  state: { label: string; tag: TagType }
  hazardCount: number
}

/** The picks table: inspectors as "吴海、谢芳", the inspection's state as a tag. */
export const pickRows = (picks: DrawPick[] | null | undefined): PickRow[] =>
  (picks ?? []).map((p) => ({
    venueId: p.venueId,
    venueName: p.venueName,
    keyUnit: p.keyUnit,
    inspectors: inspectorNames(p.inspectors),
    inspectionId: p.inspectionId,
    state: inspectionStateTag(p.inspectionState),
    hazardCount: p.hazardCount ?? 0,
  }))

/** Counts of a draw: "抽中 4 家（重点单位 3 家）· 已检查 1 · 发现隐患 2 处". */
export function drawProgress(picks: { keyUnit?: boolean; inspectionState: string | null; hazardCount: number }[] | null | undefined) {
  const list = picks ?? []
  const key = list.filter((p) => p.keyUnit).length
  const done = list.filter((p) => p.inspectionState === 'done').length
  const hazards = list.reduce((n, p) => n + (p.hazardCount ?? 0), 0)
  return { total: list.length, key, done, hazards }
}

/**
 * Venues where a re-draw differs from the stored picks (by venue and the set of inspectors), in either direction.
 * Empty when they agree.
 */
export function drawDiffs(picks: { venueId: number; inspectors: { id: number }[] }[], result: { venueId: number; inspectorIds: number[] }[]): number[] {
  const key = (ids: number[]) => [...ids].sort((a, b) => a - b).join(',')
  const stored = new Map(picks.map((p) => [p.venueId, key(p.inspectors.map((x) => x.id))]))
  const again = new Map(result.map((r) => [r.venueId, key(r.inspectorIds)]))
  const out = new Set<number>()
  for (const [v, k] of stored) if (again.get(v) !== k) out.add(v)
  for (const [v, k] of again) if (stored.get(v) !== k) out.add(v)
  return [...out]
}

// --- 检查表模板

export function checkTemplateItems(items: ChecklistItem[]): FieldError[] {
  const out: FieldError[] = []
  if (!items.length) out.push({ field: 'items', message: '检查表至少需要 1 项' })
  const seen = new Set<string>()
  items.forEach((it, i) => {
    const code = it.code.trim()
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(code)) out.push({ field: `items[${i}].code`, message: '代码为 1–40 位字母、数字、下划线' })
    else if (seen.has(code)) out.push({ field: `items[${i}].code`, message: '代码重复' })
    seen.add(code)
    if (blank(it.label)) out.push({ field: `items[${i}].label`, message: '请填写检查内容' })
    if (!it.category) out.push({ field: `items[${i}].category`, message: '请选择对应的隐患类别' })
  })
  return out
}

export const templateBody = (items: ChecklistItem[]) => ({
  items: items.map((it) => ({ code: it.code.trim(), label: it.label.trim(), category: it.category })),
})
