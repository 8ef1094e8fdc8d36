import { describe, expect, it } from 'vitest'
import { canEditMeeting, checkMeetingForm, emptyMeetingForm, meetingBody, meetingFormOf, type Meeting, type MeetingForm } from '../../src/shared/meetings'

const TODAY = '2026-12-05'
const filled = (over: Partial<MeetingForm> = {}): MeetingForm => ({
  ...emptyMeetingForm(4), title: ' 动火作业安全培训 ', heldOn: '2026-12-01', place: '会议室', content: '六必须', headcount: 30, ...over,
})
const meeting: Meeting = {
  id: 1, kind: 'interview', kindLabel: '约谈警示', title: '约谈', orgUnitId: 4, orgUnitName: '商贸发展岗', heldOn: '2026-12-01', place: '办公室',
  content: '限期整改', headcount: 2, createdBy: 7, createdByName: '何平', createdAt: '', updatedAt: '', venues: [{ id: 3, name: '金凤老火锅' }],
  units: [], people: [{ id: 9, name: '唐国庆', unitName: null }],
}

describe('checkMeetingForm', () => {
  it('passes a complete form and names every missing field of an empty one', () => {
    expect(checkMeetingForm(filled(), TODAY)).toEqual([])
    expect(checkMeetingForm(emptyMeetingForm(), TODAY).map((b) => b.field)).toEqual(['title', 'heldOn', 'place', 'content', 'headcount'])
  })
  it('refuses a future date, an interview of no one, a headcount below the people named', () => {
    expect(checkMeetingForm(filled({ heldOn: '2026-12-06' }), TODAY).map((b) => b.field)).toEqual(['heldOn'])
    expect(checkMeetingForm(filled({ heldOn: '2026-02-30' }), TODAY).map((b) => b.message)).toEqual(['请选择举办日期'])
    expect(checkMeetingForm(filled({ kind: 'interview' }), TODAY)).toEqual([{ field: 'venueIds', message: '约谈须选择被约谈的场所或单位' }])
    expect(checkMeetingForm(filled({ kind: 'interview', unitIds: [2] }), TODAY)).toEqual([])
    expect(checkMeetingForm(filled({ headcount: 1, personIds: [1, 2] }), TODAY).map((b) => b.field)).toEqual(['headcount'])
    // a briefing needs no headcount; a training with people named needs none either
    expect(checkMeetingForm(filled({ kind: 'briefing', headcount: null }), TODAY)).toEqual([])
    expect(checkMeetingForm(filled({ headcount: null, personIds: [1] }), TODAY)).toEqual([])
  })
})

describe('body, form and who may correct', () => {
  it('sends trimmed texts and no headcount when none was given, and reads a record back into the same form', () => {
    const body = meetingBody(filled({ headcount: null }))
    expect(body.title).toBe('动火作业安全培训')
    expect(body.headcount).toBeUndefined()
    expect(body.orgUnitId).toBe(4)
    expect(meetingFormOf(meeting)).toMatchObject({ kind: 'interview', venueIds: [3], unitIds: [], personIds: [9], headcount: 2 })
  })
  it('lets the recorder or a user of 全部数据 correct, with meeting:write', () => {
    expect(canEditMeeting(meeting, ['meeting:write'], 7, 'dept')).toBe(true)
    expect(canEditMeeting(meeting, ['meeting:write'], 8, 'dept')).toBe(false)
    expect(canEditMeeting(meeting, ['meeting:write'], 8, 'all')).toBe(true)
    expect(canEditMeeting(meeting, ['meeting:read'], 7, 'all')).toBe(false)
    expect(canEditMeeting(null, ['meeting:write'], 7, 'all')).toBe(false)
  })
})
