// 专项行动: campaigns with phases and key tasks led and helped by departments (docs/openapi.yaml, tag campaigns).
import { isRealDate } from './validators'

export interface CampaignPhase {
  name: string
  from: string
  to: string
}

export interface CampaignTask {
  id: number
  campaignId: number
  seq: number
  title: string
  content: string
  leadOrgUnitId: number
  leadOrgUnitName: string
  helperOrgUnitIds: number[]
  helperOrgUnitNames: string[]
  dueOn: string
  state: 'open' | 'done'
  late: boolean
  doneAt: string | null
  doneSummary: string
  reportCount: number
  venuesChecked: number
  hazardsFound: number
  hazardsFixed: number
  lastReportAt: string | null
}

export interface Campaign {
  id: number
  name: string
  goal: string
  startsOn: string
  endsOn: string
  phases: CampaignPhase[]
  status: 'upcoming' | 'active' | 'ended'
  currentPhase: string | null
  taskCount: number
  doneCount: number
  lateCount: number
  createdAt: string
  tasks?: CampaignTask[]
  hazardStats?: { orgUnitId: number | null; orgUnitName: string; found: number; closed: number; overdue: number }[]
}

export interface CampaignReport {
  id: number
  orgUnitName: string
  content: string
  venuesChecked: number
  hazardsFound: number
  hazardsFixed: number
  by: string
  createdAt: string
}

export const CAMPAIGN_STATUS: Record<Campaign['status'], { label: string; tag: 'info' | 'success' | 'warning' }> = {
  upcoming: { label: '未开始', tag: 'info' },
  active: { label: '进行中', tag: 'success' },
  ended: { label: '已结束', tag: 'warning' },
}

/** A task's state for people: 已完成, 已逾期 or 进行中. */
export function taskStateLabel(t: CampaignTask): { label: string; tag: 'success' | 'danger' | 'primary' } {
  if (t.state === 'done') return { label: '已完成', tag: 'success' }
  return t.late ? { label: '已逾期', tag: 'danger' } : { label: '进行中', tag: 'primary' }
}

/** What the caller's department may do on an open task: report when it leads or helps, complete when it leads. */
export function taskActions(t: CampaignTask, perms: readonly string[], orgUnitId: number | null | undefined) {
  const can = t.state === 'open' && perms.includes('campaign:report') && orgUnitId != null
  const lead = can && t.leadOrgUnitId === orgUnitId
  return { report: lead || (can && t.helperOrgUnitIds.includes(orgUnitId as number)), complete: lead }
}

export interface TaskForm {
  title: string
  content: string
  leadOrgUnitId: number | null
  helperOrgUnitIds: number[]
  dueOn: string
}
export interface CampaignForm {
  name: string
  goal: string
  dates: [string, string] | null
  phases: { name: string; dates: [string, string] | null }[]
  tasks: TaskForm[]
}

export const emptyTask = (): TaskForm => ({ title: '', content: '', leadOrgUnitId: null, helperOrgUnitIds: [], dueOn: '' })
export const emptyCampaignForm = (): CampaignForm => ({
  name: '', goal: '', dates: null,
  phases: [{ name: '部署发动', dates: null }, { name: '组织实施', dates: null }, { name: '总结提升', dates: null }],
  tasks: [emptyTask()],
})

/** The browser's checks (the server checks the same): one message per form field (name, dates, phases, tasks). */
export function checkCampaignForm(f: CampaignForm): Partial<Record<'name' | 'dates' | 'phases' | 'tasks', string>> {
  const bad: Partial<Record<'name' | 'dates' | 'phases' | 'tasks', string>> = {}
  if (!f.name.trim()) bad.name = '请填写专项行动名称'
  const [from, to] = f.dates ?? ['', '']
  if (!isRealDate(from) || !isRealDate(to)) bad.dates = '请选择起止日期'
  const within = (d: string) => !bad.dates && d >= from && d <= to
  for (const p of f.phases) {
    if (!p.name.trim() && !p.dates) continue
    if (!p.name.trim() || !p.dates || !within(p.dates[0]) || !within(p.dates[1])) {
      bad.phases = `阶段「${p.name.trim() || '未命名'}」须有名称，日期在起止日期之内`
      break
    }
  }
  if (!f.tasks.length) bad.tasks = '请至少部署一项重点任务'
  f.tasks.forEach((t, i) => {
    if (bad.tasks) return
    const n = `第 ${i + 1} 项任务`
    if (!t.title.trim()) bad.tasks = `${n}：请填写任务名称`
    else if (!t.leadOrgUnitId) bad.tasks = `${n}：请选择牵头部门`
    else if (!within(t.dueOn)) bad.tasks = `${n}：完成期限须在起止日期之内`
    else if (t.helperOrgUnitIds.includes(t.leadOrgUnitId)) bad.tasks = `${n}：牵头部门不必再列为配合部门`
  })
  return bad
}

export const campaignBody = (f: CampaignForm) => ({
  name: f.name.trim(),
  goal: f.goal.trim(),
  startsOn: f.dates?.[0],
  endsOn: f.dates?.[1],
  phases: f.phases.filter((p) => p.name.trim() && p.dates).map((p) => ({ name: p.name.trim(), from: p.dates![0], to: p.dates![1] })),
  tasks: f.tasks.map((t) => ({
    title: t.title.trim(), content: t.content.trim(), leadOrgUnitId: t.leadOrgUnitId, helperOrgUnitIds: t.helperOrgUnitIds, dueOn: t.dueOn,
  })),
})
