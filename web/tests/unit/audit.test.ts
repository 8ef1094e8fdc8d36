import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ACTION_LABEL, actionLabel, shortHash, showValue, summaryExtras, summaryView, TARGET_LABEL } from '../../src/shared/audit'

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
  it('has a label for every action and target the server records (src/app/*.cpp)', () => {
    const dir = resolve(__dirname, '../../../src/app')
    const source = readdirSync(dir)
      .filter((f) => f.endsWith('.cpp'))
      .map((f) => readFileSync(resolve(dir, f), 'utf8'))
      .join('\n')
    // record(c, who, "action", "target", ...) with literal names; a ternary's two actions as well.
    // Exports and log searches are recorded by their routes: record_read(c.db, c.caller(), "action", "target", ...),
    // recorded_search(c, answer, "action", "target").
    const handlers = readdirSync(resolve(dir, '../http/handlers'))
      .filter((f) => f.endsWith('.cpp'))
      .map((f) => readFileSync(resolve(dir, '../http/handlers', f), 'utf8'))
      .join('\n')
    const exports = [...handlers.matchAll(/record_read\([^,]+, [^,]+, ("[\w.]+"), "(\w+)"/g)]
    expect(exports.length).toBe(3)
    const searches = [...handlers.matchAll(/recorded_search\(c, [^;]*?("[\w.]+"), "(\w+)"\)/g)]
    expect(searches.map((m) => m[1])).toEqual(['"audit.query"', '"audit.verify"', '"loginlog.query"'])
    const calls = [...source.matchAll(/record\(\w+, \w+, ([^;]*?), "(\w+)"/g), ...exports, ...searches]
    const actions = calls.flatMap((m) => [...m[1].matchAll(/"([\w.-]+\.[\w-]+)"/g)].map((a) => a[1]))
    const targets = calls.map((m) => m[2])
    expect(actions.length).toBeGreaterThan(40)
    // Actions named "<kind>." + a command: the commands are the POST /api/<kind>/:id/<command> routes.
    const commands = {
      permit: ['submit', 'survey', 'confirm-risk', 'approve', 'reject', 'start', 'suspend', 'resume', 'finish', 'close', 'cancel', 'revoke'],
      hazard: ['assign', 'rectify', 'recheck', 'reopen', 'supervise', 'unsupervise'],
      case: ['penalize', 'refer', 'referral', 'close', 'expose'],
      small_project: ['accept', 'return', 'guide', 'check', 'finish'],
      retrofit: ['approve', 'reject', 'cancel', 'complete', 'pay'],
    }
    for (const [kind, names] of Object.entries(commands)) {
      expect(source).toContain(`record(c, who, "${kind}." + `)
      actions.push(...names.map((n) => `${kind}.${n}`))
    }
    expect(actions.filter((a) => !ACTION_LABEL[a])).toEqual([])
    expect([...new Set(targets)].filter((t) => !TARGET_LABEL[t])).toEqual([])
  })
  it('passes unknown actions through', () => {
    expect(actionLabel('shipment.dispatch')).toBe('shipment.dispatch')
    expect(actionLabel('weird')).toBe('weird')
  })
})

describe('showValue of an export\'s filters', () => {
  it('names each filter in Chinese, or says all', () => {
    expect(showValue('filters', { q: '消防', state: 'approved', personId: '12' })).toBe('关键字：消防；状态：已批准；人员编号：12')
    expect(showValue('filters', {})).toBe('（全部）')
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
