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
