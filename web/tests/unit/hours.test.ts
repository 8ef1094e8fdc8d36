import { describe, expect, it } from 'vitest'
import {
  copyToAll,
  emptyWeek,
  formatRange,
  isOvernight,
  parseHours,
  serializeHours,
  summarizeHours,
  timeOptions,
  validateHours,
} from '../../src/shared/hours'

describe('opening hours model', () => {
  it('parses the API list into seven sorted day rows and serialises it back', () => {
    const list = [
      { weekday: 0, from: '19:00', to: '02:00' },
      { weekday: 0, from: '09:00', to: '12:00' },
      { weekday: 6, from: '10:00', to: '24:00' },
    ]
    const week = parseHours(list)
    expect(week).toHaveLength(7)
    expect(week[0]).toEqual([
      { from: '09:00', to: '12:00' },
      { from: '19:00', to: '02:00' },
    ])
    expect(week[1]).toEqual([])
    expect(week[6]).toEqual([{ from: '10:00', to: '24:00' }])
    expect(serializeHours(week)).toEqual([
      { weekday: 0, from: '09:00', to: '12:00' },
      { weekday: 0, from: '19:00', to: '02:00' },
      { weekday: 6, from: '10:00', to: '24:00' },
    ])
  })
  it('drops bad weekdays on parse and blank rows on serialise', () => {
    expect(parseHours([{ weekday: 7, from: '09:00', to: '10:00' }]).flat()).toEqual([])
    expect(parseHours(null)).toEqual(emptyWeek())
    const week = emptyWeek()
    week[2].push({ from: '', to: '' }, { from: ' 08:00', to: '17:30 ' })
    expect(serializeHours(week)).toEqual([{ weekday: 2, from: '08:00', to: '17:30' }])
  })
  it('tells past-midnight ranges apart from ranges ending at 24:00', () => {
    expect(isOvernight({ from: '22:00', to: '02:00' })).toBe(true)
    expect(isOvernight({ from: '22:00', to: '24:00' })).toBe(false)
    expect(isOvernight({ from: '09:00', to: '18:00' })).toBe(false)
    expect(formatRange({ from: '22:00', to: '02:00' })).toBe('22:00–次日02:00')
    expect(formatRange({ from: '09:00', to: '24:00' })).toBe('09:00–24:00')
  })
  it('copies one day to every day without sharing objects', () => {
    const week = emptyWeek()
    week[0] = [{ from: '09:00', to: '18:00' }]
    const all = copyToAll(week, 0)
    expect(all.every((d) => d.length === 1 && d[0].from === '09:00')).toBe(true)
    all[3][0].from = '10:00'
    expect(all[0][0].from).toBe('09:00')
  })
  it('validates formats, empty ranges and overlaps, including past midnight into the next day', () => {
    const week = emptyWeek()
    week[0] = [{ from: '9:00', to: '18:00' }]
    expect(validateHours(week)[0]).toMatch(/周一.*HH:MM/)
    week[0] = [{ from: '10:00', to: '10:00' }]
    expect(validateHours(week)[0]).toMatch(/相同/)
    week[0] = [
      { from: '09:00', to: '12:00' },
      { from: '11:00', to: '14:00' },
    ]
    expect(validateHours(week)[0]).toMatch(/重叠/)
    week[0] = [
      { from: '09:00', to: '12:00' },
      { from: '12:00', to: '14:00' },
    ]
    expect(validateHours(week)).toEqual([])
    // Monday 22:00–02:00 runs into Tuesday 01:00–05:00.
    week[0] = [{ from: '22:00', to: '02:00' }]
    week[1] = [{ from: '01:00', to: '05:00' }]
    expect(validateHours(week).join()).toMatch(/周一 22:00–次日02:00 与 周二 01:00–05:00/)
    week[1] = [{ from: '02:00', to: '05:00' }]
    expect(validateHours(week)).toEqual([])
    // Sunday night into Monday morning wraps around the week.
    const w2 = emptyWeek()
    w2[6] = [{ from: '20:00', to: '03:00' }]
    w2[0] = [{ from: '02:00', to: '08:00' }]
    expect(validateHours(w2)).toHaveLength(1)
  })
  it('summarises consecutive days with the same hours', () => {
    const list = [0, 1, 2, 3, 4].map((weekday) => ({ weekday, from: '09:00', to: '18:00' }))
    list.push({ weekday: 5, from: '20:00', to: '02:00' }, { weekday: 6, from: '20:00', to: '02:00' })
    expect(summarizeHours(list)).toEqual(['周一至周五 09:00–18:00', '周六、周日 20:00–次日02:00'])
    expect(summarizeHours([{ weekday: 2, from: '09:00', to: '10:00' }])).toEqual([
      '周一、周二 休息',
      '周三 09:00–10:00',
      '周四至周日 休息',
    ])
  })
  it('offers half-hour times, with 24:00 only for the end', () => {
    expect(timeOptions()).toHaveLength(48)
    expect(timeOptions(true).at(-1)).toBe('24:00')
    expect(timeOptions()).not.toContain('24:00')
  })
})
