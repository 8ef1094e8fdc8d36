// Helpers of the 规则设置 page: the holiday calendar and the rule parameters.
import type { CalendarDay } from './types'
import { isRealDate } from './validators'

export const CALENDAR_KINDS: { value: CalendarDay['kind']; label: string; tag: 'danger' | 'primary' }[] = [
  { value: 'holiday', label: '节假日', tag: 'danger' },
  { value: 'workday', label: '调休上班', tag: 'primary' },
]

/** Problems with a year's calendar rows (empty when fine). */
export function validateCalendar(items: readonly CalendarDay[], year: number): string[] {
  const errs: string[] = []
  const seen = new Set<string>()
  items.forEach((it, i) => {
    const n = `第 ${i + 1} 行`
    if (!isRealDate(it.date)) errs.push(`${n}：请选择日期`)
    else if (!it.date.startsWith(`${year}-`)) errs.push(`${n}：${it.date} 不在 ${year} 年`)
    else if (seen.has(it.date)) errs.push(`${n}：${it.date} 重复`)
    else seen.add(it.date)
    if (it.kind !== 'holiday' && it.kind !== 'workday') errs.push(`${n}：请选择类型`)
    if (!it.name.trim()) errs.push(`${n}：请填写名称（如 国庆节）`)
  })
  return errs
}

/** "15, 30，60" -> [15, 30, 60] (sorted, unique); null when something is not a positive whole number. */
export function parseOffsets(text: string): number[] | null {
  const parts = text.split(/[,，、\s]+/).filter(Boolean)
  const nums = parts.map(Number)
  if (!parts.length || nums.some((n) => !Number.isInteger(n) || n <= 0 || n > 1440)) return null
  return [...new Set(nums)].sort((a, b) => a - b)
}
