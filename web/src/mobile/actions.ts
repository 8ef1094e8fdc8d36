import type { RouteLocationRaw } from 'vue-router'
import { ALERT_SOURCES } from '../shared/alerts'
import type { Alert } from '../shared/types'

export interface FieldAction {
  key: string
  title: string
  icon: string
  /** A page of this app, or `url`: one of the console (its forms work at phone width). */
  to?: RouteLocationRaw
  url?: string
  /** Shown only to holders of this permission. */
  perm: string
}

// Field actions on the mobile home page.
export const FIELD_ACTIONS: FieldAction[] = [
  { key: 'permits', title: '我的动火作业证', icon: 'description', to: { name: 'permits' }, perm: 'permit:read' },
  { key: 'apply', title: '申请动火', icon: 'edit', url: '/permits/new', perm: 'permit:apply' },
  { key: 'scan', title: '扫码开机', icon: 'scan', to: { name: 'scan' }, perm: 'permit:read' },
  { key: 'patrol', title: '监护巡查', icon: 'eye-o', to: { name: 'permits', query: { state: 'watching' } }, perm: 'permit:watch' },
  { key: 'hazards', title: '隐患整改', icon: 'warning-o', to: { name: 'hazards' }, perm: 'hazard:rectify' },
  { key: 'alerts', title: '预警处置', icon: 'fire-o', to: { name: 'alerts' }, perm: 'alert:read' },
  { key: 'grid-patrol', title: '网格巡查', icon: 'guide-o', to: { name: 'grid-patrol' }, perm: 'inspection:write' },
]

/** The actions the holder of `permissions` sees. */
export function fieldActions(permissions: readonly string[]): FieldAction[] {
  return FIELD_ACTIONS.filter((a) => permissions.includes(a.perm))
}

/** Where a notification's link (a console path, "/permits/12") opens in this app, or null when only the console has
 * that page: permits and hazards have theirs, the alerts of a source ("/alerts?sourceType=machine"), and the
 * account's second factor and recovery codes. */
export function noticeRoute(link: string): RouteLocationRaw | null {
  const m = /^\/(permits|hazards)\/(\d+)$/.exec(link)
  if (m) return { name: m[1] === 'permits' ? 'permit' : 'hazard', params: { id: m[2] } }
  if (link === '/second-factor') return { name: 'second-factor' }
  const a = /^\/alerts\?sourceType=([a-z]+)$/.exec(link)
  return a && ALERT_SOURCES.some((s) => s.value === a[1]) ? { name: 'alerts', query: { sourceType: a[1] } } : null
}

/** The page of this app that shows an alert's source (its permit or hazard), or null. */
export function alertSourceRoute(a: Pick<Alert, 'sourceType' | 'sourceId'>): RouteLocationRaw | null {
  return (a.sourceType === 'permit' || a.sourceType === 'hazard') && /^\d+$/.test(a.sourceId)
    ? noticeRoute(`/${a.sourceType}s/${a.sourceId}`)
    : null
}
