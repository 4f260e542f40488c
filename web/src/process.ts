// The process as the API declares it (`GET /process`): the step bar of a case, and the actions a user may take.
import { api, must } from './api/client'

export interface ProcessStep {
  step: string
  number: number
  name_zh: string
  actors: string[]
  holds_cases: boolean
}

export interface ProcessAction {
  action: string
  name_zh: string
  from_steps: string[]
  roles: string[]
  method: string
  path: string
}

export interface Process {
  steps: ProcessStep[]
  actions: ProcessAction[]
}

export interface AvailableAction {
  action: string
  name_zh: string
  method: string
  path: string
}

let cached: Promise<Process> | null = null

export function loadProcess(): Promise<Process> {
  cached ??= must(api.GET('/process')).then((p) => p as unknown as Process).catch((e) => {
    cached = null
    throw e
  })
  return cached
}

export type StepState = 'finish' | 'process' | 'wait' | 'error'

export interface BarItem {
  step: string
  number: number
  title: string
  state: StepState
  batch: boolean // a step that acts on many cases at once (settlement, oversight), not a place a case waits
}

/**
 * The step bar of one case: every step of the process in order; those before the case's step are done, the
 * case's own is current (or failed, for a case closed without services), the rest wait. A case in service
 * has passed settlement's place in the order too: settlement runs for it every month.
 */
export function stepBar(steps: ProcessStep[], current: string, status: string, outcome?: string | null): BarItem[] {
  const ordered = [...steps].sort((a, b) => a.number - b.number)
  const here = ordered.find((s) => s.step === current)?.number ?? 0
  const failed = status === 'closed' && !!outcome && outcome !== 'stopped'
  return ordered.map((s) => {
    let state: StepState = 'wait'
    if (s.number < here) state = 'finish'
    else if (s.number === here) state = failed ? 'error' : status === 'closed' ? 'finish' : 'process'
    return { step: s.step, number: s.number, title: s.name_zh, state, batch: !s.holds_cases }
  })
}

/** What this user may do now: the case's `available_actions`, derived by the API from the table the workflow
 * runs. The console never works this out itself. */
export function availableActions(c: { available_actions?: AvailableAction[] | null }): AvailableAction[] {
  return c.available_actions ?? []
}
