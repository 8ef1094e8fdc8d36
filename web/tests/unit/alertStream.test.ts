import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { mount } from '@vue/test-utils'
import { api } from '../../src/shared/api'
import { alertStream, latestAlerts, startAlertStream, stopAlertStream, useAlertStream } from '../../src/console/useAlertStream'
import type { Alert } from '../../src/shared/types'

// A stand-in for the browser's EventSource: records instances, lets the test push events.
class FakeEventSource {
  static CONNECTING = 0
  static OPEN = 1
  static CLOSED = 2
  static all: FakeEventSource[] = []
  readyState = 0
  onopen: (() => void) | null = null
  onerror: (() => void) | null = null
  private handlers: Record<string, ((ev: MessageEvent) => void)[]> = {}
  constructor(readonly url: string) {
    FakeEventSource.all.push(this)
  }
  addEventListener(type: string, fn: (ev: MessageEvent) => void) {
    ;(this.handlers[type] ??= []).push(fn)
  }
  close() {
    this.readyState = 2
  }
  emit(type: string, data: unknown) {
    for (const fn of this.handlers[type] ?? []) fn(new MessageEvent(type, { data: JSON.stringify(data) }))
  }
}

const alert = (id: number, over: Partial<Alert> = {}): Alert => ({
  id, kind: 'unpermitted_power_on', kindLabel: '未审批动火', severity: 'critical', sourceType: 'machine', sourceId: '10',
  sourceLabel: 'JF-HJ-0010', venueId: null, venueName: null, title: '焊机 JF-HJ-0010 未经审批通电', detail: '', state: 'open',
  openedAt: '2026-11-22T02:00:00Z', acknowledgedAt: null, closedAt: null, updatedAt: '2026-11-22T02:00:00Z', result: '', photos: [],
  ...over,
})

beforeEach(() => {
  FakeEventSource.all = []
  vi.stubGlobal('EventSource', FakeEventSource)
  vi.useFakeTimers()
})
afterEach(() => {
  stopAlertStream()
  vi.useRealTimers()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('alert stream', () => {
  it('opens one EventSource, reads the open count, merges events by id and tells subscribers', async () => {
    const get = vi.spyOn(api, 'get').mockResolvedValue({ items: [], total: 3 })
    const seen: number[] = []
    const announced: number[] = []
    const Comp = defineComponent({
      setup() {
        useAlertStream({ onAlert: (a) => seen.push(a.id), onNew: (a) => announced.push(a.id) })
        return () => h('div')
      },
    })
    const w = mount(Comp)
    startAlertStream()
    startAlertStream() // once only
    expect(FakeEventSource.all).toHaveLength(1)
    expect(FakeEventSource.all[0].url).toBe('/api/alerts/stream')
    expect(get).toHaveBeenCalledWith('/api/alerts', { state: 'open', pageSize: 1 })
    await vi.runAllTimersAsync()
    expect(alertStream.openCount).toBe(3)

    const es = FakeEventSource.all[0]
    es.onopen?.()
    expect(alertStream.connected).toBe(true)
    es.emit('alert', alert(7))
    es.emit('alert', alert(7)) // replayed after a reconnect
    es.emit('alert', alert(7, { state: 'acknowledged', updatedAt: '2026-11-22T02:01:00Z' }))
    expect(latestAlerts.value.map((a) => [a.id, a.state])).toEqual([[7, 'acknowledged']])
    expect(seen).toEqual([7, 7, 7])
    expect(announced).toEqual([7]) // one pop-up for the new critical alert

    // The count is re-read after events (debounced).
    get.mockResolvedValue({ items: [], total: 4 })
    await vi.advanceTimersByTimeAsync(600)
    expect(alertStream.openCount).toBe(4)

    w.unmount()
    es.emit('alert', alert(8))
    expect(seen).toEqual([7, 7, 7]) // unsubscribed with the component
  })

  it('closes on stop (logout) and forgets what it held', async () => {
    vi.spyOn(api, 'get').mockResolvedValue({ items: [], total: 1 })
    startAlertStream()
    await vi.runAllTimersAsync()
    FakeEventSource.all[0].emit('alert', alert(1))
    stopAlertStream()
    expect(FakeEventSource.all[0].readyState).toBe(FakeEventSource.CLOSED)
    expect(alertStream.openCount).toBeNull()
    expect(latestAlerts.value).toEqual([])
  })

  it('opens a new stream later when the browser gave up (e.g. the server answered 502)', async () => {
    vi.spyOn(api, 'get').mockResolvedValue({ items: [], total: 0 })
    startAlertStream()
    const es = FakeEventSource.all[0]
    es.readyState = FakeEventSource.CLOSED
    es.onerror?.()
    expect(alertStream.connected).toBe(false)
    await vi.advanceTimersByTimeAsync(16_000)
    expect(FakeEventSource.all).toHaveLength(2)
  })
})
