import { describe, expect, it } from 'vitest'
import { buildQuery } from '../../src/shared/api'
import {
  assignBody, checkAssign, checkHazardInput, checkRecheck, checkRectify, checkReward, checkSupervise, emptyHazardFilters,
  hasNotice, hazardButtons, hazardFiltersFromQuery, hazardInputBody, hazardQuery, hazardStateTag, verifyCountdown,
  type AssignForm, type HazardInputForm,
} from '../../src/shared/hazards'

const ALL = ['hazard:read', 'hazard:report', 'hazard:assign', 'hazard:rectify']
const keys = (state: string, perms: string[], supervision: unknown = null) => hazardButtons({ state, supervision }, perms).map((b) => b.label)

describe('hazardButtons', () => {
  it('follows the closed loop: 交办 → 整改 → 复查 → 重新打开', () => {
    expect(keys('reported', ALL)).toEqual(['交办', '挂牌督办'])
    expect(keys('rectifying', ALL)).toEqual(['整改', '挂牌督办'])
    expect(keys('awaiting_recheck', ALL)).toEqual(['复查', '挂牌督办'])
    expect(keys('closed', ALL)).toEqual(['重新打开'])
  })
  it('offers 挂牌督办 only while not supervised, and 摘牌销案 only once closed', () => {
    const sup = { level: 'town', deadline: '2027-01-31', at: '2026-12-02T02:00:00Z' }
    expect(keys('rectifying', ALL, sup)).toEqual(['整改'])
    expect(keys('closed', ALL, sup)).toEqual(['重新打开', '摘牌销案'])
  })
  it('gives a venue manager (hazard:rectify) only 整改, and an inspector (hazard:assign) everything but 整改', () => {
    const vm = ['hazard:read', 'hazard:rectify']
    expect(keys('reported', vm)).toEqual([])
    expect(keys('rectifying', vm)).toEqual(['整改'])
    expect(keys('awaiting_recheck', vm)).toEqual([])
    const insp = ['hazard:read', 'hazard:report', 'hazard:assign']
    expect(keys('rectifying', insp)).toEqual(['挂牌督办'])
    expect(keys('awaiting_recheck', insp)).toEqual(['复查', '挂牌督办'])
  })
  it('gives read-only users and unknown states no buttons', () => {
    expect(keys('reported', ['hazard:read'])).toEqual([])
    expect(keys('weird', ALL)).toEqual([])
    expect(hazardButtons(null, ALL)).toEqual([])
  })
  it('has the notice from 交办 on', () => {
    expect(hasNotice({ state: 'reported' })).toBe(false)
    expect(hasNotice({ state: 'rectifying' })).toBe(true)
    expect(hasNotice({ state: 'closed' })).toBe(true)
  })
  it('labels states, preferring the server label', () => {
    expect(hazardStateTag('awaiting_recheck')).toEqual({ label: '待复查', tag: 'warning' })
    expect(hazardStateTag('closed', '已销号（复查合格）').label).toBe('已销号（复查合格）')
    expect(hazardStateTag('nope').tag).toBe('info')
  })
})

describe('hazard filters', () => {
  it('leaves empty filters out of the query', () => {
    expect(buildQuery(hazardQuery(emptyHazardFilters()))).toBe('')
  })
  it('sends every filter under the documented name', () => {
    const f = {
      ...emptyHazardFilters(),
      q: '  通道 ',
      state: 'rectifying',
      severity: 'major',
      category: 'blocked_exit',
      source: 'report',
      orgUnitId: 4,
      villageId: 7,
      venueId: 3,
      overdue: true,
      supervised: true,
      range: ['2026-12-01', '2026-12-31'] as [string, string],
    }
    const p = new URLSearchParams(buildQuery(hazardQuery(f)).slice(1))
    expect(Object.fromEntries(p)).toEqual({
      q: '通道',
      state: 'rectifying',
      severity: 'major',
      category: 'blocked_exit',
      source: 'report',
      orgUnitId: '4',
      villageId: '7',
      venueId: '3',
      overdue: 'true',
      supervised: 'true',
      from: '2026-12-01',
      to: '2026-12-31',
    })
  })
  it('does not send overdue=false or supervised=false', () => {
    const q = buildQuery(hazardQuery({ ...emptyHazardFilters(), state: 'closed' }))
    expect(q).toBe('?state=closed')
  })
  it('reads filters back from an address and drops what is not valid', () => {
    const f = hazardFiltersFromQuery({ overdue: 'true', orgUnitId: '4', state: 'closed', from: '2026-12-01', to: '2026-12-05', q: ' x ' })
    expect(f.overdue).toBe(true)
    expect(f.orgUnitId).toBe(4)
    expect(f.state).toBe('closed')
    expect(f.range).toEqual(['2026-12-01', '2026-12-05'])
    expect(f.q).toBe('x')
    const bad = hazardFiltersFromQuery({ state: 'open', orgUnitId: '-1', venueId: 'abc', severity: 'huge', from: '2026-12-05', to: '2026-12-01', overdue: '1' })
    expect(bad).toEqual(emptyHazardFilters())
  })
  it('round-trips through the query string', () => {
    const f = { ...emptyHazardFilters(), category: 'wiring', supervised: true, villageId: 9, range: ['2026-01-01', '2026-02-01'] as [string, string] }
    const back = hazardFiltersFromQuery(Object.fromEntries(new URLSearchParams(buildQuery(hazardQuery(f)).slice(1))))
    expect(back).toEqual(f)
  })
})

