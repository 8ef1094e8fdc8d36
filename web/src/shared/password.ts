export const PASSWORD_RULE_TEXT = '至少 8 位，须同时包含字母、数字和符号'

/** Checks the password rule; returns '' when fine, else a Chinese message. The server checks again. */
export function checkPassword(pw: string): string {
  if (!pw) return '请输入新密码'
  if (pw.length < 8) return '密码至少 8 位'
  if (pw.length > 64) return '密码不能超过 64 位'
  if (/\s/.test(pw)) return '密码不能包含空格'
  if (!/[A-Za-z]/.test(pw)) return '密码须包含字母'
  if (!/[0-9]/.test(pw)) return '密码须包含数字'
  if (!/[^A-Za-z0-9]/.test(pw)) return '密码须包含符号（如 @ # ! 等）'
  return ''
}
