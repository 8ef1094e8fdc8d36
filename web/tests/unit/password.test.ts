import { describe, expect, it } from 'vitest'
import { checkPassword, forcedChangeReason } from '../../src/shared/password'

describe('checkPassword', () => {
  it('accepts 8+ characters with letters, digits and a symbol', () => {
    expect(checkPassword('Huoyan@2025')).toBe('')
    expect(checkPassword('a1!aaaaa')).toBe('')
    expect(checkPassword('pass word1!')).toBe('')
  })
  it('rejects short passwords', () => {
    expect(checkPassword('a1!a')).toBe('密码至少 8 位')
    expect(checkPassword('')).not.toBe('')
  })
  it('names the missing class', () => {
    expect(checkPassword('12345678!')).toBe('密码须包含字母')
    expect(checkPassword('abcdefgh!')).toBe('密码须包含数字')
    expect(checkPassword('abcd1234')).toMatch(/^密码须包含符号/)
  })
  it('does not count a space as the symbol', () => {
    expect(checkPassword('abc 12345')).toMatch(/^密码须包含符号/)
  })
  it('rejects non-ASCII and over-long passwords like the server does', () => {
    expect(checkPassword('密码abc123!')).toBe('密码只能包含字母、数字和英文符号')
    expect(checkPassword('a1!' + 'x'.repeat(130))).toBe('密码不能超过 128 位')
    expect(checkPassword('a1!' + 'x'.repeat(125))).toBe('')
  })
  it('says why a change is forced: an expired password or a first / reset one', () => {
    expect(forcedChangeReason({ passwordExpired: true })).toMatch(/超过有效期/)
    expect(forcedChangeReason({ passwordExpired: false })).toMatch(/首次登录或密码已被管理员重置/)
  })
})
