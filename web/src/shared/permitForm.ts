// The 申请动火 form's model: what the page edits, the PermitInput it sends (times as +08:00 ISO) and the
// checks done before the server sees it. Field names follow PermitInput so server errors land on the same fields.
import type { Permit, PermitInput, PermitLevel } from './types'
import { PERMIT_LEVELS, type OpenHoursRule } from './permits'
import { isoToWall, wallToIso08 } from './time'

export interface WorkerRow {
  personId: number | null
  certificateId: number | null
}

export interface ControlRow {
  control: string
  person: string
}

export interface PermitForm {
  venueId: number | null
  place: string
  indoor: boolean
  indoorReason: string
  content: string
  method: string
  level: PermitLevel
  /** Beijing wall clock "YYYY-MM-DD HH:mm", as the pickers give it. */
  start: string
  end: string
  unitId: number | null
  jobLeaderId: number | null
  fireWatchId: number | null
  approverUserId: number | null
  workers: WorkerRow[]
  machineIds: number[]
  riskIdentification: string
  riskAssessment: string
  controls: ControlRow[]
  fireSeparation: boolean
  windForce: number | null
  gasRequired: boolean
  photosBefore: string[]
  /** Work awarded through 供需对接 that this application is for. */
  workRequestId: number | null
}

/** Every field the form shows an error for (PermitInput names). */
export const PERMIT_FIELDS = [
  'venueId', 'place', 'indoor', 'indoorReason', 'content', 'method', 'level', 'plannedStart', 'plannedEnd', 'unitId',
  'jobLeaderId', 'fireWatchId', 'approverUserId', 'workers', 'machineIds', 'riskIdentification', 'riskAssessment',
  'controls', 'fireSeparation', 'windForce', 'gasRequired', 'photosBefore',
] as const
export type PermitField = (typeof PERMIT_FIELDS)[number]

/** Server error codes whose `field` is missing or elsewhere, and where the form shows them. */
export const CODE_FIELD: Record<string, PermitField> = {
  PERMIT_CONTROLS_UNASSIGNED: 'controls',
  PERMIT_START_IN_PAST: 'plannedStart',
  PERMIT_WINDOW_INVALID: 'plannedEnd',
  PERMIT_WINDOW_TOO_LONG: 'plannedEnd',
  PERMIT_FIRE_SEPARATION_REQUIRED: 'fireSeparation',
  WORKERS_REQUIRED: 'workers',
  FIRE_WATCH_IS_WORKER: 'fireWatchId',
  FIRE_WATCH_DOUBLE_BOOKED: 'fireWatchId',
  FIRE_WATCH_NO_ACCOUNT: 'fireWatchId',
  JOB_LEADER_NO_ACCOUNT: 'jobLeaderId',
  WORKER_DOUBLE_BOOKED: 'workers',
  MACHINE_DOUBLE_BOOKED: 'machineIds',
  MACHINE_NOT_ACTIVE: 'machineIds',
  APPROVER_IS_APPLICANT: 'approverUserId',
  APPROVER_NOT_ALLOWED: 'approverUserId',
}

export function blankPermitForm(): PermitForm {
  return {
    venueId: null,
    place: '',
    indoor: false,
    indoorReason: '',
    content: '',
    method: '',
    level: 'level2',
    start: '',
    end: '',
    unitId: null,
    jobLeaderId: null,
    fireWatchId: null,
    approverUserId: null,
    workers: [{ personId: null, certificateId: null }],
    machineIds: [],
    riskIdentification: '',
    riskAssessment: '',
    controls: [],
    fireSeparation: false,
    windForce: null,
    gasRequired: false,
    photosBefore: [],
    workRequestId: null,
  }
}

/**
 * A new application started from elsewhere (a venue's page, work awarded through 供需对接): ?venueId=&unitId=&place=
 * &content=&workers=1,2&workRequestId=. Values that are not what the form takes are left out; the form checks the rest as usual.
 */
