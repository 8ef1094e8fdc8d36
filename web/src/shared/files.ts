// Photos: uploaded with POST /api/files (raw body + its content type, ≤ 5 MB, JPEG/PNG/WebP) and shown from
// GET /api/files/:id (the session cookie goes along, so a plain <img src> works).
import { api, ApiError } from './api'
import type { StoredFile } from './types'

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const

export const fileUrl = (id: string) => `/api/files/${encodeURIComponent(id)}`

/** Whether a picked file can go to the server as it is (accepted type and size). */
export function uploadableAsIs(file: { type: string; size: number }): boolean {
  return (IMAGE_TYPES as readonly string[]).includes(file.type) && file.size <= MAX_UPLOAD_BYTES
}

/** The size (w, h) to scale an image to so that its longer side is at most `max`. */
export function fitWithin(w: number, h: number, max: number): { w: number; h: number } {
  const long = Math.max(w, h)
  if (long <= max || long <= 0) return { w, h }
  const k = max / long
  return { w: Math.max(1, Math.round(w * k)), h: Math.max(1, Math.round(h * k)) }
}

/**
 * A phone camera's photo is often larger than 5 MB (or HEIC): re-encode it as a JPEG of at most 1920 px
 * when the browser can decode it. Small JPEG/PNG/WebP files are sent unchanged.
 */
export async function prepareImage(file: File): Promise<Blob> {
  if (uploadableAsIs(file) && file.size <= 1.5 * 1024 * 1024) return file
  try {
    const bitmap = await createImageBitmap(file)
    const { w, h } = fitWithin(bitmap.width, bitmap.height, 1920)
    const canvas = document.createElement('canvas')
    canvas.width = w
    canvas.height = h
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, w, h)
    bitmap.close?.()
    const blob = await new Promise<Blob | null>((res) => canvas.toBlob(res, 'image/jpeg', 0.85))
    if (blob && blob.size <= MAX_UPLOAD_BYTES) return blob
  } catch {
    /* not decodable here: let the server judge the original */
  }
  if (!uploadableAsIs(file)) {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', file.size > MAX_UPLOAD_BYTES ? '照片不能超过 5 MB' : '只能上传 JPG、PNG 或 WebP 格式的照片')
  }
  return file
}

/** Uploads one photo and returns its file id. */
export async function uploadImage(file: File): Promise<string> {
  const blob = await prepareImage(file)
  const type = blob.type || file.type || 'image/jpeg'
  const r = await api.upload<StoredFile>('/api/files', blob, type)
  return r.id
}

/**
 * A signature drawn on `canvas` as a PNG data URL cut to its strokes (with a margin, on white), so that a small
 * signature fills a print's signing box; null when nothing dark was drawn.
 */
export function signatureImage(canvas: HTMLCanvasElement): string | null {
  const ctx = canvas.getContext('2d')
  if (!ctx) return null
  const { width: w, height: h } = canvas
  const px = ctx.getImageData(0, 0, w, h).data
  let [left, top, right, bottom] = [w, h, -1, -1]
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4
      if (px[i + 3] > 0 && px[i] + px[i + 1] + px[i + 2] < 600) {
        left = Math.min(left, x)
        right = Math.max(right, x)
        top = Math.min(top, y)
        bottom = Math.max(bottom, y)
      }
    }
  if (right < 0) return null
  const margin = 8
  const [cw, ch] = [right - left + 1, bottom - top + 1]
  const out = document.createElement('canvas')
  out.width = cw + 2 * margin
  out.height = ch + 2 * margin
  const o = out.getContext('2d')!
  o.fillStyle = '#fff'
  o.fillRect(0, 0, out.width, out.height)
  o.drawImage(canvas, left, top, cw, ch, margin, margin, cw, ch)
  return out.toDataURL('image/png')
}

/** A PNG data URL (a signature drawn on a canvas) as a Blob, or null when it is not one. */
export function pngDataUrlToBlob(dataUrl: string): Blob | null {
  const m = /^data:image\/png;base64,([A-Za-z0-9+/]+={0,2})$/.exec(dataUrl)
  if (!m) return null
  const bin = atob(m[1])
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return new Blob([bytes], { type: 'image/png' })
}

/** Uploads a handwritten signature (a PNG data URL from a signature pad) and returns its file id, which a step's
 * `signature` field takes. */
export async function uploadSignature(dataUrl: string): Promise<string> {
  const blob = pngDataUrlToBlob(dataUrl)
  if (!blob) throw new ApiError(400, 'INVALID_VALUE', '签名图片无效，请重写')
  return (await api.upload<StoredFile>('/api/files', blob, 'image/png')).id
}
