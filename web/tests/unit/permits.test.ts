import { describe, expect, it } from 'vitest'
import {
  alertStateTag, checkInTargets, eventDetails, eventSignature, eventTransition, levelRaised, mainButton, missingSignature, myRoles, notYetHints,
  openHoursRule, permitButtons, SIGNED_STEP_LABELS, SIGNED_STEPS,
  permitStateTag, PERMIT_STATES, roundCountdown, roundTag, severityTag, vantTagColor, windowTouchesOpenHours,
} from '../../src/shared/permits'
import { checkRound, confirmRiskBody, gasBody, initialAnswers, roundBody, surveyBody, closeBody, checkGas, unansweredMeasures } from '../../src/shared/permitCommands'
import { formatDuration, formatWindow, addDays } from '../../src/shared/time'
import type { OpeningHour, Permit, PermitRound } from '../../src/shared/types'

describe('state tags', () => {
  it('has a Chinese label and colour for every state of the contract', () => {
    expect(PERMIT_STATES.map((s) => s.value)).toEqual([
      'draft', 'submitted', 'surveyed', 'risk_confirmed', 'approved', 'in_progress', 'suspended', 'watching', 'closed', 'cancelled', 'revoked', 'expired',
    ])
    expect(permitStateTag('submitted')).toEqual({ label: '待勘察', tag: 'warning', active: false })
    expect(permitStateTag('in_progress')).toEqual({ label: '作业中', tag: 'danger', active: true })
    expect(permitStateTag('watching').active).toBe(true)
    expect(permitStateTag('closed').tag).toBe('success')
  })
  it('prefers the server’s label and greys an unknown state', () => {
    expect(permitStateTag('approved', '已批准（新）').label).toBe('已批准（新）')
    expect(permitStateTag('paused')).toEqual({ label: 'paused', tag: 'info', active: false })
    expect(permitStateTag(null).label).toBe('—')
  })
  it('gives the phone the same colours, not its red theme colour for "primary"', () => {
    expect(vantTagColor(permitStateTag('approved').tag)).toBe('#1989fa')
    expect(vantTagColor(permitStateTag('in_progress').tag)).toBe('#ee0a24')
    expect(vantTagColor(permitStateTag('draft').tag)).toBe('#969799')
  })
  it('labels alerts and severities', () => {
    expect(alertStateTag('open')).toEqual({ label: '待处置', tag: 'danger' })
    expect(alertStateTag('false_alarm').label).toBe('误报')
    expect(severityTag('critical').label).toBe('严重')
  })
  it('tells a raised level', () => {
    expect(levelRaised({ level: 'level1', levelDeclared: 'level2', levelReasons: ['夜间动火'] })).toBe(true)
    expect(levelRaised({ level: 'level2', levelDeclared: 'level2', levelReasons: [] })).toBe(false)
  })
})

describe('allowedCommands → buttons', () => {
  const keys = (allowed: string[], omit: string[] = []) => permitButtons(allowed).filter((b) => !omit.includes(b.key)).map((b) => b.key)
  it('shows exactly the listed commands, in a fixed order, unknown ones left out', () => {
    expect(keys(['cancel', 'update', 'submit'])).toEqual(['update', 'submit', 'cancel'])
    expect(keys(['close', 'rounds'])).toEqual(['rounds', 'close'])
    expect(keys(['start', 'cancel', 'check-in', 'teleport'])).toEqual(['check-in', 'start', 'cancel'])
    expect(keys([])).toEqual([])
    expect(permitButtons(undefined)).toEqual([])
  })
  it('can leave out commands a page does elsewhere (no draft editing on the phone)', () => {
    expect(permitButtons(['submit', 'update', 'cancel'], ['update']).map((b) => b.key)).toEqual(['submit', 'cancel'])
  })
  it('labels the buttons in Chinese and says which need a reason or a form', () => {
    const b = Object.fromEntries(permitButtons(['reject', 'survey', 'start', 'revoke', 'suspend']).map((x) => [x.key, x]))
    expect(b.reject).toMatchObject({ label: '退回', dialog: 'reason' })
    expect(b.suspend).toMatchObject({ label: '暂停作业', dialog: 'reason' })
    expect(b.revoke).toMatchObject({ label: '撤销', dialog: 'reason', type: 'danger' })
    expect(b.survey).toMatchObject({ label: '现场勘察', dialog: 'form' })
    expect(b.start).toMatchObject({ label: '开始作业', dialog: 'confirm' })
  })
  it('picks the main next step (not editing, stopping or refusing)', () => {
    expect(mainButton(permitButtons(['approve', 'reject']))?.key).toBe('approve')
    expect(mainButton(permitButtons(['suspend', 'finish']))?.key).toBe('finish')
    expect(mainButton(permitButtons(['cancel', 'revoke']))).toBeNull()
    expect(mainButton(permitButtons(['check-in', 'start']))?.key).toBe('check-in')
    expect(mainButton(permitButtons(['check-in', 'start']), true)?.key).toBe('start')
    expect(mainButton(permitButtons(['check-in', 'suspend']), true)).toBeNull()
  })
  it('says why the buttons that wait cannot run yet, in button order, and nothing for the rest', () => {
    const buttons = permitButtons(['start', 'check-in', 'cancel'])
    expect(notYetHints(buttons, { start: '监护人尚未到岗签到', 'check-in': '05:00 起可签到（计划开始前 60 分钟）', rounds: '不在按钮中' }))
      .toEqual(['现场签到：05:00 起可签到（计划开始前 60 分钟）', '开始作业：监护人尚未到岗签到'])
    expect(notYetHints(buttons, {})).toEqual([])
    expect(notYetHints(buttons, undefined)).toEqual([])
  })
})

