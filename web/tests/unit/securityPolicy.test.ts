import { describe, expect, it } from 'vitest'
import { assignableRoles, dutiesHeld, networksText, parseNetworks } from '../../src/shared/securityPolicy'

describe('security policy addresses', () => {
  it('reads one per line, or separated by commas and spaces, and drops blanks', () => {
    expect(parseNetworks('192.168.1.0/24\n\n 10.0.0.5 \r\n')).toEqual(['192.168.1.0/24', '10.0.0.5'])
    expect(parseNetworks('10.0.0.0/8，172.16.0.0/12; 2001:db8::/32')).toEqual(['10.0.0.0/8', '172.16.0.0/12', '2001:db8::/32'])
    expect(parseNetworks('   ')).toEqual([])
  })
  it('writes one per line', () => {
    expect(networksText(['10.0.0.0/8', '127.0.0.1'])).toBe('10.0.0.0/8\n127.0.0.1')
    expect(parseNetworks(networksText(['a', 'b']))).toEqual(['a', 'b'])
  })
})

describe('roles a user administrator may give', () => {
  const roles = [
    { id: 1, permissions: [] },
    { id: 2, permissions: ['dict:read', 'user:write'] },
    { id: 3, permissions: ['permit:read'] },
  ]
  const ids = (r: { id: number }[]) => r.map((x) => x.id)
  it('without 三员分立: roles within their own permissions, and any role that grants nothing', () => {
    expect(ids(assignableRoles(roles, ['dict:read', 'user:write', 'user:read'], false))).toEqual([1, 2])
  })
  it('under 三员分立: only the role that grants nothing, and the account\'s current role stays listed', () => {
    expect(ids(assignableRoles(roles, ['dict:read', 'user:write'], true))).toEqual([1])
    expect(ids(assignableRoles(roles, ['dict:read', 'user:write'], true, 3))).toEqual([1, 3])
  })
  it('with role:assign: every role, either way', () => {
    expect(ids(assignableRoles(roles, ['role:assign'], true))).toEqual([1, 2, 3])
    expect(ids(assignableRoles(roles, ['role:assign'], false))).toEqual([1, 2, 3])
  })
})

describe('the administrators\' duties a role holds', () => {
  const duties = [
    { label: '系统管理员', permissions: ['user:write', 'dict:write'] },
    { label: '安全管理员', permissions: ['role:assign'] },
    { label: '审计管理员', permissions: ['audit:read'] },
  ]
  it('names each duty one of whose permissions the role has, in order', () => {
    expect(dutiesHeld(duties, ['audit:read', 'dict:write', 'permit:read'])).toEqual(['系统管理员', '审计管理员'])
    expect(dutiesHeld(duties, ['permit:read'])).toEqual([])
  })
})
