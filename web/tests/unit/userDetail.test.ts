import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import ElementPlus from 'element-plus'
import { api, ApiError } from '../../src/shared/api'
import { session } from '../../src/shared/session'
import UserDetailPage from '../../src/console/pages/UserDetailPage.vue'

async function mountAt(path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/users/:id', component: UserDetailPage },
      { path: '/users', component: { template: '<div />' } },
    ],
  })
  router.push(path)
  await router.isReady()
  const w = mount(UserDetailPage, { global: { plugins: [ElementPlus, router] } })
  await flushPromises()
  return w
}

afterEach(() => vi.restoreAllMocks())

describe('UserDetailPage', () => {
  it('shows the out-of-scope state when the API answers 404', async () => {
    session.me = null
    const get = vi.spyOn(api, 'get').mockRejectedValue(new ApiError(404, 'NOT_FOUND', '记录不存在'))
    const w = await mountAt('/users/42')
    expect(get).toHaveBeenCalledWith('/api/users/42')
    expect(w.text()).toContain('未找到该记录（不存在或不在您的数据范围内）')
    expect(w.find('[data-test="user-detail"]').exists()).toBe(false)
  })

  it('shows the user when found', async () => {
    vi.spyOn(api, 'get').mockResolvedValue({
      id: 5, username: 'zhangsan', name: '张三', phone: '138****1234', orgUnitId: 2, orgUnitName: '商贸发展岗',
      roleId: 2, roleKey: 'officer', roleName: '行业岗位', status: 'active', lockedUntil: null,
      mustChangePassword: false, lastLoginAt: '2026-11-22T04:10:02Z', createdAt: '2026-11-01T00:00:00Z',
    })
    const w = await mountAt('/users/5')
    expect(w.text()).toContain('张三')
    expect(w.text()).toContain('商贸发展岗')
    expect(w.text()).toContain('2026-11-22 12:10')
    expect(w.text()).not.toContain('未找到该记录')
  })
})
