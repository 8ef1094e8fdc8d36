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

// --- Registries and rules (docs/api-registries.md)

export interface OpeningHour {
  /** 0 = 周一 … 6 = 周日 */
  weekday: number
  from: string
  to: string
}

export interface VenueInput {
  name: string
  type: string
  crowded: boolean
  entertainment: boolean
  address: string
  orgUnitId: number | null
  supervisorOrgUnitIds: number[]
  lat?: number | null
  lng?: number | null
  geofenceRadius?: number | null
  openingHours: OpeningHour[]
  closedDates?: string[]
  principalName: string
  principalPhone: string
  fireManagerName?: string | null
  fireManagerPhone?: string | null
  managerUserId?: number | null
}

export interface Venue extends VenueInput {
  id: number
  typeLabel: string
  orgUnitName: string
  supervisors: { id: number; name: string }[]
  managerName: string | null
  qrToken: string
  publicUrl: string
  createdAt: string
  updatedAt: string
}

export type UnitKind = 'contractor' | 'employer' | 'labour_dispatch' | 'venue_operator'

export interface UnitInput {
  name: string
  creditCode: string
  kind: UnitKind | ''
  contactName: string
  contactPhone: string
  address?: string | null
}

export interface Unit extends UnitInput {
  id: number
  kindLabel: string
  personCount: number
  machineCount: number
  createdAt: string
}

export interface Person {
  id: number
  name: string
  citizenId: string
  phone: string
  unitId: number | null
  unitName: string | null
  userId: number | null
  username: string | null
  certificateCount: number
  createdAt: string
  certificates?: Certificate[]
}

export type CertState = 'valid' | 'expiring' | 'expired' | 'review_overdue' | 'suspended' | 'revoked'
export type VerifyResult = 'match' | 'mismatch' | 'not_found'

export interface CertificateInput {
  personId: number | null
  kind: string
  number: string
  issuer: string
  firstIssued: string
  validUntil: string
  nextReview?: string | null
  status?: 'valid' | 'suspended' | 'revoked'
}

export interface Certificate extends CertificateInput {
  id: number
  personName: string
  citizenId: string
  kindLabel: string
  state: CertState
  daysToExpiry: number | null
  verification: { at: string; by: string; result: VerifyResult; note: string | null } | null
  createdAt: string
}

export interface ImportError {
  row: number
  field: string | null
  code: string
  message: string
}

export interface ImportReport {
  total: number
  valid: number
  imported: number
  errors: ImportError[]
}

export type MachineStatus = 'active' | 'locked' | 'retired'

export interface Machine {
  id: number
  code: string
  chipId: string | null
  unitId: number
  unitName: string
  kind: string
  kindLabel: string
  model: string | null
  status: MachineStatus
  createdAt: string
}

export interface CalendarDay {
  date: string
  kind: 'holiday' | 'workday'
  name: string
}

export interface KeyPeriod {
  id: number
  name: string
  start: string
  end: string
  note: string | null
}

export interface RuleSettings {
  maxHoursHigh: number
  maxHoursLevel2: number
  nightStart: string
  nightEnd: string
  windForceLimit: number
  raiseOnRestDays: boolean
  raiseAtNight: boolean
  raiseInKeyPeriods: boolean
  raiseInHighWind: boolean
  gasMaxAgeMinutes: number
  watchMinutes: number
  roundOffsets: number[]
  roundGraceMinutes: number
  geofenceRadius: number
}
