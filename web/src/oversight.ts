// Which handling steps the console offers on a complaint or a rectification, by the API's own rules
// (api/routes/oversight/complaints.py `_handles`/`_state`, rectifications.py): a button the API would refuse is
// not shown. The API still decides; this only keeps the page honest.
import type { Me } from './session'

export interface ComplaintLike {
  status: string
  handler: string
  handler_code: string
  county_code: string
  provider_id: string | null
  extended: boolean
}

export type ComplaintMove = 'acceptance' | 'extension' | 'reply' | 'return-visit'

export function handles(me: Me | null, c: ComplaintLike): boolean {
  if (!me) return false
  if (c.handler === 'township') return me.role === 'township_worker' && me.jurisdiction === c.handler_code
  if (c.handler === 'provider') return me.role === 'provider' && !!me.provider_id && me.provider_id === c.provider_id
  return me.role === 'county_officer' && me.jurisdiction === c.county_code
}

export function complaintMoves(me: Me | null, c: ComplaintLike): ComplaintMove[] {
  const moves: ComplaintMove[] = []
  const county = me?.role === 'county_officer' && me.jurisdiction.slice(0, 6) === c.county_code
  if (c.status === 'received' && handles(me, c)) moves.push('acceptance')
  if (c.status === 'accepted' && county && !c.extended) moves.push('extension')
  if (c.status === 'accepted' && handles(me, c)) moves.push('reply')
  if (c.status === 'replied' && county) moves.push('return-visit')
  return moves
}

export interface RectificationLike {
  status: string
  provider_id: string
}

export function rectificationMoves(me: Me | null, r: RectificationLike): ('report' | 'verification')[] {
  if (me?.role === 'provider' && me.provider_id === r.provider_id && r.status === 'open') return ['report']
  if (me?.role === 'county_officer' && r.status === 'submitted') return ['verification']
  return []
}

export interface ProposeInput {
  kind: string
  reasons: string
  facts: string
  effective_on: string
  items: { item_code: string; quantity_per_month: number }[]
  reassessment: string
}

/** The body of 拟变更或拟终止服务: a stop keeps no items; a change names every item that remains. */
export function proposeBody(f: ProposeInput): Record<string, unknown> {
  const items = f.kind === 'stop' ? [] : f.items.filter((i) => i.item_code)
  return {
    kind: f.kind, reasons: f.reasons, facts: f.facts, effective_on: f.effective_on, items,
    ...(f.kind === 'add_items' ? { reassessment: f.reassessment } : {}),
  }
}

/** A percentage as the county's reports write it (one decimal), or — when there is nothing to divide. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${(Math.round((part * 1000) / whole) / 10).toFixed(1)}%` : '—'
}
