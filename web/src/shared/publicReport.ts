// The public report entry (/r/, docs/api-hazards.md "群众举报"): progress steps of a tracking code, the device id
// kept in the browser, codes remembered on this phone, and the checks of the report form. Pure: no UI library.
import { isApiError } from './api'
import { formatTime } from './time'
import { PHONE_RE } from './validators'

export interface PublicVenue {
  name: string
  address: string | null
  categories: { code: string; label: string }[]
}

export interface PublicReportInput {
  venueToken?: string
  venueName?: string
  category: string
  description: string
  photos?: string[]
  lat?: number
  lng?: number
  phone?: string
  deviceId?: string
}

export interface PublicReportCreated {
  trackingCode: string
  verifyBy: string
}

/** GET /api/public/reports/:code */
export interface PublicReportStatus {
  trackingCode: string
  venueName: string
  category: string
  categoryLabel?: string
  description: string
  state: 'received' | 'accepted' | 'rejected'
  stateLabel?: string
  createdAt: string
  verifyBy: string
  result: string | null
  hazardState: string | null
  hazardStateLabel?: string | null
}

// --- Progress: 已提交 → 核查中 → 已受理 / 不予受理 → 整改中 → 已销号

export interface ProgressStep {
  title: string
  desc: string
}

export interface Progress {
  steps: ProgressStep[]
  /** Index of the current step (steps before it are done). */
  active: number
  /** The last step is reached: nothing more will happen. */
  finished: boolean
  rejected: boolean
  /** One line for the top of the page. */
  headline: string
}

export function reportProgress(r: PublicReportStatus): Progress {
  const submitted: ProgressStep = { title: '已提交', desc: formatTime(r.createdAt) }
  const verifying: ProgressStep = { title: '核查中', desc: r.verifyBy ? `${formatTime(r.verifyBy)} 前完成核查` : '' }
  if (r.state === 'rejected') {
    return {
      steps: [submitted, { ...verifying, desc: '已核查' }, { title: '不予受理', desc: r.result ?? '' }],
      active: 2,
      finished: true,
      rejected: true,
      headline: '经核查，您举报的问题不予受理',
    }
  }
  const accepted: ProgressStep = { title: '已受理', desc: r.state === 'accepted' ? '已转为隐患，交由责任单位整改' : '' }
  const rectifying: ProgressStep = { title: '整改中', desc: '' }
  const closed: ProgressStep = { title: '已销号', desc: '' }
  const steps = [submitted, verifying, accepted, rectifying, closed]
  if (r.state !== 'accepted') return { steps, active: 1, finished: false, rejected: false, headline: '举报已收到，正在核查' }
  verifying.desc = '已核查'
  const hs = r.hazardState
  if (hs === 'closed') {
    closed.desc = '隐患已整改并经复查合格'
    return { steps, active: 4, finished: true, rejected: false, headline: '隐患已整改完毕，感谢您的监督' }
  }
  if (hs === 'rectifying' || hs === 'awaiting_recheck') {
    rectifying.desc = hs === 'awaiting_recheck' ? '已整改，等待复查' : '责任单位正在整改'
    return { steps, active: 3, finished: false, rejected: false, headline: '举报已受理，隐患正在整改' }
  }
  return { steps, active: 2, finished: false, rejected: false, headline: '举报已受理，正在交办整改' }
}

// --- Tracking codes

/** What a person typed as a code: spaces and dashes people add are dropped, letters upper-cased. */
export function normalizeCode(s: string): string {
  return s.replace(/[\s\u3000]+/g, '').toUpperCase()
}

export const looksLikeCode = (s: string) => /^[A-Z0-9-]{4,40}$/.test(normalizeCode(s))

// --- The browser's device id and remembered codes

export interface KeyValueStore {
  getItem(k: string): string | null
  setItem(k: string, v: string): void
}

export const DEVICE_KEY = 'huoyan.report.device'
export const CODES_KEY = 'huoyan.report.codes'
const DEVICE_RE = /^[a-f0-9]{32}$/

