import { describe, expect, it } from 'vitest'
import { activeMenuPath, menuFor } from '../../src/console/menu'

const titles = (perms: string[]) => menuFor(perms).map((m) => m.title)

describe('menuFor', () => {
  it('gives the admin every console page in menu order', () => {
    const all = ['user:read', 'user:write', 'org:read', 'org:write', 'role:read', 'role:write', 'dict:read', 'dict:write', 'audit:read', 'loginlog:read', 'token:write']
    expect(titles(all)).toEqual(['用户管理', '组织机构', '角色权限', '数据字典', '审计日志', '登录日志', '接口令牌'])
  })
  it('gives the auditor only the two log pages', () => {
    expect(titles(['audit:read', 'loginlog:read'])).toEqual(['审计日志', '登录日志'])
  })
  it('needs token:write (not a read permission) for 接口令牌, and ignores unknown permissions', () => {
    expect(titles(['token:read', 'permit:read'])).toEqual([])
    expect(titles(['token:write'])).toEqual(['接口令牌'])
  })
  it('gives field roles no console menu, even with the supporting dict:read', () => {
    expect(menuFor([])).toEqual([])
    expect(menuFor(['dict:read'])).toEqual([])
  })
  it('shows 数据字典 next to other console pages, or to a dictionary editor', () => {
    expect(titles(['dict:read', 'org:read'])).toEqual(['组织机构', '数据字典'])
    expect(titles(['dict:read', 'dict:write'])).toEqual(['数据字典'])
  })
})

describe('activeMenuPath', () => {
  it('highlights the list page for a detail page', () => {
    expect(activeMenuPath('/users/12')).toBe('/users')
    expect(activeMenuPath('/roles')).toBe('/roles')
    expect(activeMenuPath('/usersx')).toBe('/usersx')
  })
})
