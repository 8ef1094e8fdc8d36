// Saves PNGs of every console page (1440×900 and 390×844) and the mobile pages to /tmp/shots/ for a human look.
// Usage: HUOYAN_URL=http://127.0.0.1:18080 node e2e/screenshots.mjs
import { mkdirSync } from 'node:fs'
import { apiLogin, BASE, chooseOption, consoleLogin, HOSPITAL, launch, makePhoto, mobileLogin, PASSWORD, phoneContext } from './lib.mjs'
import { hazardShots } from './screenshots-hazards.mjs'
import { inspectionShots } from './screenshots-inspections.mjs'
import { caseShots } from './screenshots-cases.mjs'
import { notificationShots } from './screenshots-notifications.mjs'

const OUT = process.env.SHOTS_DIR ?? '/tmp/shots'
mkdirSync(OUT, { recursive: true })

const PAGES = ['/', '/permits/board', '/permits', '/permits/new', '/alerts', '/alerts/map', '/users', '/org-units', '/roles', '/dicts', '/audit-logs', '/login-logs', '/api-tokens', '/venues', '/units', '/people', '/certificates', '/machines', '/rules']
const SIZES = { desk: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } }

const browser = await launch()
const admin = await apiLogin('admin')
const someUser = (await admin.get('/api/users?q=sw_officer&pageSize=5')).items[0]
const other = (await admin.get('/api/users?q=wj_officer&pageSize=5')).items[0]
const aVenue = (await admin.get('/api/venues?pageSize=50')).items.find((v) => v.openingHours.length > 7) ?? (await admin.get('/api/venues?pageSize=1')).items[0]
const aPerson = (await admin.get('/api/people?pageSize=50')).items.find((p) => p.certificateCount > 1) ?? (await admin.get('/api/people?pageSize=1')).items[0]
const wjVenue = (await admin.get(`/api/venues?pageSize=200`)).items.find((v) => !v.supervisors.some((s) => s.name === '商贸发展岗'))
const permitsByState = new Map()
for (const p of (await admin.get('/api/permits?pageSize=200')).items) if (!permitsByState.has(p.state)) permitsByState.set(p.state, p)
const permitIn = (state) => permitsByState.get(state)
const BAD_CSV =
  '姓名,身份证号,手机号,单位统一社会信用代码,证书类型,证书编号,发证机关,初领日期,有效期至,复审日期\r\n' +
  '截图甲,11010519491231002X,13900003001,,special_op_fusion,T11010519491231002X,应急局,2022-01-01,2028-01-01,\r\n' +
  '截图乙,110105194912310021,13900003002,,special_op_fusion,T110105194912310021,应急局,2022-01-01,2028-01-01,\r\n' +
  '截图丙,440524188001010014,139,,建筑焊工,JZ-1,住建委,2022-01-01,2028-01-01,\r\n'

async function shot(page, name) {
  await page.waitForLoadState('networkidle')
  await page.waitForTimeout(300)
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: false })
  console.log(`${OUT}/${name}.png`)
}