const round = (seq: number, dueAt: string, doneAt: string | null = null, late = false): PermitRound => ({
  seq, dueAt, doneAt, late, result: doneAt ? 'normal' : null, note: '',
})

describe('round countdown', () => {
  const rounds = [round(1, '2026-11-23T01:15:00Z', '2026-11-23T01:16:00Z'), round(2, '2026-11-23T01:30:00Z'), round(3, '2026-11-23T02:00:00Z')]
  it('counts down to the next round due while watching', () => {
    const c = roundCountdown({ state: 'watching', rounds }, Date.parse('2026-11-23T01:17:30Z'))!
    expect(c).toMatchObject({ seq: 2, total: 3, dueAt: '2026-11-23T01:30:00Z', overdue: false, open: false })
    expect(c.ms).toBe(12.5 * 60_000)
    expect(c.text).toBe('还剩 12:30')
  })
  it('opens five minutes before the due time and counts up when overdue', () => {
    expect(roundCountdown({ state: 'watching', rounds }, Date.parse('2026-11-23T01:25:00Z'))!.open).toBe(true)
    const late = roundCountdown({ state: 'watching', rounds }, Date.parse('2026-11-23T01:33:05Z'))!
    expect(late.overdue).toBe(true)
    expect(late.text).toBe('已超时 3:05')
  })
  it('is absent outside 作业后监护 and when every round is done', () => {
    expect(roundCountdown({ state: 'in_progress', rounds }, 0)).toBeNull()
    expect(roundCountdown({ state: 'watching', rounds: rounds.map((r) => ({ ...r, doneAt: 'x' })) }, 0)).toBeNull()
    expect(roundCountdown({ state: 'watching', rounds: [] }, 0)).toBeNull()
  })
  it('formats durations as h:mm:ss / m:ss', () => {
    expect(formatDuration(59_000)).toBe('0:59')
    expect(formatDuration(3_600_000 + 62_000)).toBe('1:01:02')
    expect(formatDuration(-65_000)).toBe('1:05')
  })
  it('tags rounds 已完成 / 逾期完成 / 发现异常 / 已逾期 / 待巡查', () => {
    expect(roundTag(round(1, 'x', 'y')).label).toBe('已完成')
    expect(roundTag(round(1, 'x', 'y', true)).label).toBe('逾期完成')
    expect(roundTag(round(1, 'x', null, true))).toEqual({ label: '已逾期', tag: 'danger' })
    expect(roundTag({ ...round(1, 'x', 'y', true), result: 'abnormal' })).toEqual({ label: '发现异常', tag: 'danger' })
    expect(roundTag(round(1, 'x')).label).toBe('待巡查')
  })
})

