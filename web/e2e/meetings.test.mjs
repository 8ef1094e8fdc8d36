// Browser tests of 培训与约谈: an officer of 商贸发展岗 records an interview of the mall in the dialog (first with nothing
// filled in: the dialog names the missing fields); the mall's manager finds it on the venue's page; a welder's
// training from the demo, held by another department, shows on the person's page. On a phone the list and a record need no sideways scrolling.
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

const localDate = (days) => new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10)

describe('培训与约谈 in the console', () => {
  it('records an interview that the venue then sees, and shows a worker\'s training on the person', async () => {
    const title = `浏览器测试 约谈 ${Date.now()}`
    const errors = []
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const page = await ctx.newPage()
    page.on('pageerror', (e) => errors.push(e.message))
    await consoleLogin(page, 'sw_officer')
    await page.goto(`${BASE}/meetings`)
    await page.locator('[data-test="meeting-totals"]').waitFor()
    await page.locator('[data-test="meeting-create"]').click()
    const dlg = page.locator('[data-test="meeting-dialog"]')
    await dlg.waitFor()
    await dlg.locator('[data-test="meeting-kind"]').getByText('约谈警示').click()
    await dlg.locator('[data-test="meeting-save"]').click()
    await dlg.locator('.el-form-item__error').filter({ hasText: '约谈须选择被约谈的场所或单位' }).waitFor()
    assert.ok(await dlg.locator('.el-form-item__error').count() >= 4)
    assert.match(await dlg.locator('[data-test="meeting-org"]').innerText(), /商贸发展岗/)

    await dlg.locator('[data-test="meeting-title"]').fill(title)
    await dlg.locator('[data-test="meeting-date"] input').fill(localDate(-1))
    await dlg.locator('[data-test="meeting-date"] input').press('Enter')
    await dlg.locator('[data-test="meeting-place"]').fill('商贸发展岗办公室')
    await dlg.locator('[data-test="meeting-content"]').fill('中庭观光电梯周边动火未设防火分隔，要求立即整改并报送')
    await dlg.locator('[data-test="meeting-venues"]').click()
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '金凤商业广场' }).first().click()
    await dlg.locator('[data-test="meeting-title"]').click() // close the dropdown
    await dlg.locator('[data-test="meeting-headcount"] input').fill('2')
    await dlg.locator('[data-test="meeting-save"]').click()
    await page.waitForURL(/\/meetings\/\d+$/)
    const id = page.url().split('/').pop()
    await page.locator('[data-test="meeting-detail"]').waitFor()
    assert.match(await page.locator('[data-test="meeting-kind-tag"]').innerText(), /约谈警示/)

    // the mall's manager sees it on the venue's page
    const vmCtx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const vm = await vmCtx.newPage()
    vm.on('pageerror', (e) => errors.push(e.message))
    await consoleLogin(vm, 'venue_mgr')
    const admin = await apiLogin('admin')
    const mall = (await admin.get(`/api/venues?q=${encodeURIComponent('金凤商业广场')}`)).items[0]
    await vm.goto(`${BASE}/venues/${mall.id}`)
    await vm.locator('[data-test="meeting-records"]').getByText(title).waitFor()

    // the demo training (held by 安全应急岗) names 唐国庆: it shows on his page to an officer of another department
    const tang = (await admin.get(`/api/people?q=${encodeURIComponent('唐国庆')}`)).items[0]
    await page.goto(`${BASE}/people/${tang.id}`)
    await page.locator('[data-test="meeting-records"]').getByText('动火作业安全培训').waitFor()

    const saved = await admin.get(`/api/meetings/${id}`)
    assert.equal(saved.kind, 'interview')
    assert.equal(saved.heldOn, localDate(-1))
    assert.deepEqual(saved.venues.map((v) => v.name), ['金凤商业广场'])
    assert.equal(saved.orgUnitName, '商贸发展岗')
    assert.deepEqual(errors, [])
    await vmCtx.close()
    await ctx.close()
  })

  it('fits a phone: the list and a record need no sideways scrolling of the page', async () => {
    const admin = await apiLogin('admin')
    const demo = (await admin.get('/api/meetings?kind=training&pageSize=50')).items[0]
    assert.ok(demo, 'the demo has a training')
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true })
    const page = await ctx.newPage()
    await consoleLogin(page, 'admin')
    for (const [path, sel] of [['/meetings', 'meetings-table'], [`/meetings/${demo.id}`, 'meeting-detail']]) {
      await page.goto(`${BASE}${path}`)
      await page.locator(`[data-test="${sel}"]`).waitFor()
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      assert.ok(overflow <= 1, `${path}: the page scrolls sideways by ${overflow}px`)
    }
    assert.ok(await page.locator('[data-test="meeting-people-list"] .person').count() >= 3)
    await ctx.close()
  })
})
