import { ElMessageBox } from 'element-plus'
import { api } from '../shared/api'
import type { User } from '../shared/types'
import { notifyError, notifyOk } from './notify'

export type UserAct = 'disable' | 'enable' | 'unlock' | 'second-factor'

const TEXT: Record<UserAct, { ask: string; done: string }> = {
  disable: { ask: '停用后该用户将无法登录，已登录的会话也会失效。确定停用', done: '已停用' },
  enable: { ask: '确定启用', done: '已启用' },
  unlock: { ask: '确定解除登录锁定', done: '已解锁' },
  'second-factor': {
    ask: '重置后该用户已登录的会话将失效，原验证器上的口令不再有效；其角色要求动态口令的，下次登录须重新绑定。确定重置动态口令',
    done: '已重置动态口令',
  },
}

/** Confirms, runs the command on the user and returns the updated user (null when cancelled or failed). */
export async function runUserAction(u: User, act: UserAct): Promise<User | null> {
  try {
    await ElMessageBox.confirm(`${TEXT[act].ask}「${u.name}（${u.username}）」吗？`, '请确认', {
      type: act === 'disable' || act === 'second-factor' ? 'warning' : 'info',
      confirmButtonText: '确定',
      cancelButtonText: '取消',
    })
  } catch {
    return null
  }
  try {
    const path = `/api/users/${u.id}/${act}`
    const r = act === 'second-factor' ? await api.del<User>(path) : await api.post<User>(path)
    notifyOk(TEXT[act].done)
    return r
  } catch (e) {
    notifyError(e)
    return null
  }
}
