import { describe, expect, it } from 'vitest'
import {
  canRecord, checkDraw, checkPatrol, checkPlan, checkRecord, checkTemplateItems, drawBody, drawDiffs, drawProgress, emptyDrawForm,
  emptyFinding, findingFromRow, inspectionFiltersFromQuery, inspectionQuery, inspectorNames, patrolBody, pickRows, planBody, recordBody,
  resultRows, resultSummary, templateBody, type PatrolForm,
} from '../../src/shared/inspections'
import { fieldActions } from '../../src/mobile/actions'

const CHECKLIST = [
  { code: 'exits', label: '疏散通道、安全出口畅通，未锁闭', category: 'blocked_exit' },
  { code: 'fire_lane', label: '消防车通道畅通', category: 'fire_lane_blocked' },
  { code: 'wiring', label: '电气线路规范，无乱拉乱接', category: 'wiring' },
]

describe('checklist results → record body', () => {
  it('starts every item as 合格 and sends every item, notes only when written', () => {
    const rows = resultRows(CHECKLIST)
    expect(rows.map((r) => r.passed)).toEqual([true, true, true])
    rows[0].passed = false
    rows[0].note = '  二楼通道堆物 '
    expect(recordBody(rows, [])).toEqual({
      results: [
        { code: 'exits', passed: false, note: '二楼通道堆物' },
        { code: 'fire_lane', passed: true },
        { code: 'wiring', passed: true },
      ],
      findings: [],
    })
  })
  it('adds the findings as hazards to register, the summary and a whole position', () => {
    const rows = resultRows(CHECKLIST)
    const f = { ...emptyFinding('blocked_exit', ' 二楼东侧通道堆放杂物 '), location: '二楼东侧', photos: ['f1'] }
    const major = { ...emptyFinding('wiring', '配电间私拉电线'), severity: 'major' as const, decisionRecord: ' 专班会议认定 ' }
    const body = recordBody(rows, [f, major], { summary: ' 基本合格 ', lat: 29.44, lng: 106.35 })
    expect(body.findings).toEqual([
      { category: 'blocked_exit', description: '二楼东侧通道堆放杂物', location: '二楼东侧', photos: ['f1'], severity: 'general' },
      { category: 'wiring', description: '配电间私拉电线', severity: 'major', decisionRecord: '专班会议认定' },
    ])
    expect(body.summary).toBe('基本合格')
    expect([body.lat, body.lng]).toEqual([29.44, 106.35])
    expect(recordBody(rows, [], { summary: '  ', lat: 29.44, lng: null })).not.toHaveProperty('lat')
  })
  it('asks for a note on a failed item and checks each finding', () => {
    const rows = resultRows(CHECKLIST)
    rows[1].passed = false
    const errs = checkRecord(rows, [emptyFinding(), { ...emptyFinding('wiring', 'x'), severity: 'major' }])
    expect(errs.map((e) => e.field)).toEqual([
      'results[1].note',
      'findings[0].category',
      'findings[0].description',
      'findings[1].decisionRecord',
    ])
    rows[1].note = '消防车道停车'
    expect(checkRecord(rows, [])).toEqual([])
  })
  it('turns a failed item into a finding of its category', () => {
    const [row] = resultRows(CHECKLIST)
    row.passed = false
    expect(findingFromRow(row)).toMatchObject({ category: 'blocked_exit', description: '不符合：疏散通道、安全出口畅通，未锁闭', severity: 'general' })
    row.note = '安全出口上锁'
    expect(findingFromRow(row).description).toBe('安全出口上锁')
  })
  it('summarises results', () => {
    expect(resultSummary(null).text).toBe('未使用检查表')
    expect(resultSummary([{ code: 'a', passed: true }, { code: 'b', passed: false }])).toEqual({ total: 2, failed: 1, text: '2 项，不合格 1 项' })
    expect(resultSummary([{ code: 'a', passed: true }]).text).toBe('1 项，全部合格')
  })
})