for (const [tag, viewport] of Object.entries(SIZES)) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN', isMobile: tag === 'phone', hasTouch: tag === 'phone' })
  const page = await ctx.newPage()
  page.on('console', (m) => m.type() === 'error' && console.log(`[${tag}] console error: ${m.text()}`))
  page.on('pageerror', (e) => console.log(`[${tag}] page error: ${e.message}`))
  await page.goto(`${BASE}/login`)
  await shot(page, `${tag}-login`)
  await consoleLogin(page, 'admin')
  for (const p of PAGES) {
    await page.goto(BASE + p)
    await shot(page, `${tag}-${p === '/' ? 'home' : p.slice(1).replaceAll('/', '-')}`)
  }
  if (someUser) {
    await page.goto(`${BASE}/users/${someUser.id}`)
    await shot(page, `${tag}-user-detail`)
  }
  await page.goto(`${BASE}/users`)
  await page.locator('[data-test="user-create"]').click()
  await page.locator('.el-dialog').filter({ hasText: '新建用户' }).waitFor()
  await shot(page, `${tag}-user-dialog`)
  await page.goto(`${BASE}/roles`)
  await page.getByRole('button', { name: '编辑' }).first().click()
  await page.locator('.el-dialog').first().waitFor()
  await shot(page, `${tag}-role-dialog`)
  await page.goto(`${BASE}/audit-logs`)
  await page.locator('.el-table__expand-icon').first().click()
  await page.getByRole('button', { name: '校验日志链' }).click()
  await page.locator('[data-test="verify-result"]').waitFor()
  await shot(page, `${tag}-audit-expanded`)
  if (tag === 'desk') {
    await page.goto(`${BASE}/api-tokens`)
    await page.getByRole('button', { name: '新建令牌' }).click()
    const dlg = page.locator('.el-dialog').filter({ hasText: '新建接口令牌' })
    await dlg.locator('input').first().fill('焊机物联网关')
    await dlg.locator('.el-select').click()
    await page.locator('.el-select-dropdown__item').filter({ visible: true }).first().click()
    await dlg.getByRole('button', { name: '创建' }).click()
    await page.locator('[data-test="new-token"]').waitFor()
    await shot(page, `${tag}-token-created`)
    await page.getByRole('button', { name: '我已保存' }).click()
    await shot(page, `${tag}-api-tokens-list`)
  }
  // Registries and rules.
  if (aVenue) {
    await page.goto(`${BASE}/venues/${aVenue.id}`)
    await page.locator('[data-test="venue-qr"] img').waitFor()
    await shot(page, `${tag}-venue-detail`)
    await page.locator('[data-test="venue-edit"]').click()
    await page.locator('.el-dialog').filter({ hasText: '编辑场所' }).waitFor()
    await shot(page, `${tag}-venue-edit`)
    await page.locator('.el-dialog').filter({ hasText: '编辑场所' }).locator('[data-test="hours-editor"]').scrollIntoViewIfNeeded()
    await shot(page, `${tag}-venue-edit-hours`)
  }
  await page.goto(`${BASE}/venues`)
  await page.locator('[data-test="venue-create"]').click()
  const vd = page.locator('.el-dialog').filter({ hasText: '新建场所' })
  await vd.waitFor()
  await vd.locator('[data-test="venue-save"]').click()
  await shot(page, `${tag}-venue-create-errors`)
  await page.goto(`${BASE}/units`)
  await page.locator('[data-test="unit-create"]').click()
  const ud = page.locator('.el-dialog').filter({ hasText: '新建单位' })
  await ud.locator('input[name="creditCode"]').fill('91350100M000100Y44')
  await ud.locator('input[name="contactPhone"]').fill('1234')
  await ud.locator('input[name="name"]').click()
  await shot(page, `${tag}-unit-dialog`)
  if (aPerson) {
    await page.goto(`${BASE}/people/${aPerson.id}`)
    await page.locator('[data-test="person-certs"]').waitFor()
    await shot(page, `${tag}-person-detail`)
    await page.locator('[data-test="cert-add"]').click()
    const cd = page.locator('.el-dialog').filter({ hasText: '添加证书' })
    await cd.locator('[data-test="cert-kind"]').click()
    await page.locator('.el-select-dropdown__item').filter({ visible: true }).filter({ hasText: '压力焊' }).click()
    await cd.locator('input[name="number"]').fill('T123')
    await shot(page, `${tag}-cert-dialog`)
  }
  await page.goto(`${BASE}/certificates`)
  await page.locator('[data-test="cert-verify"]').first().click()
  await page.locator('.el-dialog').filter({ hasText: '证书核验' }).waitFor()
  await shot(page, `${tag}-cert-verify`)
  await page.goto(`${BASE}/certificates`)
  await page.locator('[data-test="cert-import"]').click()
  const idlg = page.locator('.el-dialog').filter({ hasText: '批量导入证书' })
  await idlg.locator('[data-test="import-file"]').setInputFiles({ name: '证书.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_CSV) })
  await idlg.locator('[data-test="import-errors"]').waitFor()
  await shot(page, `${tag}-cert-import`)
  await page.goto(`${BASE}/machines`)
  await page.locator('[data-test="machine-create"]').click()
  await page.locator('.el-dialog').filter({ hasText: '登记焊机' }).waitFor()
  await shot(page, `${tag}-machine-dialog`)
  for (const t of ['key-periods', 'settings']) {
    await page.goto(`${BASE}/rules?tab=${t}`)
    await shot(page, `${tag}-rules-${t}`)
  }
  await page.goto(`${BASE}/rules?tab=key-periods`)
  await page.locator('[data-test="kp-add"]').click()
  await page.locator('.el-dialog').filter({ hasText: '添加重要节点' }).waitFor()
  await shot(page, `${tag}-rules-kp-dialog`)

  // Hot-work permits: detail pages in the states with most to show, the board of tomorrow, the form's rule hint.
  for (const st of ['watching', 'closed', 'in_progress']) {
    const p = permitIn(st)
    if (!p) continue
    await page.goto(`${BASE}/permits/${p.id}`)
    await page.locator('[data-test="permit-detail"]').waitFor()
    await shot(page, `${tag}-permit-detail-${st}`)
  }
  if (permitIn('closed')) {
    await page.goto(`${BASE}/permits/${permitIn('closed').id}`)
    await page.locator('[data-test="permit-measures"]').scrollIntoViewIfNeeded()
    await shot(page, `${tag}-permit-detail-closed-measures`)
  }
  await page.goto(`${BASE}/permits/board?date=${new Date(Date.now() + 32 * 3600_000).toISOString().slice(0, 10)}`)
  await shot(page, `${tag}-permit-board-tomorrow`)
  if (tag === 'desk') {
    await page.goto(`${BASE}/permits/new`)
    await page.locator('[data-test="permit-form"]').waitFor()
    await chooseOption(page, page.locator('[data-test="venue-select"]'), '金凤中学')
    const day = new Date(Date.now() + 56 * 3600_000).toISOString().slice(0, 10)
    for (const [ph, t] of [['选择开始时间', '10:00'], ['选择结束时间', '12:00']]) {
      await page.getByPlaceholder(ph).fill(`${day} ${t}`)
      await page.getByPlaceholder(ph).press('Enter')
      await page.keyboard.press('Escape')
    }
    await page.locator('[data-test="rule-mitigate"]').scrollIntoViewIfNeeded()
    await shot(page, `${tag}-permit-form-school`)
    await page.locator('[data-test="save-draft"]').click()
    await shot(page, `${tag}-permit-form-errors`)
  }
  if ((await admin.get('/api/alerts?state=open')).total) {
    await page.goto(`${BASE}/alerts`)
    await page.locator('[data-test="alert-handle"]').first().click()
    const hd = page.locator('[data-test="alert-handle-dialog"]')
    await hd.waitFor()
    await hd.locator('[data-test="alert-photos"] input[type="file"]').setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: await makePhoto(page, '处置现场') })
    await hd.locator('[data-test="alert-photos"] .tile img').waitFor()
    await hd.locator('textarea[name="result"]').fill('已到现场核实，焊机已停机，督促施工单位补办动火作业证')
    await shot(page, `${tag}-alert-handle`)
    if (tag === 'desk') {
      await hd.locator('[data-test="alert-handle-save"]').click()
      await hd.waitFor({ state: 'hidden' })
      await page.goto(`${BASE}/alerts?state=handled`)
      await page.locator('[data-test="alerts-table"]').waitFor()
      await shot(page, `${tag}-alerts-machine-handled`)
    }
  }
  // The map with a machine's card pinned (the first machine with a critical alert).
  const hot = (await admin.get('/api/map')).machines.find((m) => m.openAlerts.some((a) => a.severity === 'critical'))
  if (hot) {
    await page.goto(`${BASE}/alerts/map?machine=${hot.id}`)
    await page.locator('[data-test="map-card"]').waitFor()
    await shot(page, `${tag}-alerts-map-machine`)
  }

  await page.goto(`${BASE}/change-password`)
  await shot(page, `${tag}-change-password`)
  if (tag === 'phone') {
    await page.goto(`${BASE}/users`)
    await page.getByRole('button', { name: '菜单' }).click()
    await shot(page, `${tag}-menu-drawer`)
  }
  await ctx.close()

  // Out-of-scope detail as sw_officer, and a field role's console home.
  const ctx2 = await browser.newContext({ viewport, locale: 'zh-CN' })
  const p2 = await ctx2.newPage()
  await consoleLogin(p2, 'sw_officer')
  if (other) {
    await p2.goto(`${BASE}/users/${other.id}`)
    await shot(p2, `${tag}-user-out-of-scope`)
  }
  await p2.goto(`${BASE}/users`)
  await shot(p2, `${tag}-users-sw_officer`)
  await p2.goto(`${BASE}/venues`)
  await shot(p2, `${tag}-venues-sw_officer`)
  if (wjVenue) {
    await p2.goto(`${BASE}/venues/${wjVenue.id}`)
    await shot(p2, `${tag}-venue-out-of-scope`)
  }
  await p2.goto(`${BASE}/rules?tab=settings`)
  await shot(p2, `${tag}-rules-sw_officer`)
  await ctx2.close()
  const ctx4 = await browser.newContext({ viewport, locale: 'zh-CN' })
  const p4 = await ctx4.newPage()
  await consoleLogin(p4, 'contractor')
  await p4.goto(`${BASE}/permits/new`)
  await p4.locator('[data-test="permit-form"]').waitFor()
  await chooseOption(p4, p4.locator('[data-test="venue-select"]'), '金凤商业广场')
  await shot(p4, `${tag}-permit-form-contractor`)
  if (permitIn('draft')) {
    await p4.goto(`${BASE}/permits/${permitIn('draft').id}/edit`)
    await p4.locator('[data-test="permit-form"]').waitFor()
    await shot(p4, `${tag}-permit-edit-draft`)
    await p4.locator('[data-test="workers"]').scrollIntoViewIfNeeded()
    await shot(p4, `${tag}-permit-edit-draft-people`)
  }
  if (permitIn('surveyed')) {
    await p4.goto(`${BASE}/permits/${permitIn('surveyed').id}`)
    await p4.locator('[data-test="cmd-confirm-risk"]').click()
    await p4.locator('[data-test="cmd-dialog-confirm-risk"]').waitFor()
    await shot(p4, `${tag}-permit-confirm-risk`)
  }
  await ctx4.close()
  const ctx3 = await browser.newContext({ viewport, locale: 'zh-CN' })
  const p3 = await ctx3.newPage()
  await consoleLogin(p3, 'welder')
  await shot(p3, `${tag}-home-welder`)
  await ctx3.close()
}

