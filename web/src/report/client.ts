// The public pages' HTTP client: the same error handling as the console's, but never sends the session cookie
// (a reporter may also be logged in to the console in this browser; a public report is not theirs as a user).
import { ApiClient } from '../shared/api'
import { prepareImage } from '../shared/files'

export const publicApi = new ApiClient((input, init) => globalThis.fetch(input, { ...init, credentials: 'omit' }))

/** Uploads one photo to POST /api/public/files (the image itself as the body); large camera photos re-encoded first. */
export async function uploadPublicPhoto(file: File): Promise<{ id: string; blob: Blob }> {
  const blob = await prepareImage(file)
  const r = await publicApi.upload<{ id: string }>('/api/public/files', blob, blob.type || file.type || 'image/jpeg')
  return { id: r.id, blob }
}

/** Copies text; falls back to a selected textarea where the clipboard API is missing (plain http). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    /* fall back below */
  }
  const ta = document.createElement('textarea')
  ta.value = text
  ta.setAttribute('readonly', '')
  ta.style.position = 'fixed'
  ta.style.opacity = '0'
  document.body.appendChild(ta)
  ta.select()
  let ok = false
  try {
    ok = document.execCommand('copy')
  } catch {
    ok = false
  }
  ta.remove()
  return ok
}
