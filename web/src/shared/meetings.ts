// 培训、警示教育、约谈与调度会商 records (docs/openapi.yaml, tag meetings).
import { isRealDate } from './validators'
import type { FieldProblem } from './forms'

export type MeetingKind = 'training' | 'warning' | 'interview' | 'briefing'

export interface IdName {
  id: number
  name: string
}

export interface MeetingListItem {
  id: number
  kind: MeetingKind
  kindLabel: string
  title: string
  orgUnitId: number
  orgUnitName: string
  heldOn: string
  place: string
  headcount: number
  createdBy: number
  createdByName: string
  createdAt: string
  updatedAt: string
  venueCount: number
  unitCount: number
  personCount: number
  partyNames: string[]
}

export interface Meeting extends Omit<MeetingListItem, 'venueCount' | 'unitCount' | 'personCount' | 'partyNames'> {
  content: string
  venues: IdName[]
  units: IdName[]
  people: (IdName & { unitName: string | null })[]
}

export interface MeetingSummary {
  items: { orgUnitId: number; orgUnitName: string; kind: MeetingKind; kindLabel: string; count: number; headcount: number }[]
  totals: Record<MeetingKind, { label: string; count: number; headcount: number }>
}

export const MEETING_KINDS: { value: MeetingKind; label: string; tag: 'primary' | 'success' | 'warning' | 'danger' | 'info'; hint: string }[] = [
  { value: 'training', label: '安全培训', tag: 'primary', hint: '动火作业人员、场所和施工单位的安全教育培训' },
  { value: 'warning', label: '警示教育', tag: 'warning', hint: '典型事故案例警示、消防宣传"五进"、小喇叭大喇叭宣传' },
  { value: 'interview', label: '约谈警示', tag: 'danger', hint: '对存在问题的场所、单位集中或单独约谈，写明指出的问题和整改要求' },
  { value: 'briefing', label: '调度会商', tag: 'info', hint: '专班调度会、部门会商、定向督办' },
]
export const meetingTag = (k: MeetingKind) => MEETING_KINDS.find((x) => x.value === k)?.tag ?? 'info'

export interface MeetingForm {
  kind: MeetingKind
  title: string
  orgUnitId: number | null
  heldOn: string
  place: string
  content: string
  headcount: number | null
  venueIds: number[]
  unitIds: number[]
  personIds: number[]
}

export const emptyMeetingForm = (orgUnitId: number | null = null): MeetingForm => ({
  kind: 'training', title: '', orgUnitId, heldOn: '', place: '', content: '', headcount: null, venueIds: [], unitIds: [], personIds: [],
})

export const meetingFormOf = (m: Meeting): MeetingForm => ({
  kind: m.kind, title: m.title, orgUnitId: m.orgUnitId, heldOn: m.heldOn, place: m.place, content: m.content, headcount: m.headcount,
  venueIds: m.venues.map((v) => v.id), unitIds: m.units.map((u) => u.id), personIds: m.people.map((p) => p.id),
})

/** What the browser can check before sending (`today` as YYYY-MM-DD); the server checks the same and the references. */
export function checkMeetingForm(f: MeetingForm, today: string): FieldProblem[] {
  const bad: FieldProblem[] = []
  const need = (ok: unknown, field: string, message: string) => {
    if (!ok) bad.push({ field, message })
  }
  need(f.title.trim(), 'title', '请填写主题')
  if (!isRealDate(f.heldOn)) bad.push({ field: 'heldOn', message: '请选择举办日期' })
  else need(f.heldOn <= today, 'heldOn', '举办日期不能晚于今天（只记录已举办的）')
  need(f.place.trim(), 'place', '请填写地点')
  need(f.content.trim(), 'content', f.kind === 'interview' ? '请填写约谈指出的问题和整改要求' : '请填写内容')
  if (f.kind === 'interview') need(f.venueIds.length || f.unitIds.length, 'venueIds', '约谈须选择被约谈的场所或单位')
  const heads = f.headcount ?? 0
  if (heads && heads < f.personIds.length) bad.push({ field: 'headcount', message: '参加人数不能少于所选的参加人员数' })
  else if ((f.kind === 'training' || f.kind === 'warning') && !heads && !f.personIds.length)
    bad.push({ field: 'headcount', message: '请填写参加人数或选择参加人员' })
  return bad
}

export const meetingBody = (f: MeetingForm) => ({
  kind: f.kind, title: f.title.trim(), orgUnitId: f.orgUnitId ?? undefined, heldOn: f.heldOn, place: f.place.trim(), content: f.content.trim(),
  headcount: f.headcount ?? undefined, venueIds: f.venueIds, unitIds: f.unitIds, personIds: f.personIds,
})

/** Whether the user may correct the record: its recorder, or a user whose data scope is everything. */
export const canEditMeeting = (m: Pick<Meeting, 'createdBy'> | null, perms: readonly string[], userId: number | null | undefined, scope: string | undefined) =>
  !!m && perms.includes('meeting:write') && (m.createdBy === userId || scope === 'all')
