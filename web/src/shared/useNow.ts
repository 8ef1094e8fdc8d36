import { onBeforeUnmount, onMounted, ref } from 'vue'

/** The current time in ms, ticking every `everyMs` while the component is mounted (for countdowns). */
export function useNow(everyMs = 1000) {
  const now = ref(Date.now())
  let timer: ReturnType<typeof setInterval> | undefined
  onMounted(() => {
    now.value = Date.now()
    timer = setInterval(() => (now.value = Date.now()), everyMs)
  })
  onBeforeUnmount(() => clearInterval(timer))
  return now
}

/** Calls `fn` every `everyMs` while the component is mounted. */
export function useEvery(everyMs: number, fn: () => void) {
  let timer: ReturnType<typeof setInterval> | undefined
  onMounted(() => (timer = setInterval(fn, everyMs)))
  onBeforeUnmount(() => clearInterval(timer))
}
