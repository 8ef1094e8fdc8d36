import { describe, expect, it, vi } from 'vitest'
import { fileUrl, fitWithin, pngDataUrlToBlob, uploadableAsIs } from '../../src/shared/files'
import { ApiClient } from '../../src/shared/api'

describe('photos', () => {
  it('sends small JPEG/PNG/WebP files as they are', () => {
    expect(uploadableAsIs({ type: 'image/jpeg', size: 1000 })).toBe(true)
    expect(uploadableAsIs({ type: 'image/heic', size: 1000 })).toBe(false)
    expect(uploadableAsIs({ type: 'image/png', size: 6 * 1024 * 1024 })).toBe(false)
  })
  it('scales the longer side down to the limit, keeping the shape', () => {
    expect(fitWithin(4032, 3024, 1920)).toEqual({ w: 1920, h: 1440 })
    expect(fitWithin(3024, 4032, 1920)).toEqual({ w: 1440, h: 1920 })
    expect(fitWithin(800, 600, 1920)).toEqual({ w: 800, h: 600 })
  })
  it('shows a photo from GET /api/files/:id', () => {
    expect(fileUrl('ab12')).toBe('/api/files/ab12')
  })
})

describe('signatures', () => {
  it('turns the PNG data URL a signature pad gives into the bytes to upload', async () => {
    const blob = pngDataUrlToBlob('data:image/png;base64,iVBORw0KGgo=')!
    expect(blob.type).toBe('image/png')
    const bytes = await new Promise<ArrayBuffer>((resolve) => {
      const r = new FileReader() // jsdom's Blob has no arrayBuffer()
      r.onload = () => resolve(r.result as ArrayBuffer)
      r.readAsArrayBuffer(blob)
    })
    expect([...new Uint8Array(bytes)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  })
  it('takes nothing else', () => {
    for (const url of ['', 'data:image/jpeg;base64,/9j/', 'data:image/png,iVBOR', 'data:image/png;base64,iV BOR', 'https://x/a.png', 'data:image/png;base64,'])
      expect(pngDataUrlToBlob(url)).toBeNull()
  })
})

describe('ApiClient.upload', () => {
  it('POSTs the raw body with its content type and the CSRF token, and reads the answer', async () => {
    const calls: { url: string; init: RequestInit }[] = []
    const fetchFn = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(url), init: init ?? {} })
      return new Response(JSON.stringify({ id: 'f1', contentType: 'image/png', size: 3 }), { status: 201 })
    })
    const api = new ApiClient(fetchFn as unknown as typeof fetch)
    api.csrfToken = 'tok'
    const blob = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' })
    const r = await api.upload<{ id: string }>('/api/files', blob, 'image/png')
    expect(r.id).toBe('f1')
    const h = calls[0].init.headers as Record<string, string>
    expect(calls[0].init.method).toBe('POST')
    expect(h['Content-Type']).toBe('image/png')
    expect(h['X-CSRF-Token']).toBe('tok')
    expect(calls[0].init.body).toBe(blob)
  })
  it('turns a refusal into an ApiError with the server’s message', async () => {
    const fetchFn = vi.fn(async () => new Response(JSON.stringify({ code: 'UNSUPPORTED_MEDIA_TYPE', message: '只能上传图片', field: null }), { status: 415 }))
    const api = new ApiClient(fetchFn as unknown as typeof fetch)
    await expect(api.upload('/api/files', new Blob(['x']), 'image/png')).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: '只能上传图片' })
  })
})
