// China has used UTC+08:00 without daylight saving since 1991, so a fixed offset is exact.
const OFFSET_MS = 8 * 3600 * 1000

const pad = (n: number) => String(n).padStart(2, '0')

function parse(v: string | number | Date | null | undefined): Date | null {
  if (v === null || v === undefined || v === '') return null
  const d = v instanceof Date ? v : new Date(v)
  return Number.isNaN(d.getTime()) ? null : d
}

/** "2026-11-22T04:10:02Z" -> "2026-11-22 12:10" (Asia/Shanghai). Empty or invalid -> "—". */
export function formatTime(v: string | number | Date | null | undefined, withSeconds = false): string {
  const d = parse(v)
  if (!d) return '—'
  const s = new Date(d.getTime() + OFFSET_MS)
  const base = `${s.getUTCFullYear()}-${pad(s.getUTCMonth() + 1)}-${pad(s.getUTCDate())} ${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}`
  return withSeconds ? `${base}:${pad(s.getUTCSeconds())}` : base
}

/** "2026-11-22 12:10" style date only. */
export function formatDate(v: string | number | Date | null | undefined): string {
  const t = formatTime(v)
  return t === '—' ? t : t.slice(0, 10)
}

function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** A Shanghai calendar day "YYYY-MM-DD" -> UTC ISO of its first second. */
export function dayStartUtc(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  return isoUtc(Date.UTC(y, m - 1, d) - OFFSET_MS)
}

/** A Shanghai calendar day "YYYY-MM-DD" -> UTC ISO of its last second. */
export function dayEndUtc(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  return isoUtc(Date.UTC(y, m - 1, d + 1) - OFFSET_MS - 1000)
}

/** Whether an instant is still in the future (e.g. lockedUntil). */
export function isFuture(v: string | null | undefined, now = Date.now()): boolean {
  const d = parse(v)
  return !!d && d.getTime() > now
}

/** "2026-10-01 08:00" (Shanghai wall clock, seconds optional) -> "2026-10-01T00:00:00Z"; '' when malformed. */
export function wallToUtc(wall: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wall.trim())
  if (!m) return ''
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0))
  return isoUtc(Date.UTC(y, mo - 1, d, h, mi, s) - OFFSET_MS)
}

/** The Shanghai weekday of a "YYYY-MM-DD" day: 0 = 周一 … 6 = 周日. */
export function weekdayOf(day: string): number {
  const [y, m, d] = day.split('-').map(Number)
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/

/** "2026-11-23 06:00" (Beijing wall clock, as a picker gives it) -> "2026-11-23T06:00:00+08:00"; '' when malformed. */
export function wallToIso08(wall: string | null | undefined): string {
  const m = WALL.exec((wall ?? '').trim())
  if (!m) return ''
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}+08:00`
}

/** Any ISO instant -> "2026-11-23 06:00" on the Beijing wall clock (what a picker shows); '' when empty. */
export function isoToWall(iso: string | null | undefined): string {
  const t = formatTime(iso)
  return t === '—' ? '' : t
}

/** The Beijing calendar day of an instant (default now): "2026-11-23". */
export function localDay(at: number | Date = Date.now()): string {
  return formatDate(at)
}

/** "2026-11-23" + n days -> "YYYY-MM-DD". */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number)
  const t = new Date(Date.UTC(y, m - 1, d + n))
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`
}

/** "06:00" on the Beijing clock of an instant. */
export function formatHm(v: string | number | Date | null | undefined): string {
  const t = formatTime(v)
  return t === '—' ? t : t.slice(11)
}

/**
 * A planned window for people: "2026-11-23 06:00–09:00" on one day, "2026-11-23 22:00 – 11-24 02:00" across
 * midnight, and with the year when it changes.
 */
export function formatWindow(start: string | null | undefined, end: string | null | undefined): string {
  const a = formatTime(start)
  const b = formatTime(end)
  if (a === '—' || b === '—') return `${a} – ${b}`
  if (a.slice(0, 10) === b.slice(0, 10)) return `${a}–${b.slice(11)}`
  if (a.slice(0, 4) === b.slice(0, 4)) return `${a} – ${b.slice(5)}`
  return `${a} – ${b}`
}

/** Milliseconds as "1:02:03" / "12:03" (h:mm:ss under a day, m:ss under an hour); negative values use their size. */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`
}
