// Loading a page's data: the value, a loading flag, and the API's refusal when it fails.
import { ref, type Ref } from 'vue'
import { Problem, toProblem } from './api/problem'

export function useLoad<T>(fetcher: () => Promise<T>, initial: T): {
  data: Ref<T>
  loading: Ref<boolean>
  problem: Ref<Problem | null>
  reload: () => Promise<void>
} {
  const data = ref(initial) as Ref<T>
  const loading = ref(false)
  const problem = ref<Problem | null>(null)
  async function reload(): Promise<void> {
    loading.value = true
    try {
      data.value = await fetcher()
      problem.value = null
    } catch (e) {
      problem.value = e instanceof Problem ? e : toProblem(undefined, 500)
    } finally {
      loading.value = false
    }
  }
  return { data, loading, problem, reload }
}

/** A fresh Idempotency-Key for one filling-in of a form: resubmitting the same form is done once. */
export function newKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(16).slice(2)}`
}
