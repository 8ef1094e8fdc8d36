// Field actions on the mobile home page. They lead to a "coming soon" page until each is built.
export const FIELD_ACTIONS = [
  { key: 'permits', title: '我的动火作业证', icon: 'description' },
  { key: 'scan', title: '扫码开机', icon: 'scan' },
  { key: 'patrol', title: '监护巡查', icon: 'eye-o' },
  { key: 'hazard', title: '隐患上报', icon: 'warning-o' },
] as const

export function actionTitle(key: string): string {
  return FIELD_ACTIONS.find((a) => a.key === key)?.title ?? '功能'
}
