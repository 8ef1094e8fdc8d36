// Shared helpers for the browser tests: Debian's chromium through playwright-core, nothing downloaded.
import { createHmac } from 'node:crypto'
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
  return { me: body.user, get: (p) => call('GET', p), post: (p, d) => call('POST', p, d), put: (p, d) => call('PUT', p, d) }
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

/** A phone-sized browser context (390×844, touch), optionally with a granted position. */
export function phoneContext(browser, { geolocation } = {}) {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    ...(geolocation ? { geolocation, permissions: ['geolocation'] } : {}),
  })
}

/** Logs in through the mobile entry's login page. */
export async function mobileLogin(page, login, password = PASSWORD) {
  await page.goto(`${BASE}/m/login`)
  await page.locator('input[name="login"]').fill(login)
  await page.locator('input[name="password"]').fill(password)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL(`${BASE}/m/`)
}

/** A PNG drawn in the browser (a labelled "site photo"), as a Buffer for setInputFiles. */
export async function makePhoto(page, label = '现场照片', color = '#5b7baa') {
  const dataUrl = await page.evaluate(
    ([text, bg]) => {
      const c = document.createElement('canvas')
      c.width = 480
      c.height = 360
      const g = c.getContext('2d')
      g.fillStyle = bg
      g.fillRect(0, 0, 480, 360)
      g.fillStyle = '#f5a623'
      g.beginPath()
      g.moveTo(240, 90)
      g.quadraticCurveTo(330, 200, 240, 270)
      g.quadraticCurveTo(150, 200, 240, 90)
      g.fill()
      g.fillStyle = '#fff'
      g.font = '28px sans-serif'
      g.fillText(text, 24, 330)
      return c.toDataURL('image/png')
    },
    [label, color],
  )
  return Buffer.from(dataUrl.split(',')[1], 'base64')
}

/** Moves the server clock (serve --test-clock) to `iso`; returns the server's new now. Needs a fresh admin session. */
export async function setServerClock(iso) {
  const admin = await apiLogin('admin')
  const offsetSeconds = iso ? Math.round((Date.parse(iso) - Date.now()) / 1000) : 0
  return admin.post('/api/test/clock', { offsetSeconds })
}

/** "YYYY-MM-DD" of Beijing today + n days. */
export function beijingDay(n = 0, now = Date.now()) {
  return new Date(now + 8 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10)
}

/** Opens an Element Plus select and clicks the option showing `text` in that select's own dropdown. */
export async function chooseOption(page, select, text) {
  await select.click()
  const id = await select.locator('input[role="combobox"]').first().getAttribute('aria-controls')
  await page.locator(`[id="${id}"] .el-select-dropdown__item`).filter({ hasText: text }).first().click()
}

// --- Welding machines (docs/device-protocol.md): a chip's secret and signed messages over HTTP.

/** The machine with this code, and a fresh chip secret for it (admin only). */
export async function machineWithSecret(admin, code) {
  const m = (await admin.get(`/api/machines?q=${encodeURIComponent(code)}&pageSize=5`)).items.find((x) => x.code === code)
  if (!m) throw new Error(`machine ${code} not in the demo`)
  const { secret } = await admin.post(`/api/machines/${m.id}/secret`, {})
  return { ...m, secret }
}

// Sequence numbers only go up, across runs too (going back reads as tampering).
let seqBase = Math.floor(Date.now() / 1000) - 1_700_000_000
/** Sends one signed message from the machine (e.g. {type: 'telemetry', power: true}); returns the batch answer. */
export async function sendDeviceMessage(machine, fields) {
  const body = JSON.stringify({ code: machine.code, seq: seqBase++, at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), ...fields })
  const sig = createHmac('sha256', machine.secret).update(body).digest('hex')
  const res = await fetch(`${BASE}/api/devices/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ messages: [{ code: machine.code, body, sig }] }),
  })
  const answer = await res.json()
  if (!res.ok || answer.accepted !== 1) throw new Error(`device message from ${machine.code}: HTTP ${res.status} ${JSON.stringify(answer)}`)
  return answer
}

/** Signs on the phone: opens the signature field `fieldTest`, draws a stroke on the pad and confirms; waits for the
 * signature's thumbnail in the field. Vant's pad listens to touch events only: they are dispatched on its canvas
 * (a real swipe there would be taken by the browser as a back gesture). */
export async function drawSignature(page, fieldTest) {
  await page.locator(`[data-test="${fieldTest}"]`).click()
  const pad = page.locator('[data-test="signature-pad"]:visible')
  await pad.locator('canvas').evaluate((canvas) => {
    const box = canvas.getBoundingClientRect()
    const touch = (fx, fy) =>
      new Touch({ identifier: 1, target: canvas, clientX: box.left + box.width * fx, clientY: box.top + box.height * fy })
    const send = (type, t) =>
      canvas.dispatchEvent(new TouchEvent(type, { bubbles: true, cancelable: true, touches: type === 'touchend' ? [] : [t], changedTouches: [t] }))
    send('touchstart', touch(0.2, 0.6))
    for (const [fx, fy] of [[0.3, 0.3], [0.4, 0.7], [0.5, 0.35], [0.6, 0.65], [0.75, 0.4]]) send('touchmove', touch(fx, fy))
    send('touchend', touch(0.75, 0.4))
  })
  await pad.getByRole('button', { name: '确定' }).click()
  await page.locator(`[data-test="${fieldTest}"] [data-test="signature-image"]`).waitFor()
}

/** Where the demo's running permit is: 金凤镇卫生院 (tests/api/devices.test.mjs HOSPITAL). */
export const HOSPITAL = { lat: 29.444, lng: 106.356 }

// ---------- screenshots (e2e/screenshots*.mjs) ----------
export const SHOTS_DIR = process.env.SHOTS_DIR ?? '/tmp/shots'
export const SHOT_SIZES = { desk: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } }

/** Saves the page's viewport as SHOTS_DIR/<name>.png once the network is idle. */
export async function shot(page, name) {
  await page.waitForLoadState('networkidle')
  await page.waitForTimeout(300)
  await page.screenshot({ path: `${SHOTS_DIR}/${name}.png`, fullPage: false })
  console.log(`${SHOTS_DIR}/${name}.png`)
}

/** Runs one screenshot module's `shots(browser, shot)` when that module is the script node was started with. */
export async function runShotsIfMain(moduleUrl, shots) {
  const { pathToFileURL } = await import('node:url')
  if (moduleUrl !== pathToFileURL(process.argv[1]).href) return
  const { mkdirSync } = await import('node:fs')
  mkdirSync(SHOTS_DIR, { recursive: true })
  const browser = await launch()
  try {
    await shots(browser, shot)
  } finally {
    await browser.close()
  }
}