describe('checks before the server', () => {
  const input = (over: Partial<HazardInputForm> = {}): HazardInputForm => ({
    venueId: 3,
    category: 'blocked_exit',
    severity: 'general',
    decisionRecord: '',
    description: '二楼东侧疏散通道堆放货物',
    location: '',
    photos: [],
    source: 'inspection',
    foundAt: '',
    ...over,
  })
  it('needs venue, category and description, and a decision record for a major hazard', () => {
    const fields = (f: HazardInputForm) => checkHazardInput(f).map((e) => e.field)
    expect(checkHazardInput(input())).toEqual([])
    expect(fields(input({ venueId: null }))).toEqual(['venueId'])
    expect(fields(input({ category: '' }))).toEqual(['category'])
    expect(fields(input({ description: '   ' }))).toEqual(['description'])
    expect(checkHazardInput(input({ severity: 'major' }))).toEqual([{ field: 'decisionRecord', message: expect.stringContaining('集体研究') }])
    expect(checkHazardInput(input({ severity: 'major', decisionRecord: '12月1日专班会议研究确定' }))).toEqual([])
    // All at once, so the dialog marks every field.
    expect(fields(input({ venueId: null, category: '', severity: 'major', description: '' }))).toEqual(['venueId', 'category', 'decisionRecord', 'description'])
  })
  it('sends the decision record only for a major hazard and leaves empty optionals out', () => {
    expect(hazardInputBody(input({ decisionRecord: 'stale' }))).toEqual({
      venueId: 3,
      category: 'blocked_exit',
      severity: 'general',
      description: '二楼东侧疏散通道堆放货物',
      source: 'inspection',
    })
    const b = hazardInputBody(input({ severity: 'major', decisionRecord: ' 会议 ', location: ' 二楼 ', photos: ['f1'] }))
    expect(b.decisionRecord).toBe('会议')
    expect(b.location).toBe('二楼')
    expect(b.photos).toEqual(['f1'])
  })

  const assign = (over: Partial<AssignForm> = {}): AssignForm => ({
    responsiblePerson: '冯建华',
    responsiblePhone: '',
    responsibleUnitId: null,
    supervisorOrgUnitId: null,
    deadline: '',
    interimMeasures: '',
    funds: null,
    severity: 'general',
    decisionRecord: '',
    ...over,
  })
  it('checks 交办 like the server: person, phone, deadline not before today, funds, major decision', () => {
    expect(checkAssign(assign(), '2026-12-02')).toBeNull()
    expect(checkAssign(assign({ responsiblePerson: ' ' }), '2026-12-02')?.field).toBe('responsiblePerson')
    expect(checkAssign(assign({ responsiblePhone: '12345' }), '2026-12-02')?.field).toBe('responsiblePhone')
    expect(checkAssign(assign({ responsiblePhone: '139****5678' }), '2026-12-02')).toBeNull()
    expect(checkAssign(assign({ deadline: '2026-12-01' }), '2026-12-02')).toEqual({ field: 'deadline', message: '整改期限不得早于今天' })
    expect(checkAssign(assign({ deadline: '2026-12-02' }), '2026-12-02')).toBeNull()
    expect(checkAssign(assign({ funds: -1 }), '2026-12-02')?.field).toBe('funds')
    expect(checkAssign(assign({ severity: 'major' }), '2026-12-02')?.field).toBe('decisionRecord')
    expect(checkAssign(assign({ severity: 'major' }), '2026-12-02', true)).toBeNull()
  })
  it('sends only what 交办 changes', () => {
    const h = { severity: 'general', decisionRecord: null }
    expect(assignBody(assign({ responsiblePhone: '139****5678' }), h)).toEqual({ responsiblePerson: '冯建华' })
    expect(assignBody(assign({ deadline: '2026-12-16', funds: 0, interimMeasures: '设置警示标识', supervisorOrgUnitId: 4 }), h)).toEqual({
      responsiblePerson: '冯建华',
      deadline: '2026-12-16',
      funds: 0,
      interimMeasures: '设置警示标识',
      supervisorOrgUnitId: 4,
    })
    expect(assignBody(assign({ severity: 'major', decisionRecord: '会议' }), h)).toMatchObject({ severity: 'major', decisionRecord: '会议' })
  })
  it('needs measures, at least one photo and a signature to rectify', () => {
    expect(checkRectify({ measures: '已清理', photos: ['a'], signedBy: '冯建华' })).toBeNull()
    expect(checkRectify({ measures: '', photos: ['a'], signedBy: '冯建华' })?.field).toBe('measures')
    expect(checkRectify({ measures: '已清理', photos: [], signedBy: '冯建华' })?.field).toBe('photos')
    expect(checkRectify({ measures: '已清理', photos: ['a'], signedBy: ' ' })?.field).toBe('signedBy')
  })
  it('needs a note only when the recheck fails', () => {
    expect(checkRecheck({ passed: true, note: '' })).toBeNull()
    expect(checkRecheck({ passed: false, note: '' })?.field).toBe('note')
    expect(checkRecheck({ passed: false, note: '仍有货物' })).toBeNull()
    expect(checkRecheck({ passed: null, note: '' })?.field).toBe('passed')
  })
  it('needs a level and a deadline from today on to supervise, and 1 to 1000000 yuan to reward', () => {
    expect(checkSupervise({ level: 'town', deadline: '2026-12-31' }, '2026-12-02')).toBeNull()
    expect(checkSupervise({ level: 'county', deadline: '2026-12-31' }, '2026-12-02')?.field).toBe('level')
    expect(checkSupervise({ level: 'city', deadline: '' }, '2026-12-02')?.field).toBe('deadline')
    expect(checkSupervise({ level: 'city', deadline: '2026-11-30' }, '2026-12-02')?.field).toBe('deadline')
    expect(checkReward({ amount: 200 })).toBeNull()
    expect(checkReward({ amount: 0 })?.field).toBe('amount')
    expect(checkReward({ amount: null })?.field).toBe('amount')
    expect(checkReward({ amount: 0.5 })?.field).toBe('amount')
    expect(checkReward({ amount: 2_000_000 })?.field).toBe('amount')
  })
})

