import { createRouter, createWebHistory } from 'vue-router'
import { showFailToast } from 'vant'
import { api } from '../shared/api'
import { loadSession, logout, session, setSession } from '../shared/session'
import { forcedPage } from '../shared/secondFactor'
import type { Me } from '../shared/types'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    title?: string
  }
}

export const router = createRouter({
  history: createWebHistory('/m/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { public: true, title: '登录' } },
    { path: '/', name: 'home', component: () => import('./pages/HomePage.vue'), meta: { title: '首页' } },
    { path: '/password', name: 'password', component: () => import('./pages/PasswordPage.vue'), meta: { title: '修改密码' } },
    {
      path: '/second-factor',
      name: 'second-factor',
      component: () => import('./pages/SecondFactorPage.vue'),
      meta: { title: '绑定动态口令' },
    },
    { path: '/permits', name: 'permits', component: () => import('./pages/PermitListPage.vue'), meta: { title: '我的动火作业证' } },
    {
      path: '/permits/:id(\\d+)',
      name: 'permit',
      component: () => import('./pages/PermitDetailPage.vue'),
      meta: { title: '动火作业证' },
    },
    { path: '/hazards', name: 'hazards', component: () => import('./pages/HazardListPage.vue'), meta: { title: '隐患整改' } },
    { path: '/hazards/:id(\\d+)', name: 'hazard', component: () => import('./pages/HazardDetailPage.vue'), meta: { title: '隐患详情' } },
    { path: '/alerts', name: 'alerts', component: () => import('./pages/AlertListPage.vue'), meta: { title: '预警处置' } },
    { path: '/messages', name: 'messages', component: () => import('./pages/MessagesPage.vue'), meta: { title: '我的消息' } },
    // A machine's QR code points here: <origin>/m/scan?code=JF-HJ-0001 (scan-to-start).
    { path: '/scan', name: 'scan', component: () => import('./pages/ScanPage.vue'), meta: { title: '扫码开机' } },
    { path: '/patrol', name: 'grid-patrol', component: () => import('./pages/PatrolPage.vue'), meta: { title: '网格巡查' } },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.beforeEach(async (to) => {
  if (!session.loaded) {
    try {
      await loadSession()
    } catch (e) {
      showFailToast(e instanceof Error ? e.message : '网络连接失败')
    }
  }
  const me = session.me
  if (to.meta.public) return me && to.name === 'login' ? afterLogin(to.query.redirect) : true
  // Back to where the user was going after logging in (e.g. a machine's QR code).
  if (!me) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  const page = forcedRoute(me)
  if (page && to.name !== page) return { name: page }
  return true
})

/** The page a signed-in user must see before any other, if any (shared/secondFactor forcedPage, by this app's names). */
export function forcedRoute(me: Me): 'password' | 'second-factor' | null {
  const page = forcedPage(me)
  return page === 'change-password' ? 'password' : page
}

/** The back button of a page the user may have been forced onto (password change, second factor): out if forced. */
export async function leavePage(forced: boolean) {
  if (forced) {
    await logout()
    router.replace({ name: 'login' })
  } else if (window.history.state?.back) router.back()
  else router.replace({ name: 'home' })
}

/** Where to go after logging in: the `redirect` query when it is a path of this app, else home. */
export function afterLogin(redirect: unknown): string {
  return typeof redirect === 'string' && redirect.startsWith('/') && !redirect.startsWith('//') && !redirect.startsWith('/login')
    ? redirect
    : '/'
}

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 火眼` : '火眼 · 现场端'
})

api.hooks.onUnauthorized = () => {
  setSession(null)
  const cur = router.currentRoute.value
  if (cur.name !== 'login') {
    showFailToast('登录已失效，请重新登录')
    router.replace({ name: 'login', query: cur.fullPath !== '/' ? { redirect: cur.fullPath } : {} })
  }
}
api.hooks.onPasswordChangeRequired = () => {
  if (session.me) session.me.mustChangePassword = true
  router.replace({ name: 'password' })
}
api.hooks.onSecondFactorRequired = () => {
  if (session.me) session.me.mustEnrollSecondFactor = true
  router.replace({ name: 'second-factor' })
}
