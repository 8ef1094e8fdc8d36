import { describe, expect, it, vi } from 'vitest'
import { ApiClient, ApiError, buildQuery, parseError } from '../../src/shared/api'

type Call = { url: string; init: RequestInit }

function fakeFetch(status: number, body: unknown, calls: Call[] = []) {
  return vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} })
    const text = typeof body === 'string' ? body : JSON.stringify(body)
    return new Response(status === 204 ? null : text, { status, headers: { 'Content-Type': 'application/json' } })
  })
}

const headersOf = (c: Call) => c.init.headers as Record<string, string>

describe('parseError', () => {
  it('reads code, Chinese message and field from the error body', async () => {
    const e = await parseError(
      new Response(JSON.stringify({ code: 'USERNAME_TAKEN', message: '用户名已被使用', field: 'username' }), { status: 409 }),
    )
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(409)
    expect(e.code).toBe('USERNAME_TAKEN')
    expect(e.message).toBe('用户名已被使用')
    expect(e.field).toBe('username')
  })

  it('treats a null field as no field', async () => {
    const e = await parseError(new Response(JSON.stringify({ code: 'NOT_FOUND', message: '记录不存在', field: null }), { status: 404 }))
    expect(e.field).toBeNull()
  })

  it('falls back to a Chinese message for a non-JSON body (e.g. a proxy error page)', async () => {
    const e = await parseError(new Response('<html>Bad Gateway</html>', { status: 502 }))
    expect(e.code).toBe('HTTP_502')
    expect(e.message).toContain('HTTP 502')
    expect(e.message).toMatch(/服务器/)
  })

  it('fills in a message when the body has a code but no message', async () => {
    const e = await parseError(new Response(JSON.stringify({ code: 'FORBIDDEN' }), { status: 403 }))
    expect(e.code).toBe('FORBIDDEN')
    expect(e.message).toBe('没有执行此操作的权限')
  })
})

describe('buildQuery', () => {
  it('leaves out empty values and encodes the rest', () => {
    expect(buildQuery({ q: '张 三', orgUnitId: null, roleId: undefined, status: '', page: 1 })).toBe('?q=%E5%BC%A0+%E4%B8%89&page=1')
    expect(buildQuery({ q: '' })).toBe('')
  })
})

