import { ElMessage } from 'element-plus'
import { isApiError } from '../shared/api'

/** Shows an error's Chinese message. A 401 is already being handled by sending the user to login. */
export function notifyError(e: unknown) {
  if (isApiError(e) && e.status === 401) return
  const msg = e instanceof Error && e.message ? e.message : '操作失败，请稍后再试'
  ElMessage({ type: 'error', message: msg, grouping: true })
}

export function notifyOk(msg: string) {
  ElMessage({ type: 'success', message: msg })
}
