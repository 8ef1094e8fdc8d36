// Enforcement cases, 一案双罚, referral, 警示曝光 and 失信联合惩戒 (docs/api-hazards.md, last section).

export type CaseState = 'open' | 'decided' | 'referred' | 'closed'
export type CaseSourceType = 'hazard' | 'report' | 'alert' | 'other'
export type PenaltyKind = 'warning' | 'fine' | 'suspend' | 'detention' | 'other'
export type ReferralStatus = 'pending' | 'accepted' | 'returned' | 'concluded'
type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

export interface ResponsiblePerson {
  name: string
  role: string
}

export interface CasePenalty {
  target: 'unit' | 'person'
  name: string | null
  role: string | null
  kind: PenaltyKind
  kindLabel?: string
  amount: number | null
  note: string | null
}

export interface CaseReferral {
  department: string
  note: string | null
  at: string
  status: ReferralStatus
  statusLabel?: string
  result?: string | null
  updatedAt?: string | null
}

export interface CaseExposure {
  id: number
  title: string
  summary: string
  publishedAt: string
  withdrawnAt: string | null
}

export interface Case {
  id: number
  number: string
  sourceType: CaseSourceType
  sourceId: number | null
  venueId: number
  venueName: string
  unitId: number | null
  partyName: string | null
  responsiblePersons: ResponsiblePerson[]
  title: string
  facts: string
  legalBasis: string | null
  state: CaseState
  stateLabel?: string
  decisionNumber: string | null
  decidedOn: string | null
  referral: CaseReferral | null
  penalties: CasePenalty[]
  exposure: CaseExposure | null
  closedAt: string | null
  createdAt: string
  updatedAt: string
  version: number
  timeline?: { at: string; action: string; by: string; note: string | null }[]
}

export interface CreditMark {
  id: number
  unitId: number
  unitName: string
  creditCode?: string | null
  caseId: number | null
  reason: string
  markedAt: string
  liftedAt: string | null
  liftReason: string | null
  active: boolean
}

export interface PublicExposure {
  id: number
  title: string
  summary: string
  venueName: string
  publishedAt: string
  penalties: string[]
}

export const CASE_STATES: { value: CaseState; label: string; tag: TagType }[] = [
  { value: 'open', label: '立案调查', tag: 'warning' },
  { value: 'decided', label: '已作出处罚决定', tag: 'danger' },
  { value: 'referred', label: '已移交执法部门', tag: 'primary' },
  { value: 'closed', label: '已结案', tag: 'success' },
]
export function caseStateTag(state: string, label?: string | null): { label: string; tag: TagType } {
  const s = CASE_STATES.find((x) => x.value === state)
  return { label: label || s?.label || state, tag: s?.tag ?? 'info' }
}

export const SOURCE_TYPES: { value: CaseSourceType; label: string }[] = [
  { value: 'hazard', label: '隐患' },
  { value: 'report', label: '群众举报' },
  { value: 'alert', label: '预警' },
  { value: 'other', label: '其他' },
]
export const sourceTypeLabel = (v: string) => SOURCE_TYPES.find((s) => s.value === v)?.label ?? v

export const PENALTY_KINDS: { value: PenaltyKind; label: string }[] = [
  { value: 'warning', label: '警告' },
  { value: 'fine', label: '罚款' },
  { value: 'suspend', label: '责令停产停业' },
  { value: 'detention', label: '行政拘留' },
  { value: 'other', label: '其他' },
]
/** Kinds for the unit (行政拘留 only applies to people). */
export const UNIT_PENALTY_KINDS = PENALTY_KINDS.filter((k) => k.value !== 'detention')
export const penaltyKindLabel = (v: string) => PENALTY_KINDS.find((k) => k.value === v)?.label ?? v

export const REFERRAL_STATUSES: { value: Exclude<ReferralStatus, 'pending'>; label: string }[] = [
  { value: 'accepted', label: '已接收' },
  { value: 'returned', label: '已退回' },
  { value: 'concluded', label: '已办结' },
]
export const referralStatusLabel = (v: string) =>
  v === 'pending' ? '待接收' : (REFERRAL_STATUSES.find((s) => s.value === v)?.label ?? v)

