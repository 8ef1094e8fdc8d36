import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { apiLogin, BASE, launch, PASSWORD } from './lib.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

describe('mobile entry', () => {
  it('welder logs in at /m/ on a 390×844 phone and sees the home page', async () => {
    const { me } = await apiLogin('welder')
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    const page = await ctx.newPage()
    await page.goto(`${BASE}/m/`)
    await page.waitForURL(`${BASE}/m/login`)
    await page.locator('input[name="login"]').fill('welder')
    await page.locator('input[name="password"]').fill(PASSWORD)
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL(`${BASE}/m/`)
    const head = page.locator('[data-test="me"]')
    await head.waitFor()
    const text = await head.innerText()
    assert.ok(text.includes(me.name), `home shows the name ${me.name}`)
    assert.ok(text.includes(me.role.name))
    await page.getByText('扫码开机').waitFor()
    // Nothing wider than the phone screen.
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(scrollWidth <= 390, `page is ${scrollWidth}px wide`)
    await ctx.close()
  })
})
