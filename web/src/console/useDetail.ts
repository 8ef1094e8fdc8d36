import { computed, onMounted, ref, watch, type Ref } from 'vue'
import { useRoute } from 'vue-router'
import { api, isApiError } from '../shared/api'
import { notifyError } from './notify'

export type DetailState = 'loading' | 'ok' | 'missing' | 'error'

/**
 * A record page's record, read from `path(id)` with the id of the route: loaded on mount and again when the id
 * changes; `state` is missing on 404 (not there, or outside the caller's data scope) and error on any other failure.
 * `load(true)` reloads without showing the skeleton (after a command). `onLoaded` runs after each successful load.
 */
export function useDetail<T>(path: (id: number) => string, onLoaded?: (record: T) => void) {
  const route = useRoute()
  const id = computed(() => Number(route.params.id))
  const record = ref<T | null>(null) as Ref<T | null>
  const state = ref<DetailState>('loading')
  const errorText = ref('')
  async function load(quiet = false) {
    if (!quiet) state.value = 'loading'
    try {
      record.value = await api.get<T>(path(id.value))
      state.value = 'ok'
      onLoaded?.(record.value)
    } catch (e) {
      if (isApiError(e) && e.status === 404) state.value = 'missing'
      else {
        state.value = 'error'
        errorText.value = e instanceof Error ? e.message : '加载失败'
        notifyError(e)
      }
    }
  }
  onMounted(() => load())
  watch(id, () => load())
  return { id, record, state, errorText, load }
}
