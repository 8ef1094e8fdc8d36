import { describe, expect, it } from 'vitest'
import { dayEndUtc, dayStartUtc, formatDate, formatTime, isFuture } from '../../src/shared/time'

describe('formatTime (Asia/Shanghai, +08:00)', () => {
  it('shifts UTC by eight hours', () => {
    expect(formatTime('2026-11-22T04:10:02Z')).toBe('2026-11-22 12:10')
  })
  it('crosses midnight, month and year boundaries', () => {
    expect(formatTime('2025-12-31T16:05:00Z')).toBe('2026-01-01 00:05')
    expect(formatTime('2026-02-28T20:00:00Z')).toBe('2026-03-01 04:00')
  })
  it('honours an explicit offset in the input and can show seconds', () => {
    expect(formatTime('2026-05-01T09:30:45+08:00', true)).toBe('2026-05-01 09:30:45')
  })
  it('shows a dash for missing or invalid values', () => {
    expect(formatTime(null)).toBe('—')
    expect(formatTime('')).toBe('—')
    expect(formatTime('not a time')).toBe('—')
    expect(formatDate('2026-11-22T17:00:00Z')).toBe('2026-11-23')
  })
})

describe('Shanghai day bounds in UTC', () => {
  it('gives the first and last second of a Shanghai day', () => {
    expect(dayStartUtc('2026-01-01')).toBe('2025-12-31T16:00:00Z')
    expect(dayEndUtc('2026-01-01')).toBe('2026-01-01T15:59:59Z')
    expect(dayEndUtc('2026-02-28')).toBe('2026-02-28T15:59:59Z')
  })
})

describe('isFuture', () => {
  it('compares against now', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(isFuture('2026-01-01T00:10:00Z', now)).toBe(true)
    expect(isFuture('2025-12-31T23:50:00Z', now)).toBe(false)
    expect(isFuture(null, now)).toBe(false)
  })
})

describe('wallToUtc / weekdayOf', () => {
  it('reads a Shanghai wall-clock time as UTC', async () => {
    const { wallToUtc } = await import('../../src/shared/time')
    expect(wallToUtc('2026-10-01 08:00')).toBe('2026-10-01T00:00:00Z')
    expect(wallToUtc('2026-01-01 00:00:00')).toBe('2025-12-31T16:00:00Z')
    expect(wallToUtc('nope')).toBe('')
  })
  it('gives the weekday with 0 = Monday', async () => {
    const { weekdayOf } = await import('../../src/shared/time')
    expect(weekdayOf('2026-01-05')).toBe(0)
    expect(weekdayOf('2026-01-04')).toBe(6)
  })
})
