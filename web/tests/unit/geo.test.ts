import { afterEach, describe, expect, it, vi } from 'vitest'
import { locate, positionErrorMessage } from '../../src/shared/geo'

afterEach(() => vi.unstubAllGlobals())

function stubGeo(impl: (ok: PositionCallback, fail: PositionErrorCallback, opts?: PositionOptions) => void) {
  const getCurrentPosition = vi.fn(impl)
  vi.stubGlobal('navigator', { geolocation: { getCurrentPosition } })
  return getCurrentPosition
}

describe('locate', () => {
  it('asks for a fresh, high-accuracy fix and rounds it', async () => {
    const g = stubGeo((ok) => ok({ coords: { latitude: 29.44400012, longitude: 106.3559999, accuracy: 12 } } as GeolocationPosition))
    await expect(locate(10_000)).resolves.toEqual({ lat: 29.444, lng: 106.356, accuracy: 12 })
    expect(g.mock.calls[0][2]).toEqual({ enableHighAccuracy: true, timeout: 10_000, maximumAge: 0 })
  })
  it('says in Chinese why there is no position', async () => {
    stubGeo((_, fail) => fail({ code: 1 } as GeolocationPositionError))
    await expect(locate()).rejects.toThrow('定位权限被拒绝')
    stubGeo((_, fail) => fail({ code: 3 } as GeolocationPositionError))
    await expect(locate()).rejects.toThrow('超时')
    vi.stubGlobal('navigator', {})
    await expect(locate()).rejects.toThrow('不支持定位')
    expect(positionErrorMessage(2)).toMatch('定位服务')
  })
  it('explains that plain http gets no position', async () => {
    stubGeo((ok) => ok({ coords: { latitude: 1, longitude: 2, accuracy: 3 } } as GeolocationPosition))
    vi.stubGlobal('isSecureContext', false)
    await expect(locate()).rejects.toThrow('https')
  })
})
