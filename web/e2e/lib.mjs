// Shared helpers for the browser tests: Debian's chromium through playwright-core, nothing downloaded.
import { chromium } from 'playwright-core'

export const BASE = (process.env.HUOYAN_URL ?? 'http://127.0.0.1:18080').replace(/\/$/, '')
export const PASSWORD = process.env.HUOYAN_DEMO_PASSWORD ?? 'Huoyan@2025'

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** Logs in over HTTP (no browser) and returns a tiny client carrying the session cookie and CSRF token. */
export async function apiLogin(login, password = PASSWORD) {
  const res = await fetch(`${BASE}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password }),
  })
  if (!res.ok) throw new Error(`login ${login}: HTTP ${res.status} ${await res.text()}`)
  const body = await res.json()
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const call = async (method, path, data) => {
    const headers = { Cookie: cookie, Accept: 'application/json' }
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json'
      headers['X-CSRF-Token'] = body.csrfToken
    }
    const r = await fetch(BASE + path, { method, headers, body: method === 'GET' ? undefined : JSON.stringify(data ?? {}) })
    const text = await r.text()
    if (!r.ok) throw new Error(`${method} ${path}: HTTP ${r.status} ${text}`)
    return text ? JSON.parse(text) : null
  }
  return { me: body.user, get: (p) => call('GET', p), post: (p, d) => call('POST', p, d) }
}

/** Logs in through the console's login page. */
export async function consoleLogin(page, login, password = PASSWORD) {
  await page.goto(`${BASE}/login`)
  await page.locator('input[name="login"]').fill(login)
  await page.locator('input[name="password"]').fill(password)
  await page.getByRole('button', { name: /登\s*录/ }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

/** Picks an option of an Element Plus select/tree-select whose popper is open. */
export async function pickOption(page, text) {
  const opt = page
    .locator('.el-select-dropdown__item, .el-tree-node__content')
    .filter({ visible: true })
    .filter({ hasText: text })
    .first()
  await opt.click()
}