export function prefillFromQuery(query: Record<string, unknown>): Partial<PermitForm> {
  const text = (k: string, max: number) => (typeof query[k] === 'string' ? (query[k] as string).trim().slice(0, max) : '')
  const id = (v: string) => (/^[1-9]\d{0,15}$/.test(v) ? Number(v) : null)
  const out: Partial<PermitForm> = {}
  const venueId = id(text('venueId', 16))
  if (venueId) out.venueId = venueId
  const unitId = id(text('unitId', 16))
  if (unitId) out.unitId = unitId
  const workRequestId = id(text('workRequestId', 16))
  if (workRequestId) out.workRequestId = workRequestId
  if (text('place', 200)) out.place = text('place', 200)
  if (text('content', 500)) out.content = text('content', 500)
  const workers = [...new Set(text('workers', 400).split(',').map((w) => id(w.trim())).filter((w): w is number => w != null))].slice(0, 20)
  if (workers.length) out.workers = workers.map((personId) => ({ personId, certificateId: null }))
  return out
}

/** A saved permit (a draft being edited) back into the form. */
export function formFromPermit(p: Permit): PermitForm {
  return {
    venueId: p.venue.id,
    place: p.place ?? '',
    indoor: !!p.indoor,
    indoorReason: p.indoorReason ?? '',
    content: p.content ?? '',
    method: p.method ?? '',
    level: p.levelDeclared ?? p.level ?? 'level2',
    start: isoToWall(p.plannedStart),
    end: isoToWall(p.plannedEnd),
    unitId: p.unit?.id ?? null,
    jobLeaderId: p.jobLeader?.id ?? null,
    fireWatchId: p.fireWatch?.id ?? null,
    approverUserId: p.approver?.id ?? null,
    workers: p.workers.length ? p.workers.map((w) => ({ personId: w.personId, certificateId: w.certificateId })) : [{ personId: null, certificateId: null }],
    machineIds: p.machines.map((m) => m.id),
    riskIdentification: p.riskIdentification ?? '',
    riskAssessment: p.riskAssessment ?? '',
    controls: (p.controls ?? []).map((c) => ({ control: c.control ?? '', person: c.person ?? '' })),
    fireSeparation: !!p.fireSeparation,
    windForce: p.windForce ?? null,
    gasRequired: !!p.gasRequired,
    photosBefore: [...(p.photosBefore ?? [])],
    workRequestId: p.workRequestId ?? null,
  }
}

/** The body of POST/PUT /api/permits. Blank optional parts are left out; times go as ISO with +08:00. */
export function buildPermitInput(f: PermitForm): PermitInput {
  const body: PermitInput = {
    venueId: f.venueId as number,
    place: f.place.trim(),
    indoor: f.indoor,
    content: f.content.trim(),
    method: f.method,
    level: f.level,
    plannedStart: wallToIso08(f.start),
    plannedEnd: wallToIso08(f.end),
    jobLeaderId: f.jobLeaderId as number,
    fireWatchId: f.fireWatchId as number,
    approverUserId: f.approverUserId as number,
    workers: f.workers
      .filter((w) => w.personId != null && w.certificateId != null)
      .map((w) => ({ personId: w.personId as number, certificateId: w.certificateId as number })),
    machineIds: [...f.machineIds],
    riskIdentification: f.riskIdentification.trim(),
    controls: f.controls
      .map((c) => ({ control: c.control.trim(), person: c.person.trim() }))
      .filter((c) => c.control || c.person),
    fireSeparation: f.fireSeparation,
    gasRequired: f.gasRequired,
    photosBefore: [...f.photosBefore],
  }
  if (f.indoor) body.indoorReason = f.indoorReason.trim()
  if (f.unitId != null) body.unitId = f.unitId
  if (f.workRequestId != null) body.workRequestId = f.workRequestId
  if (f.riskAssessment.trim()) body.riskAssessment = f.riskAssessment.trim()
  if (f.windForce != null && Number.isFinite(f.windForce)) body.windForce = f.windForce
  return body
}

export type FormProblems = Partial<Record<PermitField, string>>

/** No permit's window may be longer, whatever the town's settings: the server refuses such a draft (PERMIT_WINDOW_TOO_LONG). */
export const LONGEST_WINDOW_HOURS = 168

