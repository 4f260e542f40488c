// Who is logged in: the bearer token and what the login answered, kept in localStorage so that a case page
// opened in a new tab (or a reload) stays logged in until the token expires.
import { reactive } from 'vue'

export type Role = 'applicant' | 'village_assistant' | 'township_worker' | 'county_officer' | 'provider' | 'auditor'

export interface Me {
  user_id: string
  role: Role
  jurisdiction: string
  provider_id?: string | null
  person_id?: string | null
  lead?: boolean
}

interface Session {
  token: string | null
  fullName: string
  me: Me | null
}

const KEY = 'assistflow.session'

function load(): Session {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session | null
    if (saved?.token && saved.me) return saved
  } catch {
    /* a damaged entry is the same as none */
  }
  return { token: null, fullName: '', me: null }
}

export const session = reactive<Session>(load())

export function signIn(token: string, fullName: string, me: Me): void {
  Object.assign(session, { token, fullName, me })
  localStorage.setItem(KEY, JSON.stringify(session))
}

let onSignOut: (expired: boolean) => void = () => {}
export function whenSignedOut(handler: (expired: boolean) => void): void {
  onSignOut = handler
}

export function signOut(expired = false): void {
  Object.assign(session, { token: null, fullName: '', me: null })
  localStorage.removeItem(KEY)
  onSignOut(expired)
}

export function hasRole(...roles: Role[]): boolean {
  return !!session.me && roles.includes(session.me.role)
}
