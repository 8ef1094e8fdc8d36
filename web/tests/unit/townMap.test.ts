import { describe, expect, it } from 'vitest'
import { growBounds, M_PER_DEG, machineLook, placeLabels, project, scaleBar, spreadMarkers, textWidth, zoomAt } from '../../src/console/townMap'

// The demo town: about 4 km east-west and 3 km north-south at 29.45°N.
const TOWN = { minLat: 29.4345, maxLat: 29.461, minLng: 106.33, maxLng: 106.371 }
const cosLat = Math.cos((((TOWN.minLat + TOWN.maxLat) / 2) * Math.PI) / 180)

describe('project', () => {
  it('fits the bounds inside the padding, north up, west left', () => {
    const p = project(TOWN, 1000, 600, 30)
    const corners = [
      [p.x(TOWN.minLng), p.y(TOWN.maxLat)],
      [p.x(TOWN.maxLng), p.y(TOWN.minLat)],
    ]
    for (const [x, y] of corners) {
      expect(x).toBeGreaterThanOrEqual(30 - 1e-6)
      expect(x).toBeLessThanOrEqual(970 + 1e-6)
      expect(y).toBeGreaterThanOrEqual(30 - 1e-6)
      expect(y).toBeLessThanOrEqual(570 + 1e-6)
    }
    expect(p.x(TOWN.maxLng)).toBeGreaterThan(p.x(TOWN.minLng))
    expect(p.y(TOWN.maxLat)).toBeLessThan(p.y(TOWN.minLat))
  })
  it('keeps the town in shape: a kilometre east is as long as a kilometre north (cos(lat) correction)', () => {
    const p = project(TOWN, 1000, 600)
    const lat = 29.45
    const lng = 106.35
    const east = p.x(lng + 1000 / (M_PER_DEG * cosLat)) - p.x(lng)
    const north = p.y(lat) - p.y(lat + 1000 / M_PER_DEG)
    expect(east).toBeCloseTo(north, 6)
    expect(p.px(1000)).toBeCloseTo(north, 6)
  })
  it('uses one scale for both axes, set by the tighter side, and centres the other', () => {
    const p = project(TOWN, 1000, 600, 0)
    const wM = (TOWN.maxLng - TOWN.minLng) * cosLat * M_PER_DEG // ≈ 3.97 km
    const hM = (TOWN.maxLat - TOWN.minLat) * M_PER_DEG // ≈ 2.95 km
    expect(p.scale).toBeCloseTo(Math.min(1000 / wM, 600 / hM), 9)
    // Height is the tighter side here: the map fills it, and the width is centred.
    expect(p.y(TOWN.maxLat)).toBeCloseTo(0, 6)
    expect(p.y(TOWN.minLat)).toBeCloseTo(600, 6)
    const left = p.x(TOWN.minLng)
    const right = p.x(TOWN.maxLng)
    expect(left).toBeGreaterThan(0)
    expect(left).toBeCloseTo(1000 - right, 6)
  })
  it('puts a single point in the middle at a sensible zoom (no division by zero)', () => {
    const one = { minLat: 29.444, maxLat: 29.444, minLng: 106.356, maxLng: 106.356 }
    const p = project(one, 400, 300, 20)
    expect(p.x(106.356)).toBeCloseTo(200, 6)
    expect(p.y(29.444)).toBeCloseTo(150, 6)
    expect(Number.isFinite(p.scale)).toBe(true)
    expect(p.px(600)).toBeCloseTo(260, 6) // the 600 m minimum span fills the 260 px inside the padding
  })
  it('grows bounds by a distance on every side', () => {
    const g = growBounds(TOWN, 200)
    expect((TOWN.minLat - g.minLat) * M_PER_DEG).toBeCloseTo(200, 6)
    expect((g.maxLng - TOWN.maxLng) * M_PER_DEG * cosLat).toBeCloseTo(200, 6)
  })
})

describe('scaleBar', () => {
  it('picks a round length near the target width', () => {
    expect(scaleBar(0.2, 100)).toMatchObject({ metres: 500, px: 100, label: '500 米' })
    expect(scaleBar(0.04, 100)).toMatchObject({ metres: 2000, label: '2 公里' })
    expect(scaleBar(1.3, 100).metres).toBe(50)
  })
})

describe('machineLook', () => {
  const m = (powerOn: boolean, severities: string[] = []) => ({
    powerOn,
    openAlerts: severities.map((severity, i) => ({ id: i, kind: 'k', kindLabel: null, severity, title: '' })),
  })
  it('shows critical over warning over powered over off', () => {
    expect(machineLook(m(false))).toBe('off')
    expect(machineLook(m(true))).toBe('working')
    expect(machineLook(m(true, ['warning']))).toBe('warning')
    expect(machineLook(m(false, ['warning', 'critical']))).toBe('critical')
    expect(machineLook(m(true, ['info']))).toBe('working')
  })
})