/** Problems that stop the form from being sent: what the server needs to store a draft, and row shapes. */
export function checkPermitForm(f: PermitForm): FormProblems {
  const p: FormProblems = {}
  if (f.venueId == null) p.venueId = '请选择动火场所'
  if (!f.place.trim()) p.place = '请填写动火部位'
  if (f.indoor && !f.indoorReason.trim()) p.indoorReason = '人员密集场所动火原则上在室外实施，室内动火须说明理由'
  if (!f.content.trim()) p.content = '请填写作业内容'
  if (!f.method) p.method = '请选择动火方式'
  const s = wallToIso08(f.start)
  const e = wallToIso08(f.end)
  if (!s) p.plannedStart = '请选择计划开始时间'
  if (!e) p.plannedEnd = '请选择计划结束时间'
  if (s && e && Date.parse(e) <= Date.parse(s)) p.plannedEnd = '计划结束时间须晚于开始时间'
  else if (s && e && Date.parse(e) - Date.parse(s) > LONGEST_WINDOW_HOURS * 3600_000)
    p.plannedEnd = `动火作业证计划时间最长 ${LONGEST_WINDOW_HOURS} 小时，请缩短`
  if (f.jobLeaderId == null) p.jobLeaderId = '请选择动火作业负责人'
  if (f.fireWatchId == null) p.fireWatchId = '请选择监护人'
  if (f.approverUserId == null) p.approverUserId = '请选择审批人'
  if (!f.riskIdentification.trim()) p.riskIdentification = '请填写风险辨识'
  if (f.workers.some((w) => (w.personId == null) !== (w.certificateId == null))) p.workers = '每名作业人员须选择人员和所持证书'
  const ids = f.workers.map((w) => w.personId).filter((x) => x != null)
  if (new Set(ids).size !== ids.length) p.workers = '作业人员重复'
  if (f.controls.some((c) => !c.control.trim() && c.person.trim())) p.controls = '请填写管控措施内容'
  if (f.windForce != null && (f.windForce < 0 || f.windForce > 17)) p.windForce = '风力等级为 0–17 级'
  return p
}

/**
 * What the rules at submission will ask for, shown as hints next to the fields while filling in. They do not
 * stop the form: the server decides, and its refusal is shown on the field it names.
 */
export function submitAdvice(f: PermitForm, opts: { rule?: OpenHoursRule; now?: number } = {}): FormProblems {
  const p: FormProblems = {}
  const ids = f.workers.map((w) => w.personId).filter((x) => x != null)
  if (!ids.length) p.workers = '提交前请至少添加一名持证作业人员'
  if (f.fireWatchId != null && ids.includes(f.fireWatchId)) p.fireWatchId = '监护人不能同时是作业人员'
  const s = wallToIso08(f.start)
  const e = wallToIso08(f.end)
  if (s && e && Date.parse(e) > Date.parse(s)) {
    const max = PERMIT_LEVELS.find((l) => l.value === f.level)?.maxHours ?? 72
    if (Date.parse(e) - Date.parse(s) > max * 3600_000) p.plannedEnd = `${levelName(f.level)}动火作业证有效期不得超过 ${max} 小时`
  }
  if (s && Date.parse(s) < (opts.now ?? Date.now())) p.plannedStart = '计划开始时间已过，提交时将被拒绝'
  if (opts.rule === 'entertainment') p.plannedStart = '公共娱乐场所营业期间严禁动火作业，请调整到非营业时间'
  if (opts.rule === 'forbidden') p.plannedStart = '人员密集场所不得在使用、营业期间动火作业，请调整到非营业时间'
  if (opts.rule === 'mitigate') {
    if (!f.riskAssessment.trim()) p.riskAssessment = '作业时间与营业时间重叠：须填写风险评估'
    const ctl = f.controls.filter((c) => c.control.trim() || c.person.trim())
    if (!ctl.length) p.controls = '须至少填写一项管控措施并落实责任人'
    else if (ctl.some((c) => !c.person.trim())) p.controls = '每项管控措施须落实到具体责任人'
    if (!f.fireSeparation) p.fireSeparation = '须用不燃材料将动火区域与使用、营业区域进行防火分隔'
  }
  return p
}

const levelName = (l: string) => PERMIT_LEVELS.find((x) => x.value === l)?.label ?? ''
