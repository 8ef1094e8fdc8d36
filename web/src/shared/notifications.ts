// In-app notifications and outgoing webhooks (docs/api-notifications.md).
import type { Page } from './types'

export interface AppNotification {
  id: number
  event: string
  eventLabel: string
  title: string
  body: string
  /** Console path, "/hazards/12". */
  link: string
  createdAt: string
  readAt: string | null
}
export interface NotificationPage extends Page<AppNotification> {
  unread: number
}

export type WebhookFormat = 'wecom' | 'dingtalk' | 'json'
export interface WebhookDeliverySummary {
  state: DeliveryState
  attempts: number
  lastStatus: number | null
  lastError: string
  createdAt: string
  sentAt: string | null
}
export interface Webhook {
  id: number
  name: string
  /** Query values masked ("key=****abcd"). */
  url: string
  format: WebhookFormat
  formatLabel: string
  /** Event keys; empty means every event. */
  events: string[]
  hasSecret: boolean
  siteUrl: string
  enabled: boolean
  createdAt: string
  updatedAt: string
  lastDelivery: WebhookDeliverySummary | null
  pending: number
}
export interface NotificationEvent {
  key: string
  label: string
}
export interface WebhookList {
  items: Webhook[]
  events: NotificationEvent[]
}
export type DeliveryState = 'pending' | 'sent' | 'failed'
export interface WebhookDelivery {
  id: number
  event: string
  eventLabel: string
  title: string
  state: DeliveryState
  attempts: number
  lastStatus: number | null
  lastError: string
  nextAttemptAt: string
  createdAt: string
  sentAt: string | null
}

export const WEBHOOK_FORMATS: { value: WebhookFormat; label: string; placeholder: string; secretHint: string }[] = [
  {
    value: 'wecom',
    label: '企业微信群机器人',
    placeholder: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
    secretHint: '企业微信机器人无需密钥',
  },
  {
    value: 'dingtalk',
    label: '钉钉群机器人',
    placeholder: 'https://oapi.dingtalk.com/robot/send?access_token=…',
    secretHint: '机器人安全设置选「加签」时填写 SEC 开头的密钥',
  },
  {
    value: 'json',
    label: '通用 JSON',
    placeholder: 'https://…',
    secretHint: '填写后每条消息带 X-Huoyan-Signature（HMAC-SHA256）',
  },
]

export const DELIVERY_STATES: Record<DeliveryState, { label: string; type: 'success' | 'warning' | 'danger' }> = {
  sent: { label: '已送达', type: 'success' },
  pending: { label: '待发送', type: 'warning' },
  failed: { label: '发送失败', type: 'danger' },
}

/** The console route a notification opens, or null when its link is not a console path (never another site). */
export function notificationRoute(link: string): string | null {
  if (!link.startsWith('/') || link.startsWith('//') || link.includes('\\')) return null
  return link
}

/** 订阅事件 in words: "全部事件" or the labels, in catalogue order. */
export function eventsSummary(events: string[], catalogue: NotificationEvent[]): string {
  if (!events.length) return '全部事件'
  return catalogue.filter((e) => events.includes(e.key)).map((e) => e.label.replace(/（.*）$/, '')).join('、')
}
