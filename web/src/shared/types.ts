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
  /** The password is older than 90 days (mustChangePassword is then true as well). */
  passwordExpired: boolean
  /** required: the role asks for a one-time code after the password; enrolled: the user has an authenticator set up. */
  /** recoveryCodesLeft: one-time recovery codes not used yet (10 given when the second factor is bound). */
  secondFactor: { required: boolean; enrolled: boolean; recoveryCodesLeft: number }
  /** The role requires a second factor that is not set up yet: nothing else is allowed until it is. */
  mustEnrollSecondFactor: boolean
}

export interface MeResponse {
  user: Me
  csrfToken: string
}

/** POST /api/auth/login for a user with a second factor: the code goes to /api/auth/login/second-factor with this. */
export interface LoginChallenge {
  secondFactor: 'totp'
  challenge: string
  expiresAt: string
}

/** GET/PUT /api/security-policy: the account rules the security administrator sets. */
export interface SecurityPolicy {
  maxFailedLogins: number
  lockMinutes: number
  idleMinutes: number
  /** 0: passwords do not expire. */
  passwordMaxAgeDays: number
  /** The last this many passwords (the current one included) may not be used again. */
  passwordHistory: number
  /** 0: idle accounts are not disabled. */
  inactiveAccountDays: number
  /** Less free disk than this (percent) under the database: the security and audit administrators are told daily. */
  storageAlertPercent: number
  /** Where management accounts may sign in from (IPs or networks); empty: anywhere. */
  adminNetworks: string[]
  /** 三员分立: no role holds two administrators' duties; roles are given by role:assign holders. */
  separationOfDuties: boolean
}

/** POST /api/auth/second-factor/setup */
export interface SecondFactorSetup {
  secret: string
  uri: string
  qrSvg: string
}

export interface Page<T> {
  items: T[]
  total: number
}

/** A keyset page (?cursor=first, then nextCursor): no total; the last page has nextCursor null. */
export interface CursorPage<T> {
  items: T[]
  nextCursor: string | null
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
  secondFactorEnrolled: boolean
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
  /** The role's users log in with a one-time code after the password. */
  secondFactor: boolean
}

export interface Permission {
  key: string
  label: string
  group: string
}

export interface PermissionsResponse {
  items: Permission[]
  dataScopes: { key: DataScope; label: string }[]
  /** 三员分立: the system, security and audit administrators' permissions. */
  duties: { label: string; permissions: string[] }[]
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
  checkInBeforeMinutes: number
  startBeforeMinutes: number
  /** The steps (of SIGNED_STEPS) that must carry a handwritten signature. */
  signatureSteps: string[]
}

// --- Hot-work permits (docs/api-permits.md)

export type PermitState =
  | 'draft'
  | 'submitted'
  | 'surveyed'
  | 'risk_confirmed'
  | 'approved'
  | 'in_progress'
  | 'suspended'
  | 'watching'
  | 'closed'
  | 'cancelled'
  | 'revoked'
  | 'expired'

export type PermitLevel = 'special' | 'level1' | 'level2'

export interface PermitWorkerInput {
  personId: number
  certificateId: number
}

export interface PermitControl {
  control: string
  person: string
}

export interface PermitInput {
  venueId: number
  place: string
  indoor: boolean
  indoorReason?: string
  content: string
  method: string
  level: PermitLevel
  plannedStart: string
  plannedEnd: string
  unitId?: number | null
  workRequestId?: number
  jobLeaderId: number
  fireWatchId: number
  approverUserId: number
  workers: PermitWorkerInput[]
  machineIds: number[]
  riskIdentification: string
  riskAssessment?: string
  controls?: PermitControl[]
  fireSeparation: boolean
  windForce?: number | null
  gasRequired: boolean
  photosBefore?: string[]
}

export interface PermitVenueRef {
  id: number
  name: string
  type: string
  typeLabel: string
}

export interface PermitPersonRef {
  id: number
  name: string
  userId?: number | null
  checkedInAt?: string | null
}

/** A list row: the first-level scalars plus venue, job leader and fire watch. */
export interface PermitSummary {
  id: number
  number: string
  publicToken: string
  state: PermitState
  stateLabel: string
  stateReason: string
  venue: PermitVenueRef
  place: string
  indoor: boolean
  content: string
  method: string
  methodLabel: string
  levelDeclared: PermitLevel
  level: PermitLevel
  levelLabel: string
  levelReasons?: string[]
  plannedStart: string
  plannedEnd: string
  jobLeader: PermitPersonRef
  fireWatch: PermitPersonRef
  workerCount: number
  /** What the permit waits for the caller to do (待我办理: 待审批, 待到场签到…), null when nothing. */
  todoStep: string | null
  startedAt: string | null
  finishedAt: string | null
  closedAt: string | null
  createdAt: string
  updatedAt: string
}

export interface PermitWorker {
  personId: number
  name: string
  /** Not in the contract yet; used when the server sends it. */
  userId?: number | null
  certificateId: number
  certificateNumber: string
  certificateKindLabel: string
  certificateValidUntil?: string | null
  checkedInAt: string | null
}

export interface GasAnalysis {
  id: number
  sampledAt: string
  gas: string
  lelPercent: number
  resultPercent: number
  analyst: string
  passed: boolean
}

export interface PermitMeasure {
  code: string
  label: string
  applies: boolean | null
  confirmedBy: string | null
  confirmedAt: string | null
  /** Why the permit settles this measure (it cannot be 不涉及), or null when the job leader decides. */
  required: string | null
}

