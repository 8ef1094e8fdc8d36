// Screenshots of the hazard and public report pages (1440×900 and 390×844) into /tmp/shots/. Called by
// screenshots.mjs; runs alone too: HUOYAN_URL=http://127.0.0.1:18080 node e2e/screenshots-hazards.mjs
// Makes the hazards it needs over the API when the database has none in a state (one of each state, a supervised
// one, two public reports of the same venue and category for the 疑似重复 hint).
import { mkdirSync } from 'node:fs'
import { apiLogin, BASE, consoleLogin, launch, makePhoto, phoneContext, runShotsIfMain, SHOTS_DIR, SHOT_SIZES } from './lib.mjs'

const OUT = SHOTS_DIR
const SIZES = SHOT_SIZES

async function publicPost(path, body, contentType = 'application/json') {
  const res = await fetch(BASE + path, { method: 'POST', headers: { 'Content-Type': contentType }, body })
  const text = await res.text()
  if (!res.ok) throw new Error(`POST ${path}: HTTP ${res.status} ${text}`)
  return JSON.parse(text)
}

/** A hazard in each state (made when missing); returns {reported, rectifying, awaiting_recheck, closed} ids. */
async function ensureHazards(admin, photoPng) {
  const byState = {}
  for (const st of ['reported', 'rectifying', 'awaiting_recheck', 'closed']) {
    const h = (await admin.get(`/api/hazards?state=${st}&pageSize=1`)).items[0]
    if (h) byState[st] = h.id
  }
  const venues = (await admin.get('/api/venues?pageSize=50')).items
  const mall = venues.find((v) => v.name === '金凤商业广场') ?? venues[0]
  const school = venues.find((v) => v.name.includes('中学')) ?? venues[1] ?? venues[0]
  const photo = (await publicPost('/api/public/files', photoPng, 'image/png')).id
  const make = (venue, category, description, location, extra = {}) =>
    admin.post('/api/hazards', { venueId: venue.id, category, description, location, photos: [photo], ...extra })
  if (!byState.reported) byState.reported = (await make(school, 'ebike_charging', '教学楼一楼楼梯间停放电动自行车 3 辆，其中 1 辆正在充电', '教学楼一楼楼梯间', { source: 'patrol' })).id
  if (!byState.rectifying) {
    const h = await make(mall, 'facilities_disabled', '三楼自动喷水灭火系统末端试水装置阀门关闭，报警阀组压力表显示为零', '三楼消防水泵房', {
      severity: 'major',
      decisionRecord: '2026 年 12 月 1 日镇消防安全专班会议研究，认定为重大火灾隐患',
    })
    await admin.post(`/api/hazards/${h.id}/assign`, { responsiblePerson: '冯建华', responsiblePhone: '13900005678', interimMeasures: '安排专人每两小时巡查一次，配置临时灭火器 10 具', funds: 35000 })
    await admin.post(`/api/hazards/${h.id}/supervise`, { level: 'town', deadline: new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10), note: '镇专班每周调度一次整改进度' })
    byState.rectifying = h.id
  }
  if (!byState.awaiting_recheck) {
    const h = await make(mall, 'blocked_exit', '二楼东侧疏散通道堆放货物，通道宽度不足 1 米', '二楼东侧')
    await admin.post(`/api/hazards/${h.id}/assign`, { responsiblePerson: '冯建华', interimMeasures: '设置警示标识' })
    await admin.post(`/api/hazards/${h.id}/rectify`, { measures: '货物已全部清出，通道恢复畅通，张贴禁止堆放标识', photos: [photo], signedBy: '冯建华' })
    byState.awaiting_recheck = h.id
  }
  if (!byState.closed) {
    const h = await make(mall, 'wiring', '负一楼配电间旁电线私拉乱接，插线板串接', '负一楼配电间')
    await admin.post(`/api/hazards/${h.id}/assign`, { responsiblePerson: '冯建华' })
    await admin.post(`/api/hazards/${h.id}/rectify`, { measures: '已拆除私拉电线，重新穿管敷设', photos: [photo], signedBy: '冯建华' })
    await admin.post(`/api/hazards/${h.id}/recheck`, { passed: true, note: '现场复查，线路已规范敷设' })
    byState.closed = h.id
  }
  return { ...byState, mall }
}

