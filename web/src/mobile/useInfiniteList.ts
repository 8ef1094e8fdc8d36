import { ref, type Ref } from 'vue'
import { showFailToast } from 'vant'

/**
 * One page of an infinite list: its rows, the key of the next page (null: there is no more) and what else the
 * answer says (a total, an unread count), applied only while the answer is current.
 */
export interface ListPage<T, K> {
  items: T[]
  next: K | null
  apply?: () => void
}

/** What useInfiniteList gives: the rows and the van-list / van-pull-refresh state, and what drives them. */
export interface InfiniteList<T> {
  items: Ref<T[]>
  loading: Ref<boolean>
  finished: Ref<boolean>
  refreshing: Ref<boolean>
  failed: Ref<boolean>
  loadMore: () => Promise<void>
  restart: () => Promise<void>
  onRefresh: () => Promise<void>
}

/**
 * The state of a phone list that loads page after page as it scrolls (van-list with van-pull-refresh):
 * bind `loading`, `failed`, `finished`, `refreshing` and call `loadMore` on @load, `onRefresh` on @refresh,
 * `restart` when a filter changes. `fetchPage(key, loaded)` asks for the page `key` (`first`, then each answer's
 * `next`) with `loaded` rows already shown. An answer that comes back after a restart is dropped.
 */
export function useInfiniteList<T, K>(first: K, fetchPage: (key: K, loaded: number) => Promise<ListPage<T, K>>): InfiniteList<T> {
  const items = ref([]) as Ref<T[]>
  const loading = ref(false)
  const finished = ref(false)
  const refreshing = ref(false)
  const failed = ref(false)
  let key = first
  let seq = 0

  async function loadMore() {
    const mine = seq
    loading.value = true
    failed.value = false
    try {
      const page = await fetchPage(key, items.value.length)
      if (mine !== seq) return
      page.apply?.()
      items.value = [...items.value, ...page.items]
      if (page.next !== null) key = page.next
      finished.value = page.next === null
    } catch (e) {
      if (mine !== seq) return
      failed.value = true
      showFailToast(e instanceof Error ? e.message : '加载失败')
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function restart() {
    seq++
    items.value = []
    key = first
    finished.value = false
    loading.value = false
    return loadMore()
  }

  async function onRefresh() {
    await restart()
    refreshing.value = false
  }

  return { items, loading, finished, refreshing, failed, loadMore, restart, onRefresh }
}

/** The next page number of an offset-paged answer, or null when `loaded` rows and this page's are all of `total`. */
export function nextPage(page: number, loaded: number, answer: { items: unknown[]; total: number }): number | null {
  return answer.items.length && loaded + answer.items.length < answer.total ? page + 1 : null
}
