// 存量焊机"加芯赋码"改造: units apply, departments approve and pay subsidies (docs/openapi.yaml, tag retrofits).
import type { FieldProblem } from './forms'
import { isRealDate } from './validators'

export type RetrofitState = 'applied' | 'approved' | 'rejected' | 'done' | 'cancelled'
export type RetrofitWay = 'retrofit' | 'trade_in'
type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

export interface Retrofit {
  id: number
  number: string
  machineId: number
  machineCode: string
  machineKindLabel: string | null
  machineModel: string
  machineStatus: string
  unitId: number
  unitName: string
  way: RetrofitWay
  wayLabel: string
  reason: string
  subsidyRequested: number
  state: RetrofitState
  stateLabel: string
  reviewNote: string
  cancelReason: string
  subsidyGranted: number | null
  reviewerName: string | null
  reviewedAt: string | null
  newMachineId: number | null
  newMachineCode: string | null
  chipId: string
  insurer: string
  policyNumber: string
  insuredUntil: string | null
  doneAt: string | null
  subsidyPaid: number | null
  paidOn: string | null
  paymentRef: string
  createdBy: number
  applicantName: string | null
  createdAt: string
  updatedAt: string
}

export interface RetrofitSummary {
  machines: { active: number; chipped: number; unchipped: number }
  states: Record<RetrofitState, number>
  done: { retrofit: number; trade_in: number; insured: number }
  subsidy: { requested: number; granted: number; paid: number }
  units: { id: number; name: string; active: number; chipped: number; unchipped: number; inProgress: number }[]
}

export const RETROFIT_STATES: { value: RetrofitState; label: string; tag: TagType }[] = [
  { value: 'applied', label: '待审核', tag: 'warning' },
  { value: 'approved', label: '已批准待改造', tag: 'primary' },
  { value: 'done', label: '已完成', tag: 'success' },
  { value: 'rejected', label: '未通过', tag: 'danger' },
  { value: 'cancelled', label: '已撤销', tag: 'info' },
]
export const retrofitStateTag = (s: RetrofitState) => RETROFIT_STATES.find((x) => x.value === s)?.tag ?? 'info'

export const RETROFIT_WAYS: { value: RetrofitWay; label: string; hint: string }[] = [
  { value: 'retrofit', label: '加装芯片改造', hint: '在原焊机上加装芯片，沿用原赋码' },
  { value: 'trade_in', label: '以旧换新', hint: '报废旧焊机，换购出厂即加芯赋码的新焊机' },
]

/** Server bound on any amount (kMaxSubsidy), with or without a standard: it catches typing errors. */
export const MAX_SUBSIDY = 10000

/** The town's subsidy per machine for each way (GET /api/retrofits/standards); null where it has set none. */
export interface SubsidyStandards {
  retrofit: number | null
  tradeIn: number | null
}
export const NO_STANDARDS: SubsidyStandards = { retrofit: null, tradeIn: null }
export const standardFor = (s: SubsidyStandards, way: RetrofitWay) => (way === 'retrofit' ? s.retrofit : s.tradeIn)
/** "加装芯片改造 500.00 元/台 · 以旧换新未定标准". */
export const standardsText = (s: SubsidyStandards) =>
  RETROFIT_WAYS.map((w) => {
    const v = standardFor(s, w.value)
    return v == null ? `${w.label}未定标准` : `${w.label} ${yuan(v)}/台`
  }).join(' · ')

/** "1,234.50 元"; a missing amount as "—". */
export function yuan(v: number | null | undefined): string {
  if (v == null) return '—'
  return `${v.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`
}

/** Share of the stock in use that carries a chip, as a whole percentage (0 with no machines). */
export const chippedPercent = (s: RetrofitSummary) => (s.machines.active ? Math.round((s.machines.chipped * 100) / s.machines.active) : 0)

export type RetrofitAction = 'approve' | 'reject' | 'complete' | 'pay' | 'cancel'
export interface RetrofitButton {
  key: RetrofitAction
  label: string
  type: 'primary' | 'success' | 'warning' | 'danger' | 'default'
}

/** The actions a user may take on an application now (the server checks the same). */
export function retrofitButtons(r: Retrofit | null, perms: readonly string[]): RetrofitButton[] {
  if (!r) return []
  const review = perms.includes('retrofit:review')
  const apply = perms.includes('retrofit:apply')
  const out: RetrofitButton[] = []
  if (review && r.state === 'applied') out.push({ key: 'approve', label: '批准并核定补贴', type: 'success' }, { key: 'reject', label: '不予批准', type: 'danger' })
  if (apply && r.state === 'approved') out.push({ key: 'complete', label: '报告改造完成', type: 'primary' })
  if (review && r.state === 'done' && (r.subsidyGranted ?? 0) > 0 && !r.paidOn) out.push({ key: 'pay', label: '登记补贴拨付', type: 'primary' })
  if (apply && (r.state === 'applied' || r.state === 'approved')) out.push({ key: 'cancel', label: '撤销申请', type: 'default' })
  return out
}

type Problems = FieldProblem[]

export interface ApplyForm {
  machineId: number | null
  way: RetrofitWay
  subsidyRequested: number | null
  reason: string
}
export const emptyApplyForm = (machineId: number | null = null): ApplyForm => ({ machineId, way: 'retrofit', subsidyRequested: null, reason: '' })

