// Browser tests of hazards and public reports (docs/api-hazards.md): an anonymous report from a venue's QR code on a
// phone, followed by its tracking code while the report becomes a hazard; and a hazard closed end to end in the
// console across the inspector's and the venue manager's desks.
// The public routes are rate limited per IP (10 reports an hour): the suite submits one report per run.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { apiLogin, BASE, chooseOption, consoleLogin, drawSignature, launch, makePhoto, mobileLogin, phoneContext } from './lib.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

const MALL = '金凤商业广场' // venue_mgr manages it (demo)

describe('public report on a phone', () => {
  it('reports anonymously with a photo from a venue QR code, then follows the code while it becomes a hazard', async () => {
    const admin = await apiLogin('admin')
    const venue = (await admin.get('/api/venues?pageSize=50')).items.find((v) => v.qrToken)
    assert.ok(venue, 'a demo venue with a QR token')

    const ctx = await phoneContext(browser)
    const page = await ctx.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${BASE}/r/v/${venue.qrToken}`)
    await page.locator('[data-test="report-venue"]').filter({ hasText: venue.name }).waitFor()
    // The public entry is its own bundle: no console styles, no login.
    assert.equal(await page.locator('.el-menu, .el-container').count(), 0)

    // Submitting empty: the form says what is missing, nothing is sent.
    await page.locator('[data-test="report-submit"]').click()
    await page.locator('[data-test="err-category"]').filter({ hasText: '请选择举报事项' }).waitFor()

    await page.locator('[data-test="report-category"] [data-code="blocked_exit"]').click()
    await page.locator('textarea[name="description"]').fill('二楼东侧安全出口被铁链锁住，走廊堆放纸箱')
    await page.locator('[data-test="report-photo-input"]').setInputFiles({ name: 'exit.png', mimeType: 'image/png', buffer: await makePhoto(page, '安全出口上锁') })
    await page.locator('[data-test="report-photo"] img').waitFor()
    assert.equal(await page.locator('[data-test="report-photo"]').count(), 1)
    assert.match(await page.locator('[data-test="report-anonymous-hint"]').innerText(), /匿名/)
    await page.locator('[data-test="report-submit"]').click()

    const codeEl = page.locator('[data-test="tracking-code"]')
    await codeEl.waitFor()
    const code = (await codeEl.innerText()).trim()
    assert.match(code, /^[A-Z0-9-]{4,40}$/)
    assert.match(page.url(), new RegExp(`/r/done/${code}`))

    // Follow it: 核查中.
    await page.locator('[data-test="follow-code"]').click()
    await page.waitForURL(`${BASE}/r/t/${code}`)
    const status = page.locator('[data-test="track-status"]')
    await status.waitFor()
    assert.equal(await status.getAttribute('data-state'), 'received')
    assert.match(await page.locator('[data-test="track-headline"]').innerText(), /正在核查/)
    assert.match(await page.locator('[data-test="track-steps"] [data-active="true"]').innerText(), /核查中/)

    // The officer finds the report (anonymous, with the photo) and turns it into a hazard.
    const report = (await admin.get('/api/reports?pageSize=100')).items.find((r) => r.trackingCode === code)
    assert.ok(report, 'the report is in the triage list')
    assert.equal(report.anonymous, true)
    assert.equal(report.phone, null)
    assert.equal(report.photos.length, 1)
    assert.equal(report.venueId, venue.id)
    const { hazard } = await admin.post(`/api/reports/${report.id}/accept`, {})
    assert.equal(hazard.source, 'report')

    await page.reload()
    await status.waitFor()
    assert.equal(await status.getAttribute('data-state'), 'accepted')
    assert.equal(await status.getAttribute('data-hazard-state'), 'reported')
    assert.match(await page.locator('[data-test="track-headline"]').innerText(), /已受理/)
    assert.match(await page.locator('[data-test="track-steps"] [data-active="true"]').innerText(), /已受理/)

    // A code typed by hand (lower case, spaces) finds it too; an unknown one says so.
    await page.goto(`${BASE}/r/t`)
    await page.locator('[data-test="track-input"] input').fill(` ${code.toLowerCase().slice(0, 4)} ${code.toLowerCase().slice(4)} `)
    await page.locator('[data-test="track-search"]').click()
    await page.waitForURL(`${BASE}/r/t/${code}`)
    await status.waitFor()
    await page.goto(`${BASE}/r/t/NOSUCHCODE1`)
    await page.locator('[data-test="track-missing"]').waitFor()
    assert.deepEqual(errors, [])
    await ctx.close()
  })
})

describe('hazard closed loop in the console', () => {
  it('admin registers and assigns, the venue manager rectifies with a photo, admin rechecks: 已销号', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const page = await ctx.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    await consoleLogin(page, 'admin')
    await page.goto(`${BASE}/hazards`)
    await page.locator('[data-test="hazard-summary"]').waitFor()
    await page.locator('[data-test="hazards-table"]').waitFor()

    // 新增隐患: the description is required; 重大 needs a decision record.
    await page.locator('[data-test="hazard-create"]').click()
    const dlg = page.locator('[data-test="hazard-dialog"]')
    await dlg.waitFor()
    await chooseOption(page, dlg.locator('[data-test="hazard-venue"]'), MALL)
    await chooseOption(page, dlg.locator('[data-test="hazard-category"]'), '电气线路乱拉乱接')
    await dlg.locator('[data-test="hazard-severity"]').getByText('重大隐患').click()
    await dlg.locator('textarea[name="description"]').fill('负一楼配电间旁电线私拉乱接，插线板串接')
    await dlg.locator('[data-test="hazard-save"]').click()
    await dlg.locator('.el-form-item__error').filter({ hasText: '集体研究' }).waitFor()
    await dlg.locator('[data-test="hazard-severity"]').getByText('一般隐患').click()
    await dlg.locator('input[name="location"]').fill('负一楼配电间')
    await dlg.locator('[data-test="hazard-save"]').click()
    await page.waitForURL(/\/hazards\/\d+$/)
    const id = Number(page.url().split('/').pop())
    const state = page.locator('.page-head [data-test="hazard-state"]')
    await state.and(page.locator('[data-state="reported"]')).waitFor()
    assert.equal(await page.locator('[data-test="hazard-notice"]').count(), 0, 'no notice before 交办')

    // 交办: a server field error lands on its field (simulated once), then the real thing.
    await page.locator('[data-test="hazard-cmd-assign"]').click()
    const ad = page.locator('[data-test="hazard-dialog-assign"]')
    await ad.waitFor()
    await ad.locator('input[name="responsiblePerson"]').fill('冯建华')
    await page.route(`**/api/hazards/${id}/assign`, (r) =>
      r.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ code: 'DEADLINE_IN_PAST', message: '整改期限不能早于今天', field: 'deadline' }) }),
      { times: 1 },
    )
    await ad.locator('[data-test="hazard-cmd-confirm"]').click()
    const dlErr = ad.locator('.el-form-item').filter({ hasText: '整改期限' }).locator('.el-form-item__error')
    await dlErr.filter({ hasText: '整改期限不能早于今天' }).waitFor()
    await ad.locator('[data-test="hazard-cmd-confirm"]').click()
    await ad.waitFor({ state: 'hidden' })
    await state.and(page.locator('[data-state="rectifying"]')).waitFor()
    const notice = page.locator('[data-test="hazard-notice"]')
    await notice.waitFor()
    assert.equal(await notice.getAttribute('href'), `/api/hazards/${id}/notice`)
    assert.match(await page.locator('[data-test="hazard-deadline"]').innerText(), /^\d{4}-\d{2}-\d{2}$/)
    // Admin holds hazard:rectify too; 整改 is there, 复查 is not yet.
    assert.equal(await page.locator('[data-test="hazard-cmd-rectify"]').count(), 1)
    assert.equal(await page.locator('[data-test="hazard-cmd-recheck"]').count(), 0)

    // The venue manager sees only 整改, and must add a photo.
    const vctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const vp = await vctx.newPage()
    vp.on('pageerror', (e) => errors.push(`[venue_mgr] ${e.message}`))
    await consoleLogin(vp, 'venue_mgr')
    await vp.goto(`${BASE}/hazards/${id}`)
    await vp.locator('[data-test="hazard-detail"]').waitFor()
    const labels = (await vp.locator('[data-test="hazard-actions"] [data-test^="hazard-cmd-"]').allInnerTexts()).map((t) => t.trim())
    assert.deepEqual(labels, ['整改'])
    await vp.locator('[data-test="hazard-cmd-rectify"]').click()
    const rd = vp.locator('[data-test="hazard-dialog-rectify"]')
    await rd.waitFor()
    await rd.locator('textarea[name="measures"]').fill('已拆除私拉电线，由电工重新敷设穿管线路，插线板撤除')
    await rd.locator('[data-test="hazard-cmd-confirm"]').click()
    await rd.locator('.el-form-item__error').filter({ hasText: '至少一张' }).waitFor()
    await rd.locator('[data-test="rectify-photos"] input[type="file"]').setInputFiles({ name: 'fixed.png', mimeType: 'image/png', buffer: await makePhoto(vp, '整改后', '#3a7d44') })
    await rd.locator('[data-test="rectify-photos"] .tile img').waitFor()
    await rd.locator('[data-test="hazard-cmd-confirm"]').click()
    await rd.waitFor({ state: 'hidden' })
    await vp.locator('.page-head [data-test="hazard-state"][data-state="awaiting_recheck"]').waitFor()
    await vp.locator('[data-test="hazard-rectification"] [data-test="photo-thumbs"] img').waitFor()
    await vctx.close()

    // 复查 合格 → 已销号.
    await page.reload()
    await page.locator('[data-test="hazard-cmd-recheck"]').click()
    const cd = page.locator('[data-test="hazard-dialog-recheck"]')
    await cd.waitFor()
    await cd.locator('[data-test="recheck-passed"]').getByText('合格，销号').click()
    await cd.locator('textarea[name="note"]').fill('现场复查，线路已规范敷设')
    await cd.locator('[data-test="hazard-cmd-confirm"]').click()
    await cd.waitFor({ state: 'hidden' })
    await state.and(page.locator('[data-state="closed"]')).waitFor()
    assert.equal((await state.innerText()).trim(), '已销号')
    assert.match(await page.locator('[data-test="hazard-recheck"]').innerText(), /合格/)
    const timeline = await page.locator('[data-test="hazard-timeline"]').innerText()
    for (const step of ['交办', '复查']) assert.match(timeline, new RegExp(step))
    assert.deepEqual((await page.locator('[data-test="hazard-actions"] [data-test^="hazard-cmd-"]').allInnerTexts()).map((t) => t.trim()), ['重新打开'])

    // The ledger lists it as 已销号 under the closed filter.
    await page.goto(`${BASE}/hazards?state=closed`)
    const row = page.locator('[data-test="hazards-table"] .el-table__body tr').filter({ hasText: '负一楼配电间' }).first()
    await row.locator('[data-state="closed"]').waitFor()
    assert.match(await page.locator('[data-test="summary-closed"]').innerText(), /[1-9]/)
    assert.deepEqual(errors, [])
    await ctx.close()
  })
})

describe('hazard rectified on a phone', () => {
  it('the venue manager opens the 交办 message on the phone and records the rectification with a photo: 待复查', async () => {
    const admin = await apiLogin('admin')
    const venue = (await admin.get('/api/venues?pageSize=200')).items.find((v) => v.name === MALL)
    const category = (await admin.get('/api/hazard-categories')).items[0].code
    const h = await admin.post('/api/hazards', { venueId: venue.id, category, description: `手机整改测试 ${Date.now()}`, location: '三楼东侧走廊' })
    await admin.post(`/api/hazards/${h.id}/assign`, { responsiblePerson: '冯建华' })

    const ctx = await phoneContext(browser)
    const page = await ctx.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    await mobileLogin(page, 'venue_mgr')
    await page.locator('[data-test="tile-hazards"]').waitFor()
    await page.locator('[data-test="home-messages"]').click()
    await page.locator('[data-test="m-notice"]').filter({ hasText: h.number }).click()
    await page.waitForURL(new RegExp(`/m/hazards/${h.id}$`))
    await page.locator('[data-test="m-hazard-state"]').filter({ hasText: '整改中' }).waitFor()

    // Without a photo the sheet says so and sends nothing; the responsible person signs by default.
    await page.locator('[data-test="m-hazard-rectify"]').click()
    const sheet = page.locator('[data-test="m-sheet-rectify"]')
    await sheet.locator('textarea[name="measures"]').fill('已清理走廊堆放的纸箱，疏散通道保持畅通')
    assert.equal(await sheet.locator('input[name="signedBy"]').inputValue(), '冯建华')
    await sheet.locator('[data-test="m-rectify-submit"]').click()
    await sheet.locator('[data-test="m-rectify-error"]').filter({ hasText: '至少一张' }).waitFor()
    assert.equal((await admin.get(`/api/hazards/${h.id}`)).state, 'rectifying')
    await sheet.locator('[data-test="m-rectify-photos-input"]').setInputFiles({ name: 'fixed.png', mimeType: 'image/png', buffer: await makePhoto(page, '整改后', '#3a7d44') })
    await sheet.locator('.tile img').first().waitFor()
    await drawSignature(page, 'm-rectify-signature')
    await sheet.locator('[data-test="m-rectify-submit"]').click()
    await page.locator('[data-test="m-hazard-state"]').filter({ hasText: '待复查' }).waitFor()
    await page.locator('[data-test="m-rectification"] img').first().waitFor()
    await page.locator('[data-test="m-rectification-signature"]').waitFor()
    const after = await admin.get(`/api/hazards/${h.id}`)
    assert.equal(after.rectification.signedBy, '冯建华')
    assert.equal(after.rectification.photos.length, 1)
    assert.match(after.rectification.signature ?? '', /^\S+$/, 'the handwritten signature is kept')

    // 隐患整改 lists it under 待复查.
    await page.goto(`${BASE}/m/hazards?state=awaiting_recheck`)
    await page.locator('[data-test="m-hazard"]').filter({ hasText: h.number }).waitFor()
    assert.deepEqual(errors, [])
    await ctx.close()
  })
})
