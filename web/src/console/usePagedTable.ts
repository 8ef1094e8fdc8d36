import { reactive, ref, shallowRef } from 'vue'
import type { Query } from '../shared/api'
import type { CursorPage, Page } from '../shared/types'
import { notifyError } from './notify'

/**
 * A server-paged list: `filters` are sent as query parameters along with page/pageSize.
 * `load` fetches the current page; `search` goes back to page 1; `reset` clears filters too.
 */
export function usePagedTable<T, F extends Record<string, unknown>>(
  fetchPage: (q: Query) => Promise<Page<T>>,
  initialFilters: F,
  toQuery: (f: F) => Query = (f) => f as unknown as Query,
  pageSize = 20,
) {
  const filters = reactive({ ...initialFilters }) as F
  const items = shallowRef<T[]>([])
  const total = ref(0)
  const page = ref(1)
  const size = ref(pageSize)
  const loading = ref(false)
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    try {
      const r = await fetchPage({ ...toQuery(filters as F), page: page.value, pageSize: size.value })
      if (mine !== seq) return
      items.value = r.items
      total.value = r.total
    } catch (e) {
      if (mine === seq) notifyError(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  function search() {
    page.value = 1
    return load()
  }
  function reset() {
    Object.assign(filters, initialFilters)
    return search()
  }
  function onSizeChange(n: number) {
    size.value = n
    return search()
  }
  function onPageChange(n: number) {
    page.value = n
    return load()
  }
  return { filters, items, total, page, size, loading, load, search, reset, onSizeChange, onPageChange }
}

/**
 * A list paged by the server's cursor (large lists, such as a city's permits): any page costs the same, and the
 * total is asked once per search, apart, so the page shows before it is counted. Pages go forward and back one at
 * a time; `cursors[i]` is the cursor of page i + 1. `search` (also the first load) counts; `load` reloads the page.
 */
export function useCursorTable<T, F extends Record<string, unknown>>(
  fetchPage: (q: Query) => Promise<CursorPage<T>>,
  fetchTotal: (q: Query) => Promise<number>,
  initialFilters: F,
  toQuery: (f: F) => Query = (f) => f as unknown as Query,
  pageSize = 20,
) {
  const filters = reactive({ ...initialFilters }) as F
  const items = shallowRef<T[]>([])
  /** null while it is being counted (or when counting failed). */
  const total = ref<number | null>(null)
  const page = ref(1)
  const size = ref(pageSize)
  const loading = ref(false)
  const hasNext = ref(false)
  let cursors = ['first']
  let next: string | null = null
  let seq = 0
  let totalSeq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    try {
      const r = await fetchPage({ ...toQuery(filters as F), cursor: cursors[page.value - 1], pageSize: size.value })
      if (mine !== seq) return
      items.value = r.items
      next = r.nextCursor
      hasNext.value = next !== null
    } catch (e) {
      if (mine === seq) notifyError(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  async function count() {
    const mine = ++totalSeq
    total.value = null
    try {
      const n = await fetchTotal(toQuery(filters as F))
      if (mine === totalSeq) total.value = n
    } catch {
      // The list itself reports errors; a missing total only leaves the pager without it.
    }
  }
  function firstPage() {
    page.value = 1
    cursors = ['first']
    return load()
  }
  function search() {
    void count()
    return firstPage()
  }
  function reset() {
    Object.assign(filters, initialFilters)
    return search()
  }
  function onSizeChange(n: number) {
    size.value = n
    return firstPage()
  }
  function nextPage() {
    if (!next) return
    cursors[page.value] = next
    page.value++
    return load()
  }
  function prevPage() {
    if (page.value === 1) return
    page.value--
    return load()
  }
  return { filters, items, total, page, size, loading, hasNext, load, search, reset, onSizeChange, nextPage, prevPage }
}
