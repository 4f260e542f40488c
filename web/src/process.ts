// The process as the API declares it (`GET /process`): the step bar of a case, and the actions a user may take.
import { api, must } from './api/client'
import type { Me } from './session'

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

export interface CaseFacts {
  id: string
  step: string
  status: string
  provider_id?: string | null
  awaiting_applicant?: boolean
  deadline_suspended?: boolean
  deadline_extended?: boolean
  due_on?: string | null
  blocked_reason?: string | null
  holder_role?: string | null
  available_actions?: AvailableAction[] | null
}

/**
 * What this user may do now. The API's `available_actions` (derived from the table the workflow runs) is
 * the answer whenever the case carries it. DEVELOPMENT FALLBACK, until that field lands on main: a
 * conservative reading of the same table from `GET /process`; the workflow still refuses anything wrong.
 */
export function availableActions(c: CaseFacts, process: Process | null, me: Me | null): AvailableAction[] {
  if (Array.isArray(c.available_actions)) return c.available_actions
  if (!process || !me || c.status !== 'open') return []
  const waiting = !!c.awaiting_applicant
  return process.actions
    .filter((a) => a.from_steps.includes(c.step) && a.roles.includes(me.role))
    .filter((a) => {
      if (waiting && !['resubmit', 'withdraw', 'extend_deadline', 'retry_blocked'].includes(a.action)) return false
      if (me.role === 'provider' && c.provider_id !== me.provider_id) return false
      switch (a.action) {
        case 'resubmit': return waiting
        case 'suspend_deadline': return !!c.due_on && !c.deadline_suspended
        case 'resume_deadline': return !!c.deadline_suspended && !waiting
        case 'extend_deadline': return !!c.due_on && !c.deadline_extended
        case 'reassign': return (me.role === 'county_officer' || !!me.lead) && c.holder_role === 'township_worker'
        case 'retry_blocked': return !!c.blocked_reason
        default: return true
      }
    })
    .map((a) => ({ action: a.action, name_zh: a.name_zh, method: a.method, path: a.path.replace('{case_id}', c.id) }))
}
