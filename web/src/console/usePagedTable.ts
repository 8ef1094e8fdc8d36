import { reactive, ref, shallowRef } from 'vue'
import type { Query } from '../shared/api'
import type { Page } from '../shared/types'
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
