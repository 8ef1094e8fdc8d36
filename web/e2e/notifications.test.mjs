// Browser tests of notifications (docs/api-notifications.md): an officer sees the unread count on the header's
// message bell when a hazard is assigned to their department, opens the message from the pop-over and lands on the
// hazard; the admin configures a 企业微信 robot on 消息推送, sends a test message that a real local HTTP receiver gets,
// and sees it 已送达 in the push log.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { apiLogin, BASE, consoleLogin, launch } from './lib.mjs'

let browser, receiver, receiverUrl
const received = []
before(async () => {
  browser = await launch()
  receiver = createServer((req, res) => {
    let raw = ''
    req.on('data', (d) => (raw += d))
    req.on('end', () => {
      received.push({ path: req.url, body: JSON.parse(raw) })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}')
    })
  })
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r))
  receiverUrl = `http://127.0.0.1:${receiver.address().port}`
})
after(async () => {
  await browser?.close()
  receiver?.close()
})

const desk = () => browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })

describe('消息 in the console', () => {
  it('an officer opens the message of a hazard assigned to their department and lands on it', async () => {
    const admin = await apiLogin('admin')
    const dept = (await admin.get('/api/org-units')).items.find((u) => u.name === '商贸发展岗')
    const venue = (await admin.get('/api/venues?pageSize=1')).items[0]
    const category = (await admin.get('/api/hazard-categories')).items[0].code
    const h = await admin.post('/api/hazards', { venueId: venue.id, category, description: `浏览器消息测试 ${Date.now()}` })
    await admin.post(`/api/hazards/${h.id}/assign`, { responsiblePerson: '冯建华', supervisorOrgUnitId: dept.id })

    const ctx = await desk()
    const page = await ctx.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    await consoleLogin(page, 'sw_officer')
    const bell = page.locator('[data-test="notice-bell"]')
    const badge = bell.locator('.el-badge__content')
    await badge.waitFor()
    const before = Number((await badge.innerText()).replace('+', ''))
    assert.ok(before >= 1, `unread badge shows ${before}`)
    await bell.click()
    const item = page.locator('[data-test="notice-item"]').filter({ hasText: h.number })
    await item.waitFor()
    assert.match(await item.innerText(), /已交办/)
    await item.click()
    await page.waitForURL(new RegExp(`/hazards/${h.id}$`))
    await page.waitForFunction(
      (n) => {
        const b = document.querySelector('[data-test="notice-bell"] .el-badge__content')
        return !b || b.style.display === 'none' || Number(b.textContent) === n - 1
      },
      before,
    )
    assert.deepEqual(errors, [])
    await ctx.close()
  })

  it('the admin adds a 企业微信 robot, sends a test message and sees it delivered', async () => {
    const ctx = await desk()
    const page = await ctx.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    await consoleLogin(page, 'admin')
    await page.goto(`${BASE}/webhooks`)
    await page.locator('[data-test="webhook-add"]').click()
    const dlg = page.locator('[data-test="webhook-dialog"]')
    await dlg.waitFor()
    const name = `浏览器测试专班群 ${Date.now()}`
    // Saving without an address is refused in the dialog.
    await dlg.locator('[data-test="webhook-name"]').fill(name)
    await dlg.locator('[data-test="webhook-save"]').click()
    await dlg.locator('.el-form-item__error').filter({ hasText: 'Webhook 地址' }).waitFor()
    await dlg.locator('[data-test="webhook-url"]').fill(`${receiverUrl}/cgi-bin/webhook/send?key=e2e-0123456789`)
    await dlg.locator('[data-test="webhook-save"]').click()
    await dlg.waitFor({ state: 'hidden' })
    const row = page.locator('[data-test="webhook-table"] .el-table__row').filter({ hasText: name })
    await row.waitFor()
    assert.match(await row.innerText(), /key=\*\*\*\*6789/)
    await row.locator('[data-test="webhook-test"]').click()
    await page.locator('.el-message--success').filter({ hasText: '测试消息已送达' }).waitFor()
    const got = received.find((r) => r.path === '/cgi-bin/webhook/send?key=e2e-0123456789')
    assert.ok(got, 'the receiver got nothing')
    assert.equal(got.body.msgtype, 'markdown')
    await row.filter({ hasText: '已送达' }).waitFor()
    assert.deepEqual(errors, [])
    // leave nothing enabled that other tests would push to
    const admin = await apiLogin('admin')
    const hook = (await admin.get('/api/webhooks')).items.find((w) => w.name === name)
    await admin.put(`/api/webhooks/${hook.id}`, { enabled: false })
    await ctx.close()
  })
})
