// 动火作业供需对接: venues post hot work, units answer with certified workers (docs/openapi.yaml, tag market).
import { checkPhone, isRealDate } from './validators'
import type { FieldProblem } from './forms'

export type RequestState = 'open' | 'awarded' | 'done' | 'cancelled'
export type OfferState = 'pending' | 'accepted' | 'declined' | 'withdrawn'
type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

export interface UnitStanding {
  certifiedPeople: number
  chippedMachines: number
  creditMarks: number
  /** Mean of the ratings of the unit's work, one decimal; null before the first. */
  rating: number | null
  ratings: number
}

export interface WorkOffer {
  id: number
  requestId: number
  unitId: number
  unitName: string
  unitContact: string
  price: number | null
  note: string
  state: OfferState
  stateLabel: string
  mine: boolean
  people: { id: number; name: string; certificate: { number: string; kindLabel: string | null; validUntil: string } | null }[]
  standing: UnitStanding
  createdBy: number
  createdAt: string
  updatedAt: string
}

export interface WorkRequest {
  id: number
  number: string
  venueId: number
  venueName: string
  venueAddress: string
  villageName: string
  title: string
  description: string
  place: string
  methods: string[]
  methodLabels: string[]
  windowStart: string
  windowEnd: string
  workersNeeded: number
  budget: number | null
  contactName: string
  contactPhone?: string
  state: RequestState
  stateLabel: string
  expired: boolean
  awardedOfferId: number | null
  awardedUnitName: string | null
  closeNote: string
  /** The venue's rating (1-5) of the awarded unit's work; null when not rated. */
  rating: number | null
  offerCount: number
  createdBy: number
  createdAt: string
  updatedAt: string
  offers?: WorkOffer[]
  /** The permits the awarded unit applied for this work (the venue's side and that unit). */
  permits?: { id: number; number: string; state: string; stateLabel: string; plannedStart: string }[]
  venueSide?: boolean
}

export interface Provider {
  id: number
  name: string
  contactName: string
  contactPhone: string
  address: string
  awarded: number
  standing: UnitStanding
}

/** List filter values: `expired` is an open request past its period. */
export const REQUEST_FILTERS: { value: RequestState | 'expired'; label: string }[] = [
  { value: 'open', label: '征集中' },
  { value: 'awarded', label: '已选定' },
  { value: 'done', label: '已完成' },
  { value: 'expired', label: '已过期' },
  { value: 'cancelled', label: '已撤销' },
]

export function requestTag(r: Pick<WorkRequest, 'state' | 'expired'>): TagType {
  if (r.expired) return 'info'
  return ({ open: 'warning', awarded: 'primary', done: 'success', cancelled: 'info' } as const)[r.state]
}
export const offerTag = (s: OfferState): TagType =>
  ({ pending: 'warning', accepted: 'success', declined: 'info', withdrawn: 'info' } as const)[s]

/** "3,500 元", or 面议 when no budget or price was given. */
export const money = (v: number | null) => (v == null ? '面议' : `${v.toLocaleString('zh-CN')} 元`)

export interface RequestForm {
  venueId: number | null
  title: string
  description: string
  place: string
  methods: string[]
  window: [string, string] | null
  workersNeeded: number
  budget: number | null
  contactName: string
  contactPhone: string
}

export const emptyRequestForm = (): RequestForm => ({
  venueId: null, title: '', description: '', place: '', methods: [], window: null, workersNeeded: 1, budget: null, contactName: '', contactPhone: '',
})

/** The longest period a request may ask for (server: kMaxWindowDays). */
export const MAX_WINDOW_DAYS = 90

