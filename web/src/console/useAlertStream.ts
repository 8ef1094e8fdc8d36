// One EventSource on GET /api/alerts/stream while the console is open (users with alert:read). The browser
// reconnects by itself and sends Last-Event-ID, so the server replays what changed meanwhile; alerts are merged by
// id. Pages subscribe with useAlertStream(onAlert); the layout starts and stops the stream.
import { onBeforeUnmount, reactive, shallowRef } from 'vue'
import { api } from '../shared/api'
import { mergeAlert, parseAlertEvent, shouldAnnounce } from '../shared/alerts'
import type { Alert, Page } from '../shared/types'

type Listener = (a: Alert) => void

const LATEST_MAX = 50
const RETRY_MS = 15_000 // after the server refused the stream (EventSource gives up on HTTP errors)

export const alertStream = reactive({
  connected: false,
  /** Open alerts in the caller's scope (state = open); null until known. */
  openCount: null as number | null,
})
/** The most recent alerts seen on the stream, newest first. */
export const latestAlerts = shallowRef<Alert[]>([])

const listeners = new Set<Listener>()
const announcers = new Set<Listener>()
const announced = new Set<string>()
let source: EventSource | null = null
let retryTimer: ReturnType<typeof setTimeout> | undefined
let countTimer: ReturnType<typeof setTimeout> | undefined
let running = false

export async function refreshOpenCount() {
  try {
    const r = await api.get<Page<Alert>>('/api/alerts', { state: 'open', pageSize: 1 })
    if (running) alertStream.openCount = r.total
  } catch {
    /* the badge just keeps its last number */
  }
}

function scheduleCount() {
  clearTimeout(countTimer)
  countTimer = setTimeout(refreshOpenCount, 500)
}

/** Handles one `alert` event's data; exported for tests. */
export function receive(data: string) {
  const a = parseAlertEvent(data)
  if (!a) return
  latestAlerts.value = mergeAlert(latestAlerts.value, a, LATEST_MAX)
  for (const l of listeners) l(a)
  if (shouldAnnounce(a, announced)) for (const l of announcers) l(a)
  scheduleCount()
}

function connect() {
  if (!running || typeof EventSource === 'undefined') return
  const es = new EventSource('/api/alerts/stream')
  source = es
  es.addEventListener('alert', (ev) => receive((ev as MessageEvent<string>).data))
  es.onopen = () => {
    alertStream.connected = true
  }
  es.onerror = () => {
    alertStream.connected = false
    // CONNECTING: the browser retries by itself. CLOSED: it gave up (e.g. 401, 502); try again later, and let the
    // count request find out whether the session is gone.
    if (es.readyState === EventSource.CLOSED && source === es) {
      source = null
      clearTimeout(retryTimer)
      retryTimer = setTimeout(() => {
        refreshOpenCount()
        connect()
      }, RETRY_MS)
    }
  }
}

/** Opens the stream (once) and reads the open count. */
export function startAlertStream() {
  if (running) return
  running = true
  refreshOpenCount()
  connect()
}

/** Closes the stream (logout, leaving the console) and forgets what it held. */
export function stopAlertStream() {
  running = false
  source?.close()
  source = null
  clearTimeout(retryTimer)
  clearTimeout(countTimer)
  alertStream.connected = false
  alertStream.openCount = null
  latestAlerts.value = []
  announced.clear()
}

/**
 * The live alerts for a component: `onAlert` is called for every streamed alert, `onNew` for each newly opened
 * warning or critical one; both are dropped when the component unmounts.
 */
export function useAlertStream(opts: { onAlert?: Listener; onNew?: Listener } = {}) {
  if (opts.onAlert) listeners.add(opts.onAlert)
  if (opts.onNew) announcers.add(opts.onNew)
  onBeforeUnmount(() => {
    if (opts.onAlert) listeners.delete(opts.onAlert)
    if (opts.onNew) announcers.delete(opts.onNew)
  })
  return { state: alertStream, latest: latestAlerts }
}
