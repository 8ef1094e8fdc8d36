import { describe, expect, it } from 'vitest'
import { nextPage, useInfiniteList, type ListPage } from '../../src/mobile/useInfiniteList'

/** A fetch whose answers the test hands out one by one, recording the keys asked for. */
function controlledFetch() {
  const asked: Array<{ key: number; loaded: number }> = []
  const pending: Array<(page: ListPage<string, number>) => void> = []
  const fail: Array<(e: Error) => void> = []
  const fetchPage = (key: number, loaded: number) =>
    new Promise<ListPage<string, number>>((resolve, reject) => {
      asked.push({ key, loaded })
      pending.push(resolve)
      fail.push(reject)
    })
  return { asked, fetchPage, answer: (i: number, page: ListPage<string, number>) => pending[i](page), reject: (i: number) => fail[i](new Error('网络错误')) }
}

describe('useInfiniteList', () => {
  it('appends pages by the key each answer gives, and finishes when there is no next', async () => {
    const f = controlledFetch()
    const list = useInfiniteList(1, f.fetchPage)
    let done = list.loadMore()
    expect(list.loading.value).toBe(true)
    f.answer(0, { items: ['a', 'b'], next: 2 })
    await done
    done = list.loadMore()
    f.answer(1, { items: ['c'], next: null })
    await done
    expect(f.asked).toEqual([{ key: 1, loaded: 0 }, { key: 2, loaded: 2 }])
    expect(list.items.value).toEqual(['a', 'b', 'c'])
    expect(list.finished.value).toBe(true)
    expect(list.loading.value).toBe(false)
  })

  it('drops an answer that comes back after a restart, and starts again from the first key', async () => {
    const f = controlledFetch()
    const list = useInfiniteList(1, f.fetchPage)
    const stale = list.loadMore()
    const fresh = list.restart()
    f.answer(1, { items: ['new'], next: null })
    await fresh
    f.answer(0, { items: ['old'], next: 2 })
    await stale
    expect(f.asked.map((a) => a.key)).toEqual([1, 1])
    expect(list.items.value).toEqual(['new'])
    expect(list.finished.value).toBe(true)
  })

  it('applies what else an answer says only while it is current', async () => {
    const f = controlledFetch()
    const list = useInfiniteList(1, f.fetchPage)
    let total = 0
    const stale = list.loadMore()
    const fresh = list.restart()
    f.answer(1, { items: ['new'], next: null, apply: () => (total = 1) })
    await fresh
    f.answer(0, { items: ['old'], next: 2, apply: () => (total = 99) })
    await stale
    expect(total).toBe(1)
  })

  it('marks a failed page so the list offers to try again, keeping the rows it has', async () => {
    const f = controlledFetch()
    const list = useInfiniteList(1, f.fetchPage)
    let done = list.loadMore()
    f.answer(0, { items: ['a'], next: 2 })
    await done
    done = list.loadMore()
    f.reject(1)
    await done
    expect(list.failed.value).toBe(true)
    expect(list.finished.value).toBe(false)
    expect(list.items.value).toEqual(['a'])
    done = list.loadMore()
    expect(f.asked[2]).toEqual({ key: 2, loaded: 1 })
    f.answer(2, { items: ['b'], next: null })
    await done
    expect(list.failed.value).toBe(false)
    expect(list.items.value).toEqual(['a', 'b'])
  })

  it('ends the pull-to-refresh spinner once the first page is back', async () => {
    const f = controlledFetch()
    const list = useInfiniteList(1, f.fetchPage)
    list.refreshing.value = true
    const done = list.onRefresh()
    expect(list.refreshing.value).toBe(true)
    f.answer(0, { items: ['a'], next: null })
    await done
    expect(list.refreshing.value).toBe(false)
  })
})

describe('nextPage', () => {
  it('asks for the next page while rows remain, and stops at the total or an empty page', () => {
    expect(nextPage(1, 0, { items: [1, 2], total: 5 })).toBe(2)
    expect(nextPage(2, 2, { items: [3, 4], total: 5 })).toBe(3)
    expect(nextPage(3, 4, { items: [5], total: 5 })).toBeNull()
    expect(nextPage(4, 5, { items: [], total: 7 })).toBeNull()
  })
})
