import { describe, expect, it } from 'vitest'
import {
  caseActionLabel, caseBody, caseButtons, caseFormFromHazard, checkCaseForm, checkPenaltyForm, emptyCaseForm, emptyPenaltyForm, penaltyBody, penaltyText,
  type Case,
} from '../../src/shared/cases'

const base: Case = {
  id: 1, number: 'AJ-2026-0001', sourceType: 'hazard', sourceId: 5, venueId: 2, venueName: '金凤老火锅', unitId: 3, partyName: '金凤老火锅店',
  responsiblePersons: [{ name: '张三', role: '主要负责人' }], title: '堵塞疏散通道案', facts: '疏散通道堆放杂物', legalBasis: null, state: 'open',
  decisionNumber: null, decidedOn: null, referral: null, penalties: [], exposure: null, closedAt: null, createdAt: '', updatedAt: '', version: 1,
}
const W = ['case:read', 'case:write']
const keys = (c: Partial<Case>, perms = W) => caseButtons({ ...base, ...c }, perms).map((b) => b.key)
const fine = { target: 'unit' as const, name: null, role: null, kind: 'fine' as const, amount: 30000, note: null }

describe('caseButtons', () => {
  it('offers nothing without case:write', () => {
    expect(keys({}, ['case:read'])).toEqual([])
    expect(caseButtons(null, W)).toEqual([])
  })
  it('offers 处罚决定 and 移交 while open', () => {
    expect(keys({ state: 'open' })).toEqual(['penalize', 'refer'])
  })
  it('offers 移交, 结案 and 警示曝光 once decided', () => {
    expect(keys({ state: 'decided', penalties: [fine] })).toEqual(['refer', 'close', 'expose'])
  })
  it('offers 登记办理情况 while referred, and 结案 only once the referral is concluded', () => {
    const referral = { department: '县消防救援大队', note: null, at: '', status: 'accepted' as const }
    expect(keys({ state: 'referred', referral })).toEqual(['referral'])
    expect(keys({ state: 'referred', referral: { ...referral, status: 'concluded' } })).toEqual(['referral', 'close'])
  })
  it('offers 撤下曝光 while exposed and 警示曝光 again after withdrawal', () => {
    const exposure = { id: 9, title: 't', summary: 's', publishedAt: '2026-01-01T00:00:00Z', withdrawnAt: null }
    expect(keys({ state: 'closed', penalties: [fine], exposure })).toEqual(['withdraw'])
    expect(keys({ state: 'closed', penalties: [fine], exposure: { ...exposure, withdrawnAt: '2026-01-02T00:00:00Z' } })).toEqual(['expose'])
  })
})

describe('penalty form', () => {
  const today = '2026-03-01'
  const filled = () => {
    const f = emptyPenaltyForm(base, today)
    f.decisionNumber = ' 金凤消行罚决字〔2026〕1号 '
    f.unit.amount = 30000
    f.persons[0].amount = 5000
    return f
  }
  it('starts with one person row per responsible person and today', () => {
    const f = emptyPenaltyForm(base, today)
    expect(f.decidedOn).toBe(today)
    expect(f.persons.map((p) => [p.name, p.role, p.kind])).toEqual([['张三', '主要负责人', 'fine']])
  })
  it('turns into the penalize body', () => {
    const f = filled()
    f.persons.push({ name: '', role: '', kind: 'fine', amount: null, note: '' }) // left empty: dropped
    f.persons[0].note = ' 当场 '
    expect(checkPenaltyForm(f, today)).toEqual([])
    expect(penaltyBody(f)).toEqual({
      decisionNumber: '金凤消行罚决字〔2026〕1号',
      decidedOn: today,
      unitPenalty: { kind: 'fine', amount: 30000 },
      personPenalties: [{ name: '张三', role: '主要负责人', kind: 'fine', amount: 5000, note: '当场' }],
    })
  })
  it('leaves the amount out of a warning', () => {
    const f = filled()
    f.persons[0].kind = 'warning'
    f.persons[0].amount = null
    expect(penaltyBody(f).personPenalties).toEqual([{ name: '张三', role: '主要负责人', kind: 'warning' }])
  })
  it('requires a person penalty (一案双罚)', () => {
    const f = filled()
    f.persons = []
    expect(checkPenaltyForm(f, today).map((e) => e.field)).toEqual(['personPenalties'])
  })
  it('requires an amount for a fine, a decision number and a date not in the future', () => {
    const f = filled()
    f.decisionNumber = ''
    f.decidedOn = '2026-03-02'
    f.unit.amount = null
    f.persons[0].amount = 0
    expect(checkPenaltyForm(f, today)).toEqual([
      { field: 'decisionNumber', message: '请填写处罚决定书文号' },
      { field: 'decidedOn', message: '决定日期不能晚于今天' },
      { field: 'unitPenalty', message: '罚款须填写金额' },
      { field: 'personPenalties[0]', message: '罚款须填写金额' },
    ])
  })
  it('labels timeline actions', () => {
    expect(caseActionLabel('penalize')).toBe('作出处罚决定')
    expect(caseActionLabel('something')).toBe('something')
  })
  it('formats a penalty', () => {
    expect(penaltyText({ kind: 'fine', kindLabel: '罚款', amount: 30000 })).toBe('罚款 30,000 元')
    expect(penaltyText({ kind: 'warning', amount: null })).toBe('警告')
  })
})

describe('case form', () => {
  it('is prefilled from a hazard', () => {
    const f = caseFormFromHazard({
      id: 7, number: 'YH-2026-0007', venueId: 2, venueName: '金凤老火锅', description: '疏散通道堵塞', categoryLabel: '疏散通道',
      responsibleUnitId: 3, responsibleUnitName: '金凤老火锅店', responsiblePerson: '李四',
    })
    expect(f).toMatchObject({ sourceType: 'hazard', sourceId: 7, venueId: 2, unitId: 3, partyName: '金凤老火锅店' })
    expect(f.responsiblePersons).toEqual([{ name: '李四', role: '直接责任人' }])
    expect(f.facts).toContain('疏散通道堵塞')
  })
  it('checks and builds the body', () => {
    const f = emptyCaseForm()
    expect(checkCaseForm(f).map((e) => e.field)).toEqual(['sourceId', 'venueId', 'title', 'facts'])
    f.sourceType = 'other'
    f.sourceId = 4
    f.venueId = 2
    f.title = ' 违规动火案 '
    f.facts = '未办理动火作业证'
    f.responsiblePersons = [{ name: '王五', role: '直接责任人' }, { name: '', role: '' }]
    expect(checkCaseForm(f)).toEqual([])
    expect(caseBody(f)).toEqual({
      sourceType: 'other', venueId: 2, title: '违规动火案', facts: '未办理动火作业证', responsiblePersons: [{ name: '王五', role: '直接责任人' }],
    })
  })
})
