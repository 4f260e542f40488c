import { afterEach, describe, expect, it } from 'vitest'
import { allowed, routes } from './router'
import { session } from './session'

const as = (role: string, lead = false): void => {
  Object.assign(session, { token: 't', fullName: '', me: { user_id: 'u', role, jurisdiction: '341702001', lead } })
}

describe('who sees a page', () => {
  afterEach(() => Object.assign(session, { token: null, fullName: '', me: null }))
  const users = routes.find((r) => r.path === '/admin/users')!.meta!

  it('user management: county officers and township leads, not other township workers', () => {
    as('county_officer')
    expect(allowed(users.roles, users.leads)).toBe(true)
    as('township_worker', true)
    expect(allowed(users.roles, users.leads)).toBe(true)
    as('township_worker')
    expect(allowed(users.roles, users.leads)).toBe(false)
  })
  it('a provider finds its oversight pages under 服务供给, never under 监督管理', () => {
    as('provider')
    const mine = routes.filter((r) => r.meta?.menu && allowed(r.meta.roles, r.meta.leads)).map((r) => r.meta!.menu)
    expect(mine).toContain('服务供给')
    expect(mine).not.toContain('监督管理')
  })
})
