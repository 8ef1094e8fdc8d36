// Screenshots of the enforcement pages (1440×900 and 390×844) into /tmp/shots/: 执法案件 list, 立案, detail with
// 一案双罚, 警示曝光, 失信联合惩戒, and the public 曝光台 /r/exposures. Called by screenshots.mjs; runs alone too:
// HUOYAN_URL=http://127.0.0.1:18080 node e2e/screenshots-cases.mjs
import { mkdirSync } from 'node:fs'
import { apiLogin, BASE, consoleLogin, launch, runShotsIfMain, SHOTS_DIR, SHOT_SIZES } from './lib.mjs'

const OUT = SHOTS_DIR
const SIZES = SHOT_SIZES
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)

/** An open case (for the buttons) and a decided one (penalties), both from demo hazards. */
async function ensureData(admin) {
  const hazards = (await admin.get('/api/hazards?pageSize=50')).items
  const h = hazards.find((x) => x.responsibleUnitId) ?? hazards[0]
  const open = await admin.post('/api/cases', {
    sourceType: 'hazard', sourceId: h.id, venueId: h.venueId, ...(h.responsibleUnitId ? { unitId: h.responsibleUnitId } : {}),
    partyName: h.responsibleUnitName ?? undefined, responsiblePersons: [{ name: '刘志强', role: '主要负责人' }, { name: '陈红', role: '安全管理员' }],
    title: `${h.venueName}未按期整改火灾隐患案`, facts: `经复查，${h.description}，逾期仍未整改。`, legalBasis: '《中华人民共和国消防法》第六十条第一款',
  })
  const decided = await admin.post('/api/cases', {
    sourceType: 'other', venueId: h.venueId, partyName: h.responsibleUnitName ?? undefined, responsiblePersons: [{ name: '王海', role: '直接责任人' }],
    title: `${h.venueName}违规动火作业案`, facts: '未办理动火作业证擅自进行电焊作业，现场无监护人。',
  })
  await admin.post(`/api/cases/${decided.id}/penalize`, {
    decisionNumber: '金凤消行罚决字〔2026〕第 8 号', decidedOn: today(), unitPenalty: { kind: 'fine', amount: 20000 },
    personPenalties: [{ name: '王海', role: '直接责任人', kind: 'fine', amount: 3000 }],
  })
  await admin.post(`/api/cases/${decided.id}/refer`, { department: '县消防救援大队', note: '涉嫌违规动火，移交依法处理' })
  return { open, decided }
}

export async function caseShots(browser, shot) {
  mkdirSync(OUT, { recursive: true })
  const admin = await apiLogin('admin')
  const ids = await ensureData(admin)
  const demoExposed = (await admin.get('/api/cases?pageSize=50')).items.find((c) => c.exposure)

  for (const [tag, viewport] of Object.entries(SIZES)) {
    const ctx = await browser.newContext({ viewport, locale: 'zh-CN', isMobile: tag === 'phone', hasTouch: tag === 'phone' })
    const page = await ctx.newPage()
    page.on('pageerror', (e) => console.log(`[${tag} cases] page error: ${e.message}`))
    await consoleLogin(page, 'admin')
    await page.goto(`${BASE}/cases`)
    await page.locator('[data-test="cases-table"] .el-table__row').first().waitFor()
    await shot(page, `${tag}-cases`)
    await page.locator('[data-test="case-create"]').click()
    await page.locator('[data-test="case-dialog"]').waitFor()
    await page.waitForTimeout(400)
    await shot(page, `${tag}-case-create`)
    await page.locator('[data-test="case-save"]').click()
    await shot(page, `${tag}-case-create-errors`)

    await page.goto(`${BASE}/cases/${ids.open.id}`)
    await page.locator('[data-test="case-detail"]').waitFor()
    await shot(page, `${tag}-case-open`)
    await page.locator('[data-test="case-cmd-penalize"]').click()
    const pd = page.locator('[data-test="case-cmd-dialog"]')
    await pd.waitFor()
    await page.waitForTimeout(400)
    await shot(page, `${tag}-case-penalize`)
    while (await pd.locator('[data-test="pen-person-remove-0"]').count()) await pd.locator('[data-test="pen-person-remove-0"]').click()
    await pd.locator('[data-test="case-cmd-save"]').click()
    await shot(page, `${tag}-case-penalize-errors`)

    await page.goto(`${BASE}/cases/${ids.decided.id}`)
    await page.locator('[data-test="case-penalties"]').waitFor()
    await shot(page, `${tag}-case-referred`)
    await page.locator('[data-test="case-cmd-expose"]').click()
    await page.locator('[data-test="expose-hint"]').waitFor()
    await page.waitForTimeout(400)
    await shot(page, `${tag}-case-expose`)

    if (demoExposed) {
      await page.goto(`${BASE}/cases/${demoExposed.id}`)
      await page.locator('[data-test="exposure-summary"]').waitFor()
      await page.locator('[data-test="case-exposure"]').scrollIntoViewIfNeeded()
      await shot(page, `${tag}-case-exposed`)
    }

    await page.goto(`${BASE}/credit-marks?`)
    await page.locator('[data-test="credit-table"]').waitFor()
    await shot(page, `${tag}-credit-marks`)
    await page.locator('[data-test="credit-mark"]').click()
    await page.locator('[data-test="credit-dialog"]').waitFor()
    await page.waitForTimeout(400)
    await shot(page, `${tag}-credit-mark`)
    await ctx.close()
  }

  const phone = await browser.newContext({ viewport: SIZES.phone, locale: 'zh-CN', isMobile: true, hasTouch: true })
  const pp = await phone.newPage()
  await pp.goto(`${BASE}/r/`)
  await pp.locator('[data-test="home-exposures"]').scrollIntoViewIfNeeded()
  await shot(pp, 'r-home-exposures')
  await pp.goto(`${BASE}/r/exposures`)
  await pp.locator('[data-test="public-exposures"]').waitFor()
  await shot(pp, 'r-exposures')
  await phone.close()
  const wide = await browser.newContext({ viewport: SIZES.desk, locale: 'zh-CN' })
  const wp = await wide.newPage()
  await wp.goto(`${BASE}/r/exposures`)
  await wp.locator('[data-test="public-exposures"]').waitFor()
  await shot(wp, 'desk-r-exposures')
  await wide.close()
}

await runShotsIfMain(import.meta.url, caseShots)
