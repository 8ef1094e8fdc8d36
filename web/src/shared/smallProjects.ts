// 小型工程备案: small projects with hot work filed with the town (docs/openapi.yaml, tag small-projects).
import { checkPhone, isRealDate } from './validators'
import type { FieldProblem } from './forms'

export type SmallProjectState = 'submitted' | 'accepted' | 'returned' | 'finished'
export type SmallProjectKind = 'new' | 'rebuild' | 'extend' | 'demolish' | 'decorate'
type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

export interface SmallProjectEvent {
  at: string
  action: string
  actionLabel: string
  by: string
  note: string
}

export interface SmallProject {
  id: number
  number: string
  venueId: number
  venueName: string
  unitId: number
  unitName: string
  orgUnitId: number
  orgUnitName: string
  name: string
  kind: SmallProjectKind
  kindLabel: string
  location: string
  investment: number
  area: number
  overLimit: boolean
  plannedStart: string
  plannedEnd: string
  hotWorkMethods: string[]
  hotWorkMethodLabels: string[]
  fireMeasures: string
  siteManager: string
  sitePhone: string
  state: SmallProjectState
  stateLabel: string
  stateReason: string
  createdBy: number
  createdAt: string
  updatedAt: string
  version: number
  timeline?: SmallProjectEvent[]
  permits?: { id: number; number: string; place: string; state: string; plannedStart: string; plannedEnd: string }[]
}

export const PROJECT_STATES: { value: SmallProjectState; label: string; tag: TagType }[] = [
  { value: 'submitted', label: '待受理', tag: 'warning' },
  { value: 'accepted', label: '已备案', tag: 'success' },
  { value: 'returned', label: '退回补正', tag: 'danger' },
  { value: 'finished', label: '已完工', tag: 'info' },
]
export const projectStateTag = (s: SmallProjectState) => PROJECT_STATES.find((x) => x.value === s)?.tag ?? 'info'

export const PROJECT_KINDS: { value: SmallProjectKind; label: string }[] = [
  { value: 'new', label: '新建' },
  { value: 'rebuild', label: '改建' },
  { value: 'extend', label: '扩建' },
  { value: 'demolish', label: '拆除' },
  { value: 'decorate', label: '装饰装修' },
]

/** The limits below which no construction permit is needed (server: kSmallProjectMaxInvestment / kSmallProjectMaxArea). */
export const SMALL_PROJECT_LIMITS = { investment: 30, area: 300 }

export interface SmallProjectForm {
  venueId: number | null
  unitId: number | null
  orgUnitId: number | null
  name: string
  kind: SmallProjectKind | ''
  location: string
  investment: number | null
  area: number | null
  dates: [string, string] | null
  hotWorkMethods: string[]
  fireMeasures: string
  siteManager: string
  sitePhone: string
}

export const emptyProjectForm = (): SmallProjectForm => ({
  venueId: null, unitId: null, orgUnitId: null, name: '', kind: '', location: '', investment: null, area: null, dates: null,
  hotWorkMethods: [], fireMeasures: '', siteManager: '', sitePhone: '',
})

export const projectFormOf = (p: SmallProject): SmallProjectForm => ({
  venueId: p.venueId, unitId: p.unitId, orgUnitId: p.orgUnitId, name: p.name, kind: p.kind, location: p.location,
  investment: p.investment, area: p.area, dates: [p.plannedStart, p.plannedEnd], hotWorkMethods: [...p.hotWorkMethods],
  fireMeasures: p.fireMeasures, siteManager: p.siteManager, sitePhone: p.sitePhone,
})

/** What the browser can check before sending; the server checks the same and more (references, dictionary). */
export function checkProjectForm(f: SmallProjectForm): FieldProblem[] {
  const bad: FieldProblem[] = []
  const need = (ok: unknown, field: string, message: string) => {
    if (!ok) bad.push({ field, message })
  }
  need(f.venueId, 'venueId', '请选择所在场所')
  need(f.unitId, 'unitId', '请选择施工单位')
  need(f.orgUnitId, 'orgUnitId', '请选择受理部门')
  need(f.name.trim(), 'name', '请填写工程名称')
  need(f.kind, 'kind', '请选择工程类别')
  need(f.location.trim(), 'location', '请填写施工部位')
  need(f.investment != null && f.investment >= 0, 'investment', '请填写工程投资额')
  need(f.area != null && f.area >= 0, 'area', '请填写建筑面积')
  if (!f.dates || !isRealDate(f.dates[0]) || !isRealDate(f.dates[1])) bad.push({ field: 'plannedStart', message: '请选择计划工期' })
  else need(f.dates[1] >= f.dates[0], 'plannedStart', '完工日期不能早于开工日期')
  need(f.hotWorkMethods.length, 'hotWorkMethods', '请选择涉及的动火方式')
  need(f.fireMeasures.trim(), 'fireMeasures', '请填写防火措施')
  need(f.siteManager.trim(), 'siteManager', '请填写现场负责人')
  const phone = checkPhone(f.sitePhone)
  if (phone) bad.push({ field: 'sitePhone', message: phone })
  return bad
}

export const projectBody = (f: SmallProjectForm) => ({
  venueId: f.venueId, unitId: f.unitId, orgUnitId: f.orgUnitId, name: f.name.trim(), kind: f.kind, location: f.location.trim(),
  investment: f.investment, area: f.area, plannedStart: f.dates?.[0], plannedEnd: f.dates?.[1], hotWorkMethods: f.hotWorkMethods,
  fireMeasures: f.fireMeasures.trim(), siteManager: f.siteManager.trim(), sitePhone: f.sitePhone.trim(),
})

/** Above both limits the project needs a construction permit rather than a filing. */
export const overLimit = (investment: number | null, area: number | null) =>
  investment != null && area != null && investment > SMALL_PROJECT_LIMITS.investment && area > SMALL_PROJECT_LIMITS.area

export type ProjectAction = 'edit' | 'accept' | 'return' | 'guide' | 'check' | 'finish'
export interface ProjectButton {
  key: ProjectAction
  label: string
  type: 'primary' | 'success' | 'warning' | 'danger' | 'default'
}

/** The actions a user may take on a filing now (the server checks the same). */
export function projectButtons(p: SmallProject | null, perms: readonly string[], userId: number | null | undefined): ProjectButton[] {
  if (!p) return []
  const review = perms.includes('project:review')
  const filer = userId != null && p.createdBy === userId
  const out: ProjectButton[] = []
  if (filer && perms.includes('project:file') && (p.state === 'submitted' || p.state === 'returned')) {
    out.push({ key: 'edit', label: p.state === 'returned' ? '补正后重新提交' : '修改', type: p.state === 'returned' ? 'primary' : 'default' })
  }
  if (review && p.state === 'submitted') {
    out.push({ key: 'accept', label: '受理备案', type: 'success' }, { key: 'return', label: '退回补正', type: 'danger' })
  }
  if (review && p.state === 'accepted') {
    out.push({ key: 'guide', label: '记录安全指导', type: 'primary' }, { key: 'check', label: '记录暗访检查', type: 'warning' })
  }
  if ((review || filer) && p.state === 'accepted') out.push({ key: 'finish', label: '完工销项', type: 'default' })
  return out
}
