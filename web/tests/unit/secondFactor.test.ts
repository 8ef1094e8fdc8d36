import { describe, expect, it } from 'vitest'
import { checkCode, checkRecoveryCode, forcedPage, groupSecret, normalizeRecoveryCode, recoveryCodesHint, recoveryCodesText } from '../../src/shared/secondFactor'

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

describe('recovery codes', () => {
  it('are read as the server reads them: any case, with or without the dash or spaces', () => {
    expect(normalizeRecoveryCode('ABCDE-23456')).toBe('ABCDE23456')
    expect(normalizeRecoveryCode(' abcde 23456 ')).toBe('ABCDE23456')
    expect(normalizeRecoveryCode('abcde23456')).toBe('ABCDE23456')
  })
  it('are ten characters without 0, 1, I or O', () => {
    for (const bad of ['ABCDE-2345', 'ABCDE-234567', 'ABCDE-2345O', 'ABCDE-23451', 'ABCDI-23456', '123456', ''])
      expect(normalizeRecoveryCode(bad)).toBeNull()
  })
  it('say what is wrong before anything is sent', () => {
    expect(checkRecoveryCode('  ')).toBe('请输入恢复码')
    expect(checkRecoveryCode('123456')).toMatch(/10 位/)
    expect(checkRecoveryCode('abcde-23456')).toBe('')
  })
  it('are kept as a text naming the account, with one code a line', () => {
    const text = recoveryCodesText(['ABCDE-23456', 'FGHJK-78923'], 'zhangsan', '2026-12-07 09:00')
    const lines = text.split('\n')
    expect(lines[0]).toContain('zhangsan')
    expect(lines[0]).toContain('2026-12-07 09:00')
    expect(lines).toContain('ABCDE-23456')
    expect(lines).toContain('FGHJK-78923')
  })
  it('says what to do about the recovery codes: renew the rest, or make the first ten', () => {
    expect(recoveryCodesHint(9)).toMatch(/重新生成 10 个（原有的即作废）/)
    expect(recoveryCodesHint(0)).toMatch(/^手机不在身边时要靠恢复码登录，请凭验证器上当前的口令生成 10 个。$/)
  })
})
