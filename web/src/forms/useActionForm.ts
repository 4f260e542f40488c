// One filling-in of an action's form: sends it to the API's own method and path for the action, keeps the
// API's refusal to show (its message, and each field's problem in place), and an Idempotency-Key that
// stays the same while the same request is retried after a network failure.
import { computed, ref } from 'vue'
import { send } from '../api/client'
import { Problem, fieldErrors, toProblem } from '../api/problem'
import type { AvailableAction } from '../process'
import { newKey } from '../useLoad'

export function useActionForm(action: AvailableAction, shown: string[], done: (result: unknown) => void) {
  const problem = ref<Problem | null>(null)
  const busy = ref(false)
  let key = newKey()
  const errors = computed(() => fieldErrors(problem.value ?? undefined, shown))

  async function submit(body: unknown): Promise<void> {
    busy.value = true
    try {
      const result = await send(action.method, action.path, body, key)
      problem.value = null
      done(result)
    } catch (e) {
      problem.value = e instanceof Problem ? e : toProblem(undefined, 500)
      // A refusal is final for this key (Temporal remembers a failed update): the corrected form is a new request.
      if (problem.value.status >= 400 && problem.value.status < 500) key = newKey()
    } finally {
      busy.value = false
    }
  }

  function local(message: string): void {
    problem.value = new Problem(422, 'console_check', message)
  }

  return { problem, errors, busy, submit, local }
}

export interface FormContext {
  caseId: string
  records: import('../api/client').Schemas['CaseRecords'] | null
  detail: import('../api/client').Schemas['CaseDetail']
  documents: import('../api/client').Schemas['DocumentOut'][] // the case's one-person file uploads
}
