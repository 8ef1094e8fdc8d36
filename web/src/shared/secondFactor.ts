// The second login factor: a 6-digit one-time code from an authenticator app (RFC 6238, HMAC-SHA-256, 30 s).
import { ref } from 'vue'
import { api } from './api'
import { setSession } from './session'
import type { Me, MeResponse, SecondFactorSetup } from './types'

/** '' when `code` can be sent, else why not (the server checks again: 6 digits). */
export function checkCode(code: string): string {
  const c = code.trim()
  if (!c) return '请输入 6 位动态口令'
  return /^\d{6}$/.test(c) ? '' : '动态口令为 6 位数字'
}

/** The page a signed-in user must see before any other: a forced password change first, then setting up the code. */
export function forcedPage(me: Pick<Me, 'mustChangePassword' | 'mustEnrollSecondFactor'>): 'change-password' | 'second-factor' | null {
  if (me.mustChangePassword) return 'change-password'
  if (me.mustEnrollSecondFactor) return 'second-factor'
  return null
}

/** A base32 secret in groups of four, for typing into an app by hand. */
export const groupSecret = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ')

export const SECOND_FACTOR_STEPS = [
  '在手机上安装身份验证器 App（须支持 SHA-256 算法，如 FreeOTP、Aegis）',
  '在 App 中扫描下方二维码，或手工输入密钥',
  '输入 App 中「火眼」账号当前显示的 6 位动态口令，完成绑定',
]

export const SECOND_FACTOR_WHY = '您的角色要求登录时在密码之后输入动态口令（等保 2.0 身份鉴别）。绑定前不能使用其他功能。'

/**
 * The set-up pages' calls (console and phone): `start` asks for a new secret (or says why not in `loadError`),
 * `confirm` sends the first code and takes the updated session.
 */
export function useSecondFactorSetup() {
  const setup = ref<SecondFactorSetup | null>(null)
  const loadError = ref('')
  async function start() {
    loadError.value = ''
    try {
      setup.value = await api.post<SecondFactorSetup>('/api/auth/second-factor/setup')
    } catch (e) {
      loadError.value = e instanceof Error ? e.message : String(e)
    }
  }
  async function confirm(code: string) {
    setSession(await api.post<MeResponse>('/api/auth/second-factor/confirm', { code: code.trim() }))
  }
  return { setup, loadError, start, confirm }
}
