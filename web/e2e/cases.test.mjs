// Browser tests of enforcement cases (docs/api-hazards.md "执法案件、警示曝光与失信联合惩戒"): the admin opens a case
// from a demo hazard's detail page, records 一案双罚 (first without a person penalty: the dialog refuses), exposes it
// with a summary naming a person and a phone number and sees the de-identified text; the public 曝光台 on a phone
// shows it without the name.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { apiLogin, BASE, consoleLogin, launch, phoneContext } from './lib.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

const desk = () => browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })

describe('执法案件 in the console', () => {
  it('opens a case from a hazard, records 一案双罚, exposes it de-identified; 曝光台 shows it', async () => {
    const admin = await apiLogin('admin')
    const hazards = (await admin.get('/api/hazards?pageSize=50')).items
    const hazard = hazards.find((h) => h.responsibleUnitId) ?? hazards[0]
    assert.ok(hazard, 'the demo has hazards')

    const ctx = await desk()
    const page = await ctx.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    await consoleLogin(page, 'admin')
    await page.goto(`${BASE}/hazards/${hazard.id}`)
    await page.locator('[data-test="hazard-open-case"]').click()
    const dlg = page.locator('[data-test="case-dialog"]')
    await dlg.waitFor()
    const stamp = Date.now()
    const title = `浏览器测试 堵塞疏散通道案 ${stamp}`
    await dlg.locator('[data-test="case-title"]').fill(title)
    await dlg.locator('[data-test="case-person-name-0"]').fill('张建国')
    await dlg.locator('[data-test="case-person-role-0"]').fill('主要负责人')
    await dlg.locator('[data-test="case-save"]').click()
    await page.waitForURL(/\/cases\/\d+$/)
    await page.locator('[data-test="case-detail"]').waitFor()
    assert.match(await page.locator('[data-test="case-state"]').innerText(), /立案调查/)

    // 一案双罚: without a person penalty the dialog says both are needed.
    await page.locator('[data-test="case-cmd-penalize"]').click()
    const pd = page.locator('[data-test="case-cmd-dialog"]')
    await pd.waitFor()
    await pd.locator('[data-test="double-penalty-hint"]').waitFor()
    await pd.locator('[data-test="pen-number"]').fill(`金凤消行罚决字〔2026〕第 ${stamp % 10000} 号`)
    await pd.locator('[data-test="pen-unit-amount"] input').fill('30000')
    while (await pd.locator('[data-test="pen-person-remove-0"]').count()) await pd.locator('[data-test="pen-person-remove-0"]').click()
    await pd.locator('[data-test="case-cmd-save"]').click()
    await pd.locator('.el-form-item__error').filter({ hasText: '一案双罚' }).waitFor()
    // The server refuses too (DOUBLE_PENALTY_REQUIRED), whatever the browser checks.
    await assert.rejects(
      admin.post(`/api/cases/${page.url().split('/').pop()}/penalize`, {
        decisionNumber: 'X', decidedOn: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10), unitPenalty: { kind: 'fine', amount: 30000 }, personPenalties: [],
      }),
      /DOUBLE_PENALTY_REQUIRED/,
    )

    await pd.locator('[data-test="pen-person-add"]').click()
    await pd.locator('[data-test="pen-person-name-0"]').fill('张建国')
    await pd.locator('[data-test="pen-person-amount-0"] input').fill('5000')
    await pd.locator('[data-test="case-cmd-save"]').click()
    await pd.waitFor({ state: 'hidden' })
    const rows = page.locator('[data-test="case-penalties"] .el-table__body tr')
    await rows.nth(1).waitFor()
    assert.equal(await rows.count(), 2)
    const penText = await page.locator('[data-test="case-penalties"]').innerText()
    assert.match(penText, /30,000 元/)
    assert.match(penText, /张建国/)
    assert.match(await page.locator('[data-test="case-state"]').innerText(), /已作出处罚决定/)

    // 警示曝光 with a name and a phone number: the stored text is de-identified.
    await page.locator('[data-test="case-cmd-expose"]').click()
    const ed = page.locator('[data-test="case-cmd-dialog"]')
    await ed.locator('[data-test="expose-hint"]').filter({ hasText: '自动' }).waitFor()
    await ed.locator('[data-test="expose-summary"]').fill('该店主要负责人张建国（电话 13812345678）拒不清理疏散通道，已对单位罚款 3 万元、对张建国罚款 5000 元。')
    await ed.locator('[data-test="case-cmd-save"]').click()
    const sum = page.locator('[data-test="exposure-summary"]')
    await sum.waitFor()
    const shown = await sum.innerText()
    assert.ok(!shown.includes('张建国'), shown)
    assert.ok(!shown.includes('13812345678'), shown)
    assert.match(shown, /张某/)
    assert.ok(await page.locator('[data-test="case-cmd-withdraw"]').isVisible())
    assert.deepEqual(errors, [])
    await ctx.close()

    // The public 曝光台 on a phone.
    const phone = await phoneContext(browser)
    const pp = await phone.newPage()
    await pp.goto(`${BASE}/r/`)
    await pp.locator('[data-test="home-exposures"]').click()
    await pp.waitForURL(`${BASE}/r/exposures`)
    const card = pp.locator('[data-test="public-exposure"]').filter({ hasText: String(stamp) })
    await card.waitFor()
    const text = await card.innerText()
    assert.ok(!text.includes('张建国'), text)
    assert.ok(!text.includes('13812345678'), text)
    assert.match(text, /张某/)
    assert.match(text, /单位罚款/)
    await phone.close()
  })
})
