import { computed, ref } from 'vue'
import { api, isApiError } from '../shared/api'
import { buildOrgTree } from '../shared/format'
import type {
  Certificate, DictItem, Items, Machine, OpeningHour, OrgUnit, Page, Permit, PermitSummary, Person, Role, Unit, User, Venue,
} from '../shared/types'
import type { HazardCategory } from '../shared/hazards'
import type { Inspection } from '../shared/inspections'
import { hasPerm, session } from '../shared/session'
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

// --- Pickers of the permit form and filters

/** A venue as a picker needs it; the hours are missing when the caller may not read venues. */
export interface VenueOption {
  id: number
  name: string
  address?: string | null
  type?: string | null
  typeLabel?: string | null
  crowded?: boolean | null
  entertainment?: boolean | null
  openingHours?: OpeningHour[] | null
  closedDates?: string[] | null
  managerUserId?: number | null
  managerName?: string | null
  /** The latest permit at this venue (where the list came from the caller's permits). */
  lastPermitId?: number
}

export type VenueSource = 'venues' | 'lookup' | 'permits' | 'none'

/**
 * Venues to pick for a permit. With venue:read: GET /api/venues (with opening hours). Without it (contractors):
 * the lookup GET /api/lookups/venues?q (at most 30, searched as the user types), else the venues of the
 * caller's own permits.
 */
