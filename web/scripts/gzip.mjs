// Writes a .gz next to every compressible build file over 1 KB; the C++ server serves them precompressed.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync, constants } from 'node:zlib'

const root = new URL('../dist/', import.meta.url).pathname
const exts = ['.js', '.css', '.html', '.svg', '.json']
let count = 0

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    const st = statSync(path)
    if (st.isDirectory()) walk(path)
    else if (exts.some((e) => name.endsWith(e)) && st.size > 1024) {
      writeFileSync(path + '.gz', gzipSync(readFileSync(path), { level: constants.Z_BEST_COMPRESSION }))
      count++
    }
  }
}

walk(root)
console.log(`gzip: wrote ${count} .gz files under dist/`)
