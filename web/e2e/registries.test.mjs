// Browser tests of the registry pages (docs/api-registries.md): venues, certificate import, data scope.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { apiLogin, BASE, consoleLogin, launch, pickOption } from './lib.mjs'
import { makeXlsx } from './xlsx.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

async function newPage(viewport = { width: 1440, height: 900 }) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true })
  return ctx.newPage()
}

/** Types into an Element Plus filterable select (allow-create) and takes the first match with Enter. */
async function typeInSelect(page, select, text) {
  await select.click()
  await page.keyboard.type(text)
  await page.keyboard.press('Enter')
}

/** The <input> of an Element Plus input carrying data-test (el-input puts the attribute on the input itself). */
const inputOf = (scope, test) => scope.locator(`input[data-test="${test}"], [data-test="${test}"] input`).first()

/** A valid 18-digit citizen ID (GB 11643) that no other run used: random area/sequence, fixed 1990s birth. */
function randomCitizenId() {
  const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const area = String(110101 + Math.floor(Math.random() * 8))
  const birth = `199${Math.floor(Math.random() * 10)}0${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 9)}`
  const seq = String(Math.floor(Math.random() * 1000)).padStart(3, '0')
  const first = area + birth + seq
  const sum = [...first].reduce((s, c, i) => s + Number(c) * W[i], 0)
  return first + '10X98765432'[sum % 11]
}

const orgId = async (admin, name) => (await admin.get('/api/org-units')).items.find((o) => o.name === name).id

/** Makes sure a venue supervised only by `dept` exists (the demo may or may not have one); returns it. */
async function ensureVenue(admin, dept, village = '龙凤社区') {
  const deptId = await orgId(admin, dept)
  const have = await admin.get(`/api/venues?supervisorOrgUnitId=${deptId}&pageSize=200`)
  const only = have.items.find((v) => v.supervisorOrgUnitIds.length === 1)
  if (only) return only
  return admin.post('/api/venues', {
    name: `${dept}测试场所${Date.now().toString().slice(-6)}`,
    type: 'mall',
    crowded: true,
    entertainment: false,
    address: '金凤镇测试路 1 号',
    orgUnitId: await orgId(admin, village),
    supervisorOrgUnitIds: [deptId],
    openingHours: [{ weekday: 0, from: '09:00', to: '21:00' }],
    principalName: '测试',
    principalPhone: '13900001111',
  })
}

