// Browser tests of inspections, 双随机 draws and grid patrols (docs/api-hazards.md "监督检查、网格巡查与双随机"):
// the admin draws with a seed, re-checks it (复核一致) and publishes it, which shows on the public page /r/draws;
// the admin plans a routine inspection naming the admin and the inspector, the inspector records the checklist with
// one failure and one finding, and the hazard it registered is linked; a grid worker records a patrol on a phone.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { apiLogin, BASE, chooseOption, consoleLogin, launch, makePhoto, mobileLogin, phoneContext } from './lib.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

const desk = () => browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
const watchErrors = (page, errors) => page.on('pageerror', (e) => errors.push(e.message))

describe('双随机 draw in the console', () => {
  it('draws with a seed, 复核 agrees, publishes, and the public page lists it', async () => {
    const ctx = await desk()
    const page = await ctx.newPage()
    const errors = []
    watchErrors(page, errors)
    await consoleLogin(page, 'admin')
    await page.goto(`${BASE}/draws`)
    await page.locator('[data-test="draws-table"]').waitFor()

    const name = `浏览器测试抽查 ${Date.now()}`
    await page.locator('[data-test="draw-create"]').click()
    const dlg = page.locator('[data-test="draw-dialog"]')
    await dlg.waitFor()
    // A seed with a letter is refused before the server sees it.
    await dlg.locator('input[name="seed"]').fill('12a')
    await dlg.locator('[data-test="draw-save"]').click()
    await dlg.getByText('随机种子为十进制数字').waitFor()
    await dlg.locator('input[name="name"]').fill(name)
    await dlg.locator('[data-test="draw-count"] input').fill('3')
    await dlg.locator('input[name="seed"]').fill('20261203')
    await dlg.locator('[data-test="draw-save"]').click()

    await page.waitForURL(/\/draws\/\d+$/)
    await page.locator('[data-test="draw-detail"]').waitFor()
    assert.equal((await page.locator('[data-test="draw-name"]').innerText()).trim(), name)
    assert.equal((await page.locator('[data-test="draw-seed"]').innerText()).trim(), '20261203')
    assert.equal(await page.locator('[data-test="draw-picks"] .el-table__body tr').count(), 3)
    assert.ok(await page.locator('[data-test="pick-inspection"]').count() >= 3, 'each pick links its inspection')

    await page.locator('[data-test="draw-verify"]').click()
    const verdict = page.locator('[data-test="draw-verify-result"]')
    await verdict.waitFor()
    assert.match(await verdict.innerText(), /复核一致/)

    await page.locator('[data-test="draw-publish"]').click()
    await page.locator('.el-message-box').getByRole('button', { name: '公开' }).click()
    await page.locator('[data-test="draw-published"]').waitFor()
    assert.equal(await page.locator('[data-test="draw-publish"]').count(), 0)
    assert.deepEqual(errors, [])
    await ctx.close()

    // 一公开: anyone sees it on /r/draws, without logging in.
    const pub = await phoneContext(browser)
    const pp = await pub.newPage()
    await pp.goto(`${BASE}/r/`)
    await pp.locator('[data-test="home-draws"]').click()
    await pp.waitForURL(`${BASE}/r/draws`)
    const card = pp.locator('[data-test="public-draw"]').filter({ hasText: name })
    await card.waitFor()
    assert.match(await card.innerText(), /20261203/)
    await pub.close()
  })
})

