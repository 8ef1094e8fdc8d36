import { describe, expect, it } from 'vitest'
import {
  applyBody, checkApplyForm, checkCommand, chippedPercent, commandBody, emptyApplyForm, emptyCommandForm, retrofitButtons, standardsText, yuan,
  type CommandForm, type Retrofit, type RetrofitSummary,
} from '../../src/shared/retrofits'

const TODAY = '2026-12-05'
const retrofit = (over: Partial<Retrofit> = {}): Retrofit => ({
  id: 1, number: 'GZ-2026-0001', machineId: 13, machineCode: 'JF-CL-0001', machineKindLabel: '电焊机', machineModel: 'ZX7-315',
  machineStatus: 'active', unitId: 1, unitName: '金凤建筑安装', way: 'retrofit', wayLabel: '加装芯片改造', reason: '', subsidyRequested: 300,
  state: 'applied', stateLabel: '待审核', reviewNote: '', cancelReason: '', subsidyGranted: null, reviewerName: null, reviewedAt: null, newMachineId: null,
  newMachineCode: null, chipId: '', insurer: '', policyNumber: '', insuredUntil: null, doneAt: null, subsidyPaid: null, paidOn: null,
  paymentRef: '', createdBy: 5, applicantName: '邓强', createdAt: '', updatedAt: '', ...over,
})
const form = (r: Retrofit, over: Partial<CommandForm> = {}): CommandForm => ({ ...emptyCommandForm(r, TODAY), ...over })
const fields = (bad: { field: string }[]) => bad.map((b) => b.field)

const REVIEW = ['retrofit:read', 'retrofit:review']
const APPLY = ['retrofit:read', 'retrofit:apply']

describe('retrofitButtons', () => {
  it('offers each side only what it may do in each state', () => {
    expect(retrofitButtons(retrofit(), REVIEW).map((b) => b.key)).toEqual(['approve', 'reject'])
    expect(retrofitButtons(retrofit(), APPLY).map((b) => b.key)).toEqual(['cancel'])
    expect(retrofitButtons(retrofit(), ['retrofit:read'])).toEqual([])
    const approved = retrofit({ state: 'approved', subsidyGranted: 300 })
    expect(retrofitButtons(approved, REVIEW)).toEqual([])
    expect(retrofitButtons(approved, APPLY).map((b) => b.key)).toEqual(['complete', 'cancel'])
    const done = retrofit({ state: 'done', subsidyGranted: 300 })
    expect(retrofitButtons(done, REVIEW).map((b) => b.key)).toEqual(['pay'])
    expect(retrofitButtons(done, APPLY)).toEqual([])
    expect(retrofitButtons({ ...done, paidOn: TODAY }, REVIEW)).toEqual([])
    expect(retrofitButtons({ ...done, subsidyGranted: 0 }, REVIEW)).toEqual([]) // nothing granted, nothing to pay
    for (const state of ['rejected', 'cancelled'] as const) expect(retrofitButtons(retrofit({ state }), [...REVIEW, 'retrofit:apply'])).toEqual([])
  })
})

describe('apply form', () => {
  it('needs a machine, bounds the subsidy and sends 0 when none is asked', () => {
    expect(fields(checkApplyForm(emptyApplyForm()))).toEqual(['machineId'])
    expect(fields(checkApplyForm({ ...emptyApplyForm(3), subsidyRequested: 10001 }))).toEqual(['subsidyRequested'])
    expect(checkApplyForm({ ...emptyApplyForm(3), subsidyRequested: 300 })).toEqual([])
    expect(applyBody({ ...emptyApplyForm(3), way: 'trade_in', reason: '  ' })).toEqual({ machineId: 3, way: 'trade_in', subsidyRequested: 0 })
    expect(applyBody({ ...emptyApplyForm(3), subsidyRequested: 250, reason: ' 老焊机 ' }).reason).toBe('老焊机')
  })
})

describe('subsidy standards', () => {
  const std = { retrofit: 500, tradeIn: null }
  it('an application may not ask more than the standard of its way; a way without one is bounded only by the maximum', () => {
    expect(checkApplyForm({ ...emptyApplyForm(3), subsidyRequested: 500 }, std)).toEqual([])
    const over = checkApplyForm({ ...emptyApplyForm(3), subsidyRequested: 500.01 }, std)
    expect(over).toEqual([{ field: 'subsidyRequested', message: '补贴不能高于本地补贴标准（500.00 元/台）' }])
    expect(checkApplyForm({ ...emptyApplyForm(3), way: 'trade_in', subsidyRequested: 5000 }, std)).toEqual([])
  })
  it('a department may not grant more than the standard, even when more was asked before it was lowered', () => {
    const r = retrofit({ subsidyRequested: 600 })
    expect(fields(checkCommand('approve', r, form(r, { subsidyGranted: 600 }), TODAY, std))).toEqual(['subsidyGranted'])
    expect(checkCommand('approve', r, form(r, { subsidyGranted: 500 }), TODAY, std)).toEqual([])
    expect(checkCommand('approve', retrofit({ way: 'trade_in', subsidyRequested: 600 }), form(r, { subsidyGranted: 600 }), TODAY, std)).toEqual([])
  })
  it('reads the standards out', () => {
    expect(standardsText(std)).toBe('加装芯片改造 500.00 元/台 · 以旧换新未定标准')
  })
})