const ACTION_LABELS: Record<string, string> = {
  open: '立案',
  penalize: '作出处罚决定',
  refer: '移交执法部门',
  referral: '登记办理情况',
  close: '结案',
  expose: '警示曝光',
  withdraw: '撤下曝光',
}
/** A timeline action's label (the server stores the command name). */
export const caseActionLabel = (a: string) => ACTION_LABELS[a] ?? a

/** "罚款 30,000 元" / "警告". */
export function penaltyText(p: Pick<CasePenalty, 'kind' | 'kindLabel' | 'amount'>): string {
  const label = p.kindLabel || penaltyKindLabel(p.kind)
  return p.amount != null ? `${label} ${p.amount.toLocaleString('zh-CN')} 元` : label
}

/** The exposure currently shown to the public (published, not withdrawn). */
export const activeExposure = (c: Pick<Case, 'exposure'> | null | undefined) =>
  c?.exposure && !c.exposure.withdrawnAt ? c.exposure : null

// --- Buttons by state

export type CaseCommand = 'penalize' | 'refer' | 'referral' | 'close' | 'expose' | 'withdraw'
export interface CaseButton {
  key: CaseCommand
  label: string
  type: 'primary' | 'success' | 'warning' | 'danger' | 'default'
}

/** The commands the case's state allows, for a holder of case:write (none without it). */
export function caseButtons(c: Case | null | undefined, permissions: readonly string[]): CaseButton[] {
  if (!c || !permissions.includes('case:write')) return []
  const out: CaseButton[] = []
  if (c.state === 'open') out.push({ key: 'penalize', label: '处罚决定', type: 'danger' })
  if (c.state === 'open' || c.state === 'decided') out.push({ key: 'refer', label: '移交', type: 'default' })
  if (c.state === 'referred') out.push({ key: 'referral', label: '登记办理情况', type: 'primary' })
  if (c.state === 'decided' || (c.state === 'referred' && c.referral?.status === 'concluded'))
    out.push({ key: 'close', label: '结案', type: 'success' })
  if (c.penalties.length && !activeExposure(c)) out.push({ key: 'expose', label: '警示曝光', type: 'warning' })
  if (activeExposure(c)) out.push({ key: 'withdraw', label: '撤下曝光', type: 'default' })
  return out
}

// --- 立案

export interface CaseForm {
  sourceType: CaseSourceType
  sourceId: number | null
  venueId: number | null
  unitId: number | null
  partyName: string
  responsiblePersons: ResponsiblePerson[]
  title: string
  facts: string
  legalBasis: string
}

export const emptyCaseForm = (): CaseForm => ({
  sourceType: 'hazard',
  sourceId: null,
  venueId: null,
  unitId: null,
  partyName: '',
  responsiblePersons: [{ name: '', role: '主要负责人' }],
  title: '',
  facts: '',
  legalBasis: '',
})

/** A hazard as 立案 needs it. */
export interface HazardForCase {
  id: number
  number: string
  venueId: number
  venueName?: string | null
  description: string
  categoryLabel?: string | null
  category?: string
  responsibleUnitId?: number | null
  responsibleUnitName?: string | null
  responsiblePerson?: string | null
}

/** The 立案 form prefilled from a hazard (its venue, responsible unit and person, description). */
export function caseFormFromHazard(h: HazardForCase): CaseForm {
  const f = emptyCaseForm()
  f.sourceType = 'hazard'
  f.sourceId = h.id
  f.venueId = h.venueId
  f.unitId = h.responsibleUnitId ?? null
  f.partyName = h.responsibleUnitName ?? ''
  if (h.responsiblePerson) f.responsiblePersons = [{ name: h.responsiblePerson, role: '直接责任人' }]
  f.title = `${h.venueName ?? ''}${h.categoryLabel || h.category || '消防安全'}违法案`
  f.facts = `经检查发现（隐患 ${h.number}）：${h.description}`
  return f
}

export interface FieldError {
  field: string
  message: string
}

export function checkCaseForm(f: CaseForm): FieldError[] {
  const out: FieldError[] = []
  if (f.sourceType !== 'other' && !f.sourceId) out.push({ field: 'sourceId', message: '请选择案件来源记录' })
  if (!f.venueId) out.push({ field: 'venueId', message: '请选择场所' })
  if (!f.title.trim()) out.push({ field: 'title', message: '请填写案由' })
  if (!f.facts.trim()) out.push({ field: 'facts', message: '请填写违法事实' })
  // A row without a name (e.g. the preset 主要负责人 left blank) is ignored.
  if (f.responsiblePersons.some((p) => p.name.trim() && !p.role.trim())) out.push({ field: 'responsiblePersons', message: '责任人员须填写职务' })
  return out
}

