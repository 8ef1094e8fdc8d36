// Browser tests of 动火作业供需对接: the mall's manager posts a request in the dialog (first with nothing filled in:
// the dialog names the missing fields); the demo contractor answers with two certified workers (the one without a
// certificate cannot be ticked); the manager awards the work; the contractor then sees the full contact phone and
// opens the permit form prefilled with the venue, the unit and both workers; the manager confirms the work done with a
// 4-star rating, which the unit's standing counts. On a phone the list and a detail are
// usable without sideways scrolling of the page.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { apiLogin, BASE, consoleLogin, launch } from './lib.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

const desk = () => browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
const localDate = (days) => new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10)

describe('供需对接 in the console', () => {
  it('is posted by a venue, answered by a unit with certified workers, awarded, and leads to a prefilled permit form', async () => {
    const title = `浏览器测试 冷柜支架焊接 ${Date.now()}`
    const errors = []
    const vmCtx = await desk()
    const vm = await vmCtx.newPage()
    vm.on('pageerror', (e) => errors.push(e.message))
    await consoleLogin(vm, 'venue_mgr')
    await vm.goto(`${BASE}/market`)
    await vm.locator('[data-test="request-create"]').click()
    const dlg = vm.locator('[data-test="request-dialog"]')
    await dlg.waitFor()
    await dlg.locator('[data-test="request-title"]').fill('')
    await dlg.locator('[data-test="request-save"]').click()
    await dlg.locator('.el-form-item__error').filter({ hasText: '请填写需求名称' }).waitFor()
    assert.ok(await dlg.locator('.el-form-item__error').count() >= 4)

    await dlg.locator('[data-test="request-venue"]').click()
    await vm.locator('.el-select-dropdown__item:visible').filter({ hasText: '金凤商业广场' }).first().click()
    await dlg.locator('[data-test="request-title"]').fill(title)
    await dlg.locator('[data-test="request-description"]').fill('超市冷柜底座支架 8 处电焊加固')
    await dlg.locator('[data-test="request-place"]').fill('一层超市')
    await dlg.locator('[data-test="request-methods"]').getByText('电焊').click()
    const dates = dlg.locator('[data-test="request-window"] input')
    await dates.nth(0).fill(localDate(1))
    await dates.nth(1).fill(localDate(8))
    await dates.nth(1).press('Enter')
    await dlg.locator('[data-test="request-workers"] input').fill('2')
    await dlg.locator('[data-test="request-budget"] input').fill('2600')
    await dlg.locator('[data-test="request-phone"]').fill('13983040001')
    await dlg.locator('[data-test="request-save"]').click()
    await vm.waitForURL(/\/market\/\d+$/)
    const id = vm.url().split('/').pop()
    await vm.locator('[data-test="request-detail"]').waitFor()
    assert.match(await vm.locator('[data-test="request-state"]').innerText(), /征集中/)

    // the demo contractor answers: 邓强 has no certificate and cannot be ticked
    const cCtx = await desk()
    const cp = await cCtx.newPage()
    cp.on('pageerror', (e) => errors.push(e.message))
    await consoleLogin(cp, 'contractor')
    await cp.goto(`${BASE}/market`)
    await cp.locator('[data-test="requests-table"]').getByText(title).waitFor()
    await cp.goto(`${BASE}/market/${id}`)
    assert.match(await cp.locator('[data-test="request-contact"]').innerText(), /139\*{4}0001/, 'the phone is masked before the award')
    await cp.locator('[data-test="request-cmd-offer"]').click()
    const od = cp.locator('[data-test="offer-dialog"]')
    await od.waitFor()
    const people = od.locator('[data-test="offer-people"]')
    await people.getByText('唐国庆').waitFor()
    assert.ok(await people.locator('label', { hasText: '邓强' }).evaluate((l) => l.classList.contains('is-disabled')), '邓强 can be ticked')
    await people.getByText('唐国庆').click()
    await od.locator('[data-test="offer-save"]').click()
    await od.locator('.el-form-item__error').filter({ hasText: '至少选择 2 名' }).waitFor()
    await people.getByText('蒋超').click()
    await od.locator('[data-test="offer-price"] input').fill('2400')
    await od.locator('[data-test="offer-note"]').fill('闭店后施工，一晚完成')
    await od.locator('[data-test="offer-save"]').click()
    await od.waitFor({ state: 'hidden' })
    await cp.locator('[data-test="request-offers"]').getByText('待选定').waitFor()

    // the manager awards it
    await vm.reload()
    const accept = vm.locator('[data-test^="offer-accept-"]')
    await accept.first().click()
    await vm.locator('.el-message-box').getByRole('button', { name: '选定' }).click()
    await vm.locator('[data-test="request-state"]').filter({ hasText: '已选定' }).waitFor()

    // the contractor sees the phone and applies for the permit from the award
    await cp.reload()
    await cp.locator('[data-test="request-won"]').waitFor()
    assert.match(await cp.locator('[data-test="request-contact"]').innerText(), /13983040001/)
    await cp.locator('[data-test="request-apply"]').click()
    await cp.waitForURL(/\/permits\/new\?/)
    // the selects show names once the form's people and units have loaded
    await cp.locator('[data-test="worker-person-0"]').filter({ hasText: '唐国庆' }).waitFor()
    await cp.locator('[data-test="worker-person-1"]').filter({ hasText: '蒋超' }).waitFor()
    await cp.locator('[data-test="unit-select"]').filter({ hasText: '金凤建筑安装' }).waitFor()
    assert.equal(new URL(cp.url()).searchParams.get('workRequestId'), String(id))
    const admin = await apiLogin('admin')
    const saved = await admin.get(`/api/market/requests/${id}`)
    // the application names the awarded request by its number and name
    await cp.locator('[data-test="form-work-request-link"]').filter({ hasText: `${saved.number}「${saved.title}」` }).waitFor()

    assert.equal(saved.state, 'awarded')
    assert.equal(saved.budget, 2600)
    assert.deepEqual([saved.windowStart, saved.windowEnd], [localDate(1), localDate(8)])
    assert.deepEqual(saved.offers.map((o) => [o.state, o.price, o.people.map((p) => p.name).sort()]), [['accepted', 2400, ['唐国庆', '蒋超'].sort()]])

    // the manager confirms the work done and gives it 4 stars, which the unit's standing counts
    const standing = async () => (await admin.get(`/api/market/providers?q=${encodeURIComponent('金凤建筑安装')}`)).items[0].standing
    const rated = (await standing()).ratings
    await vm.reload()
    await vm.locator('[data-test="request-cmd-done"]').click()
    const cd = vm.locator('[data-test="market-close-dialog"]')
    await cd.waitFor()
    await cd.locator('[data-test="market-close-note"]').fill('按期完成，现场已清理')
    await cd.locator('[data-test="market-close-rating"] .el-rate__item').nth(3).click()
    await cd.locator('[data-test="market-close-submit"]').click()
    await cd.waitFor({ state: 'hidden' })
    await vm.locator('[data-test="request-rating"]').filter({ hasText: '满意' }).waitFor()
    assert.match(await vm.locator('[data-test="request-closed"]').innerText(), /按期完成，现场已清理/)
    assert.equal(await vm.locator('[data-test="request-cmd-rate"]').count(), 0, 'a rated request offers no second rating')
    const done = await admin.get(`/api/market/requests/${id}`)
    assert.deepEqual([done.state, done.rating, done.closeNote], ['done', 4, '按期完成，现场已清理'])
    assert.equal((await standing()).ratings, rated + 1)
    assert.deepEqual(errors, [])
    await cCtx.close()
    await vmCtx.close()
  })

  it('fits a phone: the list, the directory and a detail need no sideways scrolling of the page', async () => {
    const admin = await apiLogin('admin')
    const demo = (await admin.get('/api/market/requests?state=open&pageSize=50')).items.find((r) => r.title.includes('护栏'))
    assert.ok(demo, 'the demo has an open request at the mall')
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true })
    const page = await ctx.newPage()
    await consoleLogin(page, 'venue_mgr')
    for (const [path, sel] of [['/market', 'requests-table'], ['/market?tab=providers', 'providers-table'], [`/market/${demo.id}`, 'request-offers']]) {
      await page.goto(`${BASE}${path}`)
      await page.locator(`[data-test="${sel}"]`).waitFor()
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      assert.ok(overflow <= 1, `${path}: the page scrolls sideways by ${overflow}px`)
    }
    // the venue sees both answers of the demo request, each with the unit's standing
    assert.equal(await page.locator('[data-test="request-offers"] .offer').count(), 2)
    await ctx.close()
  })
})
