import { onBeforeUnmount, onMounted, ref } from 'vue'

/** True while the window is narrower than `px` (phones). */
export function useNarrow(px = 640) {
  const narrow = ref(typeof window !== 'undefined' && window.innerWidth < px)
  const measure = () => (narrow.value = window.innerWidth < px)
  onMounted(() => {
    measure()
    window.addEventListener('resize', measure)
  })
  onBeforeUnmount(() => window.removeEventListener('resize', measure))
  return narrow
}
