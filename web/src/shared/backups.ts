import type { Backup, BackupState } from './types'

export const BACKUP_STATE: Record<BackupState, { label: string; tag: 'primary' | 'success' | 'danger' | 'info' }> = {
  running: { label: '备份中', tag: 'primary' },
  ok: { label: '已完成并校验', tag: 'success' },
  failed: { label: '失败', tag: 'danger' },
  expired: { label: '已过期删除', tag: 'info' },
}

/** 1536 → "1.5 KB"; binary units, as disks are sized. */
export function formatBytes(n: number | null | undefined): string {
  if (n == null) return '—'
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let v = n
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`
}

const COUNTED: [string, string][] = [
  ['venues', '场所'],
  ['people', '人员'],
  ['machines', '焊机'],
  ['permits', '作业证'],
  ['hazards', '隐患'],
  ['users', '账号'],
  ['audit_log', '审计记录'],
]

/** What the check found in a copy: "场所 24 · 作业证 14 · …", or '' when nothing was counted (PostgreSQL). */
export function countsText(counts: Backup['counts']): string {
  return COUNTED.filter(([k]) => typeof counts[k] === 'number')
    .map(([k, label]) => `${label} ${counts[k].toLocaleString('zh-CN')}`)
    .join(' · ')
}

/** "02:00" for the hour select. */
export const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`

/** The newest backup whose file is kept, if any (items come newest first). */
export const lastGood = (items: readonly Backup[]) => items.find((b) => b.state === 'ok') ?? null

/** The newest backup that has ended, when it failed: what the page warns of. */
export const lastFailure = (items: readonly Backup[]) => {
  const ended = items.find((b) => b.state !== 'running')
  return ended?.state === 'failed' ? ended : null
}

/** The second store's part in a backup: '' when none is set. */
export function offsiteText(b: Pick<Backup, 'offsite'>): string {
  if (!b.offsite) return ''
  return b.offsite === 'ok' ? '已复制到异地存储' : `未能复制到异地存储：${b.offsite}`
}