/** A received public report with a position and a phone, and one like it (疑似重复); returns the newest id. */
async function ensureReports(admin, mall, photoPng) {
  const have = (await admin.get('/api/reports?state=received&pageSize=50')).items.filter((r) => r.venueId === mall.id && r.category === 'fire_lane_blocked')
  if (have.length >= 2) return have[0].id
  const photo = (await publicPost('/api/public/files', photoPng, 'image/png')).id
  for (const [i, text] of ['商场北门消防车通道被私家车占用，停了四五辆车', '北门消防车道又被车辆堵住了，晚上尤其严重'].entries()) {
    if (i < have.length) continue
    await publicPost(
      '/api/public/reports',
      JSON.stringify({ venueToken: mall.qrToken, category: 'fire_lane_blocked', description: text, photos: [photo], lat: 29.4402, lng: 106.3615, phone: i ? undefined : '13800001234' }),
    )
  }
  return (await admin.get('/api/reports?state=received&pageSize=50')).items.find((r) => r.venueId === mall.id && r.category === 'fire_lane_blocked').id
}

/** A rejected report (made when there is none). */
async function ensureRejected(admin, mall) {
  if ((await admin.get('/api/reports?state=rejected&pageSize=1')).total) return
  const { trackingCode } = await publicPost('/api/public/reports', JSON.stringify({ venueToken: mall.qrToken, category: 'other', description: '商场里面好像有烟味，不知道是不是着火了' }))
  const r = (await admin.get('/api/reports?state=received&pageSize=100')).items.find((x) => x.trackingCode === trackingCode)
  await admin.post(`/api/reports/${r.id}/reject`, { reason: '经现场核查，系餐饮区正常烹饪油烟，未发现火灾隐患' })
}

