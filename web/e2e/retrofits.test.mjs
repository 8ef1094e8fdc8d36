// Browser tests of 存量焊机改造: the contractor finds a machine without a chip in the machine list and applies for it
// (an empty form first names the machine); an officer of 商贸发展岗 approves it (a grant above the amount asked is
// refused in the dialog); the contractor reports the chip and the machine's insurance; the officer finds it among the
// unpaid and records the payment, then downloads the ledger. The chip is then bound to the machine. On a phone the list and a record need no
// sideways scrolling.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { apiLogin, BASE, consoleLogin, launch } from './lib.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

const localDate = (days) => new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10)
const stamp = () => Date.now().toString(36).toUpperCase()

/** Fills an Element Plus date picker (wrapped in `[data-test=name]`) with a date and closes it. */
async function fillDate(dlg, name, date) {
  const input = dlg.locator(`[data-test="${name}"] input`)
  await input.fill(date)
  await input.press('Enter')
}

describe('焊机改造 in the console', () => {
  it('a stock machine goes from application to paid subsidy, and carries its chip', async () => {
    const admin = await apiLogin('admin')
    const contractorApi = await apiLogin('contractor')
    const unitId = (await contractorApi.get('/api/machines?pageSize=1')).items[0].unitId
    const code = `JF-E2E-${stamp()}`
    const machine = await admin.post('/api/machines', { code, unitId, kind: 'arc_welder', model: 'BX1-400' })
    const chip = `CHIP-E2E-${stamp()}`
    const errors = []

    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const page = await ctx.newPage()
    page.on('pageerror', (e) => errors.push(e.message))
    await consoleLogin(page, 'contractor')
    // an empty application names the machine
    await page.goto(`${BASE}/retrofits`)
    await page.locator('[data-test="retrofit-apply"]').click()
    let dlg = page.locator('[data-test="retrofit-apply-dialog"]')
    await dlg.waitFor()
    await dlg.locator('[data-test="retrofit-apply-save"]').click()
    await dlg.locator('.el-form-item__error').filter({ hasText: '请选择要改造的焊机' }).waitFor()
    await dlg.getByRole('button', { name: '取消' }).click()
    // from the machine list: the stock machine is marked and offers the application
    await page.goto(`${BASE}/machines?q=${code}`)
    const row = page.locator('[data-test="machines-table"] .el-table__row').filter({ hasText: code })
    await row.locator('[data-test="machine-unchipped"]').waitFor()
    await row.locator('[data-test="machine-retrofit"]').click()
    dlg = page.locator('[data-test="retrofit-apply-dialog"]')
    await dlg.waitFor()
    await dlg.locator('[data-test="retrofit-machine"]').getByText(code).waitFor()
    // the amount starts at the town's standard for the way, and may not pass it
    await dlg.locator('[data-test="retrofit-standard"]').filter({ hasText: '本地补贴标准 500.00 元/台' }).waitFor()
    assert.equal(await dlg.locator('[data-test="retrofit-subsidy"] input').inputValue(), '500.00')
    await dlg.locator('[data-test="retrofit-subsidy"] input').fill('600')
    await dlg.locator('[data-test="retrofit-apply-save"]').click()
    await dlg.locator('.el-form-item__error').filter({ hasText: '补贴不能高于本地补贴标准（500.00 元/台）' }).waitFor()
    await dlg.locator('[data-test="retrofit-subsidy"] input').fill('400')
    await dlg.locator('[data-test="retrofit-reason"]').fill('浏览器测试：在用电焊机加装芯片')
    await dlg.locator('[data-test="retrofit-apply-save"]').click()
    await page.waitForURL(/\/retrofits\/\d+$/)
    const id = page.url().split('/').pop()
    assert.match(await page.locator('[data-test="retrofit-state"]').innerText(), /待审核/)

    // the officer approves: more than asked is refused before sending
    const officerCtx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const officer = await officerCtx.newPage()
    officer.on('pageerror', (e) => errors.push(e.message))
    await consoleLogin(officer, 'sw_officer')
    await officer.goto(`${BASE}/retrofits/${id}`)
    await officer.locator('[data-test="retrofit-cmd-approve"]').click()
    let cmd = officer.locator('[data-test="retrofit-command-dialog"]')
    await cmd.waitFor()
    assert.equal(await cmd.locator('[data-test="retrofit-granted"] input').inputValue(), '400.00', 'the grant starts at the amount asked')
    await cmd.locator('[data-test="retrofit-granted"] input').fill('350')
    await cmd.locator('[data-test="retrofit-note"]').fill('按标准核定')
    await cmd.locator('[data-test="retrofit-command-save"]').click()
    await officer.locator('[data-test="retrofit-state"]').filter({ hasText: '已批准待改造' }).waitFor()
    assert.match(await officer.locator('[data-test="retrofit-granted-text"]').innerText(), /350\.00 元/)

    // the contractor reports the chip and the insurance (a partly filled policy is named)
    await page.reload()
    await page.locator('[data-test="retrofit-cmd-complete"]').click()
    cmd = page.locator('[data-test="retrofit-command-dialog"]')
    await cmd.waitFor()
    await cmd.locator('[data-test="retrofit-chip"]').fill(chip)
    await cmd.locator('[data-test="retrofit-insured"]').click()
    await cmd.locator('[data-test="retrofit-insurer"]').fill('中国人民财产保险股份有限公司')
    await cmd.locator('[data-test="retrofit-command-save"]').click()
    await cmd.locator('.el-form-item__error').filter({ hasText: '请填写保单号' }).waitFor()
    await cmd.locator('[data-test="retrofit-policy"]').fill(`PICC-${stamp()}`)
    await fillDate(cmd, 'retrofit-insured-until', localDate(365))
    await cmd.locator('[data-test="retrofit-command-save"]').click()
    await page.locator('[data-test="retrofit-state"]').filter({ hasText: '已完成' }).waitFor()
    assert.equal(await page.locator('[data-test="retrofit-chip-text"]').innerText(), chip)

    // the officer finds it among the unpaid and pays
    await officer.goto(`${BASE}/retrofits`)
    await officer.locator('[data-test="retrofits-unpaid"]').click()
    await officer.locator('[data-test="retrofits-table"] .el-table__row').filter({ hasText: code }).locator('a').click()
    await officer.waitForURL(new RegExp(`/retrofits/${id}$`))
    await officer.locator('[data-test="retrofit-cmd-pay"]').click()
    cmd = officer.locator('[data-test="retrofit-command-dialog"]')
    await cmd.waitFor()
    await cmd.locator('[data-test="retrofit-payment-ref"]').fill('JFZ-E2E-1')
    await cmd.locator('[data-test="retrofit-command-save"]').click()
    await cmd.waitFor({ state: 'hidden' })
    await officer.locator('[data-test="retrofit-actions"] [data-test="retrofit-cmd-pay"]').waitFor({ state: 'detached' })
    // the ledger with the current filter downloads as an .xlsx workbook
    await officer.goto(`${BASE}/retrofits`)
    const download = officer.waitForEvent('download')
    await officer.locator('[data-test="retrofit-export"]').click()
    const file = await download
    assert.match(file.suggestedFilename(), /\.xlsx$/)
    const { readFile } = await import('node:fs/promises')
    const bytes = await readFile(await file.path())
    assert.deepEqual([...bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'a zip (xlsx)')

    const saved = await admin.get(`/api/retrofits/${id}`)
    assert.deepEqual([saved.state, saved.subsidyGranted, saved.subsidyPaid, saved.paymentRef, saved.paidOn], ['done', 350, 350, 'JFZ-E2E-1', localDate(0)])
    assert.equal((await admin.get(`/api/machines/${machine.id}`)).chipId, chip)
    assert.deepEqual(errors, [])
    await officerCtx.close()
    await ctx.close()
  })

  it('the 专班 sets the subsidy standards; the list shows them', async () => {
    const admin = await apiLogin('admin')
    const before = await admin.get('/api/retrofits/standards')
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const page = await ctx.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    try {
      await consoleLogin(page, 'admin')
      await page.goto(`${BASE}/retrofits`)
      await page.locator('[data-test="retrofit-standards-text"]').filter({ hasText: '加装芯片改造 500.00 元/台 · 以旧换新 1,000.00 元/台' }).waitFor()
      await page.locator('[data-test="retrofit-standards"]').click()
      const dlg = page.locator('[data-test="retrofit-standards-dialog"]')
      await dlg.waitFor()
      await dlg.locator('[data-test="standard-retrofit"] input').fill('450')
      await dlg.locator('[data-test="standard-trade_in"] input').fill('')
      await dlg.locator('[data-test="retrofit-standards-save"]').click()
      await dlg.waitFor({ state: 'hidden' })
      await page.locator('[data-test="retrofit-standards-text"]').filter({ hasText: '加装芯片改造 450.00 元/台 · 以旧换新未定标准' }).waitFor()
      assert.deepEqual(await admin.get('/api/retrofits/standards'), { retrofit: 450, tradeIn: null })
      assert.deepEqual(errors, [])
    } finally {
      await admin.put('/api/retrofits/standards', before)
      await ctx.close()
    }
  })

  it('fits a phone: the list and a record need no sideways scrolling of the page', async () => {
    const admin = await apiLogin('admin')
    const done = (await admin.get('/api/retrofits?state=done&pageSize=1')).items[0]
    assert.ok(done, 'the demo has a finished retrofit')
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true })
    const page = await ctx.newPage()
    await consoleLogin(page, 'admin')
    for (const [path, sel] of [['/retrofits', 'retrofits-table'], [`/retrofits/${done.id}`, 'retrofit-detail']]) {
      await page.goto(`${BASE}${path}`)
      await page.locator(`[data-test="${sel}"]`).waitFor()
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      assert.ok(overflow <= 1, `${path}: the page scrolls sideways by ${overflow}px`)
      if (path === '/retrofits') assert.match(await page.locator('[data-test="retrofit-rate"]').innerText(), /^\d+%$/)
    }
    await ctx.close()
  })
})
