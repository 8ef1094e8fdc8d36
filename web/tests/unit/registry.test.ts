import { describe, expect, it } from 'vitest'
import {
  cellText,
  certStateTag,
  CERT_STATES,
  expiryText,
  importKeyOf,
  importTemplateRows,
  machineStatusTag,
  tableToImportRows,
  unitKindLabel,
  verifyTag,
} from '../../src/shared/registry'

describe('status tags', () => {
  it('maps every certificate state to a Chinese label and colour', () => {
    expect(CERT_STATES.map((s) => s.value)).toEqual(['valid', 'expiring', 'expired', 'review_overdue', 'suspended', 'revoked'])
    expect(certStateTag('valid')).toEqual({ label: '有效', tag: 'success' })
    expect(certStateTag('expiring')).toEqual({ label: '临期', tag: 'warning' })
    expect(certStateTag('expired')).toEqual({ label: '已过期', tag: 'danger' })
    expect(certStateTag('review_overdue')).toEqual({ label: '逾期未复审', tag: 'danger' })
    expect(certStateTag('suspended')).toEqual({ label: '暂扣', tag: 'info' })
    expect(certStateTag('revoked')).toEqual({ label: '已吊销', tag: 'info' })
    expect(certStateTag('weird')).toEqual({ label: 'weird', tag: 'info' })
    expect(certStateTag(null).label).toBe('—')
  })
  it('maps verification results, machine statuses and unit kinds', () => {
    expect(verifyTag('match')).toEqual({ label: '一致', tag: 'success' })
    expect(verifyTag('mismatch').label).toBe('不一致')
    expect(verifyTag('not_found').label).toBe('查无此证')
    expect(verifyTag(null).label).toBe('未核验')
    expect(machineStatusTag('active')).toEqual({ label: '在用', tag: 'success' })
    expect(machineStatusTag('locked').tag).toBe('warning')
    expect(machineStatusTag('retired').label).toBe('已报废')
    expect(unitKindLabel('labour_dispatch')).toBe('劳务派遣单位')
    expect(unitKindLabel('x')).toBe('x')
  })
  it('words the days to expiry', () => {
    expect(expiryText(12)).toBe('还有 12 天')
    expect(expiryText(0)).toBe('今天到期')
    expect(expiryText(-3)).toBe('已过期 3 天')
    expect(expiryText(null)).toBe('—')
  })
})

describe('certificate import rows', () => {
  it('recognises English keys and Chinese headers', () => {
    expect(importKeyOf('citizenId')).toBe('citizenId')
    expect(importKeyOf(' 身份证号 ')).toBe('citizenId')
    expect(importKeyOf('有效期至*')).toBe('validUntil')
    expect(importKeyOf('备注')).toBeNull()
  })
  it('turns a sheet into API rows, skipping blank rows and remembering file row numbers', () => {
    const t = tableToImportRows([
      ['姓名', '身份证号', '手机号', '证书类型', '证书编号', '发证机关', '初领日期', '有效期至', '备注'],
      ['张三', '11010519491231002x', '13900000001', 'special_op_fusion', 'T11010519491231002X', '应急局', '2020-01-01', '2026-01-01', 'x'],
      ['', '', '', '', '', '', '', '', ''],
      ['李四', '440524188001010014', '13900000002', '建筑焊工', 'JZ-1', '住建局', new Date(Date.UTC(2021, 4, 6)), '2027-05-06', ''],
    ])
    expect(t.missing).toEqual([])
    expect(t.unknown).toEqual(['备注'])
    expect(t.fileRows).toEqual([1, 3])
    expect(t.rows[0].citizenId).toBe('11010519491231002X')
    expect(t.rows[1]).toEqual({
      name: '李四',
      citizenId: '440524188001010014',
      phone: '13900000002',
      kind: '建筑焊工',
      number: 'JZ-1',
      issuer: '住建局',
      firstIssued: '2021-05-06',
      validUntil: '2027-05-06',
    })
  })
  it('reports missing required columns', () => {
    expect(tableToImportRows([['姓名'], ['张三']]).missing).toContain('身份证号')
    expect(tableToImportRows([]).rows).toEqual([])
  })
  it('writes cells as text', () => {
    expect(cellText(new Date(Date.UTC(2026, 0, 9)))).toBe('2026-01-09')
    expect(cellText(13900000001)).toBe('13900000001')
    expect(cellText('  a ')).toBe('a')
    expect(cellText(null)).toBe('')
  })
  it('makes a template whose header is the contract order', () => {
    expect(importTemplateRows()[0]).toEqual([
      '姓名',
      '身份证号',
      '手机号',
      '单位统一社会信用代码',
      '证书类型',
      '证书编号',
      '发证机关',
      '初领日期',
      '有效期至',
      '复审日期',
    ])
  })
})
