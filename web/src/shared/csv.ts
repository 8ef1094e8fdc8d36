// A small RFC 4180 CSV reader/writer: quoted fields with "" escapes, commas and line breaks inside quotes,
// CRLF or LF, a leading UTF-8 BOM. Enough for the certificate import template and what Excel/WPS save.

export function parseCsv(text: string): string[][] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  const endField = () => {
    row.push(field)
    field = ''
  }
  const endRow = () => {
    endField()
    rows.push(row)
    row = []
  }
  while (i < s.length) {
    const c = s[i]
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        i++
        continue
      }
      field += c
      i++
      continue
    }
    if (c === '"' && field === '') {
      quoted = true
      i++
    } else if (c === ',') {
      endField()
      i++
    } else if (c === '\r') {
      endRow()
      i += s[i + 1] === '\n' ? 2 : 1
    } else if (c === '\n') {
      endRow()
      i++
    } else {
      field += c
      i++
    }
  }
  // Last line without a line break (a file ending in one produces no extra row).
  if (field !== '' || row.length || quoted) endRow()
  return rows
}

function quote(v: string): string {
  return /[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

/** Rows -> CSV text with CRLF line ends (what Excel expects). */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return rows.map((r) => r.map((v) => quote(v == null ? '' : String(v))).join(',')).join('\r\n') + '\r\n'
}

/** Whether every cell of a row is blank. */
export const isBlankRow = (r: readonly unknown[]) => r.every((v) => v == null || String(v).trim() === '')