describe('a routine inspection recorded by a named inspector', () => {
  it('admin plans it with the inspector; the inspector records one failure and one finding; the hazard is linked', async () => {
    const ctx = await desk()
    const page = await ctx.newPage()
    const errors = []
    watchErrors(page, errors)
    await consoleLogin(page, 'admin')
    await page.goto(`${BASE}/inspections`)
    await page.locator('[data-test="inspections-table"]').waitFor()
    await page.locator('[data-test="inspection-plan"]').click()
    const dlg = page.locator('[data-test="plan-dialog"]')
    await dlg.waitFor()
    await chooseOption(page, dlg.locator('[data-test="plan-venue"]'), '金凤老火锅')
    // The admin is named already; one inspector is not enough.
    await dlg.locator('[data-test="plan-save"]').click()
    await dlg.getByText('2 名以上检查人员').waitFor()
    await chooseOption(page, dlg.locator('[data-test="plan-inspectors"]'), '罗勇')
    await page.keyboard.press('Escape')
    await dlg.locator('[data-test="plan-save"]').click()
    await page.waitForURL(/\/inspections\/\d+$/)
    const url = page.url()
    await page.locator('[data-test="inspection-detail"]').waitFor()
    assert.match(await page.locator('[data-test="inspection-inspectors"]').innerText(), /周建国.*罗勇|罗勇.*周建国/)
    assert.equal(await page.locator('[data-test="inspection-state"]').getAttribute('data-state'), 'planned')
    await ctx.close()

    // The inspector, named, gets the form.
    const ictx = await desk()
    const ip = await ictx.newPage()
    watchErrors(ip, errors)
    await consoleLogin(ip, 'inspector')
    await ip.goto(url)
    const form = ip.locator('[data-test="checklist-form"]')
    await form.waitFor()
    const codes = await form.locator('[data-test^="check-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-test').slice(6)))
    assert.ok(codes.length >= 3, 'the checklist has items')
    const failed = codes[0]
    await ip.locator(`[data-test="check-${failed}"]`).click()
    // A failed item needs a note.
    await ip.locator('[data-test="record-submit"]').click()
    await ip.getByText('不合格项请写明情况').first().waitFor()
    await ip.locator(`[data-test="note-${failed}"]`).fill('二楼东侧安全出口被货架遮挡')

    await ip.locator('[data-test="finding-add"]').click()
    const finding = ip.locator('[data-test="finding-0"]')
    await chooseOption(ip, finding.locator('[data-test="finding-category"]'), '占堵疏散通道')
    await finding.locator('[data-test="finding-description"]').fill('二楼东侧疏散通道堆放货架，通道宽度不足 1 米')
    await finding.locator('[data-test="finding-location"]').fill('二楼东侧')
    await finding.locator('[data-test="finding-photos-0"] input[type="file"]').setInputFiles({ name: 'f.png', mimeType: 'image/png', buffer: await makePhoto(ip, '通道堆物') })
    await finding.locator('[data-test="finding-photos-0"] img').waitFor()
    await ip.locator('[data-test="record-summary"]').fill('已当场责令清理')
    await ip.locator('[data-test="record-submit"]').click()
    await ip.locator('.el-message-box').getByRole('button', { name: '提交' }).click()

    const link = ip.locator('[data-test="inspection-hazard-link"]')
    await link.waitFor()
    assert.equal(await ip.locator('[data-test="inspection-state"]').getAttribute('data-state'), 'done')
    assert.match(await ip.locator('[data-test="result-counts"]').innerText(), /不合格 1 项/)
    assert.equal(await ip.locator('[data-test="checklist-form"]').count(), 0)
    const number = (await link.innerText()).trim()
    assert.match(number, /^YH-/)
    // The hazard is in the ledger (the inspector's 安全应急岗 scope may not cover the venue's hazards: checked as admin).
    const hazardId = Number((await link.getAttribute('href')).split('/').pop())
    const admin = await apiLogin('admin')
    const h = await admin.get(`/api/hazards/${hazardId}`)
    assert.equal(h.number, number)
    assert.equal(h.source, 'inspection')
    assert.equal(h.category, 'blocked_exit')
    assert.equal(h.photos.length, 1)
    assert.deepEqual(errors, [])
    await ictx.close()
  })

  it('shows no record form to someone not named', async () => {
    const ctx = await desk()
    const page = await ctx.newPage()
    await consoleLogin(page, 'admin')
    // The demo's draw plans inspections for other inspectors.
    await page.goto(`${BASE}/inspections?kind=random&state=planned`)
    const first = page.locator('[data-test="inspections-table"] .el-table__body tr a.link').first()
    await first.waitFor()
    const names = await page.locator('[data-test="inspections-table"] .el-table__body tr').first().innerText()
    await first.click()
    await page.locator('[data-test="inspection-detail"]').waitFor()
    if (!names.includes('周建国')) {
      await page.locator('[data-test="record-not-yours"]').waitFor()
      assert.equal(await page.locator('[data-test="checklist-form"]').count(), 0)
    }
    await ctx.close()
  })
})

describe('网格巡查 on a phone', () => {
  it('grid_longfeng records a patrol with a finding and sees the hazard number', async () => {
    const ctx = await phoneContext(browser, { geolocation: { latitude: 29.4425, longitude: 106.3571, accuracy: 10 } })
    const page = await ctx.newPage()
    const errors = []
    watchErrors(page, errors)
    await mobileLogin(page, 'grid_longfeng')
    await page.locator('[data-test="tile-grid-patrol"]').click()
    await page.waitForURL(`${BASE}/m/patrol`)
    await page.locator('[data-test="patrol-position"]').getByText('29.442500').waitFor()

    // Nothing picked: the form says so.
    await page.locator('[data-test="patrol-submit"]').click()
    await page.locator('[data-test="patrol-venue"]').getByText('请选择巡查场所').waitFor()

    await page.locator('[data-test="patrol-venue"]').click()
    await page.locator('[data-test="patrol-venue-sheet"] [data-venue="金凤老火锅"]').click()
    await page.locator('[data-test="patrol-add-finding"]').click()
    await page.locator('[data-test="patrol-finding-0"] [data-test="patrol-category"]').click()
    await page.locator('[data-test="patrol-category-sheet"] [data-code="ebike_charging"]').click()
    await page.locator('[data-test="patrol-finding-0"] textarea[name="description"]').fill('后门楼梯间停放电动自行车 2 辆，其中 1 辆正在充电')
    await page.locator('[data-test="patrol-photo-0-input"]').setInputFiles({ name: 'p.png', mimeType: 'image/png', buffer: await makePhoto(page, '楼梯间充电') })
    await page.locator('[data-test="patrol-photo-0"] img').waitFor()
    await page.locator('[data-test="patrol-submit"]').click()

    const num = page.locator('[data-test="patrol-hazard-number"]')
    await num.waitFor()
    assert.match(await num.innerText(), /YH-/)
    const number = (await num.locator('.van-cell__title span').first().innerText()).trim()

    await page.getByRole('tab', { name: '我的巡查' }).click()
    const card = page.locator('[data-test="patrol-mine"] .card').filter({ hasText: '金凤老火锅' }).first()
    await card.waitFor()
    await card.click()
    await card.getByText(number).waitFor()
    assert.deepEqual(errors, [])
    await ctx.close()
  })
})
