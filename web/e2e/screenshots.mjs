// Saves PNGs of every console page (1440×900 and 390×844) and the mobile pages to /tmp/shots/ for a human look.
// Usage: HUOYAN_URL=http://127.0.0.1:18080 node e2e/screenshots.mjs
import { mkdirSync } from 'node:fs'
import { apiLogin, BASE, consoleLogin, launch, PASSWORD } from './lib.mjs'

const OUT = process.env.SHOTS_DIR ?? '/tmp/shots'
mkdirSync(OUT, { recursive: true })

const PAGES = ['/', '/users', '/org-units', '/roles', '/dicts', '/audit-logs', '/login-logs', '/api-tokens']
const SIZES = { desk: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } }

const browser = await launch()
const admin = await apiLogin('admin')
const someUser = (await admin.get('/api/users?q=sw_officer&pageSize=5')).items[0]
const other = (await admin.get('/api/users?q=wj_officer&pageSize=5')).items[0]

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
    await shot(page, `${tag}-${p === '/' ? 'home' : p.slice(1)}`)
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
  await ctx2.close()
  const ctx3 = await browser.newContext({ viewport, locale: 'zh-CN' })
  const p3 = await ctx3.newPage()
  await consoleLogin(p3, 'welder')
  await shot(p3, `${tag}-home-welder`)
  await ctx3.close()
}

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
await mp.getByText('我的动火作业证').click()
await shot(mp, 'm-soon')
await mp.goto(`${BASE}/m/password`)
await shot(mp, 'm-password')
await m.close()

await browser.close()
