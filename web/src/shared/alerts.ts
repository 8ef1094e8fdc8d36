// Alerts arriving live (GET /api/alerts/stream): merged by id, the later state winning, into lists and pages.
import type { Alert } from './types'

export const ALERT_SOURCES: { value: string; label: string }[] = [
  { value: 'permit', label: '作业证' },
  { value: 'machine', label: '焊机' },
  { value: 'certificate', label: '证书' },
  { value: 'hazard', label: '隐患' },
  { value: 'report', label: '群众举报' },
]

export function sourceTypeLabel(t: string | null | undefined): string {
  return ALERT_SOURCES.find((s) => s.value === t)?.label ?? (t || '—')
}

/** An `alert` event's data from GET /api/alerts/stream, or null when it is not an alert. */
export function parseAlertEvent(data: string): Alert | null {
  try {
    const a = JSON.parse(data) as Alert
    return a && typeof a.id === 'number' ? a : null
  } catch {
    return null
  }
}

export const isActiveAlert = (a: Pick<Alert, 'state'>) => a.state === 'open' || a.state === 'acknowledged'

const time = (s: string | null | undefined) => {
  const t = s ? Date.parse(s) : NaN
  return Number.isNaN(t) ? -Infinity : t
}

/** Whether `incoming` should replace `current`: a later update, or the same instant arriving again. */
export function isNewer(incoming: Pick<Alert, 'updatedAt'>, current: Pick<Alert, 'updatedAt'>): boolean {
  return time(incoming.updatedAt) >= time(current.updatedAt)
}

/** `list` with `incoming` merged by id: replaced in place when newer, else put first. Returns a new array, capped at `max`. */
export function mergeAlert(list: readonly Alert[], incoming: Alert, max = Infinity): Alert[] {
  const i = list.findIndex((a) => a.id === incoming.id)
  if (i >= 0) {
    if (!isNewer(incoming, list[i])) return list as Alert[]
    const out = list.slice()
    out[i] = incoming
    return out
  }
  return [incoming, ...list].slice(0, max)
}

export interface AlertFilters {
  state?: string
  kind?: string
  sourceType?: string
}

/** Whether an alert belongs in a list filtered like GET /api/alerts (empty filters match everything). */
export function matchesFilters(a: Alert, f: AlertFilters): boolean {
  return (!f.state || a.state === f.state) && (!f.kind || a.kind === f.kind) && (!f.sourceType || a.sourceType === f.sourceType)
}

/** Whether an alert belongs in the phone's list: its tab (still to deal with, or dealt with) and source filter. */
export function inAlertView(a: Pick<Alert, 'state' | 'sourceType'>, view: { active: boolean; sourceType?: string }): boolean {
  return isActiveAlert(a) === view.active && (!view.sourceType || a.sourceType === view.sourceType)
}

export interface AlertPage {
  items: Alert[]
  total: number
  /** Whether the alert was new to the page (put at the top). */
  added: boolean
}

/**
 * A streamed alert merged into one page of GET /api/alerts (newest id first). A row already shown is updated
 * whatever the filters (the user sees its new state); a new alert that matches the filters goes to the top of
 * page 1 (the page keeps its size) and counts in the total. Other pages are left alone.
 */
export function mergeIntoPage(
  page: { items: readonly Alert[]; total: number },
  incoming: Alert,
  opts: { page: number; pageSize: number; filters: AlertFilters },
): AlertPage {
  const shown = page.items.some((a) => a.id === incoming.id)
  if (shown) return { items: mergeAlert(page.items, incoming), total: page.total, added: false }
  if (opts.page !== 1 || !matchesFilters(incoming, opts.filters)) return { items: page.items as Alert[], total: page.total, added: false }
  // Older than the whole page (e.g. a change to an old alert): it is somewhere further down, not news at the top.
  const last = page.items[page.items.length - 1]
  if (last && page.items.length >= opts.pageSize && incoming.id < last.id) return { items: page.items as Alert[], total: page.total, added: false }
  const items = [...page.items, incoming].sort((a, b) => b.id - a.id).slice(0, opts.pageSize)
  return { items, total: page.total + 1, added: true }
}

/**
 * Whether a streamed alert deserves a pop-up: open, warning or critical, and not announced before at this severity
 * (`announced` remembers "id:severity"; an alert raised from warning to critical is announced again).
 */
export function shouldAnnounce(a: Alert, announced: Set<string>): boolean {
  if (a.state !== 'open' || (a.severity !== 'critical' && a.severity !== 'warning')) return false
  const key = `${a.id}:${a.severity}`
  if (announced.has(key)) return false
  announced.add(key)
  return true
}
