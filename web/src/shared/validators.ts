// Checks done in the browser before the server sees a form: each returns a Chinese message, or '' when fine.

export const PHONE_RE = /^1[3-9]\d{9}$/

/** A masked value from the server (139****0001, 5001**********123X): shown as is, sent back unchanged. */
export function isMasked(v: string | null | undefined): boolean {
  return !!v && v.includes('*')
}

export function checkPhone(v: string | null | undefined, required = true): string {
  const s = (v ?? '').trim()
  if (!s) return required ? '请输入手机号' : ''
  return PHONE_RE.test(s) ? '' : '手机号格式不正确（11 位，以 13–19 开头）'
}

/** "YYYY-MM-DD" naming a day that exists. */
export function isRealDate(s: string | null | undefined): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s ?? '')
  if (!m) return false
  return realYmd(Number(m[1]), Number(m[2]), Number(m[3]))
}

function realYmd(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false
  const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate()
  return d <= dim
}

// --- 统一社会信用代码 (GB 32100-2015)

export const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** The check character for the first 17 characters, or null when one of them is outside the alphabet. */
export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_ALPHABET.indexOf(first17[i])
    if (v < 0) return null
    sum += v * CREDIT_WEIGHTS[i]
  }
  return CREDIT_ALPHABET[(31 - (sum % 31)) % 31]
}

export function checkCreditCode(v: string | null | undefined): string {
  const s = (v ?? '').trim().toUpperCase()
  if (!s) return '请输入统一社会信用代码'
  if (s.length !== 18) return `统一社会信用代码应为 18 位（当前 ${s.length} 位）`
  const bad = [...s].find((c) => !CREDIT_ALPHABET.includes(c))
  if (bad) return `统一社会信用代码含无效字符「${bad}」（不使用 I、O、Z、S、V）`
  const want = creditCodeCheckChar(s.slice(0, 17))
  if (want !== s[17]) return '统一社会信用代码校验位不正确，请核对'
  return ''
}

export const isCreditCode = (v: string | null | undefined) => checkCreditCode(v) === ''

// --- 公民身份号码 (GB 11643-1999)

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

export function citizenIdCheckChar(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]
  return ID_CHECK[sum % 11]
}

/** `today` ("YYYY-MM-DD", Shanghai) bounds the birth date; defaults to now. */
export function checkCitizenId(v: string | null | undefined, today?: string): string {
  const s = (v ?? '').trim().toUpperCase()
  if (!s) return '请输入身份证号'
  if (s.length !== 18) return `身份证号应为 18 位（当前 ${s.length} 位）`
  if (!/^\d{17}[\dX]$/.test(s)) return '身份证号前 17 位应为数字，末位为数字或 X'
  const y = Number(s.slice(6, 10))
  const mo = Number(s.slice(10, 12))
  const d = Number(s.slice(12, 14))
  const birth = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`
  const now = today ?? new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
  if (y < 1800 || !realYmd(y, mo, d) || birth > now) return '身份证号中的出生日期不正确'
  if (citizenIdCheckChar(s.slice(0, 17)) !== s[17]) return '身份证号校验位不正确，请核对'
  return ''
}

export const isCitizenId = (v: string | null | undefined) => checkCitizenId(v) === ''

// --- 特种作业操作证: the number is "T" + the holder's citizen ID

export const isSpecialOp = (kind: string | null | undefined) => !!kind && kind.startsWith('special_op_')

export function expectedSpecialOpNumber(citizenId: string | null | undefined): string | null {
  const id = (citizenId ?? '').trim().toUpperCase()
  return id && !isMasked(id) ? `T${id}` : null
}

// --- 焊机赋码
export function checkMachineCode(v: string | null | undefined): string {
  const s = (v ?? '').trim()
  if (!s) return '请输入焊机赋码'
  if (!/^[A-Z0-9-]{4,32}$/.test(s)) return '赋码为 4–32 位大写字母、数字或连字符'
  return ''
}

/**
 * Whether a 特种作业操作证 number fits the holder's citizen ID: "T" + the ID. With a masked ID
 * (5001**********123X) only the visible characters can be compared.
 */
export function specialOpNumberFits(number: string | null | undefined, citizenId: string | null | undefined): boolean {
  const n = (number ?? '').trim().toUpperCase()
  const id = (citizenId ?? '').trim().toUpperCase()
  if (!id) return true
  if (n.length !== id.length + 1 || n[0] !== 'T') return false
  for (let i = 0; i < id.length; i++) if (id[i] !== '*' && id[i] !== n[i + 1]) return false
  return true
}
