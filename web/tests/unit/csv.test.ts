import { describe, expect, it } from 'vitest'
import { parseCsv, toCsv } from '../../src/shared/csv'

describe('parseCsv', () => {
  it('reads plain rows with CRLF or LF and ignores the final line break', () => {
    expect(parseCsv('a,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
  })
  it('handles quotes, escaped quotes, commas and line breaks inside quotes', () => {
    expect(parseCsv('"x, y","say ""hi""","line1\nline2",z\n')).toEqual([['x, y', 'say "hi"', 'line1\nline2', 'z']])
  })
  it('keeps empty fields, including trailing ones', () => {
    expect(parseCsv('a,,c,\n,,,\n')).toEqual([
      ['a', '', 'c', ''],
      ['', '', '', ''],
    ])
  })
  it('strips a UTF-8 BOM and keeps Chinese text', () => {
    expect(parseCsv('\uFEFF姓名,身份证号\n张三,11010519491231002X\n')).toEqual([
      ['姓名', '身份证号'],
      ['张三', '11010519491231002X'],
    ])
  })
  it('reads an empty quoted field and a lone CR line end', () => {
    expect(parseCsv('"",a\rb,c')).toEqual([
      ['', 'a'],
      ['b', 'c'],
    ])
    expect(parseCsv('')).toEqual([])
  })
  it('round-trips through toCsv', () => {
    const rows = [
      ['姓名', '备注'],
      ['张三', '含,逗号'],
      ['李四', '含"引号"'],
      ['王五', '两\n行'],
    ]
    const text = toCsv(rows)
    expect(text.endsWith('\r\n')).toBe(true)
    expect(parseCsv(text)).toEqual(rows)
  })
})
