import { describe, expect, it } from 'vitest'
import { checkCode, forcedPage, groupSecret } from '../../src/shared/secondFactor'

describe('second factor', () => {
  it('takes six digits only', () => {
    expect(checkCode('')).toBe('请输入 6 位动态口令')
    expect(checkCode(' 012345 ')).toBe('')
    expect(checkCode('12345')).toBe('动态口令为 6 位数字')
    expect(checkCode('12345a')).toBe('动态口令为 6 位数字')
    expect(checkCode('1234567')).toBe('动态口令为 6 位数字')
  })

  it('sends a forced password change first, then the set-up, else nowhere', () => {
    expect(forcedPage({ mustChangePassword: true, mustEnrollSecondFactor: true })).toBe('change-password')
    expect(forcedPage({ mustChangePassword: false, mustEnrollSecondFactor: true })).toBe('second-factor')
    expect(forcedPage({ mustChangePassword: false, mustEnrollSecondFactor: false })).toBeNull()
  })

  it('groups a secret by four for typing', () => {
    expect(groupSecret('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')).toBe('ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567')
    expect(groupSecret('ABCDEF')).toBe('ABCD EF')
    expect(groupSecret('')).toBe('')
  })
})
