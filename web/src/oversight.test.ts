import { describe, expect, it } from 'vitest'
import { complaintMoves, handles, percent, proposeBody, rectificationMoves } from './oversight'
import type { Me } from './session'

const county: Me = { user_id: 'c', role: 'county_officer', jurisdiction: '341702' }
const township: Me = { user_id: 't', role: 'township_worker', jurisdiction: '341702001' }
const other: Me = { user_id: 'o', role: 'township_worker', jurisdiction: '341702002' }
const provider: Me = { user_id: 'p', role: 'provider', jurisdiction: '341702', provider_id: 'P1' }
const complaint = { status: 'received', handler: 'township', handler_code: '341702001', county_code: '341702', provider_id: 'P1', extended: false }

describe('complaint handling offered', () => {
  it('the assigned township accepts and replies; another township does nothing', () => {
    expect(complaintMoves(township, complaint)).toEqual(['acceptance'])
    expect(complaintMoves(township, { ...complaint, status: 'accepted' })).toEqual(['reply'])
    expect(complaintMoves(other, complaint)).toEqual([])
  })
  it('the county extends once and makes the return visit', () => {
    expect(complaintMoves(county, { ...complaint, status: 'accepted' })).toEqual(['extension'])
    expect(complaintMoves(county, { ...complaint, status: 'accepted', extended: true })).toEqual([])
    expect(complaintMoves(county, { ...complaint, status: 'replied' })).toEqual(['return-visit'])
    expect(complaintMoves(county, { ...complaint, status: 'closed' })).toEqual([])
  })
  it('a provider handles only its own', () => {
    const toProvider = { ...complaint, handler: 'provider', handler_code: 'P1' }
    expect(handles(provider, toProvider)).toBe(true)
    expect(handles({ ...provider, provider_id: 'P2' }, toProvider)).toBe(false)
    expect(handles(null, toProvider)).toBe(false)
  })
})

describe('rectification steps offered', () => {
  it('the provider reports, the county verifies', () => {
    expect(rectificationMoves(provider, { status: 'open', provider_id: 'P1' })).toEqual(['report'])
    expect(rectificationMoves(provider, { status: 'submitted', provider_id: 'P1' })).toEqual([])
    expect(rectificationMoves(county, { status: 'submitted', provider_id: 'P1' })).toEqual(['verification'])
    expect(rectificationMoves(township, { status: 'submitted', provider_id: 'P1' })).toEqual([])
  })
})

describe('a proposed change', () => {
  const base = { reasons: '退出低保', facts: '2026年11月退出', effective_on: '2026-12-01', reassessment: '复评',
    items: [{ item_code: 'visit', quantity_per_month: 2 }, { item_code: '', quantity_per_month: 4 }] }
  it('a stop keeps no items and no re-assessment', () => {
    expect(proposeBody({ ...base, kind: 'stop' })).toEqual({ kind: 'stop', reasons: '退出低保', facts: '2026年11月退出', effective_on: '2026-12-01', items: [] })
  })
  it('a change keeps the chosen items; adding items carries the re-assessment', () => {
    expect(proposeBody({ ...base, kind: 'reduce' }).items).toEqual([{ item_code: 'visit', quantity_per_month: 2 }])
    expect(proposeBody({ ...base, kind: 'reduce' })).not.toHaveProperty('reassessment')
    expect(proposeBody({ ...base, kind: 'add_items' }).reassessment).toBe('复评')
  })
})

describe('percent', () => {
  it('one decimal, a dash for nothing', () => {
    expect(percent(1, 3)).toBe('33.3%')
    expect(percent(0, 0)).toBe('—')
  })
})