describe('verifyCountdown', () => {
  const due = Date.parse('2026-12-03T02:00:00Z')
  it('counts down while the report waits, and says overdue after', () => {
    expect(verifyCountdown({ state: 'received', verifyBy: '2026-12-03T02:00:00Z' }, due - 3 * 3600_000 - 5 * 60_000)).toEqual({
      overdue: false,
      text: '剩余 3:05:00',
      urgent: true,
    })
    expect(verifyCountdown({ state: 'received', verifyBy: '2026-12-03T02:00:00Z' }, due - 50 * 3600_000)).toEqual({
      overdue: false,
      text: '剩余 2 天 2 小时',
      urgent: false,
    })
    expect(verifyCountdown({ state: 'received', verifyBy: '2026-12-03T02:00:00Z' }, due + 90 * 60_000)).toEqual({
      overdue: true,
      text: '已超时 1:30:00',
      urgent: false,
    })
  })
  it('trusts the server overdue flag, and has nothing to say once triaged', () => {
    expect(verifyCountdown({ state: 'received', verifyBy: '2026-12-03T02:00:00Z', overdue: true }, due - 60_000)?.overdue).toBe(true)
    expect(verifyCountdown({ state: 'accepted', verifyBy: '2026-12-03T02:00:00Z' }, due + 1)).toBeNull()
    expect(verifyCountdown({ state: 'received', verifyBy: null }, due)).toBeNull()
  })
})
