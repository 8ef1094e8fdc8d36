import { describe, expect, it } from 'vitest'
import { campaignBody, checkCampaignForm, emptyCampaignForm, taskActions, taskStateLabel, type CampaignForm, type CampaignTask } from '../../src/shared/campaigns'

const task = (over: Partial<CampaignTask> = {}): CampaignTask => ({
  id: 1, campaignId: 1, seq: 1, title: '商场整治', content: '', leadOrgUnitId: 3, leadOrgUnitName: '商贸发展岗', helperOrgUnitIds: [9],
  helperOrgUnitNames: ['文教体旅岗'], dueOn: '2027-01-10', state: 'open', late: false, doneAt: null, doneSummary: '', reportCount: 0,
  venuesChecked: 0, hazardsFound: 0, hazardsFixed: 0, lastReportAt: null, ...over,
})

const filled = (): CampaignForm => ({
  name: ' 今冬明春 ', goal: '', dates: ['2026-11-01', '2027-03-31'],
  phases: [{ name: '部署发动', dates: ['2026-11-01', '2026-11-30'] }, { name: '', dates: null }],
  tasks: [{ title: '商场整治', content: '', leadOrgUnitId: 3, helperOrgUnitIds: [9], dueOn: '2027-03-25' }],
})

describe('checkCampaignForm', () => {
  it('passes a complete form, skipping an empty phase row', () => {
    expect(checkCampaignForm(filled())).toEqual({})
    expect(campaignBody(filled()).phases).toEqual([{ name: '部署发动', from: '2026-11-01', to: '2026-11-30' }])
    expect(campaignBody(filled()).name).toBe('今冬明春')
  })
  it('names what is missing in an empty form (its preset phases have no dates yet)', () => {
    const bad = checkCampaignForm(emptyCampaignForm())
    expect(Object.keys(bad).sort()).toEqual(['dates', 'name', 'phases', 'tasks'])
  })
  it('refuses a phase or a due date outside the dates, and the lead among the helpers', () => {
    const f = filled()
    f.phases[0].dates = ['2026-10-01', '2026-11-30']
    expect(checkCampaignForm(f).phases).toMatch(/部署发动/)
    const g = filled()
    g.tasks[0].dueOn = '2027-04-01'
    expect(checkCampaignForm(g).tasks).toMatch(/第 1 项任务：完成期限/)
    const h = filled()
    h.tasks[0].helperOrgUnitIds = [3]
    expect(checkCampaignForm(h).tasks).toMatch(/牵头部门不必再列为配合部门/)
  })
})

describe('taskActions and taskStateLabel', () => {
  const perms = ['campaign:read', 'campaign:report']
  it('lets the lead report and complete, a helper only report, others nothing', () => {
    expect(taskActions(task(), perms, 3)).toEqual({ report: true, complete: true })
    expect(taskActions(task(), perms, 9)).toEqual({ report: true, complete: false })
    expect(taskActions(task(), perms, 5)).toEqual({ report: false, complete: false })
    expect(taskActions(task(), ['campaign:read'], 3)).toEqual({ report: false, complete: false })
    expect(taskActions(task({ state: 'done' }), perms, 3)).toEqual({ report: false, complete: false })
  })
  it('labels done, late and open tasks', () => {
    expect(taskStateLabel(task({ state: 'done', late: false })).label).toBe('已完成')
    expect(taskStateLabel(task({ late: true })).label).toBe('已逾期')
    expect(taskStateLabel(task()).label).toBe('进行中')
  })
})