describe('opening hours rule', () => {
  const school: OpeningHour[] = Array.from({ length: 7 }, (_, weekday) => ({ weekday, from: '07:00', to: '21:30' }))
  const ktv: OpeningHour[] = Array.from({ length: 7 }, (_, weekday) => ({ weekday, from: '14:00', to: '02:00' }))
  it('sees a window touching the hours, including past-midnight ranges and skipping closed dates', () => {
    expect(windowTouchesOpenHours('2026-11-24T10:00:00+08:00', '2026-11-24T12:00:00+08:00', school)).toBe(true)
    expect(windowTouchesOpenHours('2026-11-24T21:30:00+08:00', '2026-11-25T07:00:00+08:00', school)).toBe(false)
    expect(windowTouchesOpenHours('2026-11-24T06:00:00+08:00', '2026-11-24T07:01:00+08:00', school)).toBe(true)
    // Monday's 14:00–02:00 still runs at 01:00 on Tuesday.
    expect(windowTouchesOpenHours('2026-11-24T01:00:00+08:00', '2026-11-24T03:00:00+08:00', ktv)).toBe(true)
    expect(windowTouchesOpenHours('2026-11-24T02:00:00+08:00', '2026-11-24T05:00:00+08:00', ktv)).toBe(false)
    expect(windowTouchesOpenHours('2026-11-24T10:00:00+08:00', '2026-11-24T12:00:00+08:00', school, ['2026-11-24'])).toBe(false)
    expect(windowTouchesOpenHours('2026-11-24T10:00:00+08:00', '2026-11-24T12:00:00+08:00', [{ weekday: 1, from: '00:00', to: '24:00' }])).toBe(true)
  })
  it('tells what a venue needs for that window', () => {
    const s = '2026-11-24T10:00:00+08:00'
    const e = '2026-11-24T12:00:00+08:00'
    expect(openHoursRule({ type: 'school', crowded: true, openingHours: school }, s, e)).toBe('mitigate')
    expect(openHoursRule({ type: 'mall', crowded: true, openingHours: school }, s, e)).toBe('forbidden')
    expect(openHoursRule({ type: 'entertainment', crowded: true, entertainment: true, openingHours: school }, s, e)).toBe('entertainment')
    expect(openHoursRule({ type: 'school', crowded: true, openingHours: school }, '2026-11-24T05:00:00+08:00', '2026-11-24T06:30:00+08:00')).toBe('clear')
    expect(openHoursRule({ type: 'school' }, s, e)).toBe('unknown')
    expect(openHoursRule({ type: 'mall' }, s, e)).toBe('clear')
    expect(openHoursRule(null, s, e)).toBe('clear')
  })
})

const permit = (over: Partial<Permit> = {}) =>
  ({
    applicant: { id: 18, name: '邓强' },
    approver: { id: 17, name: '冯建华' },
    jobLeader: { id: 3, name: '邓强', userId: 18 },
    fireWatch: { id: 13, name: '林芳', userId: 23, checkedInAt: null },
    workers: [{ personId: 1, name: '唐国庆', certificateId: 1, certificateNumber: 'T1', certificateKindLabel: '特种作业操作证', checkedInAt: null }],
    measures: [
      { code: 'a', label: 'A', applies: null, confirmedBy: null, confirmedAt: null },
      { code: 'b', label: 'B', applies: false, confirmedBy: '邓强', confirmedAt: 'x' },
    ],
    ...over,
  }) as unknown as Permit

describe('people on a permit', () => {
  it('knows the caller’s roles', () => {
    expect(myRoles(permit(), 18)).toMatchObject({ applicant: true, jobLeader: true, approver: false, fireWatch: false })
    expect(myRoles(permit(), 17).approver).toBe(true)
    expect(myRoles(permit(), 23).fireWatch).toBe(true)
  })
  it('lets the job leader and the fire watch check in everybody', () => {
    expect(checkInTargets(permit(), 18).map((t) => t.personId)).toEqual([13, 1])
    expect(checkInTargets(permit(), 23).map((t) => t.role)).toEqual(['fire_watch', 'worker'])
  })
  it('offers a worker themselves when the answer carries account ids, else every worker', () => {
    const withIds = permit({ workers: [{ personId: 1, name: '唐国庆', userId: 19 }, { personId: 2, name: '蒋超', userId: 20 }] as Permit['workers'] })
    expect(checkInTargets(withIds, 20).map((t) => t.name)).toEqual(['蒋超'])
    expect(checkInTargets(withIds, 99)).toEqual([])
    expect(checkInTargets(permit(), 19).map((t) => t.name)).toEqual(['唐国庆'])
  })
})

