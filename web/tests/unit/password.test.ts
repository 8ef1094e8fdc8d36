import { describe, expect, it } from 'vitest'
import { checkPassword } from '../../src/shared/password'

describe('checkPassword', () => {
  it('accepts 8+ characters with letters, digits and a symbol', () => {
    expect(checkPassword('Huoyan@2025')).toBe('')
    expect(checkPassword('a1!aaaaa')).toBe('')
    expect(checkPassword('密码abc123!')).toBe('')
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
  it('rejects spaces and over-long passwords', () => {
    expect(checkPassword('abc 1234!')).toBe('密码不能包含空格')
    expect(checkPassword('a1!' + 'x'.repeat(70))).toBe('密码不能超过 64 位')
  })
})
