// The 预警地图 without map tiles (the product runs offline): lat/lng projected into an SVG box, equirectangular
// with the longitude shrunk by cos(latitude) so a town keeps its shape, and marker colours by machine state.
import type { MapBounds, MapMachine } from '../shared/types'

/** Metres per degree of latitude (and of longitude at the equator). */
export const M_PER_DEG = 111_320
/** The smallest area shown (metres across), so one venue alone is not blown up to the whole box. */
const MIN_SPAN_M = 600

export interface Projection {
  /** SVG x of a longitude. */
  x: (lng: number) => number
  /** SVG y of a latitude (north up). */
  y: (lat: number) => number
  /** Pixels for a distance in metres. */
  px: (metres: number) => number
  /** Pixels per metre. */
  scale: number
}

/** Bounds grown by `metres` on every side (room for the geofence circles of the outermost venues). */
export function growBounds(b: MapBounds, metres: number): MapBounds {
  const dLat = metres / M_PER_DEG
  const dLng = metres / (M_PER_DEG * Math.cos((((b.minLat + b.maxLat) / 2) * Math.PI) / 180))
  return { minLat: b.minLat - dLat, maxLat: b.maxLat + dLat, minLng: b.minLng - dLng, maxLng: b.maxLng + dLng }
}

/**
 * Fits `b` into a `width`×`height` box with `pad` pixels on each side, the same scale on both axes, centred.
 * The area is at least MIN_SPAN_M across so a single point sits in the middle at a sensible zoom.
 */
export function project(b: MapBounds, width: number, height: number, pad = 32): Projection {
  const lat0 = (b.minLat + b.maxLat) / 2
  const lng0 = (b.minLng + b.maxLng) / 2
  const cos = Math.cos((lat0 * Math.PI) / 180)
  // Extent in metres on the ground.
  const wM = Math.max((b.maxLng - b.minLng) * cos * M_PER_DEG, MIN_SPAN_M)
  const hM = Math.max((b.maxLat - b.minLat) * M_PER_DEG, MIN_SPAN_M)
  const scale = Math.max(Math.min((width - 2 * pad) / wM, (height - 2 * pad) / hM), 1e-9)
  const cx = width / 2
  const cy = height / 2
  return {
    x: (lng) => cx + (lng - lng0) * cos * M_PER_DEG * scale,
    y: (lat) => cy - (lat - lat0) * M_PER_DEG * scale,
    px: (m) => m * scale,
    scale,
  }
}

/** A scale bar: a round length in metres (1, 2 or 5 × 10ⁿ) about `targetPx` long, and its pixels. */
export function scaleBar(scale: number, targetPx = 100): { metres: number; px: number; label: string } {
  const raw = targetPx / scale
  const pow = 10 ** Math.floor(Math.log10(raw))
  const metres = [5, 2, 1].map((k) => k * pow).find((m) => m <= raw) ?? pow
  return { metres, px: metres * scale, label: metres >= 1000 ? `${metres / 1000} 公里` : `${metres} 米` }
}

export type MachineLook = 'critical' | 'warning' | 'working' | 'off'

export const MACHINE_LOOKS: { key: MachineLook; label: string; color: string }[] = [
  { key: 'critical', label: '严重预警', color: '#e5484d' },
  { key: 'warning', label: '警告预警', color: '#f5a524' },
  { key: 'working', label: '通电作业中', color: '#2f7ff5' },
  { key: 'off', label: '未通电', color: '#9aa4b2' },
]

/** How a machine is drawn: an open critical alert first, then a warning, then powered, else off. */
export function machineLook(m: Pick<MapMachine, 'powerOn' | 'openAlerts'>): MachineLook {
  if (m.openAlerts.some((a) => a.severity === 'critical')) return 'critical'
  if (m.openAlerts.some((a) => a.severity === 'warning')) return 'warning'
  return m.powerOn ? 'working' : 'off'
}

export const lookColor = (k: MachineLook) => MACHINE_LOOKS.find((l) => l.key === k)!.color

export interface Pt {
  x: number
  y: number
}