export function useVenueOptions() {
  const list = ref<VenueOption[]>([])
  const source = ref<VenueSource>('none')
  const loading = ref(false)
  const byId = computed(() => new Map(list.value.map((v) => [v.id, v])))
  /** Venues kept while a search shows others (the selected one must keep its name). */
  const kept = new Map<number, VenueOption>()
  const remember = (items: VenueOption[]) => {
    for (const v of items) kept.set(v.id, v)
  }
  async function lookup(query: { q?: string; id?: number }) {
    const items = (await api.get<Items<VenueOption>>('/api/lookups/venues', query)).items
    remember(items)
    return items
  }
  async function load() {
    loading.value = true
    try {
      if (hasPerm('venue:read')) {
        list.value = (await api.get<Page<Venue>>('/api/venues', { pageSize: 200 })).items
        remember(list.value)
        source.value = 'venues'
        return
      }
      try {
        list.value = await lookup({})
        source.value = 'lookup'
        return
      } catch (e) {
        if (!isApiError(e) || (e.status !== 404 && e.status !== 403)) throw e
      }
      if (hasPerm('permit:read')) {
        const mine = (await api.get<Page<PermitSummary>>('/api/permits', { pageSize: 200 })).items
        const seen = new Map<number, VenueOption>()
        for (const p of mine) {
          if (seen.has(p.venue.id)) continue
          seen.set(p.venue.id, { id: p.venue.id, name: p.venue.name, type: p.venue.type, typeLabel: p.venue.typeLabel, lastPermitId: p.id })
        }
        list.value = [...seen.values()]
        remember(list.value)
        source.value = 'permits'
      }
    } catch (e) {
      notifyError(e)
    } finally {
      loading.value = false
    }
  }
  /** Search as the user types (lookup only; the full lists are filtered in the browser). */
  let seq = 0
  async function search(q: string) {
    if (source.value !== 'lookup') return
    const mine = ++seq
    loading.value = true
    try {
      const items = await lookup({ q: q.trim() })
      if (mine === seq) list.value = items
    } catch (e) {
      if (mine === seq) notifyError(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  /** A venue by id, fetched when the list does not hold it (e.g. the venue of a draft being edited). */
  async function ensure(id: number): Promise<VenueOption | undefined> {
    const have = byId.value.get(id) ?? kept.get(id)
    if (have || source.value !== 'lookup') return have
    try {
      return (await lookup({ id }))[0]
    } catch {
      return undefined
    }
  }
  /** The venue of an id, whether or not the current search shows it. */
  const get = (id: number | null | undefined) => (id == null ? undefined : (byId.value.get(id) ?? kept.get(id)))
  /**
   * The venue's 场所负责人 (the default approver). Known from the venue or lookup; from the caller's permits it
   * is the approver of the latest permit there.
   */
  async function managerOf(v: VenueOption | undefined): Promise<{ id: number; name: string } | null> {
    if (!v) return null
    if (v.managerUserId) return { id: v.managerUserId, name: v.managerName ?? `#${v.managerUserId}` }
    if (source.value === 'permits' && v.lastPermitId) {
      try {
        const p = await api.get<Permit>(`/api/permits/${v.lastPermitId}`)
        return p.approver ? { id: p.approver.id, name: p.approver.name } : null
      } catch {
        return null
      }
    }
    return null
  }
  return { list, source, loading, byId, load, search, ensure, get, managerOf }
}

/** People for the permit form (town-wide registry within the caller's scope; first 200). */
export function usePeopleOptions() {
  const list = ref<Person[]>([])
  const available = computed(() => hasPerm('person:read'))
  const byId = computed(() => new Map(list.value.map((p) => [p.id, p])))
  async function load() {
    if (!available.value) return
    try {
      list.value = (await api.get<Page<Person>>('/api/people', { pageSize: 200 })).items
    } catch (e) {
      notifyError(e)
    }
  }
  return { list, available, byId, load }
}

/** Welding machines for the permit form (all statuses; only 在用 ones can be picked). */
export function useMachineOptions() {
  const list = ref<Machine[]>([])
  const available = computed(() => hasPerm('machine:read'))
  async function load() {
    if (!available.value) return
    try {
      list.value = (await api.get<Page<Machine>>('/api/machines', { pageSize: 200 })).items
    } catch (e) {
      notifyError(e)
    }
  }
  return { list, available, load }
}

/** Certificates of people, fetched once per person. */
export function useCertificates() {
  const byPerson = ref(new Map<number, Certificate[]>())
  const pending = new Map<number, Promise<Certificate[]>>()
  function of(personId: number | null | undefined): Certificate[] {
    return personId == null ? [] : (byPerson.value.get(personId) ?? [])
  }
  async function load(personId: number | null | undefined): Promise<Certificate[]> {
    if (personId == null || !hasPerm('person:read')) return []
    const have = byPerson.value.get(personId)
    if (have) return have
    let p = pending.get(personId)
    if (!p) {
      p = api.get<Page<Certificate>>('/api/certificates', { personId, pageSize: 50 }).then((r) => r.items)
      pending.set(personId, p)
    }
    try {
      const items = await p
      const next = new Map(byPerson.value)
      next.set(personId, items)
      byPerson.value = next
      return items
    } catch (e) {
      notifyError(e)
      return []
    } finally {
      pending.delete(personId)
    }
  }
  return { byPerson, of, load }
}

/**
 * Accounts that may approve permits (a role holding permit:approve), when the caller may list users and roles;
 * empty otherwise (the form then offers the venue's manager).
 */
export function useApproverOptions() {
  const list = ref<{ id: number; name: string; username: string; roleName: string }[]>([])
  const available = computed(() => hasPerm('user:read') && hasPerm('role:read'))
  async function load() {
    if (!available.value) return
    try {
      const roles = (await api.get<Items<Role>>('/api/roles')).items.filter((r) => r.permissions.includes('permit:approve'))
      const out: typeof list.value = []
      for (const r of roles) {
        const users = (await api.get<Page<User>>('/api/users', { roleId: r.id, status: 'active', pageSize: 200 })).items
        for (const u of users) out.push({ id: u.id, name: u.name, username: u.username, roleName: u.roleName })
      }
      list.value = out
    } catch (e) {
      notifyError(e)
    }
  }
  return { list, available, load }
}

/** Hazard categories (GET /api/hazard-categories, hazard:read), fetched once per page. */
export function useHazardCategories() {
  const list = ref<HazardCategory[]>([])
  const byCode = computed(() => new Map(list.value.map((c) => [c.code, c])))
  const labelOf = (code: string | null | undefined, fallback?: string | null) => fallback || byCode.value.get(code ?? '')?.label || code || '—'
  async function load() {
    if (!hasPerm('hazard:read') || list.value.length) return
    try {
      list.value = (await api.get<Items<HazardCategory>>('/api/hazard-categories')).items
    } catch (e) {
      notifyError(e)
    }
  }
  return { list, byCode, labelOf, load }
}

/** Roles whose holders carry out inspections in the built-in set (used when the caller may not read roles). */
const INSPECTING_ROLES = ['admin', 'officer', 'inspector', 'grid']

/**
 * Accounts to name as inspectors of a planned inspection (those whose role holds inspection:write). With
 * user:read: active users (by the roles holding inspection:write when role:read is held, else by the built-in
 * inspecting roles). Without it: the caller and the inspectors of the inspections the caller can see.
 */
export function useInspectorOptions() {
  const list = ref<{ id: number; name: string; note: string }[]>([])
  const loading = ref(false)
  async function load() {
    if (list.value.length) return
    loading.value = true
    try {
      const me = session.me
      if (hasPerm('user:read')) {
        const users = (await api.get<Page<User>>('/api/users', { status: 'active', pageSize: 200 })).items
        let keep: (u: User) => boolean = (u) => INSPECTING_ROLES.includes(u.roleKey)
        if (hasPerm('role:read')) {
          const ids = new Set((await api.get<Items<Role>>('/api/roles')).items.filter((r) => r.permissions.includes('inspection:write')).map((r) => r.id))
          keep = (u) => ids.has(u.roleId)
        }
        let picked = users.filter(keep)
        if (picked.length < 2) picked = users
        list.value = picked.map((u) => ({ id: u.id, name: u.name, note: `${u.roleName} · ${u.orgUnitName}` }))
        return
      }
      const seen = new Map<number, { id: number; name: string; note: string }>()
      if (me) seen.set(me.id, { id: me.id, name: me.name, note: me.role.name })
      const recent = (await api.get<Page<Inspection>>('/api/inspections', { pageSize: 100 })).items
      for (const i of recent) for (const p of i.inspectors) if (!seen.has(p.id)) seen.set(p.id, { id: p.id, name: p.name, note: '曾参加检查' })
      list.value = [...seen.values()]
    } catch (e) {
      notifyError(e)
    } finally {
      loading.value = false
    }
  }
  return { list, loading, load }
}
