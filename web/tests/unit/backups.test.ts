import { describe, expect, it } from 'vitest'
import { BACKUP_STATE, countsText, formatBytes, hourLabel, lastFailure, lastGood, offsiteText } from '../../src/shared/backups'
import type { Backup } from '../../src/shared/types'

const backup = (id: number, state: Backup['state']): Backup => ({
  id, kind: 'manual', state, file: `huoyan-${id}.db`, sizeBytes: 1024, sha256: 'ab', counts: {}, error: state === 'failed' ? '磁盘已满' : '', offsite: '',
  startedBy: '彭涛', startedAt: '2026-12-08T18:00:00Z', finishedAt: state === 'running' ? null : '2026-12-08T18:00:05Z',
})

describe('formatBytes', () => {
  it('uses binary units with one decimal, bytes as they are', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(1023)).toBe('1023 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(1056768)).toBe('1.0 MB')
    expect(formatBytes(7.1 * 1024 ** 3)).toBe('7.1 GB')
    expect(formatBytes(null)).toBe('—')
  })
})

describe('countsText', () => {
  it('names what the check counted in a fixed order, skipping what was not counted', () => {
    expect(countsText({ permits: 14, venues: 24, audit_log: 12345, schemaVersion: 42 })).toBe('场所 24 · 作业证 14 · 审计记录 12,345')
    expect(countsText({})).toBe('')
  })
})

describe('backup states', () => {
  it('labels every state', () => {
    for (const s of ['running', 'ok', 'failed', 'expired'] as const) expect(BACKUP_STATE[s].label).toMatch(/\S/)
  })
  it('finds the newest kept backup and warns only when the newest ended one failed', () => {
    expect(lastGood([backup(3, 'running'), backup(2, 'failed'), backup(1, 'ok')])?.id).toBe(1)
    expect(lastGood([backup(1, 'expired')])).toBeNull()
    expect(lastFailure([backup(3, 'running'), backup(2, 'failed'), backup(1, 'ok')])?.error).toBe('磁盘已满')
    expect(lastFailure([backup(3, 'ok'), backup(2, 'failed')])).toBeNull()
    expect(lastFailure([])).toBeNull()
  })
  it('writes an hour as HH:00', () => {
    expect(hourLabel(2)).toBe('02:00')
    expect(hourLabel(23)).toBe('23:00')
  })
})

describe('offsiteText', () => {
  it('says nothing without a second store, and names a failed copy\'s reason', () => {
    expect(offsiteText({ offsite: '' })).toBe('')
    expect(offsiteText({ offsite: 'ok' })).toBe('已复制到异地存储')
    expect(offsiteText({ offsite: 'No such file or directory' })).toBe('未能复制到异地存储：No such file or directory')
  })
})
