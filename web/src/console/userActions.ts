import { ElMessageBox } from 'element-plus'
import { api } from '../shared/api'
import type { User } from '../shared/types'
import { notifyError, notifyOk } from './notify'

type Act = 'disable' | 'enable' | 'unlock'

const TEXT: Record<Act, { ask: string; done: string }> = {
  disable: { ask: '停用后该用户将无法登录，已登录的会话也会失效。确定停用', done: '已停用' },
  enable: { ask: '确定启用', done: '已启用' },
  unlock: { ask: '确定解除登录锁定', done: '已解锁' },
}

/** Confirms, runs the command on the user and returns the updated user (null when cancelled or failed). */
export async function runUserAction(u: User, act: Act): Promise<User | null> {
  try {
    await ElMessageBox.confirm(`${TEXT[act].ask}「${u.name}（${u.username}）」吗？`, '请确认', {
      type: act === 'disable' ? 'warning' : 'info',
      confirmButtonText: '确定',
      cancelButtonText: '取消',
    })
  } catch {
    return null
  }
  try {
    const r = await api.post<User>(`/api/users/${u.id}/${act}`)
    notifyOk(TEXT[act].done)
    return r
  } catch (e) {
    notifyError(e)
    return null
  }
}
