import { computed, ref } from 'vue'
import { api } from '../shared/api'
import { buildOrgTree } from '../shared/format'
import type { DictItem, Items, OrgUnit, Page, Role, Unit, User } from '../shared/types'
import { hasPerm } from '../shared/session'
import { notifyError } from './notify'

/** Org units for pickers and the org page; empty (and `available` false) without org:read. */
export function useOrgUnits() {
  const list = ref<OrgUnit[]>([])
  const tree = computed(() => buildOrgTree(list.value))
  const available = computed(() => hasPerm('org:read'))
  const byId = computed(() => new Map(list.value.map((u) => [u.id, u])))
  const villages = computed(() => list.value.filter((u) => u.kind === 'village').sort((a, b) => a.sort - b.sort || a.id - b.id))
  const departments = computed(() => list.value.filter((u) => u.kind === 'department').sort((a, b) => a.sort - b.sort || a.id - b.id))
  async function load() {
    if (!available.value) return
    try {
      list.value = (await api.get<Items<OrgUnit>>('/api/org-units')).items
    } catch (e) {
      notifyError(e)
    }
  }
  return { list, tree, available, byId, villages, departments, load }
}

/** Roles for pickers; empty without role:read. */
export function useRoles() {
  const list = ref<Role[]>([])
  const available = computed(() => hasPerm('role:read'))
  async function load() {
    if (!available.value) return
    try {
      list.value = (await api.get<Items<Role>>('/api/roles')).items
    } catch (e) {
      notifyError(e)
    }
  }
  return { list, available, load }
}

/** Items of a dictionary type (enabled ones for pickers, all for labels); empty without dict:read. */
export function useDict(code: string) {
  const all = ref<DictItem[]>([])
  const items = computed(() => all.value.filter((i) => i.enabled))
  const labelOf = (value: string | null | undefined, fallback?: string | null) =>
    all.value.find((i) => i.value === value)?.label ?? fallback ?? value ?? '—'
  async function load() {
    if (!hasPerm('dict:read')) return
    try {
      all.value = (await api.get<Items<DictItem>>(`/api/dict-types/${encodeURIComponent(code)}/items`)).items
    } catch (e) {
      notifyError(e)
    }
  }
  return { all, items, labelOf, load }
}

/** Units for pickers (town-wide registry; first 200 by the server's order). */
export function useUnitOptions() {
  const list = ref<Unit[]>([])
  const available = computed(() => hasPerm('unit:read'))
  async function load() {
    if (!available.value) return
    try {
      list.value = (await api.get<Page<Unit>>('/api/units', { pageSize: 200 })).items
    } catch (e) {
      notifyError(e)
    }
  }
  return { list, available, load }
}

/**
 * Accounts that may be a venue's 场所负责人 (role venue_manager), within what the caller may list:
 * by role id when role:read is held, else the caller's users filtered by roleKey. Empty without user:read.
 */
export function useVenueManagers() {
  const list = ref<User[]>([])
  const available = computed(() => hasPerm('user:read'))
  async function load() {
    if (!available.value) return
    try {
      let roleId: number | undefined
      if (hasPerm('role:read')) roleId = (await api.get<Items<Role>>('/api/roles')).items.find((r) => r.key === 'venue_manager')?.id
      const r = await api.get<Page<User>>('/api/users', { roleId, status: 'active', pageSize: 200 })
      list.value = r.items.filter((u) => u.roleKey === 'venue_manager')
    } catch (e) {
      notifyError(e)
    }
  }
  return { list, available, load }
}
