// Chinese labels and tag colours of the registries (docs/api-registries.md), and the certificate import columns.
import type { CertState, MachineStatus, UnitKind, VerifyResult } from './types'

export type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary'

export const CERT_STATES: { value: CertState; label: string; tag: TagType }[] = [
  { value: 'valid', label: '有效', tag: 'success' },
  { value: 'expiring', label: '临期', tag: 'warning' },
  { value: 'expired', label: '已过期', tag: 'danger' },
  { value: 'review_overdue', label: '逾期未复审', tag: 'danger' },
  { value: 'suspended', label: '暂扣', tag: 'info' },
  { value: 'revoked', label: '已吊销', tag: 'info' },
]

/** Certificate state -> label and tag colour; an unknown state is shown as it is, grey. */
export function certStateTag(state: string | null | undefined): { label: string; tag: TagType } {
  const hit = CERT_STATES.find((s) => s.value === state)
  return hit ? { label: hit.label, tag: hit.tag } : { label: state || '—', tag: 'info' }
}

/** The status an editor may set (the others follow from the dates). */
export const CERT_STATUS_INPUT: { value: 'valid' | 'suspended' | 'revoked'; label: string }[] = [
  { value: 'valid', label: '正常' },
  { value: 'suspended', label: '暂扣' },
  { value: 'revoked', label: '吊销' },
]

/** "还有 12 天" / "已过期 3 天" / "今天到期". */
export function expiryText(days: number | null | undefined): string {
  if (days == null) return '—'
  if (days > 0) return `还有 ${days} 天`
  if (days === 0) return '今天到期'
  return `已过期 ${-days} 天`
}

export const VERIFY_RESULTS: { value: VerifyResult; label: string; tag: TagType }[] = [
  { value: 'match', label: '一致', tag: 'success' },
  { value: 'mismatch', label: '不一致', tag: 'danger' },
  { value: 'not_found', label: '查无此证', tag: 'warning' },
]

export function verifyTag(r: string | null | undefined): { label: string; tag: TagType } {
  const hit = VERIFY_RESULTS.find((s) => s.value === r)
  return hit ? { label: hit.label, tag: hit.tag } : { label: r || '未核验', tag: 'info' }
}

export const UNIT_KINDS: { value: UnitKind; label: string }[] = [
  { value: 'contractor', label: '施工单位' },
  { value: 'employer', label: '用工单位' },
  { value: 'labour_dispatch', label: '劳务派遣单位' },
  { value: 'venue_operator', label: '场所经营管理单位' },
]

export const unitKindLabel = (k: string | null | undefined) => UNIT_KINDS.find((u) => u.value === k)?.label ?? (k || '—')

export const MACHINE_STATUSES: { value: MachineStatus; label: string; tag: TagType }[] = [
  { value: 'active', label: '在用', tag: 'success' },
  { value: 'locked', label: '已锁定', tag: 'warning' },
  { value: 'retired', label: '已报废', tag: 'info' },
]

export function machineStatusTag(s: string | null | undefined): { label: string; tag: TagType } {
  const hit = MACHINE_STATUSES.find((m) => m.value === s)
  return hit ? { label: hit.label, tag: hit.tag } : { label: s || '—', tag: 'info' }
}

// --- Certificate import

/** Import columns in the contract's order: API key and Chinese header. */
export const IMPORT_COLUMNS = [
  { key: 'name', label: '姓名', required: true },
  { key: 'citizenId', label: '身份证号', required: true },
  { key: 'phone', label: '手机号', required: true },
  { key: 'unitCreditCode', label: '单位统一社会信用代码', required: false },
  { key: 'kind', label: '证书类型', required: true },
  { key: 'number', label: '证书编号', required: true },
  { key: 'issuer', label: '发证机关', required: true },
  { key: 'firstIssued', label: '初领日期', required: true },
  { key: 'validUntil', label: '有效期至', required: true },
  { key: 'nextReview', label: '复审日期', required: false },
] as const

export type ImportKey = (typeof IMPORT_COLUMNS)[number]['key']
export type ImportRow = Partial<Record<ImportKey, string>>

export const importFieldLabel = (f: string | null | undefined) =>
  IMPORT_COLUMNS.find((c) => c.key === f)?.label ?? (f || '—')

const norm = (h: string) => h.replace(/[\s\uFEFF*＊（）()]/g, '').toLowerCase()

/** A header cell -> the column key it names (English key or Chinese header), or null. */
export function importKeyOf(header: unknown): ImportKey | null {
  const h = norm(String(header ?? ''))
  if (!h) return null
  for (const c of IMPORT_COLUMNS) if (norm(c.key) === h || norm(c.label) === h) return c.key
  return null
}

const pad = (n: number) => String(n).padStart(2, '0')

/** A cell as the text to send: dates (from .xlsx) as YYYY-MM-DD, numbers without exponent, text trimmed. */
export function cellText(v: unknown): string {
  if (v == null) return ''
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return ''
    // read-excel-file gives a spreadsheet date as UTC midnight of that day.
    return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`
  }
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v).toString() : String(v)
  return String(v).trim()
}

export interface ImportTable {
  rows: ImportRow[]
  /** For each row sent, its 1-based data row number in the file (blank rows are skipped, not sent). */
  fileRows: number[]
  missing: string[]
  unknown: string[]
}

/**
 * A sheet (header row first) -> rows keyed by the API's names. Blank rows are skipped; empty cells are
 * left out of the row. `missing` lists required columns the header lacks; `unknown` the headers not used.
 */
export function tableToImportRows(table: readonly (readonly unknown[])[]): ImportTable {
  const first = table.findIndex((r) => !isBlankCells(r))
  if (first < 0) return { rows: [], fileRows: [], missing: IMPORT_COLUMNS.filter((c) => c.required).map((c) => c.label), unknown: [] }
  const header = table[first].map(importKeyOf)
  const unknown = table[first].filter((h, i) => !header[i] && cellText(h) !== '').map((h) => cellText(h))
  const missing = IMPORT_COLUMNS.filter((c) => c.required && !header.includes(c.key)).map((c) => c.label)
  const rows: ImportRow[] = []
  const fileRows: number[] = []
  for (let i = first + 1; i < table.length; i++) {
    const r = table[i]
    if (isBlankCells(r)) continue
    const row: ImportRow = {}
    header.forEach((k, j) => {
      if (!k) return
      const t = cellText(r[j])
      if (t !== '') row[k] = k === 'citizenId' || k === 'unitCreditCode' ? t.toUpperCase() : t
    })
    rows.push(row)
    fileRows.push(i - first)
  }
  return { rows, fileRows, missing, unknown }
}

const isBlankCells = (r: readonly unknown[]) => r.every((v) => cellText(v) === '')

/** The template: the Chinese headers in the contract's order. */
export function importTemplateRows(): string[][] {
  return [IMPORT_COLUMNS.map((c) => c.label)]
}