function randomHex(bytes: number): string {
  const a = new Uint8Array(bytes)
  const c = (globalThis as { crypto?: Crypto }).crypto
  if (c?.getRandomValues) c.getRandomValues(a)
  else for (let i = 0; i < bytes; i++) a[i] = Math.floor(Math.random() * 256)
  return [...a].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * A random id for this browser (32 hex characters), made once and kept in `store` (localStorage). It lets the
 * server count reports per device; it says nothing about the person. Without storage a fresh id each time.
 */
export function deviceId(store: KeyValueStore | null | undefined = safeLocalStorage()): string {
  try {
    const have = store?.getItem(DEVICE_KEY)
    if (have && DEVICE_RE.test(have)) return have
  } catch {
    /* storage blocked: make one anyway */
  }
  const fresh = randomHex(16)
  try {
    store?.setItem(DEVICE_KEY, fresh)
  } catch {
    /* private mode: not kept */
  }
  return fresh
}

export interface RememberedCode {
  code: string
  venueName: string
  at: string
}

/** Codes reported from this browser, newest first. */
export function rememberedCodes(store: KeyValueStore | null | undefined = safeLocalStorage()): RememberedCode[] {
  try {
    const v = JSON.parse(store?.getItem(CODES_KEY) ?? '[]')
    return Array.isArray(v) ? v.filter((x) => x && typeof x.code === 'string').slice(0, 10) : []
  } catch {
    return []
  }
}

/** Keeps a code (at most 10, newest first, no repeats). */
export function rememberCode(entry: RememberedCode, store: KeyValueStore | null | undefined = safeLocalStorage()): RememberedCode[] {
  const list = [entry, ...rememberedCodes(store).filter((x) => x.code !== entry.code)].slice(0, 10)
  try {
    store?.setItem(CODES_KEY, JSON.stringify(list))
  } catch {
    /* not kept */
  }
  return list
}

function safeLocalStorage(): KeyValueStore | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null
  } catch {
    return null
  }
}

// --- The form

export interface ReportForm {
  category: string
  description: string
  photos: string[]
  phone: string
  lat: number | null
  lng: number | null
}

export const MAX_REPORT_PHOTOS = 3

export function checkReportForm(f: ReportForm): { field: string; message: string } | null {
  if (!f.category) return { field: 'category', message: '请选择举报事项' }
  if (!f.description.trim()) return { field: 'description', message: '请描述您看到的情况，如位置、时间和具体问题' }
  if (f.photos.length > MAX_REPORT_PHOTOS) return { field: 'photos', message: `最多上传 ${MAX_REPORT_PHOTOS} 张照片` }
  if (f.phone.trim() && !PHONE_RE.test(f.phone.trim())) return { field: 'phone', message: '手机号格式不正确；不想留号码可以不填' }
  return null
}

export function reportBody(f: ReportForm, venueToken: string, device: string): PublicReportInput {
  const body: PublicReportInput = { venueToken, category: f.category, description: f.description.trim(), deviceId: device }
  if (f.photos.length) body.photos = [...f.photos]
  if (f.lat != null && f.lng != null) {
    body.lat = f.lat
    body.lng = f.lng
  }
  if (f.phone.trim()) body.phone = f.phone.trim()
  return body
}

/** The words for a failed request on the public pages: the server's message, a polite one for rate limits. */
export function publicErrorText(e: unknown, what: 'report' | 'photo' = 'report'): string {
  if (isApiError(e) && (e.status === 429 || e.code === 'RATE_LIMITED'))
    return what === 'photo'
      ? '上传照片太频繁了，请过一会儿再试；也可以先不附照片直接提交。'
      : '提交太频繁了：为防止恶意刷单，同一手机每小时最多举报 5 次，请过一会儿再试。情况紧急请拨打 119。'
  return e instanceof Error && e.message ? e.message : what === 'photo' ? '照片上传失败，请重试' : '提交失败，请稍后再试'
}
