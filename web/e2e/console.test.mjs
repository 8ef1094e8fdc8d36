import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { apiLogin, BASE, consoleLogin, launch, pickOption, PASSWORD } from './lib.mjs'
import { totpCode } from '../../tests/totp.mjs'

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

  it('a role that requires a second factor: set up after the password change, then logging in asks for the code', async () => {
    const admin = await apiLogin('admin')
    const orgs = (await admin.get('/api/org-units')).items
    const stamp = Date.now().toString().slice(-8)
    const role = await admin.post('/api/roles', {
      key: `e2e_tf_${stamp}`, name: `动态口令${stamp.slice(-4)}`, dataScope: 'all', permissions: ['user:read'], secondFactor: true,
    })
    const username = `e2e_tf_${stamp}`
    const user = await admin.post('/api/users', {
      username, name: `口令${stamp.slice(-4)}`, phone: `135${stamp}`, orgUnitId: orgs.find((o) => o.name === '商贸发展岗').id,
      roleId: role.id, password: PASSWORD,
    })
    const page = await newPage()
    await consoleLogin(page, username)
    await page.waitForURL(`${BASE}/change-password`)
    const next = `Tf#${stamp}x`
    await page.locator('input[name="oldPassword"]').fill(PASSWORD)
    await page.locator('input[name="newPassword"]').fill(next)
    await page.locator('input[name="confirm"]').fill(next)
    await page.getByRole('button', { name: '确认修改' }).click()
    // next: the set-up, and nothing else by URL
    await page.waitForURL(`${BASE}/second-factor`)
    await page.goto(`${BASE}/users`)
    await page.waitForURL(`${BASE}/second-factor`)
    await page.getByText('您的角色要求登录时在密码之后输入动态口令').waitFor()
    await page.locator('[data-test="second-factor-qr"] svg').waitFor()
    const secret = (await page.locator('[data-test="second-factor-secret"]').innerText()).replace(/\s+/g, '')
    assert.match(secret, /^[A-Z2-7]{32}$/)
    await page.locator('input[name="code"]').fill('12345')
    await page.locator('[data-test="second-factor-confirm"]').click()
    await page.getByText('动态口令为 6 位数字').waitFor()
    await page.locator('input[name="code"]').fill(totpCode(secret, Date.now()))
    await page.locator('[data-test="second-factor-confirm"]').click()
    // Ten recovery codes, shown this once; then on into the console.
    await page.locator('[data-test="recovery-codes"]').waitFor()
    const recoveryCodes = await page.locator('[data-test="recovery-code"]').allInnerTexts()
    assert.equal(recoveryCodes.length, 10)
    for (const c of recoveryCodes) assert.match(c, /^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/)
    await page.locator('[data-test="recovery-codes-done"]').click()
    await page.waitForURL(`${BASE}/`)
    await page.getByRole('menuitem', { name: '用户管理' }).waitFor()

    // signing in again: the password, then the code (a wrong one is said so under the field)
    await page.context().clearCookies()
    await page.goto(`${BASE}/login`)
    await page.locator('input[name="login"]').fill(username)
    await page.locator('input[name="password"]').fill(next)
    await page.getByRole('button', { name: /登\s*录/ }).click()
    await page.locator('[data-test="login-code-tip"]').waitFor()
    const right = totpCode(secret, Date.now() + 30000) // the step after the one the set-up used
    await page.locator('input[name="code"]').fill(String((Number(right) + 1) % 1000000).padStart(6, '0'))
    await page.locator('[data-test="login-code-submit"]').click()
    await page.getByText('动态口令错误或已使用过').waitFor()
    await page.locator('input[name="code"]').fill(right)
    await page.locator('[data-test="login-code-submit"]').click()
    await page.waitForURL(`${BASE}/`)

    // without the phone: a recovery code instead, good once
    await page.context().clearCookies()
    await page.goto(`${BASE}/login`)
    await page.locator('input[name="login"]').fill(username)
    await page.locator('input[name="password"]').fill(next)
    await page.getByRole('button', { name: /登\s*录/ }).click()
    await page.locator('[data-test="login-use-recovery"]').click()
    await page.locator('input[name="recoveryCode"]').fill('ABCDE-2345')
    await page.locator('[data-test="login-code-submit"]').click()
    await page.getByText('恢复码为 10 位字母和数字').waitFor()
    await page.locator('input[name="recoveryCode"]').fill(recoveryCodes[3].toLowerCase())
    await page.locator('[data-test="login-code-submit"]').click()
    await page.waitForURL(`${BASE}/`)
    // the second-factor page counts what is left and asks a current code for new ones
    await page.goto(`${BASE}/second-factor`)
    await page.locator('[data-test="recovery-codes-left"]').filter({ hasText: '恢复码还剩 9 个' }).waitFor()
    await page.locator('input[name="code"]').fill(right) // spent by the login above
    await page.locator('[data-test="recovery-codes-renew"]').click()
    await page.getByText('动态口令错误或已使用过').waitFor()
    await page.context().close()

    // the administrator sees it bound and resets it
    const adminPage = await newPage()
    await consoleLogin(adminPage, 'admin')
    await adminPage.goto(`${BASE}/users/${user.id}`)
    await adminPage.locator('[data-test="user-detail"]').getByText('已绑定').waitFor()
    await adminPage.locator('[data-test="user-reset-second-factor"]').click()
    await adminPage.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
    await adminPage.locator('[data-test="user-detail"]').getByText('未绑定').waitFor()
    await adminPage.context().close()
  })

  it('三员分立: the system administrator creates an account awaiting its role; the security administrator gives it one', async () => {
    const page = await newPage()
    await consoleLogin(page, 'sysadmin')
    await page.goto(`${BASE}/users`)
    await page.locator('[data-test="users-table"]').waitFor()
    const stamp = Date.now().toString().slice(-8)
    await page.locator('[data-test="user-create"]').click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '新建用户' })
    await dialog.locator('input[name="username"]').fill(`e2e_role_${stamp}`)
    await dialog.locator('input[name="name"]').fill(`待分配${stamp.slice(-4)}`)
    await dialog.locator('input[name="phone"]').fill(`137${stamp}`)
    await dialog.locator('[data-test="org-select"]').click()
    await pickOption(page, '商贸发展岗')
    await dialog.locator('[data-test="role-select"]').click()
    // Only the roles the system administrator may give are offered: not a business role.
    const options = page.locator('.el-select-dropdown__item').filter({ visible: true })
    await options.filter({ hasText: '待分配角色' }).waitFor()
    assert.equal(await options.filter({ hasText: '行业岗位监管员' }).count(), 0)
    await pickOption(page, '待分配角色')
    await dialog.locator('input[name="password"]').fill(PASSWORD)
    const created = page.waitForResponse((r) => r.url().endsWith('/api/users') && r.request().method() === 'POST')
    await dialog.locator('[data-test="user-save"]').click()
    const user = await (await created).json()
    assert.equal(user.roleKey, 'unassigned')
    await page.context().close()

    const sec = await newPage()
    await consoleLogin(sec, 'secadmin')
    await sec.goto(`${BASE}/users/${user.id}`)
    await sec.locator('[data-test="user-detail"]').getByText('待分配角色').waitFor()
    await sec.locator('[data-test="user-assign-role"]').click()
    const assign = sec.locator('[data-test="assign-role-dialog"]')
    await assign.locator('[data-test="assign-role-select"]').click()
    await pickOption(sec, '行业岗位监管员')
    await assign.getByText('含 ').waitFor()
    await assign.locator('[data-test="assign-role-save"]').click()
    await sec.getByText('已将角色改为「行业岗位监管员」').waitFor()
    await sec.locator('[data-test="user-detail"]').getByText('行业岗位监管员').waitFor()
    const admin = await apiLogin('admin')
    assert.equal((await admin.get(`/api/users/${user.id}`)).roleKey, 'officer')
    // Five wrong passwords lock the account; the security administrator lifts the lock from the same page.
    for (let i = 0; i < 5; i++) {
      await fetch(`${BASE}/api/auth/login`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ login: user.username, password: 'Wrong#Password1' }),
      })
    }
    await sec.reload()
    await sec.locator('[data-test="user-unlock"]').click()
    await sec.locator('.el-message-box').getByRole('button', { name: /确\s*定/ }).click()
    await sec.getByText('已解锁').waitFor()
    assert.equal((await admin.get(`/api/users/${user.id}`)).lockedUntil, null)
    await sec.context().close()
  })

  it('the admin sets the lock time on 安全策略; a value out of range is not sent', async () => {
    const page = await newPage()
    await consoleLogin(page, 'admin')
    await page.getByRole('menuitem', { name: '安全策略' }).click()
    await page.waitForURL(`${BASE}/security-policy`)
    const lock = page.locator('[data-test="lockMinutes"] input')
    await page.waitForFunction(() => document.querySelector('[data-test="lockMinutes"] input')?.value === '30')
    await lock.fill('45')
    await lock.blur()
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/security-policy') && r.request().method() === 'PUT')
    await page.locator('[data-test="policy-save"]').click()
    assert.equal((await saved).status(), 200)
    await page.getByText('安全策略已保存').waitFor()
    await page.reload()
    await page.waitForFunction(() => document.querySelector('[data-test="lockMinutes"] input')?.value === '45')
    const admin = await apiLogin('admin')
    assert.equal((await admin.get('/api/security-policy')).lockMinutes, 45)
    await admin.put('/api/security-policy', { ...(await admin.get('/api/security-policy')), lockMinutes: 30 })
    await page.context().close()
  })

  it('turning 三员分立 on while the admin role mixes duties is refused with the roles named; nothing is saved', async () => {
    const page = await newPage()
    await consoleLogin(page, 'secadmin')
    await page.goto(`${BASE}/security-policy`)
    await page.waitForFunction(() => document.querySelector('[data-test="lockMinutes"] input')?.value === '30')
    await page.locator('[data-test="separationOfDuties"]').click()
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/security-policy') && r.request().method() === 'PUT')
    await page.locator('[data-test="policy-save"]').click()
    assert.equal((await saved).status(), 409)
    assert.match(await page.locator('[data-test="separation-error"]').innerText(), /专班管理员（\d+ 人）/)
    const sec = await apiLogin('secadmin')
    assert.equal((await sec.get('/api/security-policy')).separationOfDuties, false)
    await page.context().close()
  })

  it('the system administrator backs up now on 数据备份, sees it checked, and sets the nightly hour', async () => {
    const page = await newPage()
    await consoleLogin(page, 'sysadmin')
    await page.getByRole('menuitem', { name: '数据备份' }).click()
    await page.waitForURL(`${BASE}/backups`)
    await page.locator('[data-test="backup-status"]').waitFor()
    const started = page.waitForResponse((r) => r.url().endsWith('/api/backups') && r.request().method() === 'POST')
    await page.locator('[data-test="backup-now"]').click()
    const row = await (await started).json()
    assert.equal(row.state, 'running')
    // The page looks again until the backup has ended, and says so.
    await page.getByText(`备份完成：${row.file}`).waitFor()
    const listed = page.locator('[data-test="backup-table"] .el-table__row').filter({ hasText: row.file })
    await listed.getByText('已完成并校验').waitFor()
    assert.match(await listed.innerText(), /作业证 \d+/)
    assert.match(await page.locator('[data-test="backup-status"]').innerText(), /最近一次成功备份/)

    await page.locator('[data-test="backup-hour"]').click()
    await pickOption(page, '03:00')
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/backups/settings') && r.request().method() === 'PUT')
    await page.locator('[data-test="backup-save"]').click()
    assert.equal((await saved).status(), 200)
    await page.getByText('定时备份设置已保存').waitFor()
    const sys = await apiLogin('sysadmin')
    const overview = await sys.get('/api/backups')
    assert.equal(overview.settings.hour, 3)
    await sys.put('/api/backups/settings', { ...overview.settings, hour: 2 })
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

  it('the home page lists what waits for the user (待我办理) and opens the whole list filtered so', async () => {
    const contractor = await apiLogin('contractor')
    const todo = await contractor.get('/api/permits?todo=true&page=1&pageSize=50')
    assert.ok(todo.total >= 1, 'the demo leaves the contractor something to do')
    const page = await newPage()
    await consoleLogin(page, 'contractor')
    const card = page.locator('[data-test="home-todo"]')
    await card.locator('.count').filter({ hasText: String(todo.total) }).waitFor()
    const rows = card.locator('[data-test="home-todo-row"]')
    assert.equal(await rows.count(), Math.min(6, todo.total))
    assert.match(await rows.first().innerText(), new RegExp(todo.items[0].number))
    await card.getByRole('button', { name: '查看全部' }).click()
    await page.waitForURL(/\/permits\?todo=true$/)
    assert.ok(await page.locator('[data-test="permit-todo-filter"] input').isChecked())
    await page.locator('[data-test="pager-total"]').filter({ hasText: `共 ${todo.total} 条` }).waitFor()
    await page.locator('[data-test="permit-todo-step"]').first().waitFor()
    const listed = await page.locator('[data-test="permits-table"] .el-table__body tr').count()
    assert.equal(await page.locator('[data-test="permit-todo-step"]').count(), listed, 'every row of 待我办理 says so')
    await page.context().close()
  })

  it('an officer\'s home counts today\'s hot work, open alerts and hazards of their scope, each opening its list', async () => {
    const officer = await apiLogin('sw_officer')
    const board = await officer.get('/api/permits/board')
    const count = (states) => board.columns.filter((c) => !states || states.includes(c.state)).reduce((n, c) => n + c.items.length, 0)
    const alerts = await officer.get('/api/alerts?state=open&page=1&pageSize=1')
    const hazards = await officer.get('/api/hazards/summary')
    assert.ok(count() >= 1 && alerts.total >= 1, 'the demo gives the officer work today and an open alert')
    const page = await newPage()
    await consoleLogin(page, 'sw_officer')
    const figure = (key) => page.locator(`[data-test="${key}"] b`)
    await figure('home-today-all').filter({ hasText: new RegExp(`^${count()}$`) }).waitFor()
    assert.equal(await figure('home-today-on-site').innerText(), String(count(['in_progress', 'suspended', 'watching'])))
    assert.equal(await figure('home-today-alerts').innerText(), String(alerts.total))
    assert.equal(await figure('home-hazards-overdue').innerText(), String(hazards.overdue))
    await page.locator('[data-test="home-today-alerts"]').click()
    await page.waitForURL(/\/alerts\?state=open$/)
    await page.locator('.el-pagination__total').filter({ hasText: `共 ${alerts.total} 条` }).waitFor()
    await page.context().close()
  })

  it('admin sets how early people may check in and which steps must be signed on the rules page; the start lead cannot go past the check-in', async () => {
    const admin = await apiLogin('admin')
    const before = await admin.get('/api/rule-settings')
    const page = await newPage()
    try {
      await consoleLogin(page, 'admin')
      await page.goto(`${BASE}/rules?tab=settings`)
      const form = page.locator('[data-test="rule-form"]')
      const checkIn = form.locator('[data-test="checkInBeforeMinutes"] input')
      await checkIn.waitFor()
      assert.equal(await checkIn.inputValue(), String(before.checkInBeforeMinutes))
      await checkIn.fill('30')
      await checkIn.blur()
      // The approval and the close must be signed by hand (须手写签名的步骤).
      await form.locator('[data-test="sig-step-close"]').click()
      await form.locator('[data-test="sig-step-approve"]').click()
      const saved = page.waitForResponse((r) => r.url().endsWith('/api/rule-settings') && r.request().method() === 'PUT')
      await form.locator('[data-test="rule-save"]').click()
      assert.equal((await saved).status(), 200)
      const stored = await admin.get('/api/rule-settings')
      assert.equal(stored.checkInBeforeMinutes, 30)
      assert.deepEqual(stored.signatureSteps, ['approve', 'close'])
      // The start lead is capped by the check-in window in the form (30 here), the server refusing the rest.
      const lead = form.locator('[data-test="startBeforeMinutes"] input')
      await lead.fill('45')
      await lead.blur()
      assert.equal(await lead.inputValue(), '30')
    } finally {
      await admin.put('/api/rule-settings', before)
      await page.context().close()
    }
  })

  it('a field role (welder) gets the page pointing to the mobile entry', async () => {
    const page = await newPage()
    await consoleLogin(page, 'welder')
    await page.locator('[data-test="field-role"]').waitFor()
    assert.match(await page.locator('[data-test="field-role"]').innerText(), /\/m\//)
    await page.context().close()
  })
})
