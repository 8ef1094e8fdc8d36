import type { Ref } from 'vue'
import { api } from './api'
import type { Permit } from './types'
import { useEvery } from './useNow'

/**
 * While a command of the permit waits (notYet: its time has not come, people are not checked in), looks at the
 * permit again each minute so that its button opens without a reload; not while `busy()` (a command form is open).
 */
export function usePermitRecheck(permit: Ref<Permit | null>, busy: () => boolean) {
  useEvery(60_000, async () => {
    const p = permit.value
    if (!p || busy() || !Object.keys(p.notYet ?? {}).length) return
    try {
      const fresh = await api.get<Permit>(`/api/permits/${p.id}`)
      if (permit.value?.id === fresh.id && !busy()) permit.value = fresh
    } catch {
      // tried again the next minute
    }
  })
}