// Hazards, public reports and the public report entry /r/ (a venue QR code's target).
await hazardShots(browser, shot)

// Inspections, 双随机 draws, checklist templates, /r/draws and the phone's 网格巡查.
await inspectionShots(browser, shot)

// Enforcement cases, credit marks and /r/exposures.
await caseShots(browser, shot)
await notificationShots(browser, shot)

// Mobile entry.
const m = await browser.newContext({ viewport: SIZES.phone, isMobile: true, hasTouch: true, locale: 'zh-CN' })
const mp = await m.newPage()
mp.on('pageerror', (e) => console.log(`[m] page error: ${e.message}`))
await mp.goto(`${BASE}/m/`)
await shot(mp, 'm-login')
await mp.locator('input[name="login"]').fill('welder')
await mp.locator('input[name="password"]').fill(PASSWORD)
await mp.getByRole('button', { name: '登录' }).click()
await mp.waitForURL(`${BASE}/m/`)
await shot(mp, 'm-home')
await mp.goto(`${BASE}/m/password`)
await shot(mp, 'm-password')
await m.close()

// Scan-to-start: a machine's QR code, the unlock at the hospital, a refusal, and the page without a code.
{
  const c = await phoneContext(browser, { geolocation: { latitude: HOSPITAL.lat, longitude: HOSPITAL.lng, accuracy: 8 } })
  const pg = await c.newPage()
  pg.on('pageerror', (e) => console.log(`[m scan] page error: ${e.message}`))
  await pg.goto(`${BASE}/m/scan?code=JF-HJ-0001`)
  await pg.locator('input[name="login"]').fill('welder')
  await pg.locator('input[name="password"]').fill(PASSWORD)
  await pg.getByRole('button', { name: '登录' }).click()
  await pg.locator('[data-test="scan-code"]').waitFor()
  await shot(pg, 'm-scan')
  await pg.locator('[data-test="scan-start"]').click()
  await pg.locator('[data-test="scan-result"]').waitFor()
  await shot(pg, 'm-scan-result-0001')
  await pg.goto(`${BASE}/m/scan?code=JF-HJ-0002`)
  await pg.locator('[data-test="scan-start"]').click()
  await pg.locator('[data-test="scan-result"]').waitFor()
  await shot(pg, 'm-scan-result-0002')
  await pg.goto(`${BASE}/m/scan`)
  await shot(pg, 'm-scan-no-code')
  await pg.goto(`${BASE}/m/`)
  await shot(pg, 'm-home-welder')
  await c.close()
}

