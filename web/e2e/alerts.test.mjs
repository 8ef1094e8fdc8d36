// Live alerts in the console: a machine powered on without a permit shows up on 预警处置 while the page is open.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { apiLogin, BASE, consoleLogin, launch, machineWithSecret, makePhoto, mobileLogin, phoneContext, sendDeviceMessage } from './lib.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

const CODE = 'JF-HJ-0011' // not on any demo permit

describe('live alerts', () => {
  it('admin on /alerts sees an unpermitted power-on appear at the top without reloading, with a pop-up and the bell', async () => {
    const admin = await apiLogin('admin')
    const machine = await machineWithSecret(admin, CODE)
    // One open alert per machine and kind: clear a leftover from an earlier run so a new one opens.
    const old = await admin.get(`/api/alerts?kind=unpermitted_power_on&sourceType=machine&sourceId=${machine.id}&active=true&pageSize=50`)
    for (const a of old.items) await admin.post(`/api/alerts/${a.id}/handle`, { result: '浏览器测试前清理' })
    await sendDeviceMessage(machine, { type: 'telemetry', power: false })

    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const page = await ctx.newPage()
    await consoleLogin(page, 'admin')
    await page.goto(`${BASE}/alerts`)
    await page.locator('[data-test="alerts-table"]').waitFor()
    await page.locator('[data-test="alerts-live"].on').waitFor({ timeout: 15_000 }) // the EventSource is open
    const bell = page.locator('[data-test="alert-bell"]')
    await bell.waitFor()
    const openBefore = (await admin.get('/api/alerts?state=open&pageSize=1')).total
    let loads = 0
    page.on('load', () => loads++)
    const url = page.url()

    await sendDeviceMessage(machine, { type: 'telemetry', power: true, currentA: 96 })
    // The new alert: first row, this machine, still open (older handled ones of the machine may be listed too).
    const row = page.locator('[data-test="alerts-table"] .el-table__body tr').first()
    await row.filter({ hasText: CODE }).filter({ hasText: '待处置' }).waitFor({ timeout: 15_000 })
    const text = await row.innerText()
    assert.match(text, /未经审批/)
    assert.match(text, /待处置/)
    assert.match(text, /焊机/)
    // A pop-up for the new critical alert, and the bell counts it.
    await page.locator('.el-notification').filter({ hasText: CODE }).waitFor({ timeout: 5_000 })
    const badge = bell.locator('.el-badge__content')
    await page.waitForFunction(
      ([el, n]) => Number(document.querySelector(el)?.textContent) >= n,
      ['[data-test="alert-bell"] .el-badge__content', openBefore + 1],
      { timeout: 5_000 },
    )
    assert.ok(Number(await badge.innerText()) >= openBefore + 1)
    assert.equal(loads, 0, 'the page was not reloaded')
    assert.equal(page.url(), url)

    // Handling it elsewhere updates the row in place. (The server notices changes by updatedAt, which has whole
    // seconds: a second change within the same second only arrives with the next reconnect, so let a second pass.)
    await new Promise((r) => setTimeout(r, 1100))
    const created = (await admin.get(`/api/alerts?kind=unpermitted_power_on&sourceType=machine&sourceId=${machine.id}&state=open`)).items[0]
    await admin.post(`/api/alerts/${created.id}/handle`, { result: '已联系施工单位停机，补办动火作业证', falseAlarm: false })
    await row.filter({ hasText: '补办动火作业证' }).filter({ hasText: '已处置' }).waitFor({ timeout: 15_000 })
    assert.equal(loads, 0)
    await ctx.close()
  })
})

