import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import type { Component, Plugin } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import ElementPlus from 'element-plus'
import Vant from 'vant'
import { api } from '../../src/shared/api'
import { session } from '../../src/shared/session'
import type { Permit } from '../../src/shared/types'
import ConsoleDetail from '../../src/console/pages/PermitDetailPage.vue'
import MobileDetail from '../../src/mobile/pages/PermitDetailPage.vue'

function permit(over: Partial<Permit>): Permit {
  return {
    id: 3, number: 'DH-20261121-0103', publicToken: 'tok', state: 'watching', stateLabel: '作业后监护', stateReason: '',
    venue: { id: 3, name: '金凤商业广场', type: 'mall', typeLabel: '商场' }, place: '地下一层设备机房', indoor: true,
    indoorReason: '设备在室内', content: '消防管道支架切割更换', method: 'gas_cutting', methodLabel: '气割',
    levelDeclared: 'level2', level: 'level1', levelLabel: '一级', levelReasons: ['夜间动火'],
    plannedStart: '2026-11-22T10:50:00Z', plannedEnd: '2026-11-22T12:50:00Z',
    jobLeader: { id: 3, name: '邓强', userId: 18 }, fireWatch: { id: 13, name: '林芳', userId: 23, checkedInAt: '2026-11-22T10:38:00Z' },
    workerCount: 1, startedAt: '2026-11-22T10:50:00Z', finishedAt: '2026-11-22T12:50:00Z', closedAt: null,
    createdAt: '2026-11-21T04:50:00Z', updatedAt: '2026-11-21T04:50:00Z', unit: null,
    approver: { id: 17, name: '冯建华' }, applicant: { id: 18, name: '邓强' },
    workers: [{ personId: 2, name: '蒋超', certificateId: 2, certificateNumber: 'T5001**********2205', certificateKindLabel: '特种作业操作证', checkedInAt: null }],
    machines: [{ id: 3, code: 'JF-HJ-0003', kindLabel: '二氧化碳气体保护焊机' }],
    riskIdentification: '火花飞溅', riskAssessment: '', controls: [], fireSeparation: true, windForce: null, gasRequired: false,
    gasAnalyses: [], measures: [{ code: 'a', label: '可燃物已清除', applies: true, confirmedBy: '邓强', confirmedAt: '2026-11-21T14:50:00Z' }],
    survey: null, riskConfirmation: null,
    rounds: [
      { seq: 1, dueAt: '2026-11-22T13:05:00Z', doneAt: null, result: null, note: '', late: false },
      { seq: 2, dueAt: '2026-11-22T13:20:00Z', doneAt: null, result: null, note: '', late: false },
    ],
    siteClear: false, photosBefore: [], photosAfter: [], allowedCommands: ['close', 'rounds'],
    timeline: [
      { at: '2026-11-21T04:50:00Z', command: 'create', commandLabel: '创建草稿', fromState: 'draft', toState: 'draft', name: '邓强', ip: '10.0.0.8', detail: {} },
      { at: '2026-11-22T12:50:00Z', command: 'finish', commandLabel: '结束作业', fromState: 'in_progress', toState: 'watching', name: '邓强', ip: '10.0.0.9', detail: {} },
    ],
    ...over,
  } as Permit
}

async function mountAt(component: Component, path: string, pattern: string, plugin: Plugin) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: pattern, component },
      { path: '/:rest(.*)*', component: { template: '<div />' } },
    ],
  })
  router.push(path)
  await router.isReady()
  const w = mount(component, { global: { plugins: [plugin, router] }, attachTo: document.body })
  await flushPromises()
  return w
}

const buttons = (w: ReturnType<typeof mount>, prefix: string) =>
  w.findAll(`[data-test^="${prefix}"]`).map((b) => b.attributes('data-test')!.slice(prefix.length))

afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})
// Vant's fixed bars measure their height again 100, 200 and 300 ms after mounting (useHeight with a safe area):
// let those timers run before the test environment (and its `window`) is torn down.
afterAll(() => new Promise((done) => setTimeout(done, 350)))

describe('permit detail: buttons come from allowedCommands only', () => {
  it('console: the fire watch during 作业后监护 gets 监护巡查 and 关闭, the countdown and the timeline', async () => {
    session.me = { id: 23, permissions: ['permit:read'] } as never
    vi.spyOn(api, 'get').mockResolvedValue(permit({}))
    const w = await mountAt(ConsoleDetail, '/permits/3', '/permits/:id', ElementPlus)
    expect(buttons(w, 'cmd-')).toEqual(['rounds', 'close'])
    expect(w.find('[data-test="print-permit"]').exists()).toBe(true)
    expect(w.find('[data-test="round-countdown"]').text()).toContain('第 1 / 2 次巡查')
    expect(w.find('[data-test="level-raised"]').text()).toContain('申报二级')
    const tl = w.find('[data-test="permit-timeline"]').text()
    expect(tl).toContain('结束作业')
    expect(tl).toContain('作业中 → 作业后监护')
    expect(tl).toContain('IP 10.0.0.9')
    expect(tl.indexOf('结束作业')).toBeLessThan(tl.indexOf('创建草稿'))
  })

  it('console: a draft’s applicant gets 编辑, 提交申请 and 取消; nobody gets a button the server did not list', async () => {
    session.me = { id: 18, permissions: ['permit:read'] } as never
    vi.spyOn(api, 'get').mockResolvedValue(permit({ state: 'draft', stateLabel: '草稿', rounds: [], allowedCommands: ['submit', 'cancel', 'update'] }))
    const w = await mountAt(ConsoleDetail, '/permits/3', '/permits/:id', ElementPlus)
    expect(buttons(w, 'cmd-')).toEqual(['update', 'submit', 'cancel'])
    expect(w.find('[data-test="round-countdown"]').exists()).toBe(false)

    vi.spyOn(api, 'get').mockResolvedValue(permit({ state: 'closed', allowedCommands: [] }))
    const w2 = await mountAt(ConsoleDetail, '/permits/3', '/permits/:id', ElementPlus)
    expect(buttons(w2, 'cmd-')).toEqual([])
  })

  it('phone: the same commands, drafts not editable there, the round countdown shown while watching', async () => {
    session.me = { id: 23, permissions: ['permit:read'] } as never
    vi.spyOn(api, 'get').mockResolvedValue(permit({}))
    const w = await mountAt(MobileDetail, '/permits/3', '/permits/:id', Vant)
    expect(buttons(w, 'm-cmd-')).toEqual(['rounds', 'close'])
    expect(w.find('[data-test="m-round-countdown"]').text()).toContain('第 1 / 2 次监护巡查')

    session.me = { id: 18, permissions: ['permit:read'] } as never
    vi.spyOn(api, 'get').mockResolvedValue(permit({ state: 'draft', rounds: [], allowedCommands: ['submit', 'cancel', 'update'] }))
    const d = await mountAt(MobileDetail, '/permits/3', '/permits/:id', Vant)
    expect(buttons(d, 'm-cmd-')).toEqual(['submit', 'cancel'])
    expect(d.text()).toContain('请在电脑端')
  })
})