// Mobile permit pages: each role on its own phone.
async function phone(login, geolocation) {
  const c = await phoneContext(browser, { geolocation })
  const pg = await c.newPage()
  pg.on('pageerror', (e) => console.log(`[m ${login}] page error: ${e.message}`))
  await mobileLogin(pg, login)
  return { c, pg }
}
const approverOf = async (p) => {
  const full = await admin.get(`/api/permits/${p.id}`)
  return (await admin.get(`/api/users/${full.approver.id}`)).username
}
{
  const { c, pg } = await phone('contractor')
  await pg.getByText('我的动火作业证').click()
  await pg.locator('[data-test^="m-permit-"]').first().waitFor()
  await shot(pg, 'm-permits')
  if (permitIn('approved')) {
    await pg.goto(`${BASE}/m/permits/${permitIn('approved').id}`)
    await pg.locator('[data-test="m-permit-head"]').waitFor()
    await shot(pg, 'm-permit-approved')
    await pg.locator('[data-test="m-cmd-check-in"]').click()
    await pg.locator('[data-test="m-sheet-check-in"]').waitFor()
    await shot(pg, 'm-permit-check-in')
  }
  if (permitIn('surveyed')) {
    await pg.goto(`${BASE}/m/permits/${permitIn('surveyed').id}`)
    await pg.locator('[data-test="m-cmd-confirm-risk"]').click()
    await pg.locator('[data-test="m-sheet-confirm-risk"]').waitFor()
    await shot(pg, 'm-permit-confirm-risk')
  }
  await c.close()
}
if (permitIn('submitted')) {
  const { c, pg } = await phone(await approverOf(permitIn('submitted')), { latitude: 29.4402, longitude: 106.3615 })
  await pg.goto(`${BASE}/m/permits/${permitIn('submitted').id}`)
  await pg.locator('[data-test="m-permit-head"]').waitFor()
  await shot(pg, 'm-permit-submitted')
  await pg.locator('[data-test="m-cmd-survey"]').click()
  await pg.locator('[data-test="m-sheet-survey"]').waitFor()
  await pg.locator('[data-test="m-sheet-survey"] textarea[name="note"]').fill('现场已查看，作业区域周边可燃物已清理')
  await shot(pg, 'm-permit-survey')
  await c.close()
}
if (permitIn('watching')) {
  const full = await admin.get(`/api/permits/${permitIn('watching').id}`)
  const fwUser = (await admin.get(`/api/users/${full.fireWatch.userId}`)).username
  const { c, pg } = await phone(fwUser, { latitude: 29.4402, longitude: 106.3615 })
  await pg.goto(`${BASE}/m/permits/${full.id}`)
  await pg.locator('[data-test="m-round-countdown"]').waitFor()
  await shot(pg, 'm-permit-watching')
  await pg.locator('[data-test="m-cmd-rounds"]').click()
  await pg.locator('[data-test="m-sheet-rounds"]').waitFor()
  await shot(pg, 'm-permit-rounds')
  await pg.keyboard.press('Escape')
  await pg.goto(`${BASE}/m/permits/${full.id}`)
  await pg.locator('[data-test="m-timeline"]').scrollIntoViewIfNeeded()
  await shot(pg, 'm-permit-timeline')
  await c.close()
}
if (permitIn('in_progress')) {
  const full = await admin.get(`/api/permits/${permitIn('in_progress').id}`)
  const fwUser = (await admin.get(`/api/users/${full.fireWatch.userId}`)).username
  const { c, pg } = await phone(fwUser)
  await pg.goto(`${BASE}/m/permits/${full.id}`)
  await pg.locator('[data-test="m-permit-head"]').waitFor()
  await shot(pg, 'm-permit-in-progress')
  await pg.locator('[data-test="m-cmd-suspend"]').click()
  await shot(pg, 'm-permit-suspend')
  await c.close()
}

await browser.close()
