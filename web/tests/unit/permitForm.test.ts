import { describe, expect, it } from 'vitest'
import { blankPermitForm, buildPermitInput, checkPermitForm, formFromPermit, submitAdvice, type PermitForm } from '../../src/shared/permitForm'
import { isoToWall, wallToIso08 } from '../../src/shared/time'
import type { Permit } from '../../src/shared/types'

function filled(over: Partial<PermitForm> = {}): PermitForm {
  return {
    ...blankPermitForm(),
    venueId: 3,
    place: ' 三楼东侧设备间 ',
    content: '空调冷凝水管支架焊接',
    method: 'electric_welding',
    level: 'level2',
    start: '2026-11-23 06:00',
    end: '2026-11-23 09:00',
    jobLeaderId: 3,
    fireWatchId: 13,
    approverUserId: 17,
    workers: [{ personId: 1, certificateId: 1 }],
    machineIds: [1],
    riskIdentification: '焊接火花飞溅可能引燃周边可燃物',
    ...over,
  }
}

describe('+08:00 conversion of the planned window', () => {
  it('sends the pickers’ Beijing wall clock as ISO with +08:00', () => {
    expect(wallToIso08('2026-11-23 06:00')).toBe('2026-11-23T06:00:00+08:00')
    expect(wallToIso08('2026-11-23T23:59:30')).toBe('2026-11-23T23:59:30+08:00')
    expect(wallToIso08('2026-11-23')).toBe('')
    expect(wallToIso08(null)).toBe('')
  })
  it('names the same instant as the server’s UTC answer', () => {
    expect(Date.parse(wallToIso08('2026-11-23 06:00'))).toBe(Date.parse('2026-11-22T22:00:00Z'))
  })
  it('shows a UTC answer back on the Beijing wall clock, across midnight', () => {
    expect(isoToWall('2026-11-22T22:00:00Z')).toBe('2026-11-23 06:00')
    expect(isoToWall('2026-11-23T01:00:00Z')).toBe('2026-11-23 09:00')
    expect(isoToWall(null)).toBe('')
  })
})

describe('buildPermitInput', () => {
  it('builds every PermitInput field, trimmed, times with +08:00', () => {
    const body = buildPermitInput(
      filled({
        indoor: true,
        indoorReason: ' 设备位于室内 ',
        unitId: 1,
        riskAssessment: ' 已评估 ',
        controls: [{ control: ' 设置不燃隔板 ', person: ' 张卫民 ' }],
        fireSeparation: true,
        windForce: 3,
        gasRequired: true,
        photosBefore: ['f1'],
      }),
    )
    expect(body).toEqual({
      venueId: 3,
      place: '三楼东侧设备间',
      indoor: true,
      indoorReason: '设备位于室内',
      content: '空调冷凝水管支架焊接',
      method: 'electric_welding',
      level: 'level2',
      plannedStart: '2026-11-23T06:00:00+08:00',
      plannedEnd: '2026-11-23T09:00:00+08:00',
      unitId: 1,
      jobLeaderId: 3,
      fireWatchId: 13,
      approverUserId: 17,
      workers: [{ personId: 1, certificateId: 1 }],
      machineIds: [1],
      riskIdentification: '焊接火花飞溅可能引燃周边可燃物',
      riskAssessment: '已评估',
      controls: [{ control: '设置不燃隔板', person: '张卫民' }],
      fireSeparation: true,
      windForce: 3,
      gasRequired: true,
      photosBefore: ['f1'],
    })
  })
  it('leaves out blank optional parts and empty rows', () => {
    const body = buildPermitInput(
      filled({
        indoor: false,
        indoorReason: 'left over',
        workers: [{ personId: 1, certificateId: 1 }, { personId: null, certificateId: null }],
        controls: [{ control: '  ', person: '' }],
      }),
    )
    expect(body).not.toHaveProperty('indoorReason')
    expect(body).not.toHaveProperty('unitId')
    expect(body).not.toHaveProperty('riskAssessment')
    expect(body).not.toHaveProperty('windForce')
    expect(body).not.toHaveProperty('workRequestId')
    expect(buildPermitInput(filled({ workRequestId: 7 })).workRequestId).toBe(7)
    expect(body.workers).toEqual([{ personId: 1, certificateId: 1 }])
    expect(body.controls).toEqual([])
    expect(body.photosBefore).toEqual([])
  })
  it('keeps wind force 0 (calm) as a value', () => {
    expect(buildPermitInput(filled({ windForce: 0 })).windForce).toBe(0)
  })
})

