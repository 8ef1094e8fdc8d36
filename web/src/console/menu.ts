import type { Component } from 'vue'
import { User, OfficeBuilding, Key, Notebook, Tickets, Clock, Connection } from '@element-plus/icons-vue'

export interface MenuItem {
  path: string
  title: string
  perm: string
  icon: Component
}

// Console menu, in display order (docs/api-overview.md "Roles and menus").
export const MENU: MenuItem[] = [
  { path: '/users', title: '用户管理', perm: 'user:read', icon: User },
  { path: '/org-units', title: '组织机构', perm: 'org:read', icon: OfficeBuilding },
  { path: '/roles', title: '角色权限', perm: 'role:read', icon: Key },
  { path: '/dicts', title: '数据字典', perm: 'dict:read', icon: Notebook },
  { path: '/audit-logs', title: '审计日志', perm: 'audit:read', icon: Tickets },
  { path: '/login-logs', title: '登录日志', perm: 'loginlog:read', icon: Clock },
  { path: '/api-tokens', title: '接口令牌', perm: 'token:write', icon: Connection },
]

/**
 * Menu entries the holder of `permissions` may open. Field roles (welder, fire watch, contractor,
 * venue manager) hold dict:read only so their forms can fill drop-downs; that alone opens no console:
 * they get the page pointing to the mobile entry instead.
 */
export function menuFor(permissions: readonly string[]): MenuItem[] {
  const have = new Set(permissions)
  const items = MENU.filter((m) => have.has(m.perm))
  const onlyDictRead = items.every((m) => m.perm === 'dict:read') && !have.has('dict:write')
  return onlyDictRead ? [] : items
}

/** The menu entry a route path belongs to (for highlighting /users/12 under 用户管理). */
export function activeMenuPath(path: string): string {
  const hit = MENU.find((m) => path === m.path || path.startsWith(m.path + '/'))
  return hit ? hit.path : path
}
