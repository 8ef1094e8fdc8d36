// Shapes of the HTTP API (docs/api-overview.md).

export type DataScope = 'all' | 'dept' | 'dept_tree' | 'self' | 'custom'
export type OrgKind = 'town' | 'department' | 'village' | 'grid'

export interface Me {
  id: number
  username: string
  name: string
  phone: string
  orgUnit: { id: number; name: string; kind: OrgKind } | null
  role: { id: number; key: string; name: string; dataScope: DataScope }
  permissions: string[]
  mustChangePassword: boolean
}

export interface MeResponse {
  user: Me
  csrfToken: string
}

export interface Page<T> {
  items: T[]
  total: number
}

export interface Items<T> {
  items: T[]
}

export interface OrgUnit {
  id: number
  parentId: number | null
  kind: OrgKind
  name: string
  code: string
  sort: number
  userCount: number
}

export interface User {
  id: number
  username: string
  name: string
  phone: string
  orgUnitId: number
  orgUnitName: string
  roleId: number
  roleKey: string
  roleName: string
  status: 'active' | 'disabled'
  lockedUntil: string | null
  mustChangePassword: boolean
  lastLoginAt: string | null
  createdAt: string
}

export interface Role {
  id: number
  key: string
  name: string
  dataScope: DataScope
  permissions: string[]
  customOrgUnitIds: number[]
  builtin: boolean
  userCount: number
}

export interface Permission {
  key: string
  label: string
  group: string
}

export interface PermissionsResponse {
  items: Permission[]
  dataScopes: { key: DataScope; label: string }[]
}

export interface DictType {
  id: number
  code: string
  name: string
  description: string
  builtin: boolean
  itemCount: number
}

export interface DictItem {
  id: number
  typeCode: string
  value: string
  label: string
  sort: number
  enabled: boolean
}

export interface AuditEntry {
  id: number
  at: string
  userId: number | null
  username: string
  ip: string
  action: string
  targetType: string
  targetId: string | number | null
  summary: unknown
  hash: string
}

export interface AuditVerify {
  ok: boolean
  checked: number
  brokenAt: number | null
}

export interface LoginEntry {
  id: number
  at: string
  username: string
  userId: number | null
  ip: string
  userAgent: string
  success: boolean
  reason: string | null
}

export interface ApiToken {
  id: number
  name: string
  userId: number
  username: string
  prefix: string
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}
