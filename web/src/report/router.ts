import { createRouter, createWebHistory } from 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    title?: string
  }
}

// Served by the server for any /r/... path without a file extension (dist/r/index.html).
export const router = createRouter({
  history: createWebHistory('/r/'),
  routes: [
    { path: '/', name: 'home', component: () => import('./pages/HomePage.vue'), meta: { title: '消防隐患举报' } },
    // A venue's QR code (poster, venue card) points here.
    { path: '/v/:token', name: 'report', component: () => import('./pages/ReportPage.vue'), meta: { title: '举报消防隐患' } },
    { path: '/done/:code', name: 'done', component: () => import('./pages/DonePage.vue'), meta: { title: '举报已提交' } },
    { path: '/t', name: 'track-input', component: () => import('./pages/TrackPage.vue'), meta: { title: '查询举报进度' } },
    { path: '/t/:code', name: 'track', component: () => import('./pages/TrackPage.vue'), meta: { title: '举报进度' } },
    // 双随机、一公开: the published draws.
    { path: '/draws', name: 'draws', component: () => import('./pages/DrawsPage.vue'), meta: { title: '双随机抽查结果公开' } },
    // 警示曝光: published enforcement cases, de-identified.
    { path: '/exposures', name: 'exposures', component: () => import('./pages/ExposuresPage.vue'), meta: { title: '消防安全曝光台' } },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
  scrollBehavior: () => ({ top: 0 }),
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 火眼` : '火眼 · 消防隐患举报'
})
