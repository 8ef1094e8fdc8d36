import { describe, expect, it } from 'vitest'
import {
  canAward, checkRequestForm, closeBody, closeProblems, emptyRequestForm, money, permitLink, ratingText, requestBody, requestButtons, requestTag,
  type RequestForm, type WorkOffer,
  type WorkRequest,
} from '../../src/shared/market'
import { prefillFromQuery } from '../../src/shared/permitForm'

const TODAY = '2026-12-05'
const filled = (over: Partial<RequestForm> = {}): RequestForm => ({
  ...emptyRequestForm(),
  venueId: 3, title: ' 后厨排烟管道焊接 ', description: '支架 12 米', place: '一层后厨', methods: ['electric_welding'],
  window: ['2026-12-06', '2026-12-16'], workersNeeded: 2, budget: 3500, contactName: '冯建华', contactPhone: '13983040001', ...over,
})

const offer = (over: Partial<WorkOffer> = {}): WorkOffer => ({
  id: 11, requestId: 1, unitId: 5, unitName: '金凤建筑安装', unitContact: '邓强', price: 3000, note: '', state: 'pending', stateLabel: '待选定',
  mine: false, people: [{ id: 21, name: '唐国庆', certificate: null }, { id: 22, name: '蒋超', certificate: null }],
  standing: { certifiedPeople: 2, chippedMachines: 1, creditMarks: 0, rating: null, ratings: 0 }, createdBy: 9, createdAt: '', updatedAt: '', ...over,
})
const request = (over: Partial<WorkRequest> = {}): WorkRequest => ({
  id: 1, number: 'XQ-2026-0001', venueId: 3, venueName: '金凤商业广场', venueAddress: '金凤镇', villageName: '金凤佳园社区', title: '护栏加固',
  description: '16 处', place: '中庭', methods: ['electric_welding'], methodLabels: ['电焊'], windowStart: '2026-12-06', windowEnd: '2026-12-15',
  workersNeeded: 2, budget: null, contactName: '冯建华', state: 'open', stateLabel: '征集中', expired: false, awardedOfferId: null,
  awardedUnitName: null, closeNote: '', rating: null, offerCount: 1, createdBy: 2, createdAt: '', updatedAt: '', offers: [], venueSide: false, ...over,
})

describe('checkRequestForm', () => {
  it('passes a complete form and names every missing field of an empty one', () => {
    expect(checkRequestForm(filled(), TODAY)).toEqual([])
    expect(checkRequestForm({ ...emptyRequestForm(), workersNeeded: 0 }, TODAY).map((b) => b.field)).toEqual([
      'venueId', 'title', 'description', 'place', 'methods', 'windowStart', 'workersNeeded', 'contactName', 'contactPhone',
    ])
  })
  it('refuses a start before today, an end before the start, a period of 90 days or more, 21 workers and a bad phone', () => {
    expect(checkRequestForm(filled({ window: ['2026-12-04', '2026-12-10'] }), TODAY)).toEqual([{ field: 'windowStart', message: '最早开工日期不能早于今天' }])
    expect(checkRequestForm(filled({ window: ['2026-12-10', '2026-12-06'] }), TODAY).map((b) => b.message)).toEqual(['最晚完工日期不能早于最早开工日期'])
    expect(checkRequestForm(filled({ window: ['2026-12-06', '2027-03-06'] }), TODAY).map((b) => b.field)).toEqual(['windowStart'])
    expect(checkRequestForm(filled({ window: ['2026-12-06', '2027-03-05'] }), TODAY)).toEqual([])
    expect(checkRequestForm(filled({ workersNeeded: 21, contactPhone: '139' }), TODAY).map((b) => b.field)).toEqual(['workersNeeded', 'contactPhone'])
    expect(checkRequestForm(filled({ budget: -1 }), TODAY).map((b) => b.field)).toEqual(['budget'])
  })
  it('sends trimmed texts, the period as windowStart / windowEnd, and no budget when none was given', () => {
    const body = requestBody(filled({ budget: null }))
    expect(body.title).toBe('后厨排烟管道焊接')
    expect([body.windowStart, body.windowEnd]).toEqual(['2026-12-06', '2026-12-16'])
    expect('budget' in body && body.budget).toBe(undefined)
    expect(requestBody(filled()).budget).toBe(3500)
  })
})