export function caseBody(f: CaseForm): Record<string, unknown> {
  const body: Record<string, unknown> = {
    sourceType: f.sourceType,
    venueId: f.venueId,
    title: f.title.trim(),
    facts: f.facts.trim(),
  }
  if (f.sourceType !== 'other' && f.sourceId) body.sourceId = f.sourceId
  if (f.unitId) body.unitId = f.unitId
  if (f.partyName.trim()) body.partyName = f.partyName.trim()
  const persons = f.responsiblePersons
    .map((p) => ({ name: p.name.trim(), role: p.role.trim() }))
    .filter((p) => p.name)
  if (persons.length) body.responsiblePersons = persons
  if (f.legalBasis.trim()) body.legalBasis = f.legalBasis.trim()
  return body
}

// --- 一案双罚

export interface PenaltyRow {
  kind: PenaltyKind | ''
  amount: number | null
  note: string
}
export interface PersonPenaltyRow extends PenaltyRow {
  name: string
  role: string
}
export interface PenaltyForm {
  decisionNumber: string
  decidedOn: string
  unit: PenaltyRow
  persons: PersonPenaltyRow[]
}

/** The form for a case: one person row per responsible person (none when the case names nobody). */
export function emptyPenaltyForm(c: Pick<Case, 'responsiblePersons'> | null, today: string): PenaltyForm {
  return {
    decisionNumber: '',
    decidedOn: today,
    unit: { kind: 'fine', amount: null, note: '' },
    persons: (c?.responsiblePersons ?? []).map((p) => ({ name: p.name, role: p.role, kind: 'fine' as const, amount: null, note: '' })),
  }
}

const needsAmount = (r: PenaltyRow) => r.kind === 'fine' && !(r.amount != null && r.amount > 0)

/** Checks before sending: both the unit and at least one person must be penalized; a fine needs an amount. */
export function checkPenaltyForm(f: PenaltyForm, today: string): FieldError[] {
  const out: FieldError[] = []
  if (!f.decisionNumber.trim()) out.push({ field: 'decisionNumber', message: '请填写处罚决定书文号' })
  if (!f.decidedOn) out.push({ field: 'decidedOn', message: '请选择决定日期' })
  else if (f.decidedOn > today) out.push({ field: 'decidedOn', message: '决定日期不能晚于今天' })
  if (!f.unit.kind) out.push({ field: 'unitPenalty', message: '请选择对单位的处罚种类' })
  else if (needsAmount(f.unit)) out.push({ field: 'unitPenalty', message: '罚款须填写金额' })
  const persons = f.persons.filter(personFilled)
  if (!persons.length) out.push({ field: 'personPenalties', message: '一案双罚：须同时处罚单位及其主要负责人或直接责任人员' })
  persons.forEach((p, i) => {
    if (!p.name.trim() || !p.role.trim()) out.push({ field: `personPenalties[${i}]`, message: '被处罚人员须填写姓名和职务' })
    else if (!p.kind) out.push({ field: `personPenalties[${i}]`, message: '请选择处罚种类' })
    else if (needsAmount(p)) out.push({ field: `personPenalties[${i}]`, message: '罚款须填写金额' })
  })
  return out
}

const personFilled = (p: PersonPenaltyRow) => !!(p.name.trim() || p.role.trim() || (p.amount != null && p.amount > 0) || p.note.trim())

function penaltyPart(r: PenaltyRow): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: r.kind }
  if (r.amount != null && r.amount > 0) out.amount = r.amount
  if (r.note.trim()) out.note = r.note.trim()
  return out
}

/** POST /api/cases/:id/penalize body. Person rows left wholly empty are dropped. */
export function penaltyBody(f: PenaltyForm): Record<string, unknown> {
  return {
    decisionNumber: f.decisionNumber.trim(),
    decidedOn: f.decidedOn,
    unitPenalty: penaltyPart(f.unit),
    personPenalties: f.persons
      .filter(personFilled)
      .map((p) => ({ name: p.name.trim(), role: p.role.trim(), ...penaltyPart(p) })),
  }
}