describe('formFromPermit', () => {
  it('turns a saved draft back into the form (declared level, Beijing times) and round-trips', () => {
    const p = {
      id: 8,
      venue: { id: 3, name: '金凤商业广场', type: 'mall', typeLabel: '商场' },
      place: '外立面二层雨棚',
      indoor: true,
      indoorReason: '设备位于室内',
      content: '雨棚钢结构补焊',
      method: 'electric_welding',
      level: 'level1',
      levelDeclared: 'level2',
      plannedStart: '2026-11-24T23:00:00Z',
      plannedEnd: '2026-11-25T01:00:00Z',
      unit: { id: 1, name: '重庆金凤建筑安装工程有限公司' },
      jobLeader: { id: 3, name: '邓强', userId: 18 },
      fireWatch: { id: 12, name: '夏雨', userId: 22, checkedInAt: null },
      approver: { id: 17, name: '冯建华' },
      workers: [{ personId: 11, name: '秦岭', certificateId: 9, certificateNumber: 'T…', certificateKindLabel: '特种作业操作证', checkedInAt: null }],
      machines: [{ id: 8, code: 'JF-HJ-0008', kindLabel: '电焊机' }],
      riskIdentification: '火花',
      riskAssessment: '',
      controls: [],
      fireSeparation: true,
      windForce: null,
      gasRequired: false,
      photosBefore: ['a'],
      workRequestId: 4,
    } as unknown as Permit
    const f = formFromPermit(p)
    expect(f.level).toBe('level2')
    expect(f.start).toBe('2026-11-25 07:00')
    expect(f.end).toBe('2026-11-25 09:00')
    expect(f.workers).toEqual([{ personId: 11, certificateId: 9 }])
    expect(f.approverUserId).toBe(17)
    const body = buildPermitInput(f)
    expect(Date.parse(body.plannedStart)).toBe(Date.parse(p.plannedStart))
    expect(Date.parse(body.plannedEnd)).toBe(Date.parse(p.plannedEnd))
    expect(body.machineIds).toEqual([8])
    expect(body.unitId).toBe(1)
    expect(body.workRequestId).toBe(4) // saving the draft keeps its 供需对接 request
  })
})

describe('checkPermitForm (stops sending) and submitAdvice (hints only)', () => {
  it('asks for what the server needs to store a draft', () => {
    const p = checkPermitForm(blankPermitForm())
    expect(Object.keys(p).sort()).toEqual(
      ['approverUserId', 'content', 'fireWatchId', 'jobLeaderId', 'method', 'place', 'plannedEnd', 'plannedStart', 'riskIdentification', 'venueId'].sort(),
    )
    expect(checkPermitForm(filled())).toEqual({})
  })
  it('needs a reason for indoor work, an end after the start and within 168 h, and complete, distinct worker rows', () => {
    expect(checkPermitForm(filled({ indoor: true })).indoorReason).toMatch(/室内/)
    expect(checkPermitForm(filled({ end: '2026-11-23 05:00' })).plannedEnd).toMatch(/晚于/)
    expect(checkPermitForm(filled({ end: '2026-11-30 06:00' })).plannedEnd).toBeUndefined()  // 168 h: stored, refused at submit
    expect(checkPermitForm(filled({ end: '2026-11-30 06:01' })).plannedEnd).toMatch(/168 小时/)
    expect(checkPermitForm(filled({ workers: [{ personId: 1, certificateId: null }] })).workers).toMatch(/证书/)
    expect(checkPermitForm(filled({ workers: [{ personId: 1, certificateId: 1 }, { personId: 1, certificateId: 2 }] })).workers).toMatch(/重复/)
  })
  it('hints what the rules at submission ask for, without blocking', () => {
    const now = Date.parse('2026-11-22T12:00:00Z')
    expect(submitAdvice(filled(), { rule: 'clear', now })).toEqual({})
    const a = submitAdvice(filled({ workers: [{ personId: null, certificateId: null }], fireSeparation: false }), { rule: 'mitigate', now })
    expect(a.workers).toBeTruthy()
    expect(a.riskAssessment).toMatch(/风险评估/)
    expect(a.controls).toBeTruthy()
    expect(a.fireSeparation).toBeTruthy()
    expect(submitAdvice(filled({ controls: [{ control: '隔板', person: '' }] }), { rule: 'mitigate', now }).controls).toMatch(/责任人/)
    expect(submitAdvice(filled({ fireWatchId: 1 }), { now }).fireWatchId).toMatch(/作业人员/)
    expect(submitAdvice(filled({ level: 'level1', end: '2026-11-23 15:00' }), { now }).plannedEnd).toMatch(/8 小时/)
    expect(submitAdvice(filled({ end: '2026-11-25 09:00' }), { now }).plannedEnd).toBeUndefined()
    expect(submitAdvice(filled(), { now: Date.parse('2026-11-23T00:00:00Z') }).plannedStart).toMatch(/已过/)
    expect(submitAdvice(filled(), { rule: 'entertainment', now }).plannedStart).toMatch(/娱乐/)
  })
})
