import { watch, type Ref } from 'vue'
import { api } from './api'
import type { Permit } from './types'
import { useEvery } from './useNow'

/**
 * While a command of the permit waits (notYet: its time has not come, people are not checked in), looks at the
 * permit again each minute so that its button opens without a reload; not while `busy()` (a command form is open),
 * and never over a newer answer (a command that went through while the look was under way).
 */
export function usePermitRecheck(permit: Ref<Permit | null>, busy: () => boolean) {
  let changes = 0
  watch(permit, () => changes++, { flush: 'sync' })
  useEvery(60_000, async () => {
    const p = permit.value
    if (!p || busy() || !Object.keys(p.notYet ?? {}).length) return
    const before = changes
    try {
      const fresh = await api.get<Permit>(`/api/permits/${p.id}`)
      if (changes === before && !busy()) permit.value = fresh
    } catch {
      // tried again the next minute
    }
  })
}
