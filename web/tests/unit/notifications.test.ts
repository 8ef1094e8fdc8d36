import { describe, expect, it } from 'vitest'
import { eventsSummary, notificationRoute, WEBHOOK_FORMATS } from '../../src/shared/notifications'
import { alertSourceRoute, noticeRoute } from '../../src/mobile/actions'

describe('notificationRoute', () => {
  it('opens console paths', () => {
    expect(notificationRoute('/hazards/12')).toBe('/hazards/12')
    expect(notificationRoute('/alerts?sourceType=machine')).toBe('/alerts?sourceType=machine')
  })
  it('refuses anything that could leave the console', () => {
    expect(notificationRoute('https://evil.example/x')).toBeNull()
    expect(notificationRoute('//evil.example/x')).toBeNull()
    expect(notificationRoute('/\\evil.example')).toBeNull()
    expect(notificationRoute('javascript:alert(1)')).toBeNull()
    expect(notificationRoute('')).toBeNull()
  })
})

describe('noticeRoute (phone app)', () => {
  it('opens a permit or a hazard in the phone app', () => {
    expect(noticeRoute('/permits/12')).toEqual({ name: 'permit', params: { id: '12' } })
    expect(noticeRoute('/hazards/7')).toEqual({ name: 'hazard', params: { id: '7' } })
  })
  it("opens the alerts of a source on the phone's alert list", () => {
    expect(noticeRoute('/alerts?sourceType=machine')).toEqual({ name: 'alerts', query: { sourceType: 'machine' } })
    expect(noticeRoute('/alerts?sourceType=certificate')).toEqual({ name: 'alerts', query: { sourceType: 'certificate' } })
  })
  it("opens the account's second factor page (a recovery code login's notice)", () => {
    expect(noticeRoute('/second-factor')).toEqual({ name: 'second-factor' })
  })
  it('has no page for the rest, nor for anything else shaped like their paths', () => {
    for (const link of ['/reports/12', '/second-factor/x', '/second-factorx', '/alerts?sourceType=rocket', '/alerts', '/alerts?sourceType=machine&x=1', '/permits', '/permits/12/print', '/hazards/x', 'https://x/permits/1', ''])
      expect(noticeRoute(link)).toBeNull()
  })
})

describe('alertSourceRoute (phone app)', () => {
  it("opens an alert's permit or hazard", () => {
    expect(alertSourceRoute({ sourceType: 'permit', sourceId: '42' })).toEqual({ name: 'permit', params: { id: '42' } })
    expect(alertSourceRoute({ sourceType: 'hazard', sourceId: '7' })).toEqual({ name: 'hazard', params: { id: '7' } })
  })
  it('has none for sources the phone has no page of, or a source id that is not one', () => {
    expect(alertSourceRoute({ sourceType: 'machine', sourceId: '3' })).toBeNull()
    expect(alertSourceRoute({ sourceType: 'report', sourceId: '3' })).toBeNull()
    expect(alertSourceRoute({ sourceType: 'permit', sourceId: '' })).toBeNull()
    expect(alertSourceRoute({ sourceType: 'permit', sourceId: '4/print' })).toBeNull()
  })
})

describe('eventsSummary', () => {
  const catalogue = [
    { key: 'alert.critical', label: '严重预警（未审批动火、超时作业、证书过期等）' },
    { key: 'hazard.assigned', label: '隐患交办' },
    { key: 'report.received', label: '收到群众举报' },
  ]
  it('says every event when none is chosen', () => {
    expect(eventsSummary([], catalogue)).toBe('全部事件')
  })
  it('lists chosen events in catalogue order, without their explanations', () => {
    expect(eventsSummary(['report.received', 'alert.critical'], catalogue)).toBe('严重预警、收到群众举报')
  })
  it('ignores keys the catalogue no longer has', () => {
    expect(eventsSummary(['gone', 'hazard.assigned'], catalogue)).toBe('隐患交办')
  })
})

describe('WEBHOOK_FORMATS', () => {
  it('covers the three formats the server accepts, each with a hint', () => {
    expect(WEBHOOK_FORMATS.map((f) => f.value)).toEqual(['wecom', 'dingtalk', 'json'])
    for (const f of WEBHOOK_FORMATS) expect(f.placeholder && f.secretHint && f.label).toBeTruthy()
  })
})