/** What the browser can check before sending (`today` as YYYY-MM-DD); the server checks the same and more. */
export function checkRequestForm(f: RequestForm, today: string): FieldProblem[] {
  const bad: FieldProblem[] = []
  const need = (ok: unknown, field: string, message: string) => {
    if (!ok) bad.push({ field, message })
  }
  need(f.venueId, 'venueId', '请选择场所')
  need(f.title.trim(), 'title', '请填写需求名称')
  need(f.description.trim(), 'description', '请填写作业内容')
  need(f.place.trim(), 'place', '请填写动火部位')
  need(f.methods.length, 'methods', '请选择动火方式')
  if (!f.window || !isRealDate(f.window[0]) || !isRealDate(f.window[1])) bad.push({ field: 'windowStart', message: '请选择作业期限' })
  else if (f.window[0] < today) bad.push({ field: 'windowStart', message: '最早开工日期不能早于今天' })
  else if (f.window[1] < f.window[0]) bad.push({ field: 'windowStart', message: '最晚完工日期不能早于最早开工日期' })
  else if ((Date.parse(f.window[1]) - Date.parse(f.window[0])) / 86400e3 >= MAX_WINDOW_DAYS)
    bad.push({ field: 'windowStart', message: `作业期限最长 ${MAX_WINDOW_DAYS} 天` })
  need(Number.isInteger(f.workersNeeded) && f.workersNeeded >= 1 && f.workersNeeded <= 20, 'workersNeeded', '需要作业人数为 1–20 人')
  need(f.budget == null || f.budget >= 0, 'budget', '预算不能为负数')
  need(f.contactName.trim(), 'contactName', '请填写联系人')
  const phone = checkPhone(f.contactPhone)
  if (phone) bad.push({ field: 'contactPhone', message: phone })
  return bad
}

export const requestBody = (f: RequestForm) => ({
  venueId: f.venueId, title: f.title.trim(), description: f.description.trim(), place: f.place.trim(), methods: f.methods,
  windowStart: f.window?.[0], windowEnd: f.window?.[1], workersNeeded: f.workersNeeded, budget: f.budget ?? undefined,
  contactName: f.contactName.trim(), contactPhone: f.contactPhone.trim(),
})

export type RequestAction = 'offer' | 'done' | 'rate' | 'cancel'
export interface RequestButton {
  key: RequestAction
  label: string
  type: 'primary' | 'success' | 'danger' | 'default'
}

/** What the user may do with a request now (the server checks the same). */
export function requestButtons(r: WorkRequest | null, perms: readonly string[]): RequestButton[] {
  if (!r) return []
  const out: RequestButton[] = []
  const open = r.state === 'open' && !r.expired
  if (perms.includes('market:offer') && open) {
    const mine = r.offers?.find((o) => o.mine)
    out.push({ key: 'offer', label: mine && mine.state === 'pending' ? '修改应征' : '我要应征', type: 'primary' })
  }
  if (perms.includes('market:post') && r.venueSide) {
    if (r.state === 'awarded') out.push({ key: 'done', label: '确认完成', type: 'success' })
    if (r.state === 'done' && r.rating == null) out.push({ key: 'rate', label: '评价承接单位', type: 'primary' })
    if (r.state === 'open' || r.state === 'awarded') out.push({ key: 'cancel', label: '撤销需求', type: 'danger' })
  }
  return out
}

/** "评价 4.5 分（2 次）", or 暂无评价 before the unit's first rating. */
export const ratingText = (s: UnitStanding) => (s.rating == null ? '暂无评价' : `评价 ${s.rating.toFixed(1)} 分（${s.ratings} 次）`)

/** The labels of el-rate's five stars. */
export const RATING_LABELS = ['很差', '较差', '一般', '满意', '很满意']

/** What the done / rate dialog checks before sending: a rating is required to rate, optional on done. */
export function closeProblems(action: 'done' | 'rate', rating: number): FieldProblem[] {
  return action === 'rate' && !(rating >= 1 && rating <= 5) ? [{ field: 'rating', message: '请选择 1–5 星' }] : []
}
/** The body of done (`note` and `rating` optional: 0 stars is no rating) or rate (`rating` only). */
export const closeBody = (action: 'done' | 'rate', note: string, rating: number) =>
  action === 'rate' ? { rating } : { ...(note.trim() ? { note: note.trim() } : {}), ...(rating ? { rating } : {}) }

/** Whether the venue's side may award this answer now. */
export const canAward = (r: WorkRequest, o: WorkOffer, perms: readonly string[]) =>
  !!r.venueSide && perms.includes('market:post') && r.state === 'open' && !r.expired && o.state === 'pending'

/** The link that opens the permit form prefilled for the awarded work (venue, unit, workers). */
export function permitLink(r: WorkRequest): string | null {
  const won = r.offers?.find((o) => o.state === 'accepted' && o.mine)
  if (r.state !== 'awarded' || !won) return null
  const q = new URLSearchParams({ venueId: String(r.venueId), unitId: String(won.unitId), workers: won.people.map((p) => p.id).join(','),
    place: r.place, content: r.title, workRequestId: String(r.id) })
  return `/permits/new?${q.toString()}`
}
