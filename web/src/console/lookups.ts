import { computed, ref } from 'vue'
import { api } from '../shared/api'
import { buildOrgTree } from '../shared/format'
import type { Items, OrgUnit, Role } from '../shared/types'
import { hasPerm } from '../shared/session'
import { notifyError } from './notify'

/** Org units for pickers and the org page; empty (and `available` false) without org:read. */
export function useOrgUnits() {
  const list = ref<OrgUnit[]>([])
  const tree = computed(() => buildOrgTree(list.value))
  const available = computed(() => hasPerm('org:read'))
  const byId = computed(() => new Map(list.value.map((u) => [u.id, u])))
  async function load() {
    if (!available.value) return
    try {
      list.value = (await api.get<Items<OrgUnit>>('/api/org-units')).items
    } catch (e) {
      notifyError(e)
    }
  }
  return { list, tree, available, byId, load }
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
