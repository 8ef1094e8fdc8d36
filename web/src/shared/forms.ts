import { reactive } from 'vue'
import { isApiError } from './api'

/** A problem a form's own checks found before anything is sent: shown at `field`. */
export type FieldProblem = { field: string; message: string }

/**
 * Server errors for a form: an error whose `field` is one of the form's fields is shown
 * next to that field (bind `:error="errors.x"` on el-form-item); anything else goes to `toast`.
 */
export function useFormErrors<K extends string>(fields: readonly K[], toast: (msg: string) => void) {
  const errors = reactive(Object.fromEntries(fields.map((f) => [f, '']))) as Record<K, string>
  function clear() {
    for (const f of fields) errors[f] = ''
  }
  function apply(e: unknown, alias: Partial<Record<string, K>> = {}) {
    const msg = e instanceof Error ? e.message : String(e)
    if (isApiError(e) && e.field) {
      // "openingHours[2].to" falls back to its root "openingHours" when the form has no such field.
      const root = e.field.split(/[.[]/)[0]
      for (const name of [e.field, root]) {
        const f = (alias[name] ?? name) as K
        if ((fields as readonly string[]).includes(f)) {
          errors[f] = msg
          return
        }
      }
    }
    toast(msg)
  }
  return { errors, clear, apply }
}
