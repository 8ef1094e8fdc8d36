import { describe, expect, it } from 'vitest'
import {
  checkProjectForm, emptyProjectForm, overLimit, projectBody, projectButtons, projectFormOf, type SmallProject, type SmallProjectForm,
} from '../../src/shared/smallProjects'

const filled = (over: Partial<SmallProjectForm> = {}): SmallProjectForm => ({
  ...emptyProjectForm(),
  venueId: 3, unitId: 3, orgUnitId: 6, name: ' 三层美食街装修 ', kind: 'decorate', location: '三层东区', investment: 26, area: 280,
  dates: ['2026-12-06', '2026-12-30'], hotWorkMethods: ['electric_welding'], fireMeasures: '硬质围挡分隔', siteManager: '邓强',
  sitePhone: '13883510021', ...over,
})

const project = (over: Partial<SmallProject> = {}): SmallProject => ({
  id: 1, number: 'BA-2026-0001', venueId: 3, venueName: '金凤商业广场', unitId: 3, unitName: '海兰装饰', orgUnitId: 6, orgUnitName: '规建环保岗',
  name: '装修', kind: 'decorate', kindLabel: '装饰装修', location: '三层', investment: 26, area: 280, overLimit: false,
  plannedStart: '2026-12-06', plannedEnd: '2026-12-30', hotWorkMethods: ['electric_welding'], hotWorkMethodLabels: ['电焊'],
  fireMeasures: '分隔', siteManager: '邓强', sitePhone: '13883510021', state: 'submitted', stateLabel: '待受理', stateReason: '',
  createdBy: 7, createdAt: '2026-12-05T08:00:00Z', updatedAt: '2026-12-05T08:00:00Z', version: 1, ...over,
})

describe('checkProjectForm', () => {
  it('passes a complete form and names every missing field of an empty one', () => {
    expect(checkProjectForm(filled())).toEqual([])
    expect(checkProjectForm(emptyProjectForm()).map((b) => b.field)).toEqual([
      'venueId', 'unitId', 'orgUnitId', 'name', 'kind', 'location', 'investment', 'area', 'plannedStart', 'hotWorkMethods',
      'fireMeasures', 'siteManager', 'sitePhone',
    ])
  })
  it('refuses an end before the start, a day that does not exist and a bad phone', () => {
    expect(checkProjectForm(filled({ dates: ['2026-12-30', '2026-12-06'] }))).toEqual([{ field: 'plannedStart', message: '完工日期不能早于开工日期' }])
    expect(checkProjectForm(filled({ dates: ['2026-02-30', '2026-03-01'] })).map((b) => b.field)).toEqual(['plannedStart'])
    expect(checkProjectForm(filled({ sitePhone: '1388351' })).map((b) => b.field)).toEqual(['sitePhone'])
    expect(checkProjectForm(filled({ name: '   ', investment: -1 })).map((b) => b.field)).toEqual(['name', 'investment'])
  })
})

describe('projectBody and projectFormOf', () => {
  it('sends trimmed texts and the dates as plannedStart / plannedEnd, and reads a project back into the same form', () => {
    const body = projectBody(filled())
    expect(body.name).toBe('三层美食街装修')
    expect([body.plannedStart, body.plannedEnd]).toEqual(['2026-12-06', '2026-12-30'])
    expect(Object.keys(body).sort()).toEqual(['area', 'fireMeasures', 'hotWorkMethods', 'investment', 'kind', 'location', 'name', 'orgUnitId',
      'plannedEnd', 'plannedStart', 'siteManager', 'sitePhone', 'unitId', 'venueId'])
    expect(checkProjectForm(projectFormOf(project()))).toEqual([])
  })
})

describe('overLimit', () => {
  it('needs both the investment and the area above the limits', () => {
    expect(overLimit(31, 301)).toBe(true)
    expect(overLimit(30, 301)).toBe(false)
    expect(overLimit(31, 300)).toBe(false)
    expect(overLimit(null, 1000)).toBe(false)
  })
})

describe('projectButtons', () => {
  const keys = (p: SmallProject, perms: string[], user: number) => projectButtons(p, perms, user).map((b) => b.key)
  const REVIEW = ['project:read', 'project:review']
  const FILE = ['project:read', 'project:file']
  it('lets the department accept or return a new filing, and the filer only edit it', () => {
    expect(keys(project(), REVIEW, 2)).toEqual(['accept', 'return'])
    expect(keys(project(), FILE, 7)).toEqual(['edit'])
    expect(keys(project(), FILE, 8)).toEqual([])
  })
  it('offers guidance, an unannounced check and finishing once accepted; the filer may finish', () => {
    expect(keys(project({ state: 'accepted' }), REVIEW, 2)).toEqual(['guide', 'check', 'finish'])
    expect(keys(project({ state: 'accepted' }), FILE, 7)).toEqual(['finish'])
    expect(keys(project({ state: 'accepted' }), ['project:read'], 9)).toEqual([])
  })
  it('asks the filer to correct a returned filing, and offers nothing once finished', () => {
    expect(projectButtons(project({ state: 'returned' }), FILE, 7)).toEqual([{ key: 'edit', label: '补正后重新提交', type: 'primary' }])
    expect(keys(project({ state: 'returned' }), REVIEW, 2)).toEqual([])
    expect(keys(project({ state: 'finished' }), [...REVIEW, ...FILE], 7)).toEqual([])
    expect(projectButtons(null, REVIEW, 2)).toEqual([])
  })
})
