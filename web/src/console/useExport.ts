import { ref } from 'vue'
import { api, saveBlob, type Query } from '../shared/api'
import { notifyError } from './notify'

/**
 * A ledger's 导出 Excel button: `run()` downloads `path` with the query of the moment and saves it under the server's
 * file name (`fallbackName` when it gives none); `exporting` is true meanwhile.
 */
export function useExport(path: string, query: () => Query, fallbackName: string) {
  const exporting = ref(false)
  async function run() {
    exporting.value = true
    try {
      const { blob, filename } = await api.download(path, query())
      saveBlob(blob, filename ?? fallbackName)
    } catch (e) {
      notifyError(e)
    } finally {
      exporting.value = false
    }
  }
  return { exporting, run }
}
