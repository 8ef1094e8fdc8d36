import { describe, expect, it } from 'vitest'
import { inAlertView, isNewer, parseAlertEvent, matchesFilters, mergeAlert, mergeIntoPage, shouldAnnounce, sourceTypeLabel } from '../../src/shared/alerts'
import type { Alert } from '../../src/shared/types'

function alert(id: number, over: Partial<Alert> = {}): Alert {
  return {
    id,
    kind: 'unpermitted_power_on',
    kindLabel: '未审批动火',
    severity: 'critical',
    sourceType: 'machine',
    sourceId: String(100 + id),
    sourceLabel: `JF-HJ-${String(id).padStart(4, '0')}`,
    venueId: null,
    venueName: null,
    title: `预警 ${id}`,
    detail: '',
    state: 'open',
    openedAt: '2026-11-22T02:00:00Z',
    acknowledgedAt: null,
    closedAt: null,
    updatedAt: '2026-11-22T02:00:00Z',
    result: '',
    photos: [],
    ...over,
  }
}
const ids = (xs: Alert[]) => xs.map((a) => a.id)

describe('mergeAlert', () => {
  it('puts a new alert first and keeps the list at most `max` long', () => {
    const list = [alert(3), alert(2), alert(1)]
    expect(ids(mergeAlert(list, alert(4)))).toEqual([4, 3, 2, 1])
    expect(ids(mergeAlert(list, alert(4), 3))).toEqual([4, 3, 2])
    expect(ids(list)).toEqual([3, 2, 1]) // not changed in place
  })
  it('replaces an alert by id when the incoming state is later, in place', () => {
    const list = [alert(3), alert(2)]
    const handled = alert(2, { state: 'handled', updatedAt: '2026-11-22T02:05:00Z', result: '已处置' })
    const out = mergeAlert(list, handled)
    expect(ids(out)).toEqual([3, 2])
    expect(out[1].state).toBe('handled')
  })
  it('ignores a replayed older state (the stream may send an alert again)', () => {
    const list = [alert(2, { state: 'handled', updatedAt: '2026-11-22T02:05:00Z' })]
    const stale = alert(2, { state: 'acknowledged', updatedAt: '2026-11-22T02:03:00Z' })
    expect(mergeAlert(list, stale)[0].state).toBe('handled')
    expect(mergeAlert(list, stale)).toBe(list)
  })
  it('treats the same instant arriving again as the later word', () => {
    expect(isNewer(alert(1, { updatedAt: '2026-11-22T02:00:00Z' }), alert(1, { updatedAt: '2026-11-22T02:00:00Z' }))).toBe(true)
    expect(isNewer(alert(1, { updatedAt: '2026-11-22T01:59:59Z' }), alert(1, { updatedAt: '2026-11-22T02:00:00Z' }))).toBe(false)
  })
})

describe('mergeIntoPage', () => {
  const page = { items: [alert(10), alert(9), alert(8)], total: 30 }
  const opts = { page: 1, pageSize: 3, filters: { state: '', kind: '', sourceType: '' } }

  it('puts a new alert on top of page 1, keeps the page size and counts it', () => {
    const r = mergeIntoPage(page, alert(11), opts)
    expect(r.added).toBe(true)
    expect(ids(r.items)).toEqual([11, 10, 9])
    expect(r.total).toBe(31)
  })
  it('updates a shown row in place whatever the filters', () => {
    const r = mergeIntoPage(page, alert(9, { state: 'handled', updatedAt: '2026-11-22T03:00:00Z' }), {
      ...opts,
      filters: { state: 'open' },
    })
    expect(r.added).toBe(false)
    expect(ids(r.items)).toEqual([10, 9, 8])
    expect(r.items[1].state).toBe('handled')
    expect(r.total).toBe(30)
  })
  it('leaves out alerts the filters exclude', () => {
    expect(mergeIntoPage(page, alert(11, { sourceType: 'permit' }), { ...opts, filters: { sourceType: 'machine' } }).added).toBe(false)
    expect(mergeIntoPage(page, alert(11, { state: 'handled' }), { ...opts, filters: { state: 'open' } }).added).toBe(false)
    expect(mergeIntoPage(page, alert(11, { kind: 'overtime' }), { ...opts, filters: { kind: 'far_scan' } }).items).toBe(page.items)
  })
  it('does not touch page 2 and later', () => {
    const r = mergeIntoPage(page, alert(11), { ...opts, page: 2 })
    expect(r.added).toBe(false)
    expect(r.items).toBe(page.items)
    expect(r.total).toBe(30)
  })
  it('does not pull an old alert that changed onto a full first page', () => {
    expect(mergeIntoPage(page, alert(2, { state: 'acknowledged' }), opts).added).toBe(false)
  })
  it('sorts an alert into a page that is not full', () => {
    const r = mergeIntoPage({ items: [alert(10), alert(8)], total: 2 }, alert(9), opts)
    expect(ids(r.items)).toEqual([10, 9, 8])
    expect(r.total).toBe(3)
  })
})

