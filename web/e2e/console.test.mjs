import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { apiLogin, BASE, consoleLogin, launch, pickOption, PASSWORD } from './lib.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

async function newPage(viewport = { width: 1440, height: 900 }) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' })
  return ctx.newPage()
}

describe('console', () => {
  it('admin creates a user in 商贸发展岗 and finds the user.create audit entry', async () => {
    const page = await newPage()
    await consoleLogin(page, 'admin')
    await page.goto(`${BASE}/users`)
    await page.locator('[data-test="users-table"]').waitFor()

    const stamp = Date.now().toString().slice(-8)
    const username = `e2e_${stamp}`
    await page.locator('[data-test="user-create"]').click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '新建用户' })
    await dialog.waitFor()
    await dialog.locator('input[name="username"]').fill(username)
    await dialog.locator('input[name="name"]').fill(`测试${stamp.slice(-4)}`)
    await dialog.locator('input[name="phone"]').fill(`139${stamp}`)
    await dialog.locator('[data-test="org-select"]').click()
    await pickOption(page, '商贸发展岗')
    await dialog.locator('[data-test="role-select"]').click()
    await pickOption(page, '行业岗位')
    await dialog.locator('input[name="password"]').fill(PASSWORD)

    const created = page.waitForResponse((r) => r.url().endsWith('/api/users') && r.request().method() === 'POST')
    await dialog.locator('[data-test="user-save"]').click()
    const res = await created
    assert.equal(res.status(), 201, `create user answered ${res.status()}: ${await res.text()}`)
    const user = await res.json()
    assert.equal(user.orgUnitName, '商贸发展岗')
    await dialog.waitFor({ state: 'hidden' })

    await page.getByRole('menuitem', { name: '审计日志' }).click()
    await page.waitForURL(`${BASE}/audit-logs`)
    const row = page
      .locator('[data-test="audit-table"] .el-table__body tr.el-table__row')
      .filter({ hasText: 'user.create' })
      .filter({ hasText: `#${user.id}` })
      .first()
    await row.waitFor()
    assert.match(await row.innerText(), /新建用户/)
    // The expanded row shows the summary with the new username somewhere in it.
    await row.locator('.el-table__expand-icon').click()
    await page.getByText(username).first().waitFor()
    await page.context().close()
  })

  it('shows a server field error next to the form field (duplicate username)', async () => {
    const page = await newPage()
    await consoleLogin(page, 'admin')
    await page.goto(`${BASE}/users`)
    await page.locator('[data-test="user-create"]').click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '新建用户' })
    await dialog.locator('input[name="username"]').fill('admin')
    await dialog.locator('input[name="name"]').fill('重名测试')
    await dialog.locator('input[name="phone"]').fill(`137${Date.now().toString().slice(-8)}`)
    await dialog.locator('[data-test="org-select"]').click()
    await pickOption(page, '商贸发展岗')
    await dialog.locator('[data-test="role-select"]').click()
    await pickOption(page, '行业岗位')
    await dialog.locator('input[name="password"]').fill(PASSWORD)
    await dialog.locator('[data-test="user-save"]').click()
    const err = dialog.locator('.el-form-item').filter({ has: page.locator('input[name="username"]') }).locator('.el-form-item__error')
    await err.waitFor()
    assert.ok((await err.innerText()).trim().length > 0)
    await page.context().close()
  })

  it('sw_officer opening a user of another department by URL sees the not-found state', async () => {
    const admin = await apiLogin('admin')
    const found = await admin.get('/api/users?q=wj_officer&pageSize=20')
    const other = found.items.find((u) => u.username === 'wj_officer')
    assert.ok(other, 'demo user wj_officer exists')
    const sw = await apiLogin('sw_officer')
    assert.notEqual(other.orgUnitId, sw.me.orgUnit.id)

    const page = await newPage()
    await consoleLogin(page, 'sw_officer')
    await page.goto(`${BASE}/users/${other.id}`)
    await page.getByText('未找到该记录（不存在或不在您的数据范围内）').waitFor()
    assert.equal(await page.locator('[data-test="user-detail"]').count(), 0)
    await page.context().close()
  })

  it('a new user must change the password before anything else', async () => {
    const admin = await apiLogin('admin')
    const orgs = (await admin.get('/api/org-units')).items
    const roles = (await admin.get('/api/roles')).items
    const stamp = Date.now().toString().slice(-8)
    const username = `e2e_pw_${stamp}`
    await admin.post('/api/users', {
      username,
      name: `改密${stamp.slice(-4)}`,
      phone: `136${stamp}`,
      orgUnitId: orgs.find((o) => o.name === '商贸发展岗').id,
      roleId: roles.find((r) => r.key === 'officer').id,
      password: PASSWORD,
    })
    const page = await newPage()
    await consoleLogin(page, username)
    await page.waitForURL(`${BASE}/change-password`)
    // Going elsewhere by URL still lands on the change-password page.
    await page.goto(`${BASE}/users`)
    await page.waitForURL(`${BASE}/change-password`)
    await page.locator('[data-test="password-forced"]').filter({ hasText: '首次登录' }).waitFor()
    await page.locator('input[name="oldPassword"]').fill(PASSWORD)
    await page.locator('input[name="newPassword"]').fill('short')
    await page.locator('input[name="confirm"]').click()
    await page.getByText('密码至少 8 位').waitFor()
    const next = `Nw#${stamp}x`
    await page.locator('input[name="newPassword"]').fill(next)
    await page.locator('input[name="confirm"]').fill(next)
    await page.getByRole('button', { name: '确认修改' }).click()
    await page.waitForURL(`${BASE}/`)
    await page.getByRole('menuitem', { name: '用户管理' }).waitFor()
    await page.context().close()
  })

  it('an expired session sends the user back to login and then to where they were', async () => {
    const page = await newPage()
    await consoleLogin(page, 'admin')
    await page.goto(`${BASE}/users`)
    await page.locator('[data-test="users-table"]').waitFor()
    await page.context().clearCookies()
    await page.getByRole('menuitem', { name: '角色权限' }).click()
    await page.waitForURL((u) => u.pathname === '/login')
    await page.getByText('登录已失效，请重新登录').waitFor()
    await page.locator('input[name="login"]').fill('admin')
    await page.locator('input[name="password"]').fill(PASSWORD)
    await page.getByRole('button', { name: /登\s*录/ }).click()
    await page.waitForURL(`${BASE}/roles`)
    await page.context().close()
  })

  it('a field role (welder) gets the page pointing to the mobile entry', async () => {
    const page = await newPage()
    await consoleLogin(page, 'welder')
    await page.locator('[data-test="field-role"]').waitFor()
    assert.match(await page.locator('[data-test="field-role"]').innerText(), /\/m\//)
    await page.context().close()
  })
})
