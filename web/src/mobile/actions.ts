import type { RouteLocationRaw } from 'vue-router'

// Field actions on the mobile home page. Those not built yet lead to a "coming soon" page.
export const FIELD_ACTIONS = [
  { key: 'permits', title: '我的动火作业证', icon: 'description', to: { name: 'permits' } as RouteLocationRaw },
  { key: 'scan', title: '扫码开机', icon: 'scan', to: { name: 'scan' } as RouteLocationRaw },
  { key: 'patrol', title: '监护巡查', icon: 'eye-o', to: { name: 'permits', query: { state: 'watching' } } as RouteLocationRaw },
  { key: 'hazard', title: '隐患上报', icon: 'warning-o', to: { name: 'soon', params: { what: 'hazard' } } as RouteLocationRaw },
] as const

export function actionTitle(key: string): string {
  return FIELD_ACTIONS.find((a) => a.key === key)?.title ?? '功能'
}
