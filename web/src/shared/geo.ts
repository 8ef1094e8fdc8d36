// The phone's current position: optional for survey, check-in and rounds; required to scan a machine on.

export interface Position {
  lat: number
  lng: number
  accuracy: number | null
}

/** Why the browser gave no position, in words for the user (GeolocationPositionError.code; 0: no geolocation, 4: not https). */
export function positionErrorMessage(code: number): string {
  if (code === 1) return '无法获取位置：定位权限被拒绝。请在浏览器或系统设置中允许本网站使用位置信息，然后重试。'
  if (code === 2) return '无法获取位置：请打开手机的定位服务（GPS），到室外或窗边后重试。'
  if (code === 3) return '获取位置超时：请到开阔处、确认已打开定位服务后重试。'
  if (code === 4) return '浏览器只在安全连接（https://）下提供定位，请通过 https 地址打开本平台。'
  return '当前浏览器不支持定位，请用手机浏览器或微信打开本页。'
}

/** The current position; rejects with an Error carrying a Chinese message when there is none. */
export function locate(timeoutMs = 10_000, maximumAge = 0): Promise<Position> {
  const geo = typeof navigator !== 'undefined' ? navigator.geolocation : undefined
  // Browsers give no position to pages over plain http (except localhost): say so rather than "refused".
  if (typeof window !== 'undefined' && window.isSecureContext === false) return Promise.reject(new Error(positionErrorMessage(4)))
  if (!geo) return Promise.reject(new Error(positionErrorMessage(0)))
  return new Promise((resolve, reject) => {
    let done = false
    const finish = (p: Position | null, code = 3) => {
      if (done) return
      done = true
      clearTimeout(timer)
      if (p) resolve(p)
      else reject(new Error(positionErrorMessage(code)))
    }
    // Some browsers never call back when the permission prompt is ignored.
    const timer = setTimeout(() => finish(null, 3), timeoutMs + 500)
    try {
      geo.getCurrentPosition(
        (pos) => finish({ lat: round6(pos.coords.latitude), lng: round6(pos.coords.longitude), accuracy: pos.coords.accuracy ?? null }),
        (err) => finish(null, err?.code ?? 2),
        { enableHighAccuracy: true, timeout: timeoutMs, maximumAge },
      )
    } catch {
      finish(null, 0)
    }
  })
}

/** Resolves to the current position, or null when the browser has none, the user refuses or it takes too long. */
export function currentPosition(timeoutMs = 8000): Promise<Position | null> {
  return locate(timeoutMs, 60_000).catch(() => null)
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6

/** "29.440200, 106.361500" or '—'. */
export function formatPosition(lat: number | null | undefined, lng: number | null | undefined): string {
  if (lat == null || lng == null) return '—'
  return `${lat.toFixed(6)}, ${lng.toFixed(6)}`
}