describe('ApiClient', () => {
  it('sends the CSRF token, JSON content type and same-origin credentials on POST', async () => {
    const calls: Call[] = []
    const c = new ApiClient(fakeFetch(201, { id: 7 }, calls))
    c.csrfToken = 'tok-123'
    const r = await c.post<{ id: number }>('/api/users', { name: '张三' })
    expect(r.id).toBe(7)
    expect(calls[0].init.method).toBe('POST')
    expect(headersOf(calls[0])['X-CSRF-Token']).toBe('tok-123')
    expect(headersOf(calls[0])['Content-Type']).toBe('application/json')
    expect(calls[0].init.credentials).toBe('same-origin')
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ name: '张三' })
  })

  it('sends an empty JSON object for a command without a body, and CSRF on PUT and DELETE too', async () => {
    const calls: Call[] = []
    const c = new ApiClient(fakeFetch(200, { ok: true }, calls))
    c.csrfToken = 't'
    await c.post('/api/users/3/disable')
    await c.put('/api/org-units/2', { name: 'x' })
    await c.del('/api/org-units/2')
    expect(calls[0].init.body).toBe('{}')
    expect(calls.map((x) => headersOf(x)['X-CSRF-Token'])).toEqual(['t', 't', 't'])
    expect(calls.map((x) => x.init.method)).toEqual(['POST', 'PUT', 'DELETE'])
  })

  it('sends no CSRF header and no body on GET, and appends the query', async () => {
    const calls: Call[] = []
    const c = new ApiClient(fakeFetch(200, { items: [], total: 0 }, calls))
    c.csrfToken = 't'
    await c.get('/api/users', { q: 'li', page: 2, status: '' })
    expect(calls[0].url).toBe('/api/users?q=li&page=2')
    expect(headersOf(calls[0])['X-CSRF-Token']).toBeUndefined()
    expect(calls[0].init.body).toBeUndefined()
    expect(calls[0].init.credentials).toBe('same-origin')
  })

  it('on 401 calls onUnauthorized, forgets the CSRF token and rejects with the ApiError', async () => {
    const c = new ApiClient(fakeFetch(401, { code: 'UNAUTHENTICATED', message: '请先登录', field: null }))
    c.csrfToken = 't'
    const hook = vi.fn()
    c.hooks.onUnauthorized = hook
    await expect(c.get('/api/users')).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED', message: '请先登录' })
    expect(hook).toHaveBeenCalledTimes(1)
    expect(c.csrfToken).toBe('')
  })

  it('does not treat a failed login (401) as an expired session', async () => {
    const c = new ApiClient(fakeFetch(401, { code: 'LOGIN_FAILED', message: '账号或密码错误', field: null }))
    const hook = vi.fn()
    c.hooks.onUnauthorized = hook
    await expect(c.post('/api/auth/login', { login: 'a', password: 'b' })).rejects.toMatchObject({ code: 'LOGIN_FAILED' })
    expect(hook).not.toHaveBeenCalled()
  })

  it('quiet401 probes the session without calling the hook', async () => {
    const c = new ApiClient(fakeFetch(401, { code: 'UNAUTHENTICATED', message: '请先登录' }))
    const hook = vi.fn()
    c.hooks.onUnauthorized = hook
    await expect(c.get('/api/auth/me', undefined, { quiet401: true })).rejects.toBeInstanceOf(ApiError)
    expect(hook).not.toHaveBeenCalled()
  })

  it('calls onPasswordChangeRequired on 403 PASSWORD_CHANGE_REQUIRED only', async () => {
    const hook = vi.fn()
    const c = new ApiClient(fakeFetch(403, { code: 'PASSWORD_CHANGE_REQUIRED', message: '请先修改密码' }))
    c.hooks.onPasswordChangeRequired = hook
    await expect(c.get('/api/users')).rejects.toMatchObject({ status: 403 })
    expect(hook).toHaveBeenCalledTimes(1)

    const c2 = new ApiClient(fakeFetch(403, { code: 'FORBIDDEN', message: '无权限' }))
    c2.hooks.onPasswordChangeRequired = hook
    await expect(c2.get('/api/users')).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(hook).toHaveBeenCalledTimes(1)
  })

  it('calls onSecondFactorRequired on 403 SECOND_FACTOR_REQUIRED; a wrong code at login is no lost session', async () => {
    const setUp = vi.fn()
    const gone = vi.fn()
    const c = new ApiClient(fakeFetch(403, { code: 'SECOND_FACTOR_REQUIRED', message: '请先绑定' }))
    c.hooks.onSecondFactorRequired = setUp
    c.hooks.onPasswordChangeRequired = gone
    await expect(c.get('/api/users')).rejects.toMatchObject({ status: 403 })
    expect([setUp.mock.calls.length, gone.mock.calls.length]).toEqual([1, 0])

    const login = new ApiClient(fakeFetch(401, { code: 'TOTP_WRONG', message: '动态口令错误', field: 'code' }))
    login.hooks.onUnauthorized = gone
    await expect(login.post('/api/auth/login/second-factor', { challenge: 'x', code: '123456' })).rejects.toMatchObject({ code: 'TOTP_WRONG' })
    expect(gone).not.toHaveBeenCalled()
  })

  it('turns a network failure into a Chinese NETWORK error', async () => {
    const c = new ApiClient(vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))))
    await expect(c.get('/api/auth/me')).rejects.toMatchObject({ status: 0, code: 'NETWORK', message: '网络连接失败，请检查网络后重试' })
  })
})

describe('filenameOf', () => {
  it('reads filename*= (UTF-8) before filename=', async () => {
    const { filenameOf } = await import('../../src/shared/api')
    expect(filenameOf(`attachment; filename="certs.xlsx"; filename*=UTF-8''%E8%AF%81%E4%B9%A6.xlsx`)).toBe('证书.xlsx')
    expect(filenameOf('attachment; filename="certs.xlsx"')).toBe('certs.xlsx')
    expect(filenameOf('attachment; filename=certs.xlsx')).toBe('certs.xlsx')
    expect(filenameOf(null)).toBeNull()
  })
})
