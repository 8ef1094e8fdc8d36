// Screenshots of the inspection, 双随机 and patrol pages (1440×900 and 390×844) into /tmp/shots/. Called by
// screenshots.mjs; runs alone too: HUOYAN_URL=http://127.0.0.1:18080 node e2e/screenshots-inspections.mjs
// Plans what it needs over the API: a routine inspection naming the admin (the record form), one recorded with a
// failure and a finding, and a published draw.
import { mkdirSync } from 'node:fs'
import { apiLogin, BASE, consoleLogin, launch, makePhoto, mobileLogin, phoneContext, runShotsIfMain, SHOTS_DIR, SHOT_SIZES } from './lib.mjs'

const OUT = SHOTS_DIR
const SIZES = SHOT_SIZES
const day = (n) => new Date(Date.now() + 8 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10)

async function ensureData(admin) {
  const inspector = await apiLogin('inspector')
  const venues = (await admin.get('/api/venues?pageSize=50')).items
  const mall = venues.find((v) => v.name === '金凤商业广场') ?? venues[0]
  const hotpot = venues.find((v) => v.name === '金凤老火锅') ?? venues[1]
  const planned = await admin.post('/api/inspections', { venueId: mall.id, kind: 'special', plannedOn: day(1), inspectorIds: [admin.me.id, inspector.me.id], unannounced: true })
  const toRecord = await admin.post('/api/inspections', { venueId: hotpot.id, kind: 'routine', plannedOn: day(0), inspectorIds: [admin.me.id, inspector.me.id] })
  const full = await admin.get(`/api/inspections/${toRecord.id}`)
  const results = full.checklist.map((c, i) => (i === 0 ? { code: c.code, passed: false, note: '后厨通往后门的疏散通道堆放食材纸箱' } : { code: c.code, passed: true }))
  const done = await inspector.post(`/api/inspections/${toRecord.id}/record`, {
    results,
    findings: [
      { category: full.checklist[0].category, description: '后厨通往后门的疏散通道堆放食材纸箱，宽度不足 0.8 米', location: '后厨' },
      { category: 'ebike_charging', description: '门口人行道电动自行车集中充电，私拉电线', location: '正门外' },
    ],
    summary: '已当场责令清理疏散通道，电动车充电问题交办商贸发展岗跟进',
  })
  let draw = (await admin.get('/api/draws?pageSize=50')).items.find((d) => !d.publishedAt)
  if (!draw) draw = await admin.post('/api/draws', { name: '元旦春节前人员密集场所双随机抽查', venueCount: 5, plannedOn: day(5), seed: '8820261203' })
  const random = (await admin.get('/api/inspections?kind=random&state=planned&pageSize=20')).items.find((i) => !i.inspectorIds.includes(admin.me.id))
  return { planned, done, draw, random }
}

