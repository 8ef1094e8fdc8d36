// The second login factor: a 6-digit one-time code from an authenticator app (RFC 6238, HMAC-SHA-256, 30 s).
import { ref } from 'vue'
import { api } from './api'
import { session, setSession } from './session'
import type { Me, MeResponse, SecondFactorSetup } from './types'

/** '' when `code` can be sent, else why not (the server checks again: 6 digits). */
export function checkCode(code: string): string {
  const c = code.trim()
  if (!c) return '请输入 6 位动态口令'
  return /^\d{6}$/.test(c) ? '' : '动态口令为 6 位数字'
}

// Recovery codes (恢复码): ten letters and digits without 0, 1, I, O, shown as ABCDE-23456; each good once at login
// instead of a code, for a user who has lost the authenticator (the server's domain/totp.h).
const RECOVERY_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'

/** A recovery code as typed, in the form the server compares ("abcde 23456" → "ABCDE23456"), or null if it cannot be one. */
export function normalizeRecoveryCode(typed: string): string | null {
  const c = typed.replace(/[\s-]/g, '').toUpperCase()
  return c.length === 10 && [...c].every((ch) => RECOVERY_ALPHABET.includes(ch)) ? c : null
}

/** '' when `code` can be sent as a recovery code, else why not. */
export function checkRecoveryCode(code: string): string {
  if (!code.trim()) return '请输入恢复码'
  return normalizeRecoveryCode(code) ? '' : '恢复码为 10 位字母和数字，如 ABCDE-23456'
}

/** What a bound user can do about their recovery codes, `left` of them unused. */
export function recoveryCodesHint(left: number): string {
  return left
    ? '用完或遗失时，可凭验证器上当前的口令重新生成 10 个（原有的即作废）。'
    : '手机不在身边时要靠恢复码登录，请凭验证器上当前的口令生成 10 个。'
}

/** The codes as the text file a user keeps: for which account, when, how to use them. */
export function recoveryCodesText(codes: readonly string[], username: string, issuedAt: string): string {
  return [
    `火眼 动火作业监管平台 恢复码（账号 ${username}，${issuedAt} 生成）`,
    '手机或身份验证器不在身边时，登录时选择「使用恢复码」，输入其中一个。每个只能使用一次；重新生成后这些即作废。',
    '',
    ...codes,
    '',
  ].join('\n')
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
  /** Sends the first code; resolves to the recovery codes, to be shown this once. */
  async function confirm(code: string): Promise<string[]> {
    const r = await api.post<MeResponse & { recoveryCodes: string[] }>('/api/auth/second-factor/confirm', { code: code.trim() })
    setSession(r)
    return r.recoveryCodes
  }
  return { setup, loadError, start, confirm }
}

/** New recovery codes for a current code from the app; the old ones no longer work. */
export async function renewRecoveryCodes(code: string): Promise<string[]> {
  const r = await api.post<{ recoveryCodes: string[] }>('/api/auth/second-factor/recovery-codes', { code: code.trim() })
  if (session.me) session.me.secondFactor.recoveryCodesLeft = r.recoveryCodes.length
  return r.recoveryCodes
}