describe('filters and labels', () => {
  it('matches on state, kind and source type, empty meaning any', () => {
    const a = alert(1)
    expect(matchesFilters(a, {})).toBe(true)
    expect(matchesFilters(a, { state: 'open', kind: 'unpermitted_power_on', sourceType: 'machine' })).toBe(true)
    expect(matchesFilters(a, { sourceType: 'certificate' })).toBe(false)
  })
  it('names the source types in Chinese', () => {
    expect(sourceTypeLabel('permit')).toBe('作业证')
    expect(sourceTypeLabel('machine')).toBe('焊机')
    expect(sourceTypeLabel('certificate')).toBe('证书')
    expect(sourceTypeLabel('hazard')).toBe('隐患')
    expect(sourceTypeLabel('report')).toBe('群众举报')
    expect(sourceTypeLabel('')).toBe('—')
  })
})

describe('shouldAnnounce', () => {
  it('announces a new warning or critical alert once, and again when it is raised to critical', () => {
    const seen = new Set<string>()
    expect(shouldAnnounce(alert(1, { severity: 'warning' }), seen)).toBe(true)
    expect(shouldAnnounce(alert(1, { severity: 'warning' }), seen)).toBe(false)
    expect(shouldAnnounce(alert(1, { severity: 'critical' }), seen)).toBe(true)
  })
  it('keeps quiet about info alerts and state changes away from open', () => {
    const seen = new Set<string>()
    expect(shouldAnnounce(alert(2, { severity: 'info' }), seen)).toBe(false)
    expect(shouldAnnounce(alert(3, { state: 'acknowledged' }), seen)).toBe(false)
    expect(shouldAnnounce(alert(4, { state: 'handled' }), seen)).toBe(false)
  })
})

describe('inAlertView (the phone list)', () => {
  it('puts open and acknowledged alerts under 待处置, handled and false alarms under 已处置', () => {
    for (const state of ['open', 'acknowledged']) {
      expect(inAlertView({ state, sourceType: 'machine' }, { active: true })).toBe(true)
      expect(inAlertView({ state, sourceType: 'machine' }, { active: false })).toBe(false)
    }
    for (const state of ['handled', 'false_alarm']) {
      expect(inAlertView({ state, sourceType: 'machine' }, { active: false })).toBe(true)
      expect(inAlertView({ state, sourceType: 'machine' }, { active: true })).toBe(false)
    }
  })
  it('keeps to the source filter when there is one', () => {
    expect(inAlertView({ state: 'open', sourceType: 'permit' }, { active: true, sourceType: 'machine' })).toBe(false)
    expect(inAlertView({ state: 'open', sourceType: 'machine' }, { active: true, sourceType: 'machine' })).toBe(true)
    expect(inAlertView({ state: 'open', sourceType: 'permit' }, { active: true, sourceType: '' })).toBe(true)
  })
})

describe('parseAlertEvent', () => {
  it('reads an alert event and refuses what is not one', () => {
    expect(parseAlertEvent(JSON.stringify(alert(7)))?.id).toBe(7)
    for (const bad of ['not json', 'null', '{}', '{"id":"7"}', '[]']) expect(parseAlertEvent(bad)).toBeNull()
  })
})
