import { reactive } from 'vue'
import { api, isApiError } from './api'
import type { Me, MeResponse } from './types'

export const session = reactive({
  me: null as Me | null,
  loaded: false,
})

export function setSession(r: MeResponse | null) {
  session.me = r ? r.user : null
  api.csrfToken = r ? r.csrfToken : ''
  session.loaded = true
}

/** Reads the current session from the server; resolves to null when not logged in. */
export async function loadSession(): Promise<Me | null> {
  try {
    setSession(await api.get<MeResponse>('/api/auth/me', undefined, { quiet401: true }))
  } catch (e) {
    if (isApiError(e) && e.status === 401) setSession(null)
    else {
      session.loaded = true
      throw e
    }
  }
  return session.me
}

export function hasPerm(perm: string): boolean {
  return !!session.me?.permissions.includes(perm)
}

export async function logout() {
  try {
    await api.post('/api/auth/logout')
  } catch {
    /* the session may already be gone; leave anyway */
  }
  setSession(null)
}