describe('spreadMarkers', () => {
  it('fans out markers on one spot and leaves lone ones alone', () => {
    const out = spreadMarkers([{ x: 100, y: 100 }, { x: 101, y: 100 }, { x: 100, y: 101 }, { x: 300, y: 300 }], 6, 11)
    expect(out[3]).toEqual({ x: 300, y: 300 })
    for (let i = 0; i < 3; i++) expect(Math.hypot(out[i].x - 100, out[i].y - 100)).toBeCloseTo(11, 6)
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) expect(Math.hypot(out[i].x - out[j].x, out[i].y - out[j].y)).toBeGreaterThan(12)
  })
})

describe('placeLabels', () => {
  it('puts a label right of its dot when free, elsewhere when taken, and drops it when boxed in', () => {
    const w = textWidth('金凤镇卫生院')
    expect(w).toBe(72)
    const spots = placeLabels([
      { x: 100, y: 100, w }, // A: right of its dot
      { x: 100, y: 112, w }, // B: right would cover A's label, so left
      { x: 100, y: 106, w }, // C: right covers A's label, left B's, above A's dot, below B's dot
      { x: 300, y: 100, w }, // far away: right
    ])
    expect(spots[0]).toEqual({ x: 107, y: 104, anchor: 'start' })
    expect(spots[1]).toEqual({ x: 93, y: 116, anchor: 'end' })
    expect(spots[2]).toBeNull()
    expect(spots[3]).toMatchObject({ anchor: 'start' })
  })
  it('keeps labels inside the box: a dot at the right edge gets its label on the left', () => {
    expect(placeLabels([{ x: 390, y: 100, w: 72 }], { width: 400, height: 300 })[0]).toMatchObject({ anchor: 'end' })
    expect(placeLabels([{ x: 390, y: 100, w: 72 }])[0]).toMatchObject({ anchor: 'start' })
    // Too wide for the box anywhere: no label.
    expect(placeLabels([{ x: 50, y: 50, w: 200 }], { width: 100, height: 100 })[0]).toBeNull()
  })
  it('keeps labels off markers passed as obstacles', () => {
    // A machine marker right of the dot pushes the label to the left.
    expect(placeLabels([{ x: 100, y: 100, w: 72 }], undefined, [{ x: 130, y: 100 }])[0]).toMatchObject({ anchor: 'end' })
    // …unless the label may cover markers (a venue with alerts).
    expect(placeLabels([{ x: 100, y: 100, w: 72, overObstacles: true }], undefined, [{ x: 130, y: 100 }])[0]).toMatchObject({ anchor: 'start' })
  })
  it('never lets two placed labels overlap', () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ x: 200 + (i % 5) * 30, y: 200 + Math.floor(i / 5) * 9, w: 60 }))
    const spots = placeLabels(items)
    const boxes = spots
      .map((s, i) => (s ? { s, w: items[i].w } : null))
      .filter((b): b is NonNullable<typeof b> => !!b)
      .map(({ s, w }) => {
        const x = s.anchor === 'start' ? s.x : s.anchor === 'end' ? s.x - w : s.x - w / 2
        return { x, y: s.y - 11, w, h: 14 }
      })
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]
        const b = boxes[j]
        const overlap = a.x < b.x + b.w - 1e-9 && b.x < a.x + a.w - 1e-9 && a.y < b.y + b.h - 1e-9 && b.y < a.y + a.h - 1e-9
        expect(overlap, `labels ${i} and ${j}`).toBe(false)
      }
    expect(spots.some((s) => s === null)).toBe(true)
  })
})

describe('zoomAt', () => {
  it('keeps the point under the pointer still', () => {
    const v = zoomAt({ k: 1, tx: 0, ty: 0 }, 2, 300, 200)
    expect(v.k).toBe(2)
    // The map point that was at (300, 200) is still there: 300 = tx + k * 300.
    expect(v.tx + v.k * 300).toBeCloseTo(300, 9)
    expect(v.ty + v.k * 200).toBeCloseTo(200, 9)
  })
  it('stays within the zoom limits', () => {
    expect(zoomAt({ k: 1, tx: 0, ty: 0 }, 0.5, 0, 0).k).toBe(1)
    expect(zoomAt({ k: 20, tx: 0, ty: 0 }, 2, 0, 0, 1, 24).k).toBe(24)
  })
})
