import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { apiLogin, BASE, HOSPITAL, launch, mobileLogin, PASSWORD, phoneContext, setServerClock } from './lib.mjs'
import { totpCode } from '../../tests/totp.mjs'

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
    await page.locator('[data-test="tile-scan"]').waitFor()
    await page.locator('[data-test="home-scan"]').waitFor() // welders get the big button too
    // Nothing wider than the phone screen.
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(scrollWidth <= 390, `page is ${scrollWidth}px wide`)
    await ctx.close()
  })

  it('the job leader\'s 待我办理 on the phone: the count on the home page, the permits with what each waits for', async () => {
    const contractor = await apiLogin('contractor')
    const { total } = await contractor.get('/api/permits/count?todo=true')
    assert.ok(total >= 1, 'the demo leaves the contractor something to do')
    const ctx = await phoneContext(browser)
    const page = await ctx.newPage()
    await mobileLogin(page, 'contractor')
    await page.locator('[data-test="home-todo-count"]').filter({ hasText: `${total} 张作业证` }).waitFor()
    await page.locator('[data-test="home-todo"]').click()
    await page.waitForURL(/\/m\/permits\?todo=true$/)
    await page.locator('.van-nav-bar__title').filter({ hasText: '待我办理' }).waitFor()
    await page.locator('.van-list__finished-text').filter({ hasText: `共 ${total} 张` }).waitFor()
    const steps = await page.locator('[data-test="m-todo-step"]').allInnerTexts()
    const expected = (await contractor.get('/api/permits?todo=true&cursor=first&pageSize=200')).items.map((p) => p.todoStep)
    assert.equal(steps.length, total)
    assert.deepEqual(steps, expected, 'every card says what it waits for, as the permit does')
    await ctx.close()
  })

  it('a user binds a second factor on the phone, then logs in with a code or a recovery code and renews the codes', async () => {
    const admin = await apiLogin('admin')
    const orgs = (await admin.get('/api/org-units')).items
    const roles = (await admin.get('/api/roles')).items
    const stamp = Date.now().toString().slice(-8)
    const username = `e2e_mtf_${stamp}`
    await admin.post('/api/users', {
      username, name: `手机${stamp.slice(-4)}`, phone: `137${stamp}`, orgUnitId: orgs.find((o) => o.name === '九凤村').id,
      roleId: roles.find((r) => r.key === 'welder').id, password: PASSWORD,
    })
    const next = `Mt#${stamp}x`
    const self = await apiLogin(username)
    await self.post('/api/auth/password', { oldPassword: PASSWORD, newPassword: next })

    // Binding on the phone, from home's 动态口令 cell: the ten codes are shown once.
    const bind = await phoneContext(browser)
    const bp = await bind.newPage()
    await mobileLogin(bp, username, next)
    await bp.locator('[data-test="home-second-factor"]').filter({ hasText: '未绑定' }).click()
    await bp.waitForURL(`${BASE}/m/second-factor`)
    const secret = (await bp.locator('[data-test="second-factor-secret"]').innerText()).replace(/\s+/g, '')
    assert.match(secret, /^[A-Z2-7]{32}$/)
    await bp.locator('input[name="code"]').fill(totpCode(secret, Date.now()))
    await bp.locator('[data-test="second-factor-submit"]').click()
    await bp.locator('.notice.ok').filter({ hasText: '动态口令已绑定' }).waitFor()
    const recoveryCodes = await bp.locator('[data-test="recovery-code"]').allInnerTexts()
    assert.equal(recoveryCodes.length, 10)
    await bp.locator('[data-test="recovery-codes-done"]').click()
    await bp.locator('[data-test="home-second-factor"]').filter({ hasText: '已绑定 · 恢复码 10 个' }).waitFor()
    await bind.close()

    const ctx = await phoneContext(browser)
    const page = await ctx.newPage()
    await page.goto(`${BASE}/m/login`)
    await page.locator('input[name="login"]').fill(username)
    await page.locator('input[name="password"]').fill(next)
    await page.getByRole('button', { name: '登录' }).click()
    await page.getByText('请打开手机上的身份验证器').waitFor()
    const loginCode = totpCode(secret, Date.now() + 30000)
    await page.locator('input[name="code"]').fill(loginCode)
    await page.getByRole('button', { name: '验证' }).click()
    await page.waitForURL(`${BASE}/m/`)
    await page.locator('[data-test="me"]').waitFor()
    await ctx.close()

    // Another phone without the app: a recovery code instead.
    const other = await phoneContext(browser)
    const page2 = await other.newPage()
    await page2.goto(`${BASE}/m/login`)
    await page2.locator('input[name="login"]').fill(username)
    await page2.locator('input[name="password"]').fill(next)
    await page2.getByRole('button', { name: '登录' }).click()
    await page2.locator('[data-test="login-use-recovery"]').click()
    await page2.locator('input[name="recoveryCode"]').fill(recoveryCodes[0].replace('-', ' '))
    await page2.getByRole('button', { name: '验证' }).click()
    await page2.waitForURL(`${BASE}/m/`)
    assert.equal((await self.get('/api/auth/me')).user.secondFactor.recoveryCodesLeft, 9)

    // The message about it opens the 动态口令 page, which counts what is left and renews the codes for a fresh code.
    await page2.goto(`${BASE}/m/messages`)
    await page2.locator('[data-test="m-notice"]').filter({ hasText: '您的账号用恢复码登录了' }).filter({ hasText: '恢复码还剩 9 个' }).click()
    await page2.waitForURL(`${BASE}/m/second-factor`)
    await page2.locator('[data-test="recovery-codes-left"]').filter({ hasText: '恢复码还剩 9 个' }).waitFor()
    await page2.locator('input[name="code"]').fill(loginCode) // spent by the first phone's login
    await page2.locator('[data-test="second-factor-submit"]').click()
    await page2.getByText('动态口令错误或已使用过').waitFor()
    try {
      await setServerClock(new Date(Date.now() + 90_000).toISOString())
      await page2.locator('input[name="code"]').fill(totpCode(secret, Date.now() + 90_000))
      await page2.locator('[data-test="second-factor-submit"]').click()
      const fresh = await page2.locator('[data-test="recovery-code"]').allInnerTexts()
      assert.equal(fresh.length, 10)
      assert.ok(fresh.every((c) => !recoveryCodes.includes(c)), 'an old code was given again')
      await page2.locator('.notice.ok').filter({ hasText: '原有的已作废' }).waitFor()
      await page2.locator('[data-test="recovery-codes-done"]').click()
      await page2.locator('[data-test="home-second-factor"]').filter({ hasText: '已绑定 · 恢复码 10 个' }).waitFor()
      assert.equal((await self.get('/api/auth/me')).user.secondFactor.recoveryCodesLeft, 10)
    } finally {
      await setServerClock(null)
    }
    await other.close()
  })

  it('welder opens a machine QR code, logs in, comes back to the scan and unlocks; another machine says why not', async () => {
    const admin = await apiLogin('admin')
    const running = (await admin.get('/api/permits?state=in_progress&pageSize=50')).items.find((p) => p.venue.name === '金凤镇卫生院')
    assert.ok(running, 'the demo permit running at 金凤镇卫生院')
    const ctx = await phoneContext(browser, { geolocation: { latitude: HOSPITAL.lat, longitude: HOSPITAL.lng, accuracy: 8 } })
    const page = await ctx.newPage()
    await page.goto(`${BASE}/m/scan?code=JF-HJ-0001`)
    await page.waitForURL((u) => u.pathname === '/m/login')
    assert.equal(new URL(page.url()).searchParams.get('redirect'), '/scan?code=JF-HJ-0001')
    await page.locator('input[name="login"]').fill('welder')
    await page.locator('input[name="password"]').fill(PASSWORD)
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL(`${BASE}/m/scan?code=JF-HJ-0001`)
    assert.equal(await page.locator('[data-test="scan-code"]').innerText(), 'JF-HJ-0001')

    await page.locator('[data-test="scan-start"]').click()
    const ok = page.locator('[data-test="scan-result"][data-state="ok"]')
    await ok.waitFor({ timeout: 15_000 })
    const okText = await ok.innerText()
    assert.match(okText, /已解锁/)
    assert.ok(okText.includes(running.number), `shows the permit number ${running.number}`)
    assert.match(okText, /可作业至/)
    let width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 390, `page is ${width}px wide`)
    await page.locator('[data-test="scan-permit"]').click()
    await page.waitForURL(`${BASE}/m/permits/${running.id}`)

    // JF-HJ-0002 is on no permit of this welder's running now.
    await page.goto(`${BASE}/m/scan?code=JF-HJ-0002`)
    await page.locator('[data-test="scan-start"]').click()
    const bad = page.locator('[data-test="scan-result"][data-state="refused"]')
    await bad.waitFor({ timeout: 15_000 })
    const badText = await bad.innerText()
    assert.match(badText, /未能开机/)
    assert.match(await page.locator('[data-test="scan-refusal"]').innerText(), /动火作业证/, "the server's reason")
    assert.match(badText, /怎么办/)
    assert.equal(await page.locator('[data-test="scan-result"][data-state="ok"]').count(), 0)
    width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 390, `page is ${width}px wide`)
    await ctx.close()
  })

  it('scan without a position explains how to allow it', async () => {
    const ctx = await phoneContext(browser) // no geolocation permission
    const page = await ctx.newPage()
    await page.goto(`${BASE}/m/login?redirect=${encodeURIComponent('/scan?code=JF-HJ-0001')}`)
    await page.locator('input[name="login"]').fill('welder')
    await page.locator('input[name="password"]').fill(PASSWORD)
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL(`${BASE}/m/scan?code=JF-HJ-0001`)
    await page.locator('[data-test="scan-start"]').click()
    const bad = page.locator('[data-test="scan-result"][data-state="refused"]')
    await bad.waitFor({ timeout: 20_000 })
    assert.match(await bad.innerText(), /位置/)
    await ctx.close()
  })
})