describe('buttons and awards', () => {
  it('offers answering to units while open and not expired, and names a pending answer of its own as an update', () => {
    expect(requestButtons(request(), ['market:offer']).map((b) => b.label)).toEqual(['我要应征'])
    expect(requestButtons(request({ offers: [offer({ mine: true })] }), ['market:offer']).map((b) => b.label)).toEqual(['修改应征'])
    expect(requestButtons(request({ expired: true }), ['market:offer'])).toEqual([])
    expect(requestButtons(request({ state: 'awarded' }), ['market:offer'])).toEqual([])
  })
  it('gives the venue side cancel while open, done and cancel once awarded, rate once done until rated', () => {
    const vm = ['market:post']
    expect(requestButtons(request({ venueSide: true }), vm).map((b) => b.key)).toEqual(['cancel'])
    expect(requestButtons(request({ venueSide: true, state: 'awarded' }), vm).map((b) => b.key)).toEqual(['done', 'cancel'])
    expect(requestButtons(request({ venueSide: true, state: 'done' }), vm).map((b) => b.key)).toEqual(['rate'])
    expect(requestButtons(request({ venueSide: true, state: 'done', rating: 3 }), vm)).toEqual([])
    expect(requestButtons(request({ venueSide: true, state: 'cancelled' }), vm)).toEqual([])
    expect(requestButtons(request({ venueSide: false, state: 'done' }), vm)).toEqual([])
    expect(requestButtons(request({ venueSide: true, state: 'done' }), ['market:read'])).toEqual([])
  })
  it('rates: optional on done (0 stars sends none), required on rate; the standing reads as a mean and a count', () => {
    expect(closeProblems('done', 0)).toEqual([])
    expect(closeProblems('rate', 0).map((b) => b.field)).toEqual(['rating'])
    expect(closeProblems('rate', 4)).toEqual([])
    expect(closeBody('done', '  ', 0)).toEqual({})
    expect(closeBody('done', ' 按期完成 ', 5)).toEqual({ note: '按期完成', rating: 5 })
    expect(closeBody('rate', '不发送', 2)).toEqual({ rating: 2 })
    expect(ratingText(offer().standing)).toBe('暂无评价')
    expect(ratingText({ ...offer().standing, rating: 4.5, ratings: 2 })).toBe('评价 4.5 分（2 次）')
    expect(ratingText({ ...offer().standing, rating: 5, ratings: 1 })).toBe('评价 5.0 分（1 次）')
  })
  it('lets the venue side award a pending answer of an open request only', () => {
    const vm = ['market:post']
    expect(canAward(request({ venueSide: true }), offer(), vm)).toBe(true)
    expect(canAward(request({ venueSide: false }), offer(), vm)).toBe(false)
    expect(canAward(request({ venueSide: true, expired: true }), offer(), vm)).toBe(false)
    expect(canAward(request({ venueSide: true }), offer({ state: 'withdrawn' }), vm)).toBe(false)
    expect(canAward(request({ venueSide: true }), offer(), ['market:read'])).toBe(false)
  })
  it('tags and money', () => {
    expect(requestTag(request())).toBe('warning')
    expect(requestTag(request({ expired: true }))).toBe('info')
    expect(requestTag(request({ state: 'done' }))).toBe('success')
    expect(money(null)).toBe('面议')
    expect(money(12500)).toBe('12,500 元')
  })
})

describe('from an award to a permit application', () => {
  it('links the awarded unit to a prefilled permit form, and no one else', () => {
    const won = request({ state: 'awarded', offers: [offer({ state: 'accepted', mine: true })] })
    const link = permitLink(won)
    expect(link).toMatch(/^\/permits\/new\?/)
    expect(prefillFromQuery(Object.fromEntries(new URLSearchParams(link!.split('?')[1])))).toEqual({
      venueId: 3, unitId: 5, place: '中庭', content: '护栏加固', workers: [{ personId: 21, certificateId: null }, { personId: 22, certificateId: null }],
      workRequestId: 1,
    })
    expect(permitLink(request({ state: 'awarded', offers: [offer({ state: 'accepted', mine: false })] }))).toBeNull()
    expect(permitLink(request({ offers: [offer({ mine: true })] }))).toBeNull()
  })
  it('leaves out what is not an id or text, and repeats', () => {
    expect(prefillFromQuery({ venueId: '0', unitId: 'x', workers: '3,3,abc,,4', place: ['a'], workRequestId: '1e3' })).toEqual({
      workers: [{ personId: 3, certificateId: null }, { personId: 4, certificateId: null }],
    })
    expect(prefillFromQuery({})).toEqual({})
  })
})