describe('command bodies', () => {
  it('confirm-risk starts with what the permit settles (required) at 涉及 and leaves the rest to answer', () => {
    const measure = (code: string, applies: boolean | null = null, required: string | null = null) =>
      ({ code, label: code, applies, confirmedBy: null, confirmedAt: null, required })
    const p = permit({
      measures: [measure('extinguishers', false, '动火作业必须配备消防器材'), measure('fire_separation', null, '申请中已申报防火分隔'), measure('gas_tested'),
        measure('welder_grounding', null, '电焊作业'), measure('cylinders'), measure('b', false)],
    })
    const answers = initialAnswers(p.measures)
    expect(answers).toEqual({ extinguishers: true, fire_separation: true, gas_tested: null, welder_grounding: true, cylinders: null, b: false })
    expect(unansweredMeasures(p.measures, answers)).toBe(2)
    expect(unansweredMeasures(p.measures, { ...answers, gas_tested: false, cylinders: true })).toBe(0)
    expect(confirmRiskBody(p.measures.slice(4), { ...answers, cylinders: false }, ' ')).toEqual({
      measures: [
        { code: 'cylinders', applies: false },
        { code: 'b', applies: false },
      ],
    })
  })
  it('an abnormal round needs a note; a normal one does not', () => {
    expect(checkRound('abnormal', '  ')).toMatch(/写明异常情况/)
    expect(checkRound('abnormal', '保温棉有余温，已浇水')).toBeNull()
    expect(checkRound('normal', '')).toBeNull()
  })
  it('adds the position, photos and note only when there are some', () => {
    expect(surveyBody('', [], null)).toEqual({})
    expect(surveyBody(' 已查看 ', ['f'], { lat: 29.44, lng: 106.36, accuracy: 10 })).toEqual({ note: '已查看', photos: ['f'], lat: 29.44, lng: 106.36 })
    expect(roundBody('abnormal', '', [], null)).toEqual({ result: 'abnormal' })
    expect(closeBody(true, [])).toEqual({ siteClear: true })
  })
  it('sends the gas sample time with +08:00 and checks the numbers', () => {
    const f = { sampledAt: '2026-11-23 05:50', gas: '甲烷', lelPercent: 5, resultPercent: 0.1, analyst: '王' }
    expect(gasBody(f)).toEqual({ sampledAt: '2026-11-23T05:50:00+08:00', gas: '甲烷', lelPercent: 5, resultPercent: 0.1, analyst: '王' })
    expect(checkGas(f)).toBe('')
    expect(checkGas({ ...f, lelPercent: null })).toMatch(/爆炸下限/)
    expect(checkGas({ ...f, analyst: ' ' })).toMatch(/分析人/)
  })
})

describe('timeline and windows', () => {
  it('describes an entry: state change, reason, who checked in, the round', () => {
    const p = permit()
    const e = (command: string, detail: Record<string, unknown>, fromState = 'approved', toState = 'approved') =>
      ({ at: '', command, commandLabel: '', fromState, toState, name: '', ip: '', detail })
    expect(eventTransition(e('submit', {}, 'draft', 'submitted'))).toBe('草稿 → 待勘察')
    expect(eventTransition(e('check-in', {}))).toBe('')
    expect(eventDetails(e('check-in', { personId: 13, role: 'fire_watch' }), p)).toEqual(['签到人员：林芳（监护人）'])
    expect(eventDetails(e('rounds', { seq: 2, result: 'normal', note: '无异常' }), p)).toEqual(['第 2 次巡查：正常', '说明：无异常'])
    expect(eventDetails(e('suspend', { reason: '监护人离开' }), p)).toEqual(['原因：监护人离开'])
    expect(eventDetails({ ...e('create', {}), detail: null }, p)).toEqual([])
  })
  it("finds a step's handwritten signature, and none in any other shape", () => {
    expect(eventSignature({ detail: { signature: 'f0a1', note: 'x' } })).toBe('f0a1')
    for (const detail of [null, {}, { signature: '' }, { signature: 12 }, { signature: ['f0a1'] }, { signature: null }])
      expect(eventSignature({ detail })).toBeNull()
  })
  it('asks for a signature only on the steps the rules require one for', () => {
    const p = { signatureSteps: ['approve', 'close'] }
    expect(missingSignature(p, 'approve', '')).toBe('按本地动火规则，此步骤须手写签名')
    expect(missingSignature(p, 'approve', 'f0a1')).toBe('')
    expect(missingSignature(p, 'survey', '')).toBe('')
    expect(missingSignature({ signatureSteps: [] }, 'close', '')).toBe('')
    expect(Object.keys(SIGNED_STEP_LABELS)).toEqual([...SIGNED_STEPS])
  })
  it('writes a planned window in Beijing time, short when on one day', () => {
    expect(formatWindow('2026-11-22T22:00:00Z', '2026-11-23T01:00:00Z')).toBe('2026-11-23 06:00–09:00')
    expect(formatWindow('2026-11-23T14:00:00Z', '2026-11-23T18:00:00Z')).toBe('2026-11-23 22:00 – 11-24 02:00')
    expect(formatWindow('2026-12-31T14:00:00Z', '2027-01-01T01:00:00Z')).toBe('2026-12-31 22:00 – 2027-01-01 09:00')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
  })
})