describe('command checks and bodies', () => {
  it('approve: the grant starts at the amount asked and may not exceed it', () => {
    const r = retrofit()
    expect(form(r).subsidyGranted).toBe(300)
    expect(checkCommand('approve', r, form(r), TODAY)).toEqual([])
    expect(fields(checkCommand('approve', r, form(r, { subsidyGranted: 301 }), TODAY))).toEqual(['subsidyGranted'])
    expect(fields(checkCommand('approve', r, form(r, { subsidyGranted: null }), TODAY))).toEqual(['subsidyGranted'])
    expect(commandBody('approve', r, form(r, { subsidyGranted: 0, note: ' 失信单位不补贴 ' }))).toEqual({ subsidyGranted: 0, note: '失信单位不补贴' })
  })
  it('reject needs a reason; cancel sends its reason only when given', () => {
    const r = retrofit()
    expect(fields(checkCommand('reject', r, form(r), TODAY))).toEqual(['note'])
    expect(commandBody('cancel', r, form(r))).toEqual({})
    expect(commandBody('cancel', r, form(r, { note: '已出售' }))).toEqual({ reason: '已出售' })
  })
  it('complete: a chip; for a trade-in the new machine too; insurance all or nothing', () => {
    const r = retrofit({ state: 'approved' })
    expect(fields(checkCommand('complete', r, form(r), TODAY))).toEqual(['chipId'])
    expect(fields(checkCommand('complete', r, form(r, { chipId: 'a b' }), TODAY))).toEqual(['chipId'])
    expect(commandBody('complete', r, form(r, { chipId: ' CHIP-1 ', code: 'IGNORED' }))).toEqual({ chipId: 'CHIP-1' })
    const t = retrofit({ state: 'approved', way: 'trade_in' })
    expect(fields(checkCommand('complete', t, form(t, { chipId: 'CHIP-1' }), TODAY))).toEqual(['code', 'kind'])
    expect(commandBody('complete', t, form(t, { chipId: 'CHIP-1', code: ' jf-hj-0101 ', kind: 'arc_welder' })))
      .toEqual({ chipId: 'CHIP-1', code: 'JF-HJ-0101', kind: 'arc_welder' })
    const insured = form(r, { chipId: 'CHIP-1', insured: true, insurer: '人保财险', policyNumber: 'P-1', insuredUntil: '2026-12-04' })
    expect(fields(checkCommand('complete', r, insured, TODAY))).toEqual(['insuredUntil'])
    expect(fields(checkCommand('complete', r, { ...insured, insurer: '', insuredUntil: '2027-12-04' }, TODAY))).toEqual(['insurer'])
    expect(commandBody('complete', r, { ...insured, insuredUntil: '2027-12-04' }))
      .toEqual({ chipId: 'CHIP-1', insurer: '人保财险', policyNumber: 'P-1', insuredUntil: '2027-12-04' })
  })
  it('pay: no more than granted, dated today or earlier, with a voucher', () => {
    const r = retrofit({ state: 'done', subsidyGranted: 300 })
    expect(form(r).amount).toBe(300)
    expect(fields(checkCommand('pay', r, form(r), TODAY))).toEqual(['paymentRef'])
    expect(fields(checkCommand('pay', r, form(r, { amount: 300.01, paidOn: '2026-12-06', paymentRef: 'BT-1' }), TODAY))).toEqual(['amount', 'paidOn'])
    expect(commandBody('pay', r, form(r, { paymentRef: ' BT-1 ' }))).toEqual({ amount: 300, paidOn: TODAY, paymentRef: 'BT-1' })
  })
})

describe('figures', () => {
  it('money in yuan with two decimals, the chipped share as a whole percentage', () => {
    expect(yuan(1234.5)).toBe('1,234.50 元')
    expect(yuan(null)).toBe('—')
    const s: RetrofitSummary = {
      machines: { active: 16, chipped: 12, unchipped: 4 }, states: { applied: 1, approved: 1, rejected: 1, done: 1, cancelled: 0 },
      done: { retrofit: 1, trade_in: 0, insured: 1 }, subsidy: { requested: 1400, granted: 900, paid: 300 }, units: [],
    }
    expect(chippedPercent(s)).toBe(75)
    expect(chippedPercent({ ...s, machines: { active: 0, chipped: 0, unchipped: 0 } })).toBe(0)
  })
})
