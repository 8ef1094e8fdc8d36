import type { Component } from 'vue'
import {
  User,
  OfficeBuilding,
  Key,
  Notebook,
  Tickets,
  Clock,
  Connection,
  Location,
  School,
  Avatar,
  Medal,
  Cpu,
  Calendar,
} from '@element-plus/icons-vue'

export type MenuGroupName = '基础台账' | '系统管理'

export interface MenuItem {
  path: string
  title: string
  perm: string
  icon: Component
  group: MenuGroupName
}

// Console menu, in display order (docs/api-overview.md "Roles and menus", docs/api-registries.md).
export const MENU: MenuItem[] = [
  { path: '/venues', title: '场所管理', perm: 'venue:read', icon: Location, group: '基础台账' },
  { path: '/units', title: '单位管理', perm: 'unit:read', icon: School, group: '基础台账' },
  { path: '/people', title: '人员与证书', perm: 'person:read', icon: Avatar, group: '基础台账' },
  { path: '/certificates', title: '证书数据库', perm: 'person:read', icon: Medal, group: '基础台账' },
  { path: '/machines', title: '焊机管理', perm: 'machine:read', icon: Cpu, group: '基础台账' },
  { path: '/users', title: '用户管理', perm: 'user:read', icon: User, group: '系统管理' },
  { path: '/org-units', title: '组织机构', perm: 'org:read', icon: OfficeBuilding, group: '系统管理' },
  { path: '/roles', title: '角色权限', perm: 'role:read', icon: Key, group: '系统管理' },
  { path: '/dicts', title: '数据字典', perm: 'dict:read', icon: Notebook, group: '系统管理' },
  { path: '/rules', title: '规则设置', perm: 'rule:read', icon: Calendar, group: '系统管理' },
  { path: '/audit-logs', title: '审计日志', perm: 'audit:read', icon: Tickets, group: '系统管理' },
  { path: '/login-logs', title: '登录日志', perm: 'loginlog:read', icon: Clock, group: '系统管理' },
  { path: '/api-tokens', title: '接口令牌', perm: 'token:write', icon: Connection, group: '系统管理' },
]

/**
 * Menu entries the holder of `permissions` may open. Every role holds dict:read so forms can fill
 * drop-downs; that alone does not open 数据字典: it is shown to dictionary editors and to users who
 * have another 系统管理 page. Field roles without any page get the page pointing to the mobile entry.
 */
export function menuFor(permissions: readonly string[]): MenuItem[] {
  const have = new Set(permissions)
  const items = MENU.filter((m) => have.has(m.perm))
  const otherSystem = items.some((m) => m.group === '系统管理' && m.perm !== 'dict:read')
  const showDicts = have.has('dict:write') || otherSystem
  return showDicts ? items : items.filter((m) => m.perm !== 'dict:read')
}

/** The menu in groups (empty groups left out). */
export function menuGroups(permissions: readonly string[]): { title: MenuGroupName; items: MenuItem[] }[] {
  const items = menuFor(permissions)
  const groups: MenuGroupName[] = ['基础台账', '系统管理']
  return groups.map((title) => ({ title, items: items.filter((m) => m.group === title) })).filter((g) => g.items.length)
}

/** The menu entry a route path belongs to (for highlighting /users/12 under 用户管理). */
export function activeMenuPath(path: string): string {
  const hit = MENU.find((m) => path === m.path || path.startsWith(m.path + '/'))
  return hit ? hit.path : path
}
