import { saveBlob } from '../shared/api'
import { toCsv } from '../shared/csv'
import { importTemplateRows } from '../shared/registry'

/** Saves the certificate import template (CSV with a BOM so that Excel reads the Chinese headers as UTF-8). */
export function downloadCertTemplate() {
  saveBlob(new Blob(['\uFEFF' + toCsv(importTemplateRows())], { type: 'text/csv;charset=utf-8' }), '证书导入模板.csv')
}
