// One filling-in of a form outside the case's actions (oversight, roster, administration): sends it to a fixed
// method and path with an Idempotency-Key that stays the same while the same request is retried, and keeps the
// API's refusal to show (the Chinese message, each field's problem in place). useActionForm is this for a case
// action, whose method and path come from the API's available_actions.
import { computed, ref } from 'vue'
import { send } from './api/client'
import { Problem, fieldErrors, toProblem } from './api/problem'
import { newKey } from './useLoad'

export function useSubmit<T = unknown>(shown: string[], done: (result: T) => void) {
  const problem = ref<Problem | null>(null)
  const busy = ref(false)
  let key = newKey()
  const errors = computed(() => fieldErrors(problem.value ?? undefined, shown))

  async function submit(method: string, path: string, body: unknown): Promise<boolean> {
    busy.value = true
    try {
      const result = await send<T>(method, path, body, key)
      problem.value = null
      key = newKey() // the next filling-in is a new request
      done(result)
      return true
    } catch (e) {
      problem.value = e instanceof Problem ? e : toProblem(undefined, 500)
      if (problem.value.status >= 400 && problem.value.status < 500) key = newKey()
      return false
    } finally {
      busy.value = false
    }
  }

  function local(message: string): void {
    problem.value = new Problem(422, 'console_check', message)
  }

  function clear(): void {
    problem.value = null
  }

  return { problem, errors, busy, submit, local, clear }
}