/**
 * Markers that would sit on top of each other (within `near` px, e.g. several machines at one venue) fanned out on a
 * small ring around their common spot, in input order; lone markers stay where they are.
 */
export function spreadMarkers(points: readonly Pt[], near = 6, ring = 11): Pt[] {
  const out = points.map((p) => ({ ...p }))
  const done = new Set<number>()
  points.forEach((p, i) => {
    if (done.has(i)) return
    const group = points.map((_, j) => j).filter((j) => !done.has(j) && Math.hypot(points[j].x - p.x, points[j].y - p.y) <= near)
    group.forEach((j) => done.add(j))
    if (group.length < 2) return
    const r = Math.max(ring, (group.length * 14) / (2 * Math.PI))
    group.forEach((j, k) => {
      const a = -Math.PI / 2 + (2 * Math.PI * k) / group.length
      out[j] = { x: p.x + r * Math.cos(a), y: p.y + r * Math.sin(a) }
    })
  })
  return out
}

/** Rough width of a label: CJK characters a full em, others about 0.6 em. */
export function textWidth(s: string, size = 12): number {
  let w = 0
  for (const ch of s) w += /[\u2E80-\uFFEF]/.test(ch) ? size : size * 0.6
  return w
}

export interface LabelSpot {
  x: number
  y: number
  anchor: 'start' | 'end' | 'middle'
}

interface Box {
  x: number
  y: number
  w: number
  h: number
}
const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

/**
 * Greedy label placement: each label (in priority order) takes the first of right / left / above / below its dot
 * where it stays inside the box (when given) and covers no earlier label, no dot and no obstacle (12 px markers,
 * e.g. machines; items with `overObstacles` may cover those); null when none is free (the label shows on hover).
 */
export function placeLabels(
  items: readonly { x: number; y: number; w: number; overObstacles?: boolean }[],
  box?: { width: number; height: number },
  obstacles: readonly Pt[] = [],
  h = 14,
  gap = 7,
): (LabelSpot | null)[] {
  const inside = (b: Box) => !box || (b.x >= 0 && b.y >= 0 && b.x + b.w <= box.width && b.y + b.h <= box.height)
  const blocks: Box[] = obstacles.map((p) => ({ x: p.x - 6, y: p.y - 6, w: 12, h: 12 }))
  const placed: Box[] = []
  const dots: Box[] = items.map((p) => ({ x: p.x - 4, y: p.y - 4, w: 8, h: 8 }))
  return items.map((p, i) => {
    const tries: [Box, LabelSpot][] = [
      [{ x: p.x + gap, y: p.y - h / 2, w: p.w, h }, { x: p.x + gap, y: p.y + h / 2 - 3, anchor: 'start' }],
      [{ x: p.x - gap - p.w, y: p.y - h / 2, w: p.w, h }, { x: p.x - gap, y: p.y + h / 2 - 3, anchor: 'end' }],
      [{ x: p.x - p.w / 2, y: p.y - gap - h, w: p.w, h }, { x: p.x, y: p.y - gap - 3, anchor: 'middle' }],
      [{ x: p.x - p.w / 2, y: p.y + gap, w: p.w, h }, { x: p.x, y: p.y + gap + h - 3, anchor: 'middle' }],
    ]
    for (const [b, spot] of tries) {
      if (!inside(b) || placed.some((o) => overlaps(o, b)) || dots.some((d, j) => j !== i && overlaps(d, b))) continue
      if (!p.overObstacles && blocks.some((o) => overlaps(o, b))) continue
      placed.push(b)
      return spot
    }
    return null
  })
}

export interface View {
  k: number
  tx: number
  ty: number
}

/** The view zoomed by `factor` around the screen point (mx, my), the zoom kept within [min, max]. */
export function zoomAt(v: View, factor: number, mx: number, my: number, min = 1, max = 24): View {
  const k = Math.min(max, Math.max(min, v.k * factor))
  const f = k / v.k
  return { k, tx: mx - (mx - v.tx) * f, ty: my - (my - v.ty) * f }
}