export async function hazardShots(browser, shot) {
  mkdirSync(OUT, { recursive: true })
  const admin = await apiLogin('admin')
  // A photo drawn in a throwaway page.
  const tmp = await browser.newPage()
  const png = await makePhoto(tmp, '现场照片')
  await tmp.close()
  const ids = await ensureHazards(admin, png)
  const reportId = await ensureReports(admin, ids.mall, png)
  await ensureRejected(admin, ids.mall)
  const accepted = (await admin.get('/api/reports?state=accepted&pageSize=1')).items[0]

  for (const [tag, viewport] of Object.entries(SIZES)) {
    const ctx = await browser.newContext({ viewport, locale: 'zh-CN', isMobile: tag === 'phone', hasTouch: tag === 'phone' })
    const page = await ctx.newPage()
    page.on('pageerror', (e) => console.log(`[${tag} hazards] page error: ${e.message}`))
    await consoleLogin(page, 'admin')
    await page.goto(`${BASE}/hazards`)
    await page.locator('[data-test="hazards-table"] .el-table__row').first().waitFor()
    await shot(page, `${tag}-hazards`)
    await page.locator('[data-test="hazard-issues"]').scrollIntoViewIfNeeded()
    await shot(page, `${tag}-hazards-issues`)
    await page.locator('[data-test="hazard-issues"] .el-tabs__item').filter({ hasText: '按村' }).click()
    await shot(page, `${tag}-hazards-issues-village`)
    await page.goto(`${BASE}/hazards`)
    await page.locator('[data-test="hazard-create"]').click()
    const dlg = page.locator('[data-test="hazard-dialog"]')
    await dlg.waitFor()
    await dlg.locator('[data-test="hazard-severity"]').getByText('重大隐患').click()
    await dlg.locator('[data-test="hazard-save"]').click()
    await shot(page, `${tag}-hazard-create-errors`)
    for (const st of ['reported', 'rectifying', 'awaiting_recheck', 'closed']) {
      await page.goto(`${BASE}/hazards/${ids[st]}`)
      await page.locator('[data-test="hazard-detail"]').waitFor()
      await shot(page, `${tag}-hazard-${st}`)
    }
    await page.goto(`${BASE}/hazards/${ids.awaiting_recheck}`)
    await page.locator('[data-test="hazard-rectification"]').scrollIntoViewIfNeeded()
    await shot(page, `${tag}-hazard-awaiting_recheck-rectification`)
    await page.goto(`${BASE}/hazards/${ids.reported}`)
    await page.locator('[data-test="hazard-cmd-assign"]').click()
    await page.locator('[data-test="hazard-dialog-assign"]').waitFor()
    await page.waitForTimeout(500)
    await shot(page, `${tag}-hazard-assign`)
    await page.goto(`${BASE}/hazards/${ids.awaiting_recheck}`)
    await page.locator('[data-test="hazard-cmd-recheck"]').click()
    const rd = page.locator('[data-test="hazard-dialog-recheck"]')
    await rd.locator('[data-test="recheck-passed"]').getByText('不合格').click()
    await rd.locator('[data-test="hazard-cmd-confirm"]').click()
    await shot(page, `${tag}-hazard-recheck-error`)
    await page.goto(`${BASE}/hazards/${ids.rectifying}`)
    await page.locator('[data-test="hazard-cmd-rectify"]').click()
    await page.locator('[data-test="hazard-dialog-rectify"]').waitFor()
    await shot(page, `${tag}-hazard-rectify`)
    await page.goto(`${BASE}/reports`)
    await page.locator('[data-test="reports-table"]').waitFor()
    await shot(page, `${tag}-reports`)
    await page.goto(`${BASE}/reports/${reportId}`)
    await page.locator('[data-test="report-detail"]').waitFor()
    await shot(page, `${tag}-report-received`)
    await page.locator('[data-test="report-reject"]').click()
    await page.locator('[data-test="report-confirm"]').click()
    await shot(page, `${tag}-report-reject-error`)
    if (accepted) {
      await page.goto(`${BASE}/reports/${accepted.id}`)
      await page.locator('[data-test="report-detail"]').waitFor()
      await shot(page, `${tag}-report-accepted`)
    }
    await page.goto(`${BASE}/venues/${ids.mall.id}`)
    await page.locator('[data-test="venue-report-poster"]').waitFor()
    await shot(page, `${tag}-venue-detail-poster`)
    await ctx.close()

    // The venue manager's view of a hazard at its venue.
    const vctx = await browser.newContext({ viewport, locale: 'zh-CN' })
    const vp = await vctx.newPage()
    await consoleLogin(vp, 'venue_mgr')
    const atMall = (await admin.get(`/api/hazards?venueId=${ids.mall.id}&state=rectifying&pageSize=1`)).items[0]
    if (atMall) {
      await vp.goto(`${BASE}/hazards/${atMall.id}`)
      await vp.locator('[data-test="hazard-detail"]').waitFor()
      await shot(vp, `${tag}-hazard-venue_mgr`)
    }
    await vp.goto(`${BASE}/hazards`)
    await vp.locator('[data-test="hazards-table"]').waitFor()
    await shot(vp, `${tag}-hazards-venue_mgr`)
    await vctx.close()

    // Public pages, not logged in.
    const pctx = tag === 'phone' ? await phoneContext(browser) : await browser.newContext({ viewport, locale: 'zh-CN' })
    const pp = await pctx.newPage()
    pp.on('pageerror', (e) => console.log(`[${tag} /r/] page error: ${e.message}`))
    await pp.goto(`${BASE}/r/`)
    await pp.locator('[data-test="report-home"]').waitFor()
    await shot(pp, `${tag}-r-home`)
    await pp.goto(`${BASE}/r/v/${ids.mall.qrToken}`)
    await pp.locator('[data-test="report-form"]').waitFor()
    await shot(pp, `${tag}-r-report`)
    await pp.locator('[data-test="report-submit"]').click()
    await pp.waitForTimeout(400)
    await shot(pp, `${tag}-r-report-errors`)
    await pp.locator('[data-test="report-category"] [data-code="no_extinguisher"]').click()
    await pp.locator('textarea[name="description"]').fill('三楼餐饮区灭火器过期，压力表指针在红区')
    await pp.locator('[data-test="report-photo-input"]').setInputFiles({ name: 'a.png', mimeType: 'image/png', buffer: png })
    await pp.locator('[data-test="report-photo"] img').waitFor()
    await pp.locator('input[name="phone"]').fill('1380000')
    await pp.locator('[data-test="report-position"]').scrollIntoViewIfNeeded()
    await shot(pp, `${tag}-r-report-filled`)
    if (tag === 'phone') {
      await pp.locator('input[name="phone"]').fill('')
      await pp.locator('[data-test="report-submit"]').click()
      await pp.locator('[data-test="tracking-code"]').waitFor()
      await shot(pp, `${tag}-r-done`)
    }
    await pp.goto(`${BASE}/r/v/no-such-token`)
    await pp.locator('[data-test="report-venue-missing"]').waitFor()
    await shot(pp, `${tag}-r-report-missing`)
    await pp.goto(`${BASE}/r/t`)
    await shot(pp, `${tag}-r-track-input`)
    const received = (await admin.get(`/api/reports/${reportId}`)).trackingCode
    await pp.goto(`${BASE}/r/t/${received}`)
    await pp.locator('[data-test="track-status"]').waitFor()
    await shot(pp, `${tag}-r-track-received`)
    if (accepted) {
      await pp.goto(`${BASE}/r/t/${accepted.trackingCode}`)
      await pp.locator('[data-test="track-status"]').waitFor()
      await shot(pp, `${tag}-r-track-accepted`)
    }
    const rejected = (await admin.get('/api/reports?state=rejected&pageSize=1')).items[0]
    if (rejected) {
      await pp.goto(`${BASE}/r/t/${rejected.trackingCode}`)
      await pp.locator('[data-test="track-status"]').waitFor()
      await shot(pp, `${tag}-r-track-rejected`)
    }
    await pp.goto(`${BASE}/r/t/NOSUCHCODE`)
    await pp.locator('[data-test="track-missing"]').waitFor()
    await shot(pp, `${tag}-r-track-missing`)
    await pctx.close()
  }
}

await runShotsIfMain(import.meta.url, hazardShots)