// An amount above the standard for `way`, if there is one.
const overStandard = (amount: number | null, way: RetrofitWay, s: SubsidyStandards, field: string): Problems => {
  const cap = standardFor(s, way)
  return amount != null && cap != null && amount > cap ? [{ field, message: `补贴不能高于本地补贴标准（${yuan(cap)}/台）` }] : []
}

export function checkApplyForm(f: ApplyForm, standards: SubsidyStandards = NO_STANDARDS): Problems {
  const bad: Problems = []
  if (!f.machineId) bad.push({ field: 'machineId', message: '请选择要改造的焊机' })
  if (f.subsidyRequested != null && (f.subsidyRequested < 0 || f.subsidyRequested > MAX_SUBSIDY))
    bad.push({ field: 'subsidyRequested', message: `申请补贴须在 0 至 ${MAX_SUBSIDY} 元之间` })
  else bad.push(...overStandard(f.subsidyRequested, f.way, standards, 'subsidyRequested'))
  return bad
}
export const applyBody = (f: ApplyForm) => ({
  machineId: f.machineId, way: f.way, subsidyRequested: f.subsidyRequested ?? 0, ...(f.reason.trim() ? { reason: f.reason.trim() } : {}),
})

/** The fields of one command dialog. */
export interface CommandForm {
  subsidyGranted: number | null
  note: string
  chipId: string
  code: string
  kind: string
  model: string
  insured: boolean
  insurer: string
  policyNumber: string
  insuredUntil: string
  amount: number | null
  paidOn: string
  paymentRef: string
}
export const emptyCommandForm = (r: Retrofit | null, today: string): CommandForm => ({
  subsidyGranted: r?.subsidyRequested ?? null, note: '', chipId: '', code: '', kind: '', model: '', insured: false, insurer: '',
  policyNumber: '', insuredUntil: '', amount: r?.subsidyGranted ?? null, paidOn: today, paymentRef: '',
})

const CHIP = /^[A-Za-z0-9:_-]{4,64}$/
const MACHINE_CODE = /^[A-Za-z0-9-]{4,32}$/

/** What the browser can check before sending `action` on `r`; the server checks the same and more. */
export function checkCommand(action: RetrofitAction, r: Retrofit, f: CommandForm, today: string, standards: SubsidyStandards = NO_STANDARDS): Problems {
  const bad: Problems = []
  const need = (ok: unknown, field: string, message: string) => {
    if (!ok) bad.push({ field, message })
  }
  if (action === 'approve') {
    need(f.subsidyGranted != null && f.subsidyGranted >= 0, 'subsidyGranted', '请填写核定补贴（不补贴填 0）')
    if (f.subsidyGranted != null && f.subsidyGranted > r.subsidyRequested)
      bad.push({ field: 'subsidyGranted', message: `核定补贴不能高于申请金额（${yuan(r.subsidyRequested)}）` })
    else bad.push(...overStandard(f.subsidyGranted, r.way, standards, 'subsidyGranted'))
  } else if (action === 'reject') {
    need(f.note.trim(), 'note', '请写明不予批准的理由')
  } else if (action === 'complete') {
    need(CHIP.test(f.chipId.trim()), 'chipId', '请填写芯片编号（4–64 位字母、数字、冒号、下划线或连字符）')
    if (r.way === 'trade_in') {
      need(MACHINE_CODE.test(f.code.trim()), 'code', '请填写新焊机编码（4–32 位字母、数字或连字符）')
      need(f.kind, 'kind', '请选择新焊机类型')
    }
    if (f.insured) {
      need(f.insurer.trim(), 'insurer', '请填写承保机构')
      need(f.policyNumber.trim(), 'policyNumber', '请填写保单号')
      need(isRealDate(f.insuredUntil) && f.insuredUntil >= today, 'insuredUntil', '请选择有效的保险期限')
    }
  } else if (action === 'pay') {
    need(f.amount != null && f.amount > 0, 'amount', '请填写拨付金额')
    if (f.amount != null && r.subsidyGranted != null && f.amount > r.subsidyGranted)
      bad.push({ field: 'amount', message: `拨付金额不能高于核定补贴（${yuan(r.subsidyGranted)}）` })
    need(isRealDate(f.paidOn) && f.paidOn <= today, 'paidOn', '请选择拨付日期（不晚于今天）')
    need(f.paymentRef.trim(), 'paymentRef', '请填写拨付凭证号')
  }
  return bad
}

export function commandBody(action: RetrofitAction, r: Retrofit, f: CommandForm): Record<string, unknown> {
  const note = f.note.trim()
  switch (action) {
    case 'approve': return { subsidyGranted: f.subsidyGranted, ...(note ? { note } : {}) }
    case 'reject': return { note }
    case 'cancel': return note ? { reason: note } : {}
    case 'pay': return { amount: f.amount, paidOn: f.paidOn, paymentRef: f.paymentRef.trim() }
    case 'complete': {
      const body: Record<string, unknown> = { chipId: f.chipId.trim() }
      if (r.way === 'trade_in') Object.assign(body, { code: f.code.trim().toUpperCase(), kind: f.kind, ...(f.model.trim() ? { model: f.model.trim() } : {}) })
      if (f.insured) Object.assign(body, { insurer: f.insurer.trim(), policyNumber: f.policyNumber.trim(), insuredUntil: f.insuredUntil })
      return body
    }
  }
}
