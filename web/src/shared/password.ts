// The numbers (how many recent passwords, how many days) are the security policy's (GET /api/security-policy).
export const PASSWORD_RULE_TEXT = '至少 8 位，须同时包含字母、数字和符号，不能与近期使用过的密码相同'

/** Why the user must change the password before anything else (the server: mustChangePassword, passwordExpired). */
export const forcedChangeReason = (me: { passwordExpired?: boolean }) =>
  me.passwordExpired ? '密码已超过有效期未修改，请设置新密码后再使用系统。' : '首次登录或密码已被管理员重置，请先设置新密码后再使用系统。'

/**
 * The server's password rule (src/domain/validate.cpp): 8–128 ASCII characters with a letter,
 * a digit and a symbol. Returns '' when fine, else a Chinese message. The server checks again.
 */
export function checkPassword(pw: string): string {
  if (!pw) return '请输入新密码'
  if (pw.length < 8) return '密码至少 8 位'
  if (pw.length > 128) return '密码不能超过 128 位'
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(pw)) return '密码不能包含控制字符'
  if (/[^\u0000-\u007f]/.test(pw)) return '密码只能包含字母、数字和英文符号'
  if (!/[A-Za-z]/.test(pw)) return '密码须包含字母'
  if (!/[0-9]/.test(pw)) return '密码须包含数字'
  if (!/[!-/:-@[-`{-~]/.test(pw)) return '密码须包含符号（如 @ # ! 等）'
  return ''
}
