// The phone's current position for survey, check-in and rounds: optional, never blocks a command.

export interface Position {
  lat: number
  lng: number
  accuracy: number | null
}

/** Resolves to the current position, or null when the browser has none, the user refuses or it takes too long. */
export function currentPosition(timeoutMs = 8000): Promise<Position | null> {
  const geo = typeof navigator !== 'undefined' ? navigator.geolocation : undefined
  if (!geo) return Promise.resolve(null)
  return new Promise((resolve) => {
    let done = false
    const finish = (p: Position | null) => {
      if (done) return
      done = true
      resolve(p)
    }
    const timer = setTimeout(() => finish(null), timeoutMs + 500)
    try {
      geo.getCurrentPosition(
        (pos) => {
          clearTimeout(timer)
          finish({ lat: round6(pos.coords.latitude), lng: round6(pos.coords.longitude), accuracy: pos.coords.accuracy ?? null })
        },
        () => {
          clearTimeout(timer)
          finish(null)
        },
        { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
      )
    } catch {
      clearTimeout(timer)
      finish(null)
    }
  })
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6

/** "29.440200, 106.361500" or '—'. */
export function formatPosition(lat: number | null | undefined, lng: number | null | undefined): string {
  if (lat == null || lng == null) return '—'
  return `${lat.toFixed(6)}, ${lng.toFixed(6)}`
}