describe('the alert map', () => {
  it('shows a town venue by venue, and a city (more venues than the limit) as clusters that open on a click', async () => {
    const admin = await apiLogin('admin')
    const town = await admin.get('/api/map')
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const page = await ctx.newPage()
    await consoleLogin(page, 'admin')
    await page.goto(`${BASE}/alerts/map`)
    const venues = page.locator('[data-test^="map-venue-"]:not([data-test="map-venue-count"])')
    const clusters = page.locator('[data-test="map-cluster"]')
    await venues.first().waitFor()
    assert.equal(await venues.count(), town.venues.length)
    assert.equal(await clusters.count(), 0)

    // The demo town is small: the page is made to ask for at most 5 venues one by one, as a city's map would be.
    const LIMIT = 5
    await page.route('**/api/map**', (route) => {
      const url = new URL(route.request().url())
      url.searchParams.set('venueLimit', String(LIMIT))
      return route.continue({ url: url.toString() })
    })
    const city = await admin.get(`/api/map?venueLimit=${LIMIT}`)
    await page.reload()
    await clusters.first().waitFor()
    assert.equal(await clusters.count(), city.clusters.length)
    assert.equal(await venues.count(), 0)
    assert.equal(await page.locator('[data-test="map-venue-count"] b').innerText(), String(town.venues.length), 'the count is the whole town')
    const texts = await clusters.locator('text.count').allTextContents()
    assert.deepEqual(texts, city.clusters.map((c) => String(c.venues)))

    // Opening the largest cluster asks for its box: its venues (or smaller clusters), and 上一级 leads back.
    const biggest = city.clusters.reduce((best, c, i) => (c.venues > city.clusters[best].venues ? i : best), 0)
    const inside = await admin.get(`/api/map?${new URLSearchParams({ ...city.clusters[biggest].bounds, venueLimit: LIMIT })}`)
    await clusters.nth(biggest).click()
    await page.locator('[data-test="map-area-back"]').waitFor()
    await page.waitForFunction(
      (n) => document.querySelector('[data-test="map-venue-count"] b')?.textContent === String(n),
      city.clusters[biggest].venues,
    )
    assert.equal(await venues.count(), inside.venues.length)
    assert.equal(await clusters.count(), inside.clusters.length)
    await page.locator('[data-test="map-area-back"]').click()
    await page.locator('[data-test="map-area-back"]').waitFor({ state: 'detached' })
    // The button goes at once; the whole map's clusters come with the next answer.
    await page.waitForFunction((n) => document.querySelectorAll('[data-test="map-cluster"]').length === n, city.clusters.length)
    assert.equal(await venues.count(), 0)
    await ctx.close()
  })
})