export interface PermitRound {
  seq: number
  dueAt: string
  doneAt: string | null
  result: 'normal' | 'abnormal' | null
  note: string
  photos?: string[]
  late: boolean
}

export interface PermitSurvey {
  at: string
  by: string
  lat: number | null
  lng: number | null
  note: string
  photos: string[]
}

export interface PermitEvent {
  at: string
  command: string
  commandLabel: string
  fromState: string
  toState: string
  name: string
  username?: string
  ip: string
  detail: Record<string, unknown> | null
}

export interface Permit extends PermitSummary {
  indoorReason: string
  /** The 供需对接 request this permit is for, if any. */
  workRequestId: number | null
  unit: { id: number; name: string } | null
  approver: { id: number; name: string }
  applicant: { id: number; name: string }
  workers: PermitWorker[]
  machines: { id: number; code: string; kindLabel: string }[]
  riskIdentification: string
  riskAssessment: string
  controls: PermitControl[]
  fireSeparation: boolean
  windForce: number | null
  gasRequired: boolean
  gasAnalyses: GasAnalysis[]
  measures: PermitMeasure[]
  survey: PermitSurvey | null
  riskConfirmation: { at: string; by: string; note: string } | null
  rounds: PermitRound[]
  siteClear: boolean
  photosBefore: string[]
  photosAfter: string[]
  allowedCommands: string[]
  /** The steps the town's rules require a handwritten signature for (the forms mark it required). */
  signatureSteps: string[]
  /** Commands of allowedCommands that cannot run yet (a time not come, people not checked in), with why. */
  notYet: Record<string, string>
  timeline: PermitEvent[]
}

export interface PermitBoard {
  date: string
  columns: { state: PermitState; label: string; items: PermitSummary[] }[]
}

/** How many permits each column of the board holds (GET /api/permits/board/counts). */
export interface PermitBoardCounts {
  date: string
  columns: { state: PermitState; label: string; count: number }[]
}

export interface MeasureTemplate {
  code: string
  label: string
  sort: number
}

export type AlertState = 'open' | 'acknowledged' | 'handled' | 'false_alarm'

export type AlertSeverity = 'info' | 'warning' | 'critical'
export type AlertSourceType = 'permit' | 'machine' | 'certificate'

export interface Alert {
  id: number
  kind: string
  kindLabel: string | null
  severity: AlertSeverity | string
  sourceType: AlertSourceType | string
  sourceId: string
  /** What people call the source: machine code, permit number or certificate holder; may be ''. */
  sourceLabel: string
  venueId: number | null
  venueName: string | null
  title: string
  detail: string
  state: AlertState | string
  openedAt: string
  acknowledgedAt: string | null
  closedAt: string | null
  /** Changes with every state change; the alert stream's cursor. */
  updatedAt: string
  result: string
  /** File ids of the handling photos (GET /api/files/:id). */
  photos: string[]
}

/** GET /api/map: venues and machines with coordinates, in the caller's scope. */
export interface MapVenue {
  id: number
  name: string
  type: string
  typeLabel: string | null
  lat: number
  lng: number
  geofenceRadius: number
  openAlerts: number
}

export interface MapMachineAlert {
  id: number
  kind: string
  kindLabel: string | null
  severity: AlertSeverity | string
  title: string
}

export interface MapMachine {
  id: number
  code: string
  lat: number
  lng: number
  powerOn: boolean
  lastAt: string | null
  venueId: number | null
  venueName: string | null
  session: { permitId: number; permitNumber: string; until: string } | null
  openAlerts: MapMachineAlert[]
}

export interface MapBounds {
  minLat: number
  minLng: number
  maxLat: number
  maxLng: number
}

/** More venues than the map shows one by one (a city): a cell of the grid the server sorts them into. */
export interface MapCluster {
  lat: number
  lng: number
  venues: number
  venuesAlerting: number
  openAlerts: number
  /** Its venues' extent: ask for the map of this box to open the cluster. */
  bounds: MapBounds
}

export interface TownMap {
  /** Empty when there are clusters. */
  venues: MapVenue[]
  clusters: MapCluster[]
  machines: MapMachine[]
  bounds: MapBounds | null
}

/** POST /api/machines/scan: the machine is unlocked until `until`. */
export interface ScanResult {
  sessionId: number
  machineCode: string
  permitId: number
  permitNumber: string
  until: string
  commandId: number
  message: string
}

export interface StoredFile {
  id: string
  contentType: string
  size: number
}

// --- Backups (等保 数据备份恢复; docs/openapi.yaml, tag backups)

export interface BackupSettings {
  enabled: boolean
  /** Local hour 0–23 at which the night's backup starts. */
  hour: number
  /** The newest backups whose files are kept. */
  keep: number
}

export type BackupState = 'running' | 'ok' | 'failed' | 'expired'

export interface Backup {
  id: number
  kind: 'scheduled' | 'manual'
  state: BackupState
  file: string
  sizeBytes: number
  sha256: string
  /** Rows found in the SQLite copy, by table, and schemaVersion; empty on PostgreSQL. */
  counts: Record<string, number>
  error: string
  /** The copy to the second store: '' none set, 'ok', or why it failed. */
  offsite: string
  startedBy: string
  startedAt: string
  finishedAt: string | null
}

export interface BackupOverview {
  settings: BackupSettings
  scheduleOff: boolean
  directory: string
  copyTo: string | null
  freeBytes: number | null
  nextRunAt: string | null
  running: boolean
  items: Backup[]
}