describe('who records', () => {
  const planned = { state: 'planned', inspectorIds: [1, 14] }
  it('lets only a named inspector record, and only while planned', () => {
    expect(canRecord(planned, 14)).toBe(true)
    expect(canRecord(planned, 2)).toBe(false)
    expect(canRecord({ ...planned, state: 'done' }, 14)).toBe(false)
    expect(canRecord(planned, undefined)).toBe(false)
    expect(canRecord(null, 1)).toBe(false)
  })
})

describe('计划检查', () => {
  const form = { venueId: 3, kind: 'routine' as const, plannedOn: '2026-12-03', inspectorIds: [1, 14, 14], unannounced: true }
  it('needs a venue, a date not in the past and two different inspectors', () => {
    expect(checkPlan(form, '2026-12-02')).toEqual([])
    expect(checkPlan({ ...form, venueId: null, plannedOn: '2026-12-01', inspectorIds: [1, 1] }, '2026-12-02').map((e) => e.field)).toEqual([
      'venueId',
      'plannedOn',
      'inspectorIds',
    ])
  })
  it('sends distinct inspectors; no date means today on the server', () => {
    expect(planBody(form)).toEqual({ venueId: 3, kind: 'routine', inspectorIds: [1, 14], unannounced: true, plannedOn: '2026-12-03' })
    expect(planBody({ ...form, plannedOn: '' })).not.toHaveProperty('plannedOn')
  })
  it('reads list filters from the address', () => {
    expect(inspectionFiltersFromQuery({ state: 'planned', kind: 'patrol', drawId: '2', venueId: 'x' })).toEqual({
      state: 'planned',
      kind: 'patrol',
      venueId: null,
      drawId: 2,
    })
    expect(inspectionFiltersFromQuery({ state: 'weird', kind: ['random'] })).toMatchObject({ state: '', kind: 'random' })
    expect(inspectionQuery({ state: '', kind: 'routine', venueId: 3, drawId: null })).toEqual({ state: '', kind: 'routine', venueId: 3, drawId: null })
  })
})

describe('网格巡查 body', () => {
  const base: PatrolForm = { venueId: 2, findings: [], summary: '', lat: null, lng: null }
  it('sends the venue alone when nothing was found and no position', () => {
    expect(patrolBody(base)).toEqual({ venueId: 2 })
  })
  it('sends findings, summary and position', () => {
    const f = { ...emptyFinding('ebike_charging', '楼梯间电动车充电'), photos: ['p1'] }
    expect(patrolBody({ ...base, findings: [f], summary: ' 已提醒 ', lat: 29.4425, lng: 106.3571 })).toEqual({
      venueId: 2,
      findings: [{ category: 'ebike_charging', description: '楼梯间电动车充电', photos: ['p1'], severity: 'general' }],
      summary: '已提醒',
      lat: 29.4425,
      lng: 106.3571,
    })
  })
  it('needs a venue and complete findings', () => {
    expect(checkPatrol({ ...base, venueId: null, findings: [emptyFinding('wiring')] }).map((e) => e.field)).toEqual(['venueId', 'findings[0].description'])
  })
  it('shows 网格巡查 on the phone only to those who may record inspections', () => {
    expect(fieldActions(['permit:read']).map((a) => a.title)).not.toContain('网格巡查')
    expect(fieldActions(['permit:read']).map((a) => a.title)).not.toContain('监护巡查')
    expect(fieldActions(['permit:read', 'permit:watch']).map((a) => a.title)).toContain('监护巡查')
    expect(fieldActions(['permit:read', 'inspection:write']).map((a) => a.title)).toContain('网格巡查')
    // an account awaiting its role (no permissions) is offered nothing it would be refused
    expect(fieldActions(['permit:read', 'hazard:read', 'hazard:rectify']).map((a) => a.title)).toContain('隐患整改')
    expect(fieldActions(['permit:read', 'hazard:read']).map((a) => a.title)).not.toContain('隐患整改')
    expect(fieldActions(['permit:read', 'permit:apply']).find((a) => a.title === '申请动火')?.url).toBe('/permits/new')
    expect(fieldActions(['permit:read']).map((a) => a.title)).not.toContain('申请动火')
    expect(fieldActions([])).toEqual([])
  })
})

