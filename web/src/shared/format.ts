import type { DataScope, OrgKind, OrgUnit } from './types'

/** 13812341234 -> 138****1234; already masked or short values are returned unchanged. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '—'
  const p = phone.trim()
  if (/^\d{11}$/.test(p)) return `${p.slice(0, 3)}****${p.slice(7)}`
  return p
}

export const ORG_KIND_LABEL: Record<OrgKind, string> = {
  town: '镇/街道',
  department: '部门/岗位',
  village: '村/社区',
  grid: '网格',
}

/** Which kinds a new child of `parent` may be. */
export function childKinds(parent: OrgKind): OrgKind[] {
  if (parent === 'town') return ['department', 'village']
  if (parent === 'village') return ['grid']
  return []
}

export const DATA_SCOPE_LABEL: Record<DataScope, string> = {
  all: '全部',
  dept: '本部门',
  dept_tree: '本部门及以下',
  self: '仅本人',
  custom: '指定部门',
}

export interface OrgNode extends OrgUnit {
  children?: OrgNode[]
}

/** Flat list (any order) -> forest; nodes whose parent is absent (out of scope) become roots. */
export function buildOrgTree(list: OrgUnit[]): OrgNode[] {
  const byId = new Map<number, OrgNode>()
  for (const u of list) byId.set(u.id, { ...u })
  const roots: OrgNode[] = []
  for (const node of byId.values()) {
    const parent = node.parentId == null ? undefined : byId.get(node.parentId)
    if (parent) (parent.children ??= []).push(node)
    else roots.push(node)
  }
  const sortRec = (nodes: OrgNode[]) => {
    nodes.sort((a, b) => a.sort - b.sort || a.id - b.id)
    for (const n of nodes) if (n.children) sortRec(n.children)
  }
  sortRec(roots)
  return roots
}

const LOGIN_REASON: Record<string, string> = {
  LOGIN_FAILED: '账号或密码错误',
  PASSWORD_WRONG: '密码错误',
  USER_NOT_FOUND: '账号不存在',
  ACCOUNT_LOCKED: '账号已锁定',
  ACCOUNT_DISABLED: '账号已停用',
  RATE_LIMITED: '尝试过于频繁',
}

/** Login-log reason code -> Chinese; unknown codes are shown as they are. */
export function loginReasonLabel(reason: string | null | undefined): string {
  if (!reason) return '—'
  return LOGIN_REASON[reason] ?? reason
}
