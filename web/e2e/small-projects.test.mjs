// Browser tests of 小型工程备案: the contractor files a project in the dialog (first with nothing filled in: the
// dialog names the missing fields), the department (sw_officer, supervising the venue) returns it with a reason, the
// contractor corrects it from the detail page and files it again, and the department accepts it and records an
// unannounced check. On a phone the list and the detail are usable without sideways scrolling of the page.
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

/** Answers the command prompt (ElMessageBox.prompt) with `text`. */
async function prompt(page, text) {
  const box = page.locator('.el-message-box')
  await box.waitFor()
  await box.locator('textarea').fill(text)
  await box.getByRole('button', { name: '确定' }).click()
  await box.waitFor({ state: 'hidden' })
}

describe('小型工程备案 in the console', () => {
  it('is filed by a contractor, returned, corrected, accepted and checked unannounced', async () => {
    const stamp = Date.now()
    const name = `浏览器测试 一层后厨改造 ${stamp}`
    const ctx = await desk()
    const page = await ctx.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    await consoleLogin(page, 'contractor')
    await page.goto(`${BASE}/small-projects`)
    await page.locator('[data-test="project-create"]').click()
    const dlg = page.locator('[data-test="project-dialog"]')
    await dlg.waitFor()
    // nothing filled in: every required field says so, and nothing is sent
    await dlg.locator('[data-test="project-save"]').click()
    await dlg.locator('.el-form-item__error').filter({ hasText: '请填写工程名称' }).waitFor()
    assert.ok(await dlg.locator('.el-form-item__error').count() >= 10)

    await dlg.locator('[data-test="project-name"]').fill(name)
    await dlg.locator('[data-test="project-venue"]').click()
    await page.keyboard.type('金凤老火锅')
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '金凤老火锅' }).first().click()
    await dlg.locator('[data-test="project-location"]').fill('一层后厨')
    await dlg.locator('[data-test="project-kind"]').getByText('改建').click()
    await dlg.locator('[data-test="project-investment"] input').fill('9.5')
    await dlg.locator('[data-test="project-area"] input').fill('45')
    const from = new Date(Date.now() + 8 * 3600_000 + 86400_000).toISOString().slice(0, 10)
    const to = new Date(Date.now() + 8 * 3600_000 + 10 * 86400_000).toISOString().slice(0, 10)
    const dates = dlg.locator('[data-test="project-dates"] input')
    await dates.nth(0).fill(from)
    await dates.nth(1).fill(to)
    await dates.nth(1).press('Enter')
    await dlg.locator('[data-test="project-methods"]').getByText('电焊').click()
    await dlg.locator('[data-test="project-measures"]').fill('停业日施工，动火点铺防火毯，专人监护')
    await dlg.locator('[data-test="project-unit"]').click()
    await page.locator('.el-select-dropdown__item:visible').first().click()
    await dlg.locator('[data-test="project-manager"]').fill('邓强')
    await dlg.locator('[data-test="project-phone"]').fill('13883510021')
    assert.match(await dlg.locator('[data-test="project-dept"]').innerText(), /规建环保岗/, 'the department is not preset')
    await dlg.locator('[data-test="project-save"]').click()
    await page.waitForURL(/\/small-projects\/\d+$/)
    const id = page.url().split('/').pop()
    await page.locator('[data-test="project-detail"]').waitFor()
    assert.match(await page.locator('[data-test="project-state"]').innerText(), /待受理/)
    assert.equal(await page.locator('[data-test="project-cmd-accept"]').count(), 0, 'the filer may not accept')

    // the department that supervises the venue returns it
    const officer = await ctx.browser().newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const op = await officer.newPage()
    op.on('pageerror', (e) => errors.push(e.message))
    await consoleLogin(op, 'sw_officer')
    await op.goto(`${BASE}/small-projects/${id}`)
    await op.locator('[data-test="project-cmd-return"]').click()
    await prompt(op, '请补充与就餐区的防火分隔措施')
    await op.locator('[data-test="project-returned"]').filter({ hasText: '防火分隔' }).waitFor()

    // the contractor corrects it and files it again
    await page.reload()
    await page.locator('[data-test="project-cmd-edit"]').click()
    await dlg.waitFor()
    assert.equal(await dlg.locator('[data-test="project-name"]').inputValue(), name, 'the correction starts from the filing')
    await dlg.locator('[data-test="project-measures"]').fill('停业日施工，后厨与就餐区用防火板分隔，动火点铺防火毯，专人监护')
    await dlg.locator('[data-test="project-save"]').click()
    await page.locator('[data-test="project-state"]').filter({ hasText: '待受理' }).waitFor()
    await page.locator('[data-test="project-timeline"]').getByText('补正后重新提交').waitFor()

    // accepted, then an unannounced check
    await op.reload()
    await op.locator('[data-test="project-cmd-accept"]').click()
    await prompt(op, '材料齐全')
    await op.locator('[data-test="project-state"]').filter({ hasText: '已备案' }).waitFor()
    await op.locator('[data-test="project-cmd-check"]').click()
    await prompt(op, '夜间暗访：未动火，围挡完好')
    await op.locator('[data-test="project-timeline"]').getByText('暗访检查').waitFor()

    const admin = await apiLogin('admin')
    const saved = await admin.get(`/api/small-projects/${id}`)
    assert.deepEqual(saved.timeline.map((e) => e.action), ['submit', 'return', 'resubmit', 'accept', 'check'])
    assert.equal(saved.venueName, '金凤老火锅')
    assert.deepEqual([saved.plannedStart, saved.plannedEnd], [from, to])
    assert.match(saved.fireMeasures, /防火板分隔/)
    assert.deepEqual(errors, [])
    await officer.close()
    await ctx.close()
  })

  it('fits a phone: the list and a detail need no sideways scrolling of the page', async () => {
    const admin = await apiLogin('admin')
    // the demo's accepted filing at the mall, whose dates hold some of the demo's permits
    const demo = (await admin.get('/api/small-projects?state=accepted&pageSize=50')).items.find((p) => p.name.includes('美食街'))
    assert.ok(demo, 'the demo has an accepted filing at the mall')
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true })
    const page = await ctx.newPage()
    await consoleLogin(page, 'admin')
    for (const path of ['/small-projects', `/small-projects/${demo.id}`]) {
      await page.goto(`${BASE}${path}`)
      await page.locator(path.endsWith('projects') ? '[data-test="projects-table"]' : '[data-test="project-detail"]').waitFor()
      // the permits within the project's dates carry their state
      if (!path.endsWith('projects')) assert.ok(await page.locator('[data-test="project-permits"] .permit-state').count() > 0, 'no permit state shown')
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      assert.ok(overflow <= 1, `${path}: the page scrolls sideways by ${overflow}px`)
    }
    await ctx.close()
  })
})
