import type { Component } from 'vue'
import {
  User,
  OfficeBuilding,
  Key,
  Notebook,
  Tickets,
  Clock,
  Connection,
  FolderChecked,
  Location,
  School,
  Avatar,
  Medal,
  Cpu,
  Calendar,
  DataBoard,
  Document,
  EditPen,
  Bell,
  MapLocation,
  Warning,
  ChatDotSquare,
  DocumentChecked,
  Aim,
  List,
  Stamp,
  CreditCard,
  Promotion,
  Files,
  Flag,
  Shop,
  Reading,
  SetUp,
  Lock,
} from '@element-plus/icons-vue'

export type MenuGroupName = '动火作业' | '隐患治理' | '执法与曝光' | '基础台账' | '系统管理'

export interface MenuItem {
  path: string
  title: string
  perm: string
  icon: Component
  group: MenuGroupName
  /** Also needed (the page reads with it). */
  also?: string
}

// Console menu, in display order (docs/api-overview.md "Roles and menus", docs/api-registries.md, docs/api-hazards.md).
export const MENU: MenuItem[] = [
  { path: '/permits/board', title: '今日看板', perm: 'permit:read', icon: DataBoard, group: '动火作业' },
  { path: '/permits', title: '动火作业证', perm: 'permit:read', icon: Document, group: '动火作业' },
  { path: '/permits/new', title: '申请动火', perm: 'permit:apply', icon: EditPen, group: '动火作业' },
  { path: '/alerts', title: '预警处置', perm: 'alert:read', icon: Bell, group: '动火作业' },
  { path: '/alerts/map', title: '预警地图', perm: 'alert:read', icon: MapLocation, group: '动火作业' },
  { path: '/small-projects', title: '小型工程备案', perm: 'project:read', icon: Files, group: '动火作业' },
  { path: '/market', title: '供需对接', perm: 'market:read', icon: Shop, group: '动火作业' },
  { path: '/hazards', title: '隐患台账', perm: 'hazard:read', icon: Warning, group: '隐患治理' },
  { path: '/reports', title: '群众举报', perm: 'report:triage', icon: ChatDotSquare, group: '隐患治理' },
  { path: '/inspections', title: '监督检查', perm: 'inspection:read', icon: DocumentChecked, group: '隐患治理' },
  { path: '/draws', title: '双随机抽查', perm: 'inspection:read', icon: Aim, group: '隐患治理' },
  { path: '/campaigns', title: '专项行动', perm: 'campaign:read', icon: Flag, group: '隐患治理' },
  { path: '/meetings', title: '培训与约谈', perm: 'meeting:read', icon: Reading, group: '隐患治理' },
  { path: '/checklists', title: '检查表模板', perm: 'rule:write', also: 'inspection:read', icon: List, group: '隐患治理' },
  { path: '/cases', title: '执法案件', perm: 'case:read', icon: Stamp, group: '执法与曝光' },
  { path: '/credit-marks', title: '失信联合惩戒', perm: 'case:read', icon: CreditCard, group: '执法与曝光' },
  { path: '/venues', title: '场所管理', perm: 'venue:read', icon: Location, group: '基础台账' },
  { path: '/units', title: '单位管理', perm: 'unit:read', icon: School, group: '基础台账' },
  { path: '/people', title: '人员与证书', perm: 'person:read', icon: Avatar, group: '基础台账' },
  { path: '/certificates', title: '证书数据库', perm: 'person:read', icon: Medal, group: '基础台账' },
  { path: '/machines', title: '焊机管理', perm: 'machine:read', icon: Cpu, group: '基础台账' },
  { path: '/retrofits', title: '焊机改造', perm: 'retrofit:read', icon: SetUp, group: '基础台账' },
  { path: '/users', title: '用户管理', perm: 'user:read', icon: User, group: '系统管理' },
  { path: '/org-units', title: '组织机构', perm: 'org:read', icon: OfficeBuilding, group: '系统管理' },
  { path: '/roles', title: '角色权限', perm: 'role:read', icon: Key, group: '系统管理' },
  { path: '/security-policy', title: '安全策略', perm: 'security:write', icon: Lock, group: '系统管理' },
  { path: '/dicts', title: '数据字典', perm: 'dict:read', icon: Notebook, group: '系统管理' },
  { path: '/rules', title: '规则设置', perm: 'rule:read', icon: Calendar, group: '系统管理' },
  { path: '/audit-logs', title: '审计日志', perm: 'audit:read', icon: Tickets, group: '系统管理' },
  { path: '/login-logs', title: '登录日志', perm: 'loginlog:read', icon: Clock, group: '系统管理' },
  { path: '/api-tokens', title: '接口令牌', perm: 'token:write', icon: Connection, group: '系统管理' },
  { path: '/webhooks', title: '消息推送', perm: 'webhook:write', icon: Promotion, group: '系统管理' },
  { path: '/backups', title: '数据备份', perm: 'backup:write', icon: FolderChecked, group: '系统管理' },
]

/** Permissions that make a permit page worth opening on a computer (beyond a field role's own permits). */
const PERMIT_DESK = ['permit:apply', 'permit:approve', 'permit:revoke', 'alert:read']

/**
 * Menu entries the holder of `permissions` may open. Every role holds dict:read so forms can fill
 * drop-downs; that alone does not open 数据字典: it is shown to dictionary editors and to users who
 * have another 系统管理 page. Likewise welders and fire watches hold permit:read (and permit:watch) for
 * their own permits on the phone; the permit pages show when the user has desk work with permits or
 * another console page. Field roles without any page get the page pointing to the mobile entry.
 */
export function menuFor(permissions: readonly string[]): MenuItem[] {
  const have = new Set(permissions)
  let items = MENU.filter((m) => have.has(m.perm) && (!m.also || have.has(m.also)))
  const otherSystem = items.some((m) => m.group === '系统管理' && m.perm !== 'dict:read')
  const showDicts = have.has('dict:write') || otherSystem
  if (!showDicts) items = items.filter((m) => m.perm !== 'dict:read')
  const otherPages = items.some((m) => m.group !== '动火作业')
  const showPermits = otherPages || PERMIT_DESK.some((p) => have.has(p))
  return showPermits ? items : items.filter((m) => m.group !== '动火作业')
}

/** The menu in groups (empty groups left out). */
export function menuGroups(permissions: readonly string[]): { title: MenuGroupName; items: MenuItem[] }[] {
  const items = menuFor(permissions)
  const groups: MenuGroupName[] = ['动火作业', '隐患治理', '执法与曝光', '基础台账', '系统管理']
  return groups.map((title) => ({ title, items: items.filter((m) => m.group === title) })).filter((g) => g.items.length)
}

/** The menu entry a route path belongs to (for highlighting /users/12 under 用户管理): exact, else the longest prefix. */
export function activeMenuPath(path: string): string {
  if (MENU.some((m) => m.path === path)) return path
  const hits = MENU.filter((m) => path.startsWith(m.path + '/')).sort((a, b) => b.path.length - a.path.length)
  return hits.length ? hits[0].path : path
}
