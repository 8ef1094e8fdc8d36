import { describe, expect, it } from 'vitest'
import type { Query } from '../../src/shared/api'
import { useCursorTable } from '../../src/console/usePagedTable'

// A list of ids 1..n, newest first, served like GET /api/permits?cursor=: the cursor is the last id shown.
function server(n: number) {
  const ids = Array.from({ length: n }, (_, i) => n - i)
  const asked: Query[] = []
  const counted: Query[] = []
  return {
    asked,
    counted,
    fetchPage: async (q: Query) => {
      asked.push(q)
      const only = q.even ? ids.filter((id) => id % 2 === 0) : ids
      const start = q.cursor === 'first' ? 0 : only.indexOf(Number(q.cursor)) + 1
      const items = only.slice(start, start + Number(q.pageSize))
      const more = start + items.length < only.length
      return { items, nextCursor: more ? String(items[items.length - 1]) : null }
    },
    fetchTotal: async (q: Query) => {
      counted.push(q)
      return q.even ? ids.filter((id) => id % 2 === 0).length : n
    },
  }
}

describe('useCursorTable', () => {
  it('walks forward with each answer\'s cursor and back with the ones it kept, counting once per search', async () => {
    const s = server(45)
    const t = useCursorTable(s.fetchPage, s.fetchTotal, { even: false }, undefined, 20)
    await t.search()
    await Promise.resolve()
    expect(t.items.value[0]).toBe(45)
    expect([t.page.value, t.total.value, t.hasNext.value]).toEqual([1, 45, true])
    await t.nextPage()
    expect(t.items.value.slice(0, 2)).toEqual([25, 24])
    await t.nextPage()
    expect(t.items.value).toEqual([5, 4, 3, 2, 1])
    expect([t.page.value, t.hasNext.value]).toEqual([3, false])
    await t.nextPage() // nothing after the last page
    expect(t.page.value).toBe(3)
    await t.prevPage()
    expect([t.page.value, t.items.value[0]]).toEqual([2, 25])
    expect(s.asked.map((q) => q.cursor)).toEqual(['first', '26', '6', '26'])
    expect(s.counted).toHaveLength(1)
    await t.prevPage()
    await t.prevPage() // nothing before the first page
    expect([t.page.value, t.items.value[0]]).toEqual([1, 45])
  })

  it('a new search goes back to the first page with the filters and counts again; a new size keeps the count', async () => {
    const s = server(45)
    const t = useCursorTable(s.fetchPage, s.fetchTotal, { even: false }, undefined, 20)
    await t.search()
    await t.nextPage()
    t.filters.even = true
    const searching = t.search()
    expect(t.total.value).toBeNull()
    await searching
    await Promise.resolve()
    expect([t.page.value, t.total.value, t.items.value[0], t.items.value.length]).toEqual([1, 22, 44, 20])
    expect(s.asked.at(-1)).toMatchObject({ even: true, cursor: 'first', pageSize: 20 })
    await t.onSizeChange(50)
    expect([t.page.value, t.items.value.length, t.hasNext.value, t.total.value]).toEqual([1, 22, false, 22])
    expect(s.counted).toHaveLength(2)
  })
})