describe('双随机 draws', () => {
  const picks = [
    { venueId: 10, venueName: '金凤星光KTV', keyUnit: true, inspectors: [{ id: 8, name: '吴海' }, { id: 15, name: '谢芳' }], inspectionId: 2, inspectionState: 'planned', hazardCount: 0 },
    { venueId: 7, venueName: '高新区通航机场航站楼', keyUnit: false, inspectors: [{ id: 2, name: '李晓梅' }, { id: 8, name: '吴海' }], inspectionId: 5, inspectionState: 'done', hazardCount: 2 },
  ]
  it('formats picks: inspector names, the inspection state, hazards', () => {
    expect(pickRows(picks)).toEqual([
      { venueId: 10, venueName: '金凤星光KTV', keyUnit: true, inspectors: '吴海、谢芳', inspectionId: 2, state: { label: '待检查', tag: 'warning' }, hazardCount: 0 },
      { venueId: 7, venueName: '高新区通航机场航站楼', keyUnit: false, inspectors: '李晓梅、吴海', inspectionId: 5, state: { label: '已检查', tag: 'success' }, hazardCount: 2 },
    ])
    expect(inspectorNames(['张三', '李四'])).toBe('张三、李四')
    expect(inspectorNames([])).toBe('—')
    expect(drawProgress(picks)).toEqual({ total: 2, key: 1, done: 1, hazards: 2 })
  })
  it('compares a re-draw with the stored picks, ignoring inspector order', () => {
    expect(drawDiffs(picks, [{ venueId: 10, inspectorIds: [15, 8] }, { venueId: 7, inspectorIds: [2, 8] }])).toEqual([])
    expect(drawDiffs(picks, [{ venueId: 10, inspectorIds: [8, 15] }, { venueId: 7, inspectorIds: [2, 9] }])).toEqual([7])
    expect(drawDiffs(picks, [{ venueId: 10, inspectorIds: [8, 15] }, { venueId: 11, inspectorIds: [2, 8] }])).toEqual([7, 11])
  })
  it('checks the draw form and sends only what was given', () => {
    const f = { ...emptyDrawForm('2026-12-10'), name: ' 12月抽查 ', venueCount: 4, seed: ' 20261202 ' }
    expect(checkDraw(f, '2026-12-02')).toEqual([])
    expect(drawBody(f)).toEqual({ name: '12月抽查', venueCount: 4, plannedOn: '2026-12-10', keyPercent: 70, inspectorsPerVenue: 2, seed: '20261202' })
    expect(drawBody({ ...f, seed: '', venueTypes: ['hotel'] })).toMatchObject({ venueTypes: ['hotel'] })
    expect(drawBody({ ...f, seed: '' })).not.toHaveProperty('seed')
    const bad = { ...f, name: ' ', venueCount: 0, plannedOn: '2026-12-01', keyPercent: 120, inspectorsPerVenue: 1, seed: '12a' }
    expect(checkDraw(bad, '2026-12-02').map((e) => e.field)).toEqual(['name', 'venueCount', 'plannedOn', 'keyPercent', 'inspectorsPerVenue', 'seed'])
  })
})

describe('检查表模板', () => {
  it('needs unique codes, a label and a category per item', () => {
    const items = [
      { code: 'exits', label: '疏散通道畅通', category: 'blocked_exit' },
      { code: 'exits', label: ' ', category: '' },
      { code: '带空格 x', label: 'a', category: 'wiring' },
    ]
    expect(checkTemplateItems(items).map((e) => e.field)).toEqual(['items[1].code', 'items[1].label', 'items[1].category', 'items[2].code'])
    expect(checkTemplateItems([]).map((e) => e.field)).toEqual(['items'])
    expect(templateBody([{ code: ' exits ', label: ' 疏散通道畅通 ', category: 'blocked_exit' }])).toEqual({
      items: [{ code: 'exits', label: '疏散通道畅通', category: 'blocked_exit' }],
    })
  })
})