export async function inspectionShots(browser, shot) {
  mkdirSync(OUT, { recursive: true })
  const admin = await apiLogin('admin')
  const ids = await ensureData(admin)

  for (const [tag, viewport] of Object.entries(SIZES)) {
    const ctx = await browser.newContext({ viewport, locale: 'zh-CN', isMobile: tag === 'phone', hasTouch: tag === 'phone' })
    const page = await ctx.newPage()
    page.on('pageerror', (e) => console.log(`[${tag} inspections] page error: ${e.message}`))
    await consoleLogin(page, 'admin')
    await page.goto(`${BASE}/inspections`)
    await page.locator('[data-test="inspections-table"] .el-table__row').first().waitFor()
    await shot(page, `${tag}-inspections`)
    await page.locator('[data-test="inspection-plan"]').click()
    await page.locator('[data-test="plan-dialog"]').waitFor()
    await page.waitForTimeout(400)
    await shot(page, `${tag}-inspection-plan`)
    await page.locator('[data-test="plan-save"]').click()
    await shot(page, `${tag}-inspection-plan-errors`)

    await page.goto(`${BASE}/inspections/${ids.planned.id}`)
    await page.locator('[data-test="checklist-form"]').waitFor()
    await shot(page, `${tag}-inspection-record`)
    const first = page.locator('[data-test^="check-"]').first()
    await first.click()
    const code = (await first.getAttribute('data-test')).slice(6)
    await page.locator(`[data-test="note-${code}"]`).fill('三楼东侧安全出口上锁')
    await page.locator(`[data-test="to-finding-${code}"]`).click()
    await page.locator('[data-test="finding-add"]').click()
    await page.locator('[data-test="record-submit"]').click()
    await page.locator('[data-test="finding-0"]').scrollIntoViewIfNeeded()
    await shot(page, `${tag}-inspection-record-findings`)

    await page.goto(`${BASE}/inspections/${ids.done.id}`)
    await page.locator('[data-test="inspection-hazards"]').waitFor()
    await shot(page, `${tag}-inspection-done`)
    await page.locator('[data-test="inspection-hazards"]').scrollIntoViewIfNeeded()
    await shot(page, `${tag}-inspection-done-hazards`)
    if (ids.random) {
      await page.goto(`${BASE}/inspections/${ids.random.id}`)
      await page.locator('[data-test="record-not-yours"]').waitFor()
      await shot(page, `${tag}-inspection-not-yours`)
    }

    await page.goto(`${BASE}/draws`)
    await page.locator('[data-test="draws-table"] .el-table__row').first().waitFor()
    await shot(page, `${tag}-draws`)
    await page.locator('[data-test="draw-create"]').click()
    await page.locator('[data-test="draw-dialog"]').waitFor()
    await page.waitForTimeout(400)
    await shot(page, `${tag}-draw-create`)
    await page.goto(`${BASE}/draws/${ids.draw.id}`)
    await page.locator('[data-test="draw-detail"]').waitFor()
    await shot(page, `${tag}-draw`)
    await page.locator('[data-test="draw-verify"]').click()
    await page.locator('[data-test="draw-verify-result"]').waitFor()
    await shot(page, `${tag}-draw-verified`)

    await page.goto(`${BASE}/checklists`)
    await page.locator('[data-test="checklist-items"] .el-table__row').first().waitFor()
    await shot(page, `${tag}-checklists`)
    await page.locator('.el-menu-item[data-type="hospital"]').click()
    await page.waitForTimeout(200)
    await page.locator('[data-test="checklist-add"]').click()
    await page.locator('[data-test="checklist-save"]').click()
    await shot(page, `${tag}-checklists-errors`)
    await ctx.close()

    // Public: /r/draws.
    const pctx = tag === 'phone' ? await phoneContext(browser) : await browser.newContext({ viewport, locale: 'zh-CN' })
    const pp = await pctx.newPage()
    await pp.goto(`${BASE}/r/draws`)
    await pp.locator('[data-test="public-draws"]').waitFor()
    await shot(pp, `${tag}-r-draws`)
    await pctx.close()
  }

  // Mobile 网格巡查 (grid_longfeng).
  const m = await phoneContext(browser, { geolocation: { latitude: 29.4425, longitude: 106.3571, accuracy: 10 } })
  const mp = await m.newPage()
  mp.on('pageerror', (e) => console.log(`[m patrol] page error: ${e.message}`))
  await mobileLogin(mp, 'grid_longfeng')
  await shot(mp, 'm-home-grid')
  await mp.locator('[data-test="tile-grid-patrol"]').click()
  await mp.locator('[data-test="patrol-form"]').waitFor()
  await mp.waitForTimeout(500)
  await shot(mp, 'm-patrol')
  await mp.locator('[data-test="patrol-venue"]').click()
  await mp.locator('[data-test="patrol-venue-sheet"] [data-venue]').first().waitFor()
  await shot(mp, 'm-patrol-venues')
  await mp.locator('[data-test="patrol-venue-sheet"] [data-venue="金凤老火锅"]').click()
  await mp.locator('[data-test="patrol-add-finding"]').click()
  await mp.locator('[data-test="patrol-submit"]').click()
  await mp.waitForTimeout(300)
  await shot(mp, 'm-patrol-errors')
  await mp.locator('[data-test="patrol-finding-0"] [data-test="patrol-category"]').click()
  await mp.locator('[data-test="patrol-category-sheet"] [data-code]').first().waitFor()
  await shot(mp, 'm-patrol-categories')
  await mp.locator('[data-test="patrol-category-sheet"] [data-code="ebike_charging"]').click()
  await mp.locator('[data-test="patrol-finding-0"] textarea[name="description"]').fill('后门楼梯间停放电动自行车 2 辆，其中 1 辆正在充电')
  await mp.locator('[data-test="patrol-photo-0-input"]').setInputFiles({ name: 'p.png', mimeType: 'image/png', buffer: await makePhoto(mp, '楼梯间充电') })
  await mp.locator('[data-test="patrol-photo-0"] img').waitFor()
  await mp.locator('[data-test="patrol-finding-0"]').scrollIntoViewIfNeeded()
  await shot(mp, 'm-patrol-filled')
  await mp.locator('[data-test="patrol-submit"]').click()
  await mp.locator('[data-test="patrol-hazard-number"]').first().waitFor()
  await shot(mp, 'm-patrol-done')
  await mp.getByRole('tab', { name: '我的巡查' }).click()
  const card = mp.locator('[data-test="patrol-mine"] .card').first()
  await card.waitFor()
  await card.click()
  await mp.waitForTimeout(400)
  await shot(mp, 'm-patrol-mine')
  await m.close()
}

await runShotsIfMain(import.meta.url, inspectionShots)
