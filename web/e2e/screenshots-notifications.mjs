// Screenshots of 消息 (1440×900 and 390×844) into SHOTS_DIR: the header bell's pop-over, 我的消息, 消息推送 with a
// delivered and a failing webhook, its dialog (with the dialog's own errors) and its push log. Called by
// screenshots.mjs; runs alone too: HUOYAN_URL=http://127.0.0.1:18080 node e2e/screenshots-notifications.mjs
import { mkdirSync } from 'node:fs'
import { apiLogin, BASE, consoleLogin, runShotsIfMain, SHOTS_DIR, SHOT_SIZES } from './lib.mjs'

/** Two webhooks with a history: a JSON one to a port nobody listens on (failed test) and a disabled 钉钉 robot. */
async function ensureData(admin) {
  const have = (await admin.get('/api/webhooks')).items
  if (have.some((w) => w.name === '镇消防安全专班（企业微信）')) return have
  const wecom = await admin.post('/api/webhooks', {
    name: '镇消防安全专班（企业微信）', url: 'http://127.0.0.1:9/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa',
    format: 'wecom', events: ['alert.critical', 'hazard.supervised', 'report.received'], siteUrl: 'https://huoyan.jinfeng.gov.cn',
  })
  await admin.post(`/api/webhooks/${wecom.id}/test`)
  await admin.post('/api/webhooks', {
    name: '商贸发展岗工作群（钉钉）', url: 'https://oapi.dingtalk.com/robot/send?access_token=1f0c5a8e9b7d4c3e2a1b0f9e8d7c6b5a',
    format: 'dingtalk', secret: 'SEC0123456789abcdef', events: [], enabled: false,
  })
  return (await admin.get('/api/webhooks')).items
}

export async function notificationShots(browser, shot) {
  mkdirSync(SHOTS_DIR, { recursive: true })
  const admin = await apiLogin('admin')
  const hooks = await ensureData(admin)
  for (const [tag, viewport] of Object.entries(SHOT_SIZES)) {
    const ctx = await browser.newContext({ viewport, locale: 'zh-CN', isMobile: tag === 'phone', hasTouch: tag === 'phone' })
    const page = await ctx.newPage()
    page.on('pageerror', (e) => console.log(`[${tag} notifications] page error: ${e.message}`))
    await consoleLogin(page, 'sw_officer')
    await page.locator('[data-test="notice-bell"]').click()
    await page.locator('[data-test="notice-item"]').first().waitFor()
    await shot(page, `${tag}-notice-pop`)
    await page.goto(`${BASE}/notifications`)
    await page.locator('[data-test="notice-list"]').waitFor()
    await shot(page, `${tag}-notifications`)

    await ctx.clearCookies()
    await consoleLogin(page, 'admin')
    await page.goto(`${BASE}/webhooks`)
    await page.locator('[data-test="webhook-table"] .el-table__row').first().waitFor()
    await shot(page, `${tag}-webhooks`)
    await page.locator('[data-test="webhook-add"]').click()
    const dlg = page.locator('[data-test="webhook-dialog"]')
    await dlg.waitFor()
    await page.waitForTimeout(400)
    await dlg.locator('[data-test="webhook-save"]').click()
    await shot(page, `${tag}-webhook-add-errors`)
    await dlg.getByText('选择事件').click()
    await page.waitForTimeout(200)
    await shot(page, `${tag}-webhook-add-events`)
    await page.keyboard.press('Escape')
    const failing = hooks.find((w) => w.name === '镇消防安全专班（企业微信）')
    await page.locator('[data-test="webhook-table"] .el-table__row').filter({ hasText: failing.name }).getByText('推送记录').click()
    await page.locator('[data-test="webhook-log"]').waitFor()
    await page.waitForTimeout(400)
    await shot(page, `${tag}-webhook-log`)
    await ctx.close()
  }
}

await runShotsIfMain(import.meta.url, notificationShots)
