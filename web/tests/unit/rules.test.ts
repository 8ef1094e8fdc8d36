import { describe, expect, it } from 'vitest'
import { parseOffsets, validateCalendar } from '../../src/shared/rules'

describe('validateCalendar', () => {
  it('accepts good rows and reports bad dates, other years, duplicates, kinds and names', () => {
    expect(validateCalendar([{ date: '2026-10-01', kind: 'holiday', name: '国庆节' }], 2026)).toEqual([])
    const errs = validateCalendar(
      [
        { date: '2025-10-01', kind: 'holiday', name: '国庆节' },
        { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
        { date: '2026-10-01', kind: 'workday', name: '调休' },
        { date: '', kind: 'holiday', name: ' ' },
      ],
      2026,
    )
    expect(errs).toEqual(['第 1 行：2025-10-01 不在 2026 年', '第 3 行：2026-10-01 重复', '第 4 行：请选择日期', '第 4 行：请填写名称（如 国庆节）'])
  })
})

describe('parseOffsets', () => {
  it('reads comma/space separated minutes, sorted and unique', () => {
    expect(parseOffsets('15, 30，60')).toEqual([15, 30, 60])
    expect(parseOffsets('60 15 15')).toEqual([15, 60])
    expect(parseOffsets('')).toBeNull()
    expect(parseOffsets('15, x')).toBeNull()
    expect(parseOffsets('0')).toBeNull()
  })
})