describe('registries', () => {
  it('admin creates a venue with opening hours, finds it in the list and sees its QR code on the detail page', async () => {
    const page = await newPage()
    await consoleLogin(page, 'admin')
    await page.getByRole('menuitem', { name: '场所管理' }).click()
    await page.waitForURL(`${BASE}/venues`)
    await page.locator('[data-test="venues-table"]').waitFor()

    const name = `测试饭店${Date.now().toString().slice(-6)}`
    await page.locator('[data-test="venue-create"]').click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '新建场所' })
    await dialog.waitFor()
    await dialog.locator('input[name="name"]').fill(name)
    await dialog.locator('[data-test="type-select"]').click()
    await pickOption(page, '饭店')
    await dialog.locator('[data-test="village-select"]').click()
    await pickOption(page, '龙凤社区')
    await dialog.locator('input[name="address"]').fill('金凤镇凤凰路 8 号')
    await dialog.locator('[data-test="supervisor-select"]').click()
    await pickOption(page, '商贸发展岗')
    await dialog.locator('input[name="address"]').click() // close the multi-select
    await dialog.locator('[data-test="lat"] input').fill('29.563010')
    await dialog.locator('[data-test="lng"] input').fill('106.551556')

    // 周一 09:00–18:00, copied to every day; 周六 gets a second range past midnight.
    await dialog.locator('[data-test="add-0"]').click()
    await dialog.locator('[data-test="copy-0"]').click()
    await dialog.locator('[data-test="add-5"]').click()
    await typeInSelect(page, dialog.locator('[data-test="to-5-1"]'), '02:00')
    await dialog.locator('[data-day="5"]').getByText('次日').waitFor()

    // The phone is checked as soon as the field is left.
    await dialog.locator('input[name="principalName"]').fill('刘一')
    await dialog.locator('input[name="principalPhone"]').fill('1234')
    await dialog.locator('input[name="fireManagerName"]').click()
    const phoneErr = dialog.locator('.el-form-item').filter({ has: page.locator('input[name="principalPhone"]') }).locator('.el-form-item__error')
    await phoneErr.waitFor()
    assert.match(await phoneErr.innerText(), /手机号格式不正确/)
    await dialog.locator('input[name="principalPhone"]').fill('13912345678')
    await dialog.locator('input[name="fireManagerName"]').click()
    await phoneErr.waitFor({ state: 'detached' })

    const created = page.waitForResponse((r) => r.url().endsWith('/api/venues') && r.request().method() === 'POST')
    await dialog.locator('[data-test="venue-save"]').click()
    const res = await created
    assert.equal(res.status(), 201, `create venue answered ${res.status()}: ${await res.text()}`)
    const venue = await res.json()
    assert.equal(venue.openingHours.length, 8)
    assert.deepEqual(
      venue.openingHours.filter((h) => h.weekday === 5).map((h) => `${h.from}-${h.to}`),
      ['09:00-18:00', '18:00-02:00'],
    )
    assert.equal(venue.lat, 29.56301)
    await dialog.waitFor({ state: 'hidden' })

    await inputOf(page, 'venue-q').fill(name)
    await inputOf(page, 'venue-q').press('Enter')
    const row = page.locator('[data-test="venues-table"] .el-table__body tr.el-table__row').filter({ hasText: name })
    await row.waitFor()
    const rowText = await row.innerText()
    assert.match(rowText, /饭店/)
    assert.match(rowText, /人员密集/)
    assert.match(rowText, /商贸发展岗/)
    assert.match(rowText, /龙凤社区/)

    await row.getByRole('link', { name }).click()
    await page.waitForURL(`${BASE}/venues/${venue.id}`)
    const hours = page.locator('[data-test="venue-hours"]')
    await hours.waitFor()
    const hoursText = await hours.innerText()
    assert.match(hoursText, /周一至周五 09:00–18:00/)
    assert.match(hoursText, /周六 09:00–18:00、18:00–次日02:00/)
    const qr = page.locator('[data-test="venue-qr"] img')
    await qr.waitFor()
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await qr.elementHandle())
    assert.match(await page.locator('[data-test="venue-public-url"]').innerText(), new RegExp(`${venue.qrToken}$`))
    await page.getByRole('button', { name: '打印二维码' }).waitFor()
    await page.context().close()
  })

  it('imports a CSV with one bad row: the row error is listed and 仅导入有效行 imports the rest', async () => {
    const admin = await apiLogin('admin')
    const stamp = Date.now().toString().slice(-5)
    const good = [randomCitizenId(), randomCitizenId()]
    const names = [`导入甲${stamp}`, `导入乙${stamp}`, `导入丙${stamp}`]
    const badId = good[0].slice(0, 17) + (good[0][17] === '0' ? '1' : '0') // wrong check digit
    const header = '姓名,身份证号,手机号,单位统一社会信用代码,证书类型,证书编号,发证机关,初领日期,有效期至,复审日期'
    const csv = [
      header,
      `${names[0]},${good[0]},13900002001,,特种作业操作证（熔化焊接与热切割作业）,T${good[0]},"重庆市应急管理局,特种作业科",2022-03-01,2028-02-28,2025-03-01`,
      `${names[1]},${badId},13900002002,,special_op_fusion,T${badId},重庆市应急管理局,2022-03-01,2028-02-28,`,
      ``,
      `${names[2]},${good[1]},13900002003,,建筑施工特种作业操作资格证（建筑焊工）,JZ${stamp},重庆市住房和城乡建设委员会,2023-05-06,2027-05-05,`,
    ].join('\r\n')

    const page = await newPage()
    await consoleLogin(page, 'admin')
    await page.goto(`${BASE}/certificates`)
    await page.locator('[data-test="certs-table"]').waitFor()
    await page.locator('[data-test="cert-import"]').click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '批量导入证书' })
    await dialog.waitFor()
    const dry = page.waitForResponse((r) => r.url().endsWith('/api/certificates/import'))
    await dialog.locator('[data-test="import-file"]').setInputFiles({ name: '证书.csv', mimeType: 'text/csv', buffer: Buffer.from('\uFEFF' + csv) })
    const dryRes = await dry
    assert.equal(JSON.parse(dryRes.request().postData()).dryRun, true)

    const errs = dialog.locator('[data-test="import-errors"] .el-table__body tr.el-table__row')
    await errs.first().waitFor()
    assert.equal(await errs.count(), 1)
    const errText = await errs.first().innerText()
    assert.match(errText, /^2\s/, `row number 2 first: ${errText}`)
    assert.match(errText, /身份证号/)
    assert.match(errText, new RegExp(names[1]))
    assert.match(await dialog.locator('[data-test="import-summary"]').innerText(), /共 3 行，有效 2 行，1 行有错误/)
    assert.equal(await dialog.locator('[data-test="import-all"]').isDisabled(), true)

    const run = page.waitForResponse((r) => r.url().endsWith('/api/certificates/import'))
    await dialog.locator('[data-test="import-valid"]').click()
    const body = JSON.parse((await run).request().postData())
    assert.equal(body.mode, 'valid_rows')
    assert.equal(body.dryRun, undefined)
    await dialog.locator('[data-test="import-done"]').waitFor()
    assert.match(await dialog.locator('[data-test="import-done"]').innerText(), /已导入 2 行/)
    await dialog.getByRole('button', { name: '关闭', exact: true }).click()

    await inputOf(page, 'cert-q').fill(stamp)
    await inputOf(page, 'cert-q').press('Enter')
    const rows = page.locator('[data-test="certs-table"] .el-table__body tr.el-table__row')
    await rows.filter({ hasText: names[0] }).waitFor()
    await rows.filter({ hasText: names[2] }).waitFor()
    assert.equal(await rows.filter({ hasText: names[1] }).count(), 0)
    // 复审日期 2025-03-01 has passed: the state tag says so.
    assert.match(await rows.filter({ hasText: names[0] }).innerText(), /逾期未复审/)
    assert.match(await rows.filter({ hasText: names[2] }).innerText(), /有效/)

    // 导出 Excel downloads the server's .xlsx for the current filters; 下载模板 makes the CSV here.
    const xlsx = page.waitForEvent('download')
    await page.locator('[data-test="cert-export"]').click()
    const xl = await xlsx
    assert.match(xl.suggestedFilename(), /\.xlsx$/)
    assert.ok(xl.url().startsWith('blob:'))
    const tpl = page.waitForEvent('download')
    await page.locator('[data-test="cert-template"]').click()
    const t = await tpl
    assert.equal(t.suggestedFilename(), '证书导入模板.csv')
    const { readFile } = await import('node:fs/promises')
    const text = (await readFile(await t.path(), 'utf8')).replace(/^\uFEFF/, '')
    assert.equal(text.split('\r\n')[0], header)

    const api = await admin.get(`/api/certificates?q=${encodeURIComponent(stamp)}&pageSize=50`)
    assert.deepEqual(api.items.map((c) => c.personName).sort(), [names[0], names[2]].sort())
    assert.equal(api.items.find((c) => c.personName === names[0]).issuer, '重庆市应急管理局,特种作业科')
    await page.context().close()
  })

  it('reads an .xlsx in the browser (dates, long numbers) and imports it with 全部导入', async () => {
    const admin = await apiLogin('admin')
    const stamp = Date.now().toString().slice(-5)
    const id = randomCitizenId()
    const name = `表格${stamp}`
    const xlsx = makeXlsx([
      ['姓名', '身份证号', '手机号', '单位统一社会信用代码', '证书类型', '证书编号', '发证机关', '初领日期', '有效期至', '复审日期'],
      [name, id, { number: '13900004001' }, '', 'special_op_brazing', `T${id}`, '应急管理局', { date: '2023-01-01' }, { date: '2028-12-31' }, ''],
    ])
    const page = await newPage()
    await consoleLogin(page, 'admin')
    await page.goto(`${BASE}/certificates`)
    await page.locator('[data-test="cert-import"]').click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '批量导入证书' })
    const dry = page.waitForRequest((r) => r.url().endsWith('/api/certificates/import'))
    await dialog.locator('[data-test="import-file"]').setInputFiles({ name: '证书.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx })
    const sent = JSON.parse((await dry).postData())
    assert.deepEqual(sent.rows, [
      { name, citizenId: id, phone: '13900004001', kind: 'special_op_brazing', number: `T${id}`, issuer: '应急管理局', firstIssued: '2023-01-01', validUntil: '2028-12-31' },
    ])
    await dialog.locator('[data-test="import-summary"]').waitFor()
    assert.match(await dialog.locator('[data-test="import-summary"]').innerText(), /校验通过：共 1 行/)
    await dialog.locator('[data-test="import-all"]').click()
    await dialog.locator('[data-test="import-done"]').waitFor()
    const api = await admin.get(`/api/certificates?q=${encodeURIComponent(name)}`)
    assert.equal(api.total, 1)
    assert.equal(api.items[0].validUntil, '2028-12-31')
    await page.context().close()
  })

  it('a person\'s ID number is masked until the admin gives a reason to see it in full', async () => {
    const admin = await apiLogin('admin')
    const id = randomCitizenId()
    const person = await admin.post('/api/people', { name: `核对${id.slice(-4)}`, citizenId: id, phone: '13900004321' })
    const page = await newPage()
    await consoleLogin(page, 'admin')
    await page.goto(`${BASE}/people/${person.id}`)
    const shown = page.locator('[data-test="person-citizen-id"]')
    await shown.waitFor()
    assert.equal(await shown.innerText(), `${id.slice(0, 4)}${'*'.repeat(10)}${id.slice(14)}`)
    // a new name saved with the masked numbers left as they are: the numbers stay
    await page.locator('[data-test="person-edit"]').click()
    const dialog = page.locator('[data-test="person-dialog"]')
    await dialog.locator('[data-test="masked-hint"]').waitFor()
    await dialog.locator('input[name="name"]').fill(`改名${id.slice(-4)}`)
    await dialog.getByRole('button', { name: '保存' }).click()
    await page.getByText('已保存').waitFor()
    await page.getByRole('heading', { name: new RegExp(`改名${id.slice(-4)}`) }).waitFor()
    await page.locator('[data-test="person-reveal"]').click()
    const box = page.locator('.el-message-box')
    await box.locator('input').fill('查')
    await box.getByRole('button', { name: '查看' }).click()
    await box.getByText('请写明原因（至少 2 个字）').waitFor()
    await box.locator('input').fill('核对持证人身份')
    await box.getByRole('button', { name: '查看' }).click()
    await page.waitForFunction((full) => document.querySelector('[data-test="person-citizen-id"]')?.textContent === full, id)
    await page.getByText('完整信息，已记录查看').waitFor()
    const audit = (await admin.get(`/api/audit-logs?action=person.reveal&targetId=${person.id}`)).items
    assert.deepEqual(audit.map((a) => a.summary.after.reason), ['核对持证人身份'])
    await page.context().close()
  })

  it('sw_officer (商贸发展岗) sees exactly the venues supervised by 商贸发展岗', async () => {
    const admin = await apiLogin('admin')
    const mine = await ensureVenue(admin, '商贸发展岗')
    const other = await ensureVenue(admin, '文教体旅岗')
    const swId = await orgId(admin, '商贸发展岗')
    const expected = await admin.get(`/api/venues?supervisorOrgUnitId=${swId}&pageSize=200`)
    const all = await admin.get('/api/venues?pageSize=1')
    assert.ok(all.total > expected.total, 'some venues are supervised by other departments only')

    const page = await newPage()
    await consoleLogin(page, 'sw_officer')
    await page.getByRole('menuitem', { name: '场所管理' }).click()
    await page.waitForURL(`${BASE}/venues`)
    const table = page.locator('[data-test="venues-table"]')
    await table.locator('.el-table__body tr.el-table__row').first().waitFor()
    await page.locator('.el-pagination .el-select').click()
    await pickOption(page, '100条/页')
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-test="venues-table"] .el-table__body tr.el-table__row').length === Math.min(n, 100),
      expected.total,
    )
    assert.match(await page.locator('.el-pagination__total').innerText(), new RegExp(`共 ${expected.total} 条`))
    const names = await table.locator('.el-table__body tr.el-table__row td:first-child').allInnerTexts()
    assert.deepEqual(
      names.map((s) => s.trim()).sort(),
      expected.items.slice(0, 100).map((v) => v.name).sort(),
    )
    for (const text of await table.locator('.el-table__body tr.el-table__row').allInnerTexts()) assert.match(text, /商贸发展岗/)
    assert.ok(names.some((n) => n.trim() === mine.name))

    // Another department's venue by URL: the not-found state, as for users.
    await page.goto(`${BASE}/venues/${other.id}`)
    await page.getByText('未找到该记录（不存在或不在您的数据范围内）').waitFor()
    assert.equal(await page.locator('[data-test="venue-detail"]').count(), 0)
    await page.context().close()
  })
})
