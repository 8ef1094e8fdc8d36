import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { api } from '../shared/api'
import { loadSession, session, setSession } from '../shared/session'
import { notifyError } from './notify'
import { forcedPage } from '../shared/secondFactor'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    bare?: boolean
    perm?: string
    title?: string
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { public: true, title: '登录' } },
  {
    path: '/change-password',
    name: 'change-password',
    component: () => import('./pages/ChangePasswordPage.vue'),
    meta: { bare: true, title: '修改密码' },
  },
  {
    path: '/second-factor',
    name: 'second-factor',
    component: () => import('./pages/SecondFactorPage.vue'),
    meta: { bare: true, title: '绑定动态口令' },
  },
  {
    path: '/',
    component: () => import('./ConsoleLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('./pages/HomePage.vue'), meta: { title: '首页' } },
      { path: 'venues', name: 'venues', component: () => import('./pages/VenuesPage.vue'), meta: { perm: 'venue:read', title: '场所管理' } },
      {
        path: 'venues/:id(\\d+)',
        name: 'venue-detail',
        component: () => import('./pages/VenueDetailPage.vue'),
        meta: { perm: 'venue:read', title: '场所详情' },
      },
      {
        path: 'permits/board',
        name: 'permit-board',
        component: () => import('./pages/PermitBoardPage.vue'),
        meta: { perm: 'permit:read', title: '今日看板' },
      },
      { path: 'permits', name: 'permits', component: () => import('./pages/PermitsPage.vue'), meta: { perm: 'permit:read', title: '动火作业证' } },
      {
        path: 'permits/new',
        name: 'permit-new',
        component: () => import('./pages/PermitFormPage.vue'),
        meta: { perm: 'permit:apply', title: '申请动火' },
      },
      {
        path: 'permits/:id(\\d+)/edit',
        name: 'permit-edit',
        component: () => import('./pages/PermitFormPage.vue'),
        meta: { perm: 'permit:apply', title: '修改动火申请' },
      },
      {
        path: 'permits/:id(\\d+)',
        name: 'permit-detail',
        component: () => import('./pages/PermitDetailPage.vue'),
        meta: { perm: 'permit:read', title: '动火作业证' },
      },
      { path: 'alerts', name: 'alerts', component: () => import('./pages/AlertsPage.vue'), meta: { perm: 'alert:read', title: '预警处置' } },
      {
        path: 'alerts/map',
        name: 'alert-map',
        component: () => import('./pages/AlertMapPage.vue'),
        meta: { perm: 'alert:read', title: '预警地图' },
      },
      { path: 'hazards', name: 'hazards', component: () => import('./pages/HazardsPage.vue'), meta: { perm: 'hazard:read', title: '隐患台账' } },
      {
        path: 'hazards/:id(\\d+)',
        name: 'hazard-detail',
        component: () => import('./pages/HazardDetailPage.vue'),
        meta: { perm: 'hazard:read', title: '隐患详情' },
      },
      { path: 'campaigns', name: 'campaigns', component: () => import('./pages/CampaignsPage.vue'), meta: { perm: 'campaign:read', title: '专项行动' } },
      {
        path: 'campaigns/:id(\\d+)',
        name: 'campaign-detail',
        component: () => import('./pages/CampaignDetailPage.vue'),
        meta: { perm: 'campaign:read', title: '专项行动详情' },
      },
      {
        path: 'small-projects',
        name: 'small-projects',
        component: () => import('./pages/SmallProjectsPage.vue'),
        meta: { perm: 'project:read', title: '小型工程备案' },
      },
      {
        path: 'small-projects/:id(\\d+)',
        name: 'small-project-detail',
        component: () => import('./pages/SmallProjectDetailPage.vue'),
        meta: { perm: 'project:read', title: '备案详情' },
      },
      { path: 'market', name: 'market', component: () => import('./pages/MarketPage.vue'), meta: { perm: 'market:read', title: '供需对接' } },
      {
        path: 'market/:id(\\d+)',
        name: 'market-detail',
        component: () => import('./pages/MarketRequestDetailPage.vue'),
        meta: { perm: 'market:read', title: '需求详情' },
      },
      { path: 'retrofits', name: 'retrofits', component: () => import('./pages/RetrofitsPage.vue'), meta: { perm: 'retrofit:read', title: '焊机改造' } },
      {
        path: 'retrofits/:id(\\d+)',
        name: 'retrofit-detail',
        component: () => import('./pages/RetrofitDetailPage.vue'),
        meta: { perm: 'retrofit:read', title: '改造申请详情' },
      },
      { path: 'meetings', name: 'meetings', component: () => import('./pages/MeetingsPage.vue'), meta: { perm: 'meeting:read', title: '培训与约谈' } },
      {
        path: 'meetings/:id(\\d+)',
        name: 'meeting-detail',
        component: () => import('./pages/MeetingDetailPage.vue'),
        meta: { perm: 'meeting:read', title: '记录详情' },
      },
      { path: 'cases', name: 'cases', component: () => import('./pages/CasesPage.vue'), meta: { perm: 'case:read', title: '执法案件' } },
      {
        path: 'cases/:id(\\d+)',
        name: 'case-detail',
        component: () => import('./pages/CaseDetailPage.vue'),
        meta: { perm: 'case:read', title: '案件详情' },
      },
      {
        path: 'credit-marks',
        name: 'credit-marks',
        component: () => import('./pages/CreditMarksPage.vue'),
        meta: { perm: 'case:read', title: '失信联合惩戒' },
      },
      { path: 'reports', name: 'reports', component: () => import('./pages/ReportsPage.vue'), meta: { perm: 'report:triage', title: '群众举报' } },
      {
        path: 'reports/:id(\\d+)',
        name: 'report-detail',
        component: () => import('./pages/ReportDetailPage.vue'),
        meta: { perm: 'report:triage', title: '举报详情' },
      },
      {
        path: 'inspections',
        name: 'inspections',
        component: () => import('./pages/InspectionsPage.vue'),
        meta: { perm: 'inspection:read', title: '监督检查' },
      },
      {
        path: 'inspections/:id(\\d+)',
        name: 'inspection-detail',
        component: () => import('./pages/InspectionDetailPage.vue'),
        meta: { perm: 'inspection:read', title: '检查详情' },
      },
      { path: 'draws', name: 'draws', component: () => import('./pages/DrawsPage.vue'), meta: { perm: 'inspection:read', title: '双随机抽查' } },
      {
        path: 'draws/:id(\\d+)',
        name: 'draw-detail',
        component: () => import('./pages/DrawDetailPage.vue'),
        meta: { perm: 'inspection:read', title: '抽查详情' },
      },
      {
        path: 'checklists',
        name: 'checklists',
        component: () => import('./pages/ChecklistsPage.vue'),
        meta: { perm: 'rule:write', title: '检查表模板' },
      },
      { path: 'units', name: 'units', component: () => import('./pages/UnitsPage.vue'), meta: { perm: 'unit:read', title: '单位管理' } },
      { path: 'people', name: 'people', component: () => import('./pages/PeoplePage.vue'), meta: { perm: 'person:read', title: '人员与证书' } },
      {
        path: 'people/:id(\\d+)',
        name: 'person-detail',
        component: () => import('./pages/PersonDetailPage.vue'),
        meta: { perm: 'person:read', title: '人员详情' },
      },
      {
        path: 'certificates',
        name: 'certificates',
        component: () => import('./pages/CertificatesPage.vue'),
        meta: { perm: 'person:read', title: '证书数据库' },
      },
      { path: 'machines', name: 'machines', component: () => import('./pages/MachinesPage.vue'), meta: { perm: 'machine:read', title: '焊机管理' } },
      { path: 'rules', name: 'rules', component: () => import('./pages/RulesPage.vue'), meta: { perm: 'rule:read', title: '规则设置' } },
      { path: 'users', name: 'users', component: () => import('./pages/UsersPage.vue'), meta: { perm: 'user:read', title: '用户管理' } },
      {
        path: 'users/:id(\\d+)',
        name: 'user-detail',
        component: () => import('./pages/UserDetailPage.vue'),
        meta: { perm: 'user:read', title: '用户详情' },
      },
      { path: 'org-units', name: 'org-units', component: () => import('./pages/OrgUnitsPage.vue'), meta: { perm: 'org:read', title: '组织机构' } },
      { path: 'roles', name: 'roles', component: () => import('./pages/RolesPage.vue'), meta: { perm: 'role:read', title: '角色权限' } },
      {
        path: 'security-policy',
        name: 'security-policy',
        component: () => import('./pages/SecurityPolicyPage.vue'),
        meta: { perm: 'security:write', title: '安全策略' },
      },
      { path: 'dicts', name: 'dicts', component: () => import('./pages/DictsPage.vue'), meta: { perm: 'dict:read', title: '数据字典' } },
      { path: 'audit-logs', name: 'audit-logs', component: () => import('./pages/AuditLogsPage.vue'), meta: { perm: 'audit:read', title: '审计日志' } },
      { path: 'login-logs', name: 'login-logs', component: () => import('./pages/LoginLogsPage.vue'), meta: { perm: 'loginlog:read', title: '登录日志' } },
      { path: 'notifications', name: 'notifications', component: () => import('./pages/NotificationsPage.vue'), meta: { title: '我的消息' } },
      { path: 'webhooks', name: 'webhooks', component: () => import('./pages/WebhooksPage.vue'), meta: { perm: 'webhook:write', title: '消息推送' } },
      { path: 'api-tokens', name: 'api-tokens', component: () => import('./pages/ApiTokensPage.vue'), meta: { perm: 'token:write', title: '接口令牌' } },
      { path: 'backups', name: 'backups', component: () => import('./pages/BackupsPage.vue'), meta: { perm: 'backup:write', title: '数据备份' } },
      { path: ':rest(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue'), meta: { title: '页面不存在' } },
    ],
  },
]

export const router = createRouter({ history: createWebHistory('/'), routes })

router.beforeEach(async (to) => {
  if (!session.loaded) {
    try {
      await loadSession()
    } catch (e) {
      notifyError(e)
    }
  }
  const me = session.me
  if (to.meta.public) return me && to.name === 'login' ? { path: '/' } : true
  if (!me) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  const page = forcedPage(me)
  if (page && to.name !== page) return { name: page }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 火眼` : '火眼 · 动火作业全过程监管平台'
})

// Session expired mid-use: back to login, remembering where the user was.
api.hooks.onUnauthorized = () => {
  const cur = router.currentRoute.value
  setSession(null)
  if (cur.name !== 'login') {
    router.replace({ name: 'login', query: { redirect: cur.fullPath, expired: '1' } })
  }
}
api.hooks.onPasswordChangeRequired = () => {
  if (session.me) session.me.mustChangePassword = true
  router.replace({ name: 'change-password' })
}
api.hooks.onSecondFactorRequired = () => {
  if (session.me) session.me.mustEnrollSecondFactor = true
  router.replace({ name: 'second-factor' })
}
