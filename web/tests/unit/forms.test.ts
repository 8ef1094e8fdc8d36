import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../src/shared/api'
import { useFormErrors } from '../../src/shared/forms'

describe('useFormErrors', () => {
  it('puts an error with a known field next to that field, not in a toast', () => {
    const toast = vi.fn()
    const f = useFormErrors(['username', 'phone'] as const, toast)
    f.apply(new ApiError(409, 'USERNAME_TAKEN', '用户名已被使用', 'username'))
    expect(f.errors.username).toBe('用户名已被使用')
    expect(f.errors.phone).toBe('')
    expect(toast).not.toHaveBeenCalled()
    f.clear()
    expect(f.errors.username).toBe('')
  })
  it('toasts errors without a field or with a field the form does not have', () => {
    const toast = vi.fn()
    const f = useFormErrors(['name'] as const, toast)
    f.apply(new ApiError(403, 'FORBIDDEN', '无权限'))
    f.apply(new ApiError(400, 'UNKNOWN_FIELD', '未知字段', 'foo'))
    expect(toast.mock.calls.map((c) => c[0])).toEqual(['无权限', '未知字段'])
  })
  it('maps server field names through an alias', () => {
    const f = useFormErrors(['password'] as const, vi.fn())
    f.apply(new ApiError(400, 'PASSWORD_WEAK', '密码太弱', 'newPassword'), { newPassword: 'password' })
    expect(f.errors.password).toBe('密码太弱')
  })
})

describe('useFormErrors with nested field paths', () => {
  it('puts "openingHours[2].to" next to openingHours', () => {
    const toast = vi.fn()
    const f = useFormErrors(['openingHours', 'name'] as const, toast)
    f.apply(new ApiError(400, 'INVALID_VALUE', '营业时间不正确', 'openingHours[2].to'))
    expect(f.errors.openingHours).toBe('营业时间不正确')
    f.apply(new ApiError(400, 'INVALID_VALUE', '坐标不正确', 'location.lat'))
    expect(toast).toHaveBeenCalledWith('坐标不正确')
  })
})