describe('alerts on a phone', () => {
  it('an officer acknowledges an unpermitted power-on and records how it was handled, with a photo', async () => {
    const admin = await apiLogin('admin')
    const machine = await machineWithSecret(admin, 'JF-HJ-0010') // only the API tests drive it, on their own server
    const active = `/api/alerts?kind=unpermitted_power_on&sourceType=machine&sourceId=${machine.id}&active=true&pageSize=50`
    for (const a of (await admin.get(active)).items) await admin.post(`/api/alerts/${a.id}/handle`, { result: '浏览器测试前清理' })
    await sendDeviceMessage(machine, { type: 'telemetry', power: false })
    const openCount = (await admin.get('/api/alerts?active=true&pageSize=1')).total

    const ctx = await phoneContext(browser)
    const page = await ctx.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    await mobileLogin(page, 'admin')
    // Home: the count of alerts still to deal with, opening the list.
    await page.locator('[data-test="home-alerts-count"]').filter({ hasText: `${openCount} 条` }).waitFor()
    await page.locator('[data-test="home-alerts"]').click()
    await page.waitForURL(/\/m\/alerts/)
    await page.locator('[data-test="m-alert"]').first().waitFor()
    await page.locator('[data-test="m-alerts-live"].on').waitFor({ timeout: 15_000 }) // the EventSource is open
    // The power-on arrives while the list is open: first, without reloading.
    let loads = 0
    page.on('load', () => loads++)
    await sendDeviceMessage(machine, { type: 'telemetry', power: true, currentA: 88 })
    const [alert] = (await admin.get(active)).items
    assert.ok(alert, 'the power-on opened an alert')
    const card = page.locator(`[data-test="m-alert"][data-id="${alert.id}"]`)
    await card.filter({ hasText: 'JF-HJ-0010' }).filter({ hasText: '待处置' }).waitFor({ timeout: 15_000 })
    assert.equal(await page.locator('[data-test="m-alert"]').first().getAttribute('data-id'), String(alert.id))
    assert.match(await card.innerText(), /严重/)
    assert.equal(loads, 0, 'the page was not reloaded')

    // Acknowledge, then handle: a result is required, and nothing is sent without it.
    await card.click()
    const sheet = page.locator('[data-test="m-sheet-alert"]')
    await sheet.locator('[data-test="m-alert-state"]').filter({ hasText: '待处置' }).waitFor()
    await sheet.locator('[data-test="m-alert-ack"]').click()
    await sheet.locator('[data-test="m-alert-state"]').filter({ hasText: '已确认' }).waitFor()
    assert.equal((await admin.get(active)).items[0].state, 'acknowledged')
    await sheet.locator('[data-test="m-alert-ack"]').waitFor({ state: 'detached' })
    await sheet.locator('[data-test="m-alert-handle"]').click()
    await sheet.locator('[data-test="m-alert-error"]').filter({ hasText: '请填写处置结果' }).waitFor()
    assert.equal((await admin.get(active)).items[0].state, 'acknowledged')
    await sheet.locator('textarea[name="result"]').fill('到场核实：维修工临时试焊，已责令停止并补办动火审批')
    await sheet.locator('[data-test="m-alert-photos-input"]').setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: await makePhoto(page, '处置现场') })
    await sheet.locator('.tile img').first().waitFor()
    await sheet.locator('[data-test="m-alert-handle"]').click()
    await sheet.waitFor({ state: 'hidden' })
    await card.filter({ hasText: '已处置' }).waitFor()
    const handled = (await admin.get(`/api/alerts?sourceType=machine&sourceId=${machine.id}&state=handled&pageSize=5`)).items.find((a) => a.id === alert.id)
    assert.ok(handled, 'the alert is handled')
    assert.equal(handled.result, '到场核实：维修工临时试焊，已责令停止并补办动火审批')
    assert.equal(handled.photos.length, 1)

    // 已处置 lists it, with its result; a notification's link narrows the list to machines, and the chip clears it.
    await page.locator('[data-test="m-alert-tabs"]').getByRole('tab', { name: '已处置' }).click()
    await card.click()
    await sheet.locator('[data-test="m-alert-result"]').filter({ hasText: '补办动火审批' }).waitFor()
    await sheet.locator('[data-test="m-alert-handle"]').waitFor({ state: 'detached' })
    await page.goto(`${BASE}/m/alerts?sourceType=machine`)
    await page.locator('[data-test="m-alert-source"]').filter({ hasText: '只看焊机预警' }).waitFor()
    await page.locator('[data-test="m-alert"]').first().waitFor()
    for (const text of await page.locator('[data-test="m-alert"]').allInnerTexts()) assert.match(text, /焊机/)
    await page.locator('[data-test="m-alert-source"] .van-tag__close').click()
    await page.waitForURL((u) => !u.search.includes('sourceType'))
    assert.deepEqual(errors, [])
    await ctx.close()
  })

  it("a venue manager reads their venue's alerts and opens the permit, without the officer's buttons", async () => {
    const vm = await apiLogin('venue_mgr')
    const alert = (await vm.get('/api/alerts?kind=permit_not_started&pageSize=50')).items.find((a) => a.venueName === '金凤里综合体')
    assert.ok(alert, "the demo's expired permit at 金凤里综合体 has its alert")
    const active = alert.state === 'open' || alert.state === 'acknowledged'
    const ctx = await phoneContext(browser)
    const page = await ctx.newPage()
    await mobileLogin(page, 'venue_mgr')
    await page.locator('[data-test="tile-alerts"]').click()
    await page.waitForURL(/\/m\/alerts/)
    if (!active) await page.locator('[data-test="m-alert-tabs"]').getByRole('tab', { name: '已处置' }).click()
    await page.locator(`[data-test="m-alert"][data-id="${alert.id}"]`).click()
    const sheet = page.locator('[data-test="m-sheet-alert"]')
    await sheet.locator('[data-test="m-alert-state"]').waitFor()
    assert.equal(await sheet.locator('[data-test="m-alert-handle"], [data-test="m-alert-ack"], textarea[name="result"]').count(), 0)
    await sheet.locator('[data-test="m-alert-source-link"]').click()
    await page.waitForURL(new RegExp(`/m/permits/${alert.sourceId}$`))
    await ctx.close()
  })
})
