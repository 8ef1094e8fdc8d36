// Bodies of the permit commands (docs/api-permits.md), shared by the console and the phone.
import { api } from './api'
import type { Position } from './geo'
import type { Permit, PermitMeasure } from './types'
import { wallToIso08 } from './time'

export function runCommand(permitId: number, key: string, body: object = {}): Promise<Permit> {
  return api.post<Permit>(`/api/permits/${permitId}/${key}`, body)
}

const withPos = (b: Record<string, unknown>, pos: Position | null | undefined) => {
  if (pos) {
    b.lat = pos.lat
    b.lng = pos.lng
  }
  return b
}

export function reasonBody(reason: string) {
  return { reason: reason.trim() }
}

export function noteBody(note: string) {
  return note.trim() ? { note: note.trim() } : {}
}

export function surveyBody(note: string, photos: readonly string[], pos: Position | null) {
  const b: Record<string, unknown> = {}
  if (note.trim()) b.note = note.trim()
  if (photos.length) b.photos = [...photos]
  return withPos(b, pos)
}

/** The answers as the form starts: what the permit settles (`required`) is 涉及; every other measure is left for the job leader. */
export function initialAnswers(measures: readonly PermitMeasure[]): Record<string, boolean | null> {
  return Object.fromEntries(measures.map((m) => [m.code, m.required ? true : m.applies]))
}

/** How many measures are still unanswered. */
export function unansweredMeasures(measures: readonly PermitMeasure[], answers: Record<string, boolean | null>): number {
  return measures.filter((m) => typeof answers[m.code] !== 'boolean').length
}

/** confirm-risk sends every measure of the permit, 涉及 (true) or 不涉及 (false); all must be answered (unansweredMeasures). */
export function confirmRiskBody(measures: readonly PermitMeasure[], answers: Record<string, boolean | null>, note: string) {
  const b: Record<string, unknown> = { measures: measures.map((m) => ({ code: m.code, applies: answers[m.code] === true })) }
  if (note.trim()) b.note = note.trim()
  return b
}

export function checkInBody(personId: number, pos: Position | null) {
  return withPos({ personId }, pos)
}

export interface GasForm {
  /** Beijing wall clock "YYYY-MM-DD HH:mm". */
  sampledAt: string
  gas: string
  lelPercent: number | null
  resultPercent: number | null
  analyst: string
}

export function gasBody(f: GasForm) {
  return {
    sampledAt: wallToIso08(f.sampledAt),
    gas: f.gas.trim(),
    lelPercent: f.lelPercent,
    resultPercent: f.resultPercent,
    analyst: f.analyst.trim(),
  }
}

/** Problems of the gas form before sending ('' when fine). */
export function checkGas(f: GasForm): string {
  if (!wallToIso08(f.sampledAt)) return '请选择取样时间'
  if (!f.gas.trim()) return '请填写检测气体'
  if (f.lelPercent == null || !(f.lelPercent > 0) || f.lelPercent > 100) return '爆炸下限须为 0–100 之间的百分数'
  if (f.resultPercent == null || f.resultPercent < 0 || f.resultPercent > 100) return '检测结果须为 0–100 之间的百分数'
  if (!f.analyst.trim()) return '请填写分析人'
  return ''
}

export function finishBody(photos: readonly string[]) {
  return photos.length ? { photos: [...photos] } : {}
}

/** What is missing from a round before it can be sent: an abnormal one says what was found (ROUND_NOTE_REQUIRED). */
export function checkRound(result: 'normal' | 'abnormal', note: string): string | null {
  return result === 'abnormal' && !note.trim() ? '巡查发现异常时请写明异常情况和已采取的处置' : null
}

export function roundBody(result: 'normal' | 'abnormal', note: string, photos: readonly string[], pos: Position | null) {
  const b: Record<string, unknown> = { result }
  if (note.trim()) b.note = note.trim()
  if (photos.length) b.photos = [...photos]
  return withPos(b, pos)
}

export function closeBody(siteClear: boolean, photos: readonly string[]) {
  const b: Record<string, unknown> = { siteClear }
  if (photos.length) b.photos = [...photos]
  return b
}
