import { describe, expect, it } from 'vitest'
import { actionLabel, shortHash, summaryExtras, summaryView } from '../../src/shared/audit'

describe('actionLabel', () => {
  it('names known actions in Chinese', () => {
    expect(actionLabel('user.create')).toBe('新建用户')
    expect(actionLabel('org.delete')).toBe('删除组织机构')
    expect(actionLabel('dict.item_update')).toBe('修改字典项')
    expect(actionLabel('token.revoke')).toBe('吊销接口令牌')
  })
  it('composes a label for a new verb on a known target', () => {
    expect(actionLabel('role.delete')).toBe('删除角色')
    expect(actionLabel('org_unit.disable')).toBe('停用组织机构')
  })
  it('names the permit and alert actions', () => {
    expect(actionLabel('permit.approve')).toBe('批准动火作业')
    expect(actionLabel('permit.check_in')).toBe('动火现场签到')
    expect(actionLabel('alert.handle')).toBe('处置预警')
  })
  it('passes unknown actions through', () => {
    expect(actionLabel('shipment.dispatch')).toBe('shipment.dispatch')
    expect(actionLabel('weird')).toBe('weird')
  })
})

describe('summaryView', () => {
  it('lines up before and after field by field, in Chinese, and marks changes', () => {
    const v = summaryView({ before: { name: '张三', status: 'active' }, after: { name: '张三', status: 'disabled' } })
    expect(v!.hasBefore && v!.hasAfter).toBe(true)
    expect(v!.rows).toEqual([
      { key: 'name', label: '名称', before: '张三', after: '张三', changed: false },
      { key: 'status', label: '状态', before: '正常', after: '停用', changed: true },
    ])
  })
  it('shows a creation (no before) without marking every field, times in +08:00', () => {
    const v = summaryView({ before: null, after: { createdAt: '2026-11-22T12:22:59Z', mustChangePassword: true, permissions: ['user:read', 'org:read'], extra: 1 } })
    expect(v!.hasBefore).toBe(false)
    expect(v!.rows.map((r) => [r.label, r.after, r.changed])).toEqual([
      ['创建时间', '2026-11-22 20:22:59', false],
      ['须修改密码', '是', false],
      ['功能权限', 'user:read、org:read', false],
      ['extra', '1', false],
    ])
  })
  it('gives no rows when neither side has data (e.g. a password change)', () => {
    expect(summaryView({ before: null, after: null })).toEqual({ rows: [], hasBefore: false, hasAfter: false })
  })
  it('returns null for other shapes so the page shows raw JSON', () => {
    expect(summaryView({ reason: 'x' })).toBeNull()
    expect(summaryView('text')).toBeNull()
    expect(summaryView({ before: 'a', after: 'b' })).toBeNull()
  })
  it('lists extra keys and shortens hashes', () => {
    expect(summaryExtras({ before: {}, after: {}, status: 'disabled' })).toEqual([['状态', '停用']])
    expect(shortHash('0123456789abcdef0123')).toBe('0123456789ab…')
    expect(shortHash('')).toBe('—')
  })
})
