// Browser tests of 专项行动: the admin deploys a campaign in the dialog (first empty: the dialog names what is
// missing), the lead department's officer reports progress and confirms the task done, and the campaign's page then
// shows the totals and the task as done. On a phone the tasks are cards whose actions need no sideways scrolling.
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

const day = (offset) => new Date(Date.now() + 8 * 3600_000 + offset * 86400_000).toISOString().slice(0, 10)

describe('专项行动 in the console', () => {
  it('is deployed by the admin, reported on and completed by the lead department', async () => {
    const name = `浏览器测试专项行动 ${Date.now()}`
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const page = await ctx.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    await consoleLogin(page, 'admin')
    await page.goto(`${BASE}/campaigns`)
    await page.locator('[data-test="campaign-create"]').click()
    const dlg = page.locator('[data-test="campaign-dialog"]')
    await dlg.waitFor()
    await dlg.locator('[data-test="campaign-save"]').click()
    await dlg.locator('.el-form-item__error').filter({ hasText: '请填写专项行动名称' }).waitFor()

    await dlg.locator('[data-test="campaign-name"]').fill(name)
    const dates = dlg.locator('[data-test="campaign-dates"] input')
    await dates.nth(0).fill(day(-1))
    await dates.nth(1).fill(day(60))
    await dates.nth(1).press('Enter')
    // no phases: remove the three preset rows
    for (let i = 0; i < 3; i++) await dlg.getByRole('button', { name: '删除阶段' }).first().click()
    const task = dlg.locator('[data-test="campaign-task-0"]')
    await task.locator('[data-test="task-title"]').fill('商场疏散通道整治')
    await task.locator('[data-test="task-lead"]').click()
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '商贸发展岗' }).first().click()
    await task.locator('[data-test="task-due"] input').fill(day(30))
    await task.locator('[data-test="task-due"] input').press('Enter')
    await dlg.locator('[data-test="campaign-save"]').click()
    await page.waitForURL(/\/campaigns\/\d+$/)
    const id = page.url().split('/').pop()
    await page.locator('[data-test="campaign-detail"]').waitFor()
    assert.equal(await page.locator('[data-test="campaign-title"]').innerText(), name)
    // the admin's department (安全应急岗) neither leads nor helps: no actions
    assert.equal(await page.locator('[data-test="task-report"]').count(), 0)

    const officer = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const op = await officer.newPage()
    op.on('pageerror', (e) => errors.push(e.message))
    await consoleLogin(op, 'sw_officer')
    await op.goto(`${BASE}/campaigns/${id}`)
    await op.locator('[data-test="task-report"]').click()
    const rd = op.locator('[data-test="report-dialog"]')
    await rd.waitFor()
    await rd.locator('[data-test="report-save"]').click()
    await rd.locator('.el-form-item__error').filter({ hasText: '请填写工作进展' }).waitFor()
    await rd.locator('[data-test="report-content"]').fill('检查商场 3 家，清理通道堆放物 2 处')
    await rd.locator('[data-test="report-venues"] input').fill('3')
    await rd.locator('[data-test="report-save"]').click()
    await rd.waitFor({ state: 'hidden' })
    await op.locator('[data-test="campaign-tasks"]').getByText('检查场所 3').waitFor()
    await op.locator('[data-test="task-complete"]').click()
    const box = op.locator('.el-message-box')
    await box.waitFor()
    await box.locator('textarea').fill('通道整治完成')
    await box.getByRole('button', { name: '确认完成' }).click()
    await op.locator('[data-test="task-state"]').filter({ hasText: '已完成' }).waitFor()

    const admin = await apiLogin('admin')
    const saved = await admin.get(`/api/campaigns/${id}`)
    assert.equal(saved.doneCount, 1)
    assert.deepEqual([saved.tasks[0].reportCount, saved.tasks[0].venuesChecked, saved.tasks[0].doneSummary], [1, 3, '通道整治完成'])
    assert.deepEqual(errors, [])
    await officer.close()
    await ctx.close()
  })

  it('fits a phone: the tasks are cards with their actions in view', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true })
    const page = await ctx.newPage()
    await consoleLogin(page, 'sw_officer')
    await page.goto(`${BASE}/campaigns`)
    // the demo's campaign, whose first task 商贸发展岗 leads and has not completed
    await page.locator('[data-test="campaign-card"]').filter({ hasText: '今冬明春' }).click()
    await page.locator('[data-test="campaign-detail"]').waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`)
    const button = page.locator('[data-test="task-report"]').first()
    await button.waitFor()
    const box = await button.boundingBox()
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `报送进展 is outside the screen: ${JSON.stringify(box)}`)
    await ctx.close()
  })
})
