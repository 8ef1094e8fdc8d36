import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { ApiError } from '../../src/shared/api'
import {
  checkReportForm, CODES_KEY, DEVICE_KEY, deviceId, looksLikeCode, normalizeCode, publicErrorText, rememberCode,
  rememberedCodes, reportBody, reportProgress, type PublicReportStatus, type ReportForm,
} from '../../src/shared/publicReport'

const status = (over: Partial<PublicReportStatus> = {}): PublicReportStatus => ({
  trackingCode: 'JB7K2Q9X',
  venueName: '金凤商业广场',
  category: 'blocked_exit',
  categoryLabel: '占堵疏散通道、锁闭安全出口',
  description: '安全出口上锁',
  state: 'received',
  createdAt: '2026-12-02T02:00:00Z',
  verifyBy: '2026-12-03T02:00:00Z',
  result: null,
  hazardState: null,
  ...over,
})
const titles = (r: PublicReportStatus) => reportProgress(r).steps.map((s) => s.title)

describe('reportProgress', () => {
  it('is at 核查中 while received, with the verify-by time', () => {
    const p = reportProgress(status())
    expect(titles(status())).toEqual(['已提交', '核查中', '已受理', '整改中', '已销号'])
    expect(p.active).toBe(1)
    expect(p.finished).toBe(false)
    expect(p.steps[0].desc).toBe('2026-12-02 10:00')
    expect(p.steps[1].desc).toBe('2026-12-03 10:00 前完成核查')
  })
  it('stops at 不予受理 with the reason when rejected', () => {
    const r = status({ state: 'rejected', result: '经核查，安全出口已开启' })
    const p = reportProgress(r)
    expect(titles(r)).toEqual(['已提交', '核查中', '不予受理'])
    expect(p.active).toBe(2)
    expect(p.rejected).toBe(true)
    expect(p.finished).toBe(true)
    expect(p.steps[2].desc).toBe('经核查，安全出口已开启')
  })
  it('follows the hazard once accepted: 已受理 → 整改中 → 已销号', () => {
    expect(reportProgress(status({ state: 'accepted', hazardState: 'reported' })).active).toBe(2)
    expect(reportProgress(status({ state: 'accepted', hazardState: 'rectifying' })).active).toBe(3)
    const waiting = reportProgress(status({ state: 'accepted', hazardState: 'awaiting_recheck' }))
    expect(waiting.active).toBe(3)
    expect(waiting.steps[3].desc).toContain('等待复查')
    const done = reportProgress(status({ state: 'accepted', hazardState: 'closed' }))
    expect(done.active).toBe(4)
    expect(done.finished).toBe(true)
    expect(done.rejected).toBe(false)
    expect(done.headline).toContain('整改完毕')
  })
})

class MemoryStore {
  map = new Map<string, string>()
  getItem(k: string) {
    return this.map.get(k) ?? null
  }
  setItem(k: string, v: string) {
    this.map.set(k, v)
  }
}

describe('deviceId', () => {
  it('makes a random 32-hex id once and keeps it', () => {
    const s = new MemoryStore()
    const a = deviceId(s)
    expect(a).toMatch(/^[a-f0-9]{32}$/)
    expect(s.getItem(DEVICE_KEY)).toBe(a)
    expect(deviceId(s)).toBe(a)
    expect(deviceId(new MemoryStore())).not.toBe(a)
  })
  it('replaces a tampered value, and works without storage', () => {
    const s = new MemoryStore()
    s.setItem(DEVICE_KEY, 'hello')
    const id = deviceId(s)
    expect(id).toMatch(/^[a-f0-9]{32}$/)
    expect(s.getItem(DEVICE_KEY)).toBe(id)
    const throwing = { getItem: () => { throw new Error('blocked') }, setItem: () => { throw new Error('blocked') } }
    expect(deviceId(throwing)).toMatch(/^[a-f0-9]{32}$/)
    expect(deviceId(null)).toMatch(/^[a-f0-9]{32}$/)
  })
})

describe('remembered codes', () => {
  it('keeps the newest first, without repeats, at most 10', () => {
    const s = new MemoryStore()
    for (let i = 0; i < 12; i++) rememberCode({ code: `C${i}`, venueName: 'v', at: `2026-12-02T0${i % 10}:00:00Z` }, s)
    rememberCode({ code: 'C5', venueName: 'again', at: 'x' }, s)
    const list = rememberedCodes(s)
    expect(list.length).toBe(10)
    expect(list[0]).toEqual({ code: 'C5', venueName: 'again', at: 'x' })
    expect(list.filter((x) => x.code === 'C5').length).toBe(1)
    expect(list.map((x) => x.code)).not.toContain('C0')
  })
  it('survives garbage in storage', () => {
    const s = new MemoryStore()
    s.setItem(CODES_KEY, '{not json')
    expect(rememberedCodes(s)).toEqual([])
    s.setItem(CODES_KEY, JSON.stringify([{ code: 1 }, { code: 'A1' }]))
    expect(rememberedCodes(s).map((x) => x.code)).toEqual(['A1'])
  })
})

