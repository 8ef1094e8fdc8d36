// The one HTTP client of both front ends. Errors always come out as ApiError carrying the
// server's Chinese message, so pages can show `e.message` as is.

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly field: string | null

  constructor(status: number, code: string, message: string, field: string | null = null) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

/** Turns a failed Response into an ApiError; never throws. */
export async function parseError(res: Response): Promise<ApiError> {
  let text = ''
  try {
    text = await res.text()
  } catch {
    /* body unreadable: fall through to the generic message */
  }
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; field?: unknown }
    if (body && typeof body === 'object' && typeof body.code === 'string') {
      const message = typeof body.message === 'string' && body.message ? body.message : statusMessage(res.status)
      const field = typeof body.field === 'string' && body.field ? body.field : null
      return new ApiError(res.status, body.code, message, field)
    }
  } catch {
    /* not JSON (e.g. a proxy's HTML error page) */
  }
  return new ApiError(res.status, `HTTP_${res.status}`, statusMessage(res.status))
}

export function statusMessage(status: number): string {
  if (status === 401) return '登录已失效，请重新登录'
  if (status === 403) return '没有执行此操作的权限'
  if (status === 404) return '未找到该记录'
  if (status === 413) return '提交的内容过大'
  if (status === 429) return '操作过于频繁，请稍后再试'
  if (status >= 500) return `服务器暂时无法处理请求（HTTP ${status}），请稍后再试`
  return `请求失败（HTTP ${status}）`
}

export type QueryValue = string | number | boolean | null | undefined
export type Query = Record<string, QueryValue>

/** `?a=1&b=x`, leaving out empty values; '' when nothing is left. */
export function buildQuery(query?: Query): string {
  if (!query) return ''
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    p.append(k, String(v))
  }
  const s = p.toString()
  return s ? `?${s}` : ''
}

export interface RequestOptions {
  query?: Query
  body?: unknown
  /** Do not call onUnauthorized for a 401 (used when probing the session at start-up). */
  quiet401?: boolean
}

export interface ApiHooks {
  /** A request with a session got 401: the session is gone. */
  onUnauthorized?: (e: ApiError) => void
  /** 403 PASSWORD_CHANGE_REQUIRED: the user must change the password first. */
  onPasswordChangeRequired?: (e: ApiError) => void
  /** 403 SECOND_FACTOR_REQUIRED: the role requires a second factor the user has not set up yet. */
  onSecondFactorRequired?: (e: ApiError) => void
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
// A 401 from login means "wrong credentials" (or code), not "session expired".
const NO_401_HOOK = new Set(['/api/auth/login', '/api/auth/login/second-factor'])

export class ApiClient {
  csrfToken = ''
  hooks: ApiHooks = {}
  private readonly fetchFn: typeof fetch

  constructor(fetchFn?: typeof fetch) {
    this.fetchFn = fetchFn ?? ((input, init) => globalThis.fetch(input, init))
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' }
    const init: RequestInit = { method, headers, credentials: 'same-origin' }
    if (UNSAFE.has(method)) {
      headers['Content-Type'] = 'application/json'
      if (this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken
      init.body = JSON.stringify(opts.body ?? {})
    }
    let res: Response
    try {
      res = await this.fetchFn(path + buildQuery(opts.query), init)
    } catch {
      throw new ApiError(0, 'NETWORK', '网络连接失败，请检查网络后重试')
    }
    if (!res.ok) {
      const err = await parseError(res)
      if (res.status === 401 && !opts.quiet401 && !NO_401_HOOK.has(path)) {
        this.csrfToken = ''
        this.hooks.onUnauthorized?.(err)
      } else if (res.status === 403 && err.code === 'PASSWORD_CHANGE_REQUIRED') {
        this.hooks.onPasswordChangeRequired?.(err)
      } else if (res.status === 403 && err.code === 'SECOND_FACTOR_REQUIRED') {
        this.hooks.onSecondFactorRequired?.(err)
      }
      throw err
    }
    if (res.status === 204) return undefined as T
    const text = await res.text()
    if (!text) return undefined as T
    try {
      return JSON.parse(text) as T
    } catch {
      throw new ApiError(res.status, 'BAD_RESPONSE', '服务器返回了无法识别的数据')
    }
  }

  /** GETs a file (e.g. an .xlsx export); failures come out as ApiError like any other call. */
  async download(path: string, query?: Query): Promise<{ blob: Blob; filename: string | null }> {
    let res: Response
    try {
      res = await this.fetchFn(path + buildQuery(query), { method: 'GET', credentials: 'same-origin' })
    } catch {
      throw new ApiError(0, 'NETWORK', '网络连接失败，请检查网络后重试')
    }
    if (!res.ok) {
      const err = await parseError(res)
      if (res.status === 401) {
        this.csrfToken = ''
        this.hooks.onUnauthorized?.(err)
      }
      throw err
    }
    return { blob: await res.blob(), filename: filenameOf(res.headers.get('Content-Disposition')) }
  }

  /** POSTs a raw body (e.g. a photo) with its own Content-Type; answers and failures like `request`. */
  async upload<T>(path: string, body: Blob, contentType: string): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': contentType }
    if (this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken
    let res: Response
    try {
      res = await this.fetchFn(path, { method: 'POST', headers, body, credentials: 'same-origin' })
    } catch {
      throw new ApiError(0, 'NETWORK', '网络连接失败，请检查网络后重试')
    }
    if (!res.ok) {
      const err = await parseError(res)
      if (res.status === 401) {
        this.csrfToken = ''
        this.hooks.onUnauthorized?.(err)
      }
      throw err
    }
    try {
      return JSON.parse(await res.text()) as T
    } catch {
      throw new ApiError(res.status, 'BAD_RESPONSE', '服务器返回了无法识别的数据')
    }
  }

  get<T>(path: string, query?: Query, opts: RequestOptions = {}) {
    return this.request<T>('GET', path, { ...opts, query })
  }
  post<T>(path: string, body?: unknown) {
    return this.request<T>('POST', path, { body })
  }
  put<T>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, { body })
  }
  del<T>(path: string) {
    return this.request<T>('DELETE', path)
  }
}

/** The file name of a Content-Disposition header (filename*=UTF-8'' wins over filename=). */
export function filenameOf(cd: string | null | undefined): string | null {
  if (!cd) return null
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(cd)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''))
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(cd)
  return plain ? (plain[2] ?? plain[1]).trim() : null
}

/** Hands a Blob to the browser as a download. */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export const api = new ApiClient()
