import { ref, type Ref } from 'vue'
import { useFormErrors, type FieldProblem } from '../shared/forms'
import { notifyError } from './notify'

/**
 * The submit step of a form dialog: the form's own checks first (each problem shown at its field, nothing sent),
 * then `send`; on success the dialog closes and `saved` gets the answer (to say so and tell the page); a server
 * error goes to its field (`alias` maps a field the server names to the one the form shows it under) or to a toast.
 * `errors` binds to each el-form-item's `:error`; call `clear()` when the dialog opens.
 */
export function useFormDialog<K extends string, R>(
  visible: Ref<boolean>,
  fields: readonly K[],
  opts: {
    check: () => FieldProblem[]
    send: () => Promise<R>
    saved: (answer: R) => void
    alias?: Partial<Record<string, K>>
  },
) {
  const { errors, clear, apply } = useFormErrors(fields, notifyError)
  const busy = ref(false)
  async function submit() {
    clear()
    const bad = opts.check()
    for (const b of bad) errors[b.field as K] = b.message
    if (bad.length) return
    busy.value = true
    try {
      const answer = await opts.send()
      visible.value = false
      opts.saved(answer)
    } catch (e) {
      apply(e, opts.alias)
    } finally {
      busy.value = false
    }
  }
  return { errors, clear, busy, submit }
}