describe('the report form', () => {
  const form = (over: Partial<ReportForm> = {}): ReportForm => ({
    category: 'blocked_exit',
    description: '二楼安全出口被锁住了',
    photos: [],
    phone: '',
    lat: null,
    lng: null,
    ...over,
  })
  it('needs a category and a few words; phone is optional but must be a mobile number when given', () => {
    expect(checkReportForm(form())).toBeNull()
    expect(checkReportForm(form({ category: '' }))?.field).toBe('category')
    expect(checkReportForm(form({ description: '  ' }))?.field).toBe('description')
    expect(checkReportForm(form({ description: '锁了' }))).toBeNull()
    expect(checkReportForm(form({ phone: '12345' }))?.field).toBe('phone')
    expect(checkReportForm(form({ phone: '13900001111' }))).toBeNull()
    expect(checkReportForm(form({ photos: ['a', 'b', 'c', 'd'] }))?.field).toBe('photos')
  })
  it('sends an anonymous report without phone or position, and includes them when given', () => {
    expect(reportBody(form(), 'tok', 'dev')).toEqual({
      venueToken: 'tok',
      category: 'blocked_exit',
      description: '二楼安全出口被锁住了',
      deviceId: 'dev',
    })
    expect(reportBody(form({ phone: ' 13900001111 ', lat: 29.44, lng: 106.36, photos: ['p1'] }), 'tok', 'dev')).toEqual({
      venueToken: 'tok',
      category: 'blocked_exit',
      description: '二楼安全出口被锁住了',
      deviceId: 'dev',
      phone: '13900001111',
      lat: 29.44,
      lng: 106.36,
      photos: ['p1'],
    })
  })
  it('normalizes typed codes', () => {
    expect(normalizeCode(' jb7k 2q9x ')).toBe('JB7K2Q9X')
    expect(looksLikeCode('jb7k2q9x')).toBe(true)
    expect(looksLikeCode('ab')).toBe(false)
    expect(looksLikeCode('查询码')).toBe(false)
  })
  it('explains rate limits politely and passes other server messages through', () => {
    expect(publicErrorText(new ApiError(429, 'RATE_LIMITED', 'Too many'))).toContain('每小时最多举报 5 次')
    expect(publicErrorText(new ApiError(429, 'RATE_LIMITED', 'x'), 'photo')).toContain('上传照片太频繁')
    expect(publicErrorText(new ApiError(400, 'REQUIRED', '请选择举报事项', 'category'))).toBe('请选择举报事项')
    expect(publicErrorText('boom')).toBe('提交失败，请稍后再试')
  })
})

describe('the public entry stays small', () => {
  // Walks the import graph from src/report/main.ts: no Element Plus and nothing of the console.
  const root = resolve(__dirname, '../../src')
  function imports(file: string): string[] {
    const text = readFileSync(file, 'utf8')
    return [...text.matchAll(/(?:import|from)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1])
  }
  function resolveLocal(from: string, spec: string): string | null {
    if (!spec.startsWith('.')) return null
    const base = resolve(dirname(from), spec)
    for (const cand of [base, `${base}.ts`, `${base}/index.ts`]) {
      try {
        readFileSync(cand)
        return cand
      } catch {
        /* next */
      }
    }
    return null
  }
  it('imports no element-plus and no console code', () => {
    const seen = new Set<string>()
    const packages = new Set<string>()
    const todo = [resolve(root, 'report/main.ts')]
    while (todo.length) {
      const f = todo.pop()!
      if (seen.has(f)) continue
      seen.add(f)
      for (const spec of imports(f)) {
        const local = resolveLocal(f, spec)
        if (local) todo.push(local)
        else if (!spec.startsWith('.')) packages.add(spec.split('/')[0])
      }
    }
    const files = [...seen].map((f) => f.slice(root.length + 1))
    expect(files).toContain('report/pages/ReportPage.vue')
    expect(files.filter((f) => f.startsWith('console/') || f.startsWith('mobile/'))).toEqual([])
    expect([...packages].sort()).toEqual(['vant', 'vue', 'vue-router'])
  })
})
