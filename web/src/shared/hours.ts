// Opening hours of a venue: the API's flat list [{weekday, from, to}] and the editor's seven day rows.
// weekday 0 = 周一 … 6 = 周日. "to" may be "24:00"; to < from means the range runs past midnight.
import type { OpeningHour } from './types'

export const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'] as const

export interface TimeRange {
  from: string
  to: string
}

/** The editor model: index = weekday; an empty day is 休息/不营业. */
export type WeekHours = TimeRange[][]

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/

export const isHhmm = (s: string) => HHMM.test(s)
export const isEndHhmm = (s: string) => HHMM.test(s) || s === '24:00'

export function minutes(s: string): number {
  const [h, m] = s.split(':').map(Number)
  return h * 60 + m
}

/** Whether the range ends on the next day (22:00–02:00). "24:00" is today's end, not past midnight. */
export function isOvernight(r: TimeRange): boolean {
  return r.to !== '24:00' && isHhmm(r.from) && isHhmm(r.to) && minutes(r.to) < minutes(r.from)
}

export function emptyWeek(): WeekHours {
  return Array.from({ length: 7 }, () => [])
}

/** API list -> seven day rows, each sorted by start time. Entries with a bad weekday are dropped. */
export function parseHours(list: readonly OpeningHour[] | null | undefined): WeekHours {
  const week = emptyWeek()
  for (const h of list ?? []) {
    if (!Number.isInteger(h.weekday) || h.weekday < 0 || h.weekday > 6) continue
    week[h.weekday].push({ from: h.from, to: h.to })
  }
  for (const day of week) day.sort((a, b) => a.from.localeCompare(b.from))
  return week
}

/** Seven day rows -> API list (rows with both ends empty are left out). */
export function serializeHours(week: WeekHours): OpeningHour[] {
  const out: OpeningHour[] = []
  week.forEach((day, weekday) => {
    for (const r of day) {
      const from = r.from.trim()
      const to = r.to.trim()
      if (!from && !to) continue
      out.push({ weekday, from, to })
    }
  })
  return out
}

/** Copies day `src`'s ranges to every day. */
export function copyToAll(week: WeekHours, src: number): WeekHours {
  return week.map(() => week[src].map((r) => ({ ...r })))
}

/** "09:00–18:00", "22:00–次日02:00". */
export function formatRange(r: TimeRange): string {
  return `${r.from}–${isOvernight(r) ? '次日' : ''}${r.to}`
}

/** Problems with the week as a list of Chinese messages (empty when fine). */
export function validateHours(week: WeekHours): string[] {
  const errs: string[] = []
  // Each range as [start, end) in minutes since Monday 00:00, on a 7-day circle.
  const spans: { day: number; s: number; e: number; r: TimeRange }[] = []
  week.forEach((day, d) => {
    for (const r of day) {
      const from = r.from.trim()
      const to = r.to.trim()
      if (!from && !to) continue
      if (!isHhmm(from) || !isEndHhmm(to)) {
        errs.push(`${WEEKDAYS[d]}：时间应为 HH:MM 格式（结束可为 24:00）`)
        continue
      }
      if (from === to) {
        errs.push(`${WEEKDAYS[d]}：开始与结束时间不能相同`)
        continue
      }
      const s = d * 1440 + minutes(from)
      const len = to === '24:00' ? 1440 - minutes(from) : (minutes(to) - minutes(from) + 1440) % 1440
      spans.push({ day: d, s, e: s + len, r: { from, to } })
    }
  })
  const WEEK = 7 * 1440
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      const a = spans[i]
      const b = spans[j]
      // Compare b shifted by -1, 0, +1 week so Sunday night → Monday morning counts.
      const hit = [-WEEK, 0, WEEK].some((k) => a.s < b.e + k && b.s + k < a.e)
      if (hit) {
        const da = `${WEEKDAYS[a.day]} ${formatRange(a.r)}`
        const db = `${WEEKDAYS[b.day]} ${formatRange(b.r)}`
        errs.push(`时段重叠：${da} 与 ${db}`)
      }
    }
  }
  return errs
}

/**
 * Short Chinese summary, consecutive days with the same ranges joined:
 * ["周一至周五 09:00–18:00", "周六、周日 10:00–22:00、22:30–次日02:00"]; days without ranges are 休息.
 */
export function summarizeHours(list: readonly OpeningHour[] | null | undefined): string[] {
  const week = parseHours(list)
  const keyOf = (d: number) => week[d].map(formatRange).join('、') || '休息'
  const out: string[] = []
  let start = 0
  for (let d = 1; d <= 7; d++) {
    if (d < 7 && keyOf(d) === keyOf(start)) continue
    const end = d - 1
    const days =
      end === start ? WEEKDAYS[start] : end === start + 1 ? `${WEEKDAYS[start]}、${WEEKDAYS[end]}` : `${WEEKDAYS[start]}至${WEEKDAYS[end]}`
    out.push(`${days} ${keyOf(start)}`)
    start = d
  }
  return out
}

/** Times offered in the editor's drop-downs: every half hour, plus 24:00 for the end. */
export function timeOptions(withEnd = false): string[] {
  const out: string[] = []
  for (let m = 0; m < 1440; m += 30) out.push(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`)
  if (withEnd) out.push('24:00')
  return out
}
