import { describe, expect, it } from 'vitest'
import {
  checkCitizenId,
  checkCreditCode,
  checkMachineCode,
  checkPhone,
  citizenIdCheckChar,
  creditCodeCheckChar,
  expectedSpecialOpNumber,
  isCitizenId,
  isCreditCode,
  isMasked,
  isRealDate,
  isSpecialOp,
  specialOpNumberFits,
} from '../../src/shared/validators'

describe('统一社会信用代码 (GB 32100)', () => {
  it('accepts codes whose check character is right', () => {
    expect(isCreditCode('91350100M000100Y43')).toBe(true)
    expect(isCreditCode('911101080828461726')).toBe(true)
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3')
    expect(creditCodeCheckChar('91110108082846172')).toBe('6')
  })
  it('accepts lower case input (the form upper-cases it) and surrounding blanks', () => {
    expect(isCreditCode(' 91350100m000100y43 ')).toBe(true)
  })
  it('rejects a wrong check character', () => {
    expect(isCreditCode('91350100M000100Y44')).toBe(false)
    expect(checkCreditCode('91350100M000100Y44')).toMatch(/校验位/)
  })
  it('rejects wrong lengths and letters outside the alphabet (I O Z S V)', () => {
    expect(checkCreditCode('')).toMatch(/请输入/)
    expect(checkCreditCode('91350100M000100Y4')).toMatch(/18 位/)
    expect(checkCreditCode('91350100I000100Y43')).toMatch(/无效字符「I」/)
    expect(creditCodeCheckChar('91350100O000100Y4')).toBeNull()
  })
  it('uses the check value 0 when the sum is a multiple of 31', () => {
    // (31 - 0) % 31 = 0 -> "0": 17 zeros sum to 0.
    expect(creditCodeCheckChar('0'.repeat(17))).toBe('0')
  })
})

describe('公民身份号码 (GB 11643)', () => {
  it('accepts valid numbers, with X as the check character', () => {
    expect(isCitizenId('11010519491231002X')).toBe(true)
    expect(isCitizenId('11010519491231002x')).toBe(true)
    expect(isCitizenId('440524188001010014')).toBe(true)
    expect(citizenIdCheckChar('11010519491231002')).toBe('X')
    expect(citizenIdCheckChar('44052418800101001')).toBe('4')
  })
  it('rejects a wrong check digit', () => {
    expect(checkCitizenId('110105194912310021')).toMatch(/校验位/)
    expect(checkCitizenId('440524188001010015')).toMatch(/校验位/)
  })
  it('rejects a birth date that does not exist or lies in the future', () => {
    // 1949-02-30 does not exist; 17 digits recomputed so only the date is wrong.
    const feb30 = '11010519490230002'
    expect(checkCitizenId(feb30 + citizenIdCheckChar(feb30))).toMatch(/出生日期/)
    const future = '11010520990101002'
    expect(checkCitizenId(future + citizenIdCheckChar(future), '2026-01-01')).toMatch(/出生日期/)
    const leap = '11010520000229002'
    expect(checkCitizenId(leap + citizenIdCheckChar(leap), '2026-01-01')).toBe('')
    const noLeap = '11010519000229002'
    expect(checkCitizenId(noLeap + citizenIdCheckChar(noLeap))).toMatch(/出生日期/)
  })
  it('rejects wrong lengths and characters', () => {
    expect(checkCitizenId('')).toMatch(/请输入/)
    expect(checkCitizenId('11010519491231002')).toMatch(/18 位/)
    expect(checkCitizenId('1101051949123100XX')).toMatch(/前 17 位/)
  })
})

describe('other checks', () => {
  it('phone numbers', () => {
    expect(checkPhone('13900000001')).toBe('')
    expect(checkPhone('12900000001')).toMatch(/格式/)
    expect(checkPhone('1390000000')).toMatch(/格式/)
    expect(checkPhone('', false)).toBe('')
    expect(checkPhone('')).toMatch(/请输入/)
  })
  it('real dates', () => {
    expect(isRealDate('2024-02-29')).toBe(true)
    expect(isRealDate('2025-02-29')).toBe(false)
    expect(isRealDate('2025-13-01')).toBe(false)
    expect(isRealDate('2025-1-01')).toBe(false)
  })
  it('masked values and special operation numbers', () => {
    expect(isMasked('139****0001')).toBe(true)
    expect(isMasked('13900000001')).toBe(false)
    expect(isSpecialOp('special_op_fusion')).toBe(true)
    expect(isSpecialOp('construction_welder')).toBe(false)
    expect(expectedSpecialOpNumber('11010519491231002x')).toBe('T11010519491231002X')
    expect(expectedSpecialOpNumber('5001**********123X')).toBeNull()
  })
  it('machine codes', () => {
    expect(checkMachineCode('HJ-0001')).toBe('')
    expect(checkMachineCode('hj-0001')).toMatch(/大写/)
    expect(checkMachineCode('AB1')).toMatch(/4–32/)
  })
})

describe('specialOpNumberFits', () => {
  it('compares T + citizen ID, or only the visible characters of a masked ID', () => {
    expect(specialOpNumberFits('T11010519491231002X', '11010519491231002X')).toBe(true)
    expect(specialOpNumberFits('t11010519491231002x', '11010519491231002X')).toBe(true)
    expect(specialOpNumberFits('11010519491231002X', '11010519491231002X')).toBe(false)
    expect(specialOpNumberFits('T440524188001010014', '11010519491231002X')).toBe(false)
    expect(specialOpNumberFits('T11010519491231002X', '1101**********002X')).toBe(true)
    expect(specialOpNumberFits('T44010519491231002X', '1101**********002X')).toBe(false)
    expect(specialOpNumberFits('anything', '')).toBe(true)
  })
})
