import { describe, expect, it } from 'vitest'
import { type Process, availableActions, stepBar } from './process'
import type { Me } from './session'

const steps = [
  ['application', 1, '个人申请或主动发现', true], ['registration', 2, '受理登记', true], ['survey', 3, '入户调查', true],
  ['review', 4, '审核确认', true], ['referral', 5, '转介服务', true], ['service', 6, '开展服务', true],
  ['archiving', 7, '建立档案', true], ['settlement', 8, '资金结算', false], ['dynamic_management', 9, '动态管理', true],
  ['oversight', 10, '监督管理', false],
].map(([step, number, name_zh, holds_cases]) => ({ step, number, name_zh, holds_cases, actors: [] }) as Process['steps'][number])

const process: Process = {
  steps,
  actions: [
    { action: 'register', name_zh: '受理登记', from_steps: ['registration'], roles: ['township_worker'], method: 'POST', path: '/cases/{case_id}/registration' },
    { action: 'resubmit', name_zh: '补齐材料重新提交', from_steps: ['registration'], roles: ['township_worker', 'applicant'], method: 'POST', path: '/cases/{case_id}/resubmission' },
    { action: 'respond_referral', name_zh: '服务供给主体答复转介', from_steps: ['referral'], roles: ['provider'], method: 'POST', path: '/cases/{case_id}/referral/response' },
    { action: 'reassign', name_zh: '改派经办人', from_steps: ['registration', 'referral'], roles: ['township_worker', 'county_officer'], method: 'POST', path: '/cases/{case_id}/assignee' },
  ],
}
const worker: Me = { user_id: 'u', role: 'township_worker', jurisdiction: '341702001' }

describe('the step bar', () => {
  it('marks steps before the case as done and its own as current, in the process order', () => {
    const bar = stepBar([...steps].reverse(), 'survey', 'open')
    expect(bar.map((b) => b.step).slice(0, 4)).toEqual(['application', 'registration', 'survey', 'review'])
    expect(bar.slice(0, 4).map((b) => b.state)).toEqual(['finish', 'finish', 'process', 'wait'])
    expect(bar.find((b) => b.step === 'settlement')?.batch).toBe(true)
  })
  it('shows a case refused at review as failed there', () => {
    expect(stepBar(steps, 'review', 'closed', 'refused').find((b) => b.step === 'review')?.state).toBe('error')
    expect(stepBar(steps, 'dynamic_management', 'closed', 'stopped').find((b) => b.step === 'dynamic_management')?.state).toBe('finish')
  })
})

describe('what the user may do', () => {
  const facts = { id: 'c1', step: 'registration', status: 'open', holder_role: 'township_worker' }
  it('is the API list whenever the case carries one', () => {
    const listed = [{ action: 'survey', name_zh: '录入入户调查', method: 'POST', path: '/cases/c1/survey' }]
    expect(availableActions({ ...facts, available_actions: listed }, process, worker)).toEqual(listed)
    expect(availableActions({ ...facts, available_actions: [] }, process, worker)).toEqual([])
  })
  it('falls back to the process table by step and role, with the case id in the path', () => {
    const got = availableActions(facts, process, worker)
    expect(got.map((a) => [a.action, a.path])).toEqual([['register', '/cases/c1/registration']])
  })
  it('offers nothing on a closed case, nothing but resubmission while materials are awaited', () => {
    expect(availableActions({ ...facts, status: 'closed' }, process, worker)).toEqual([])
    const applicant: Me = { user_id: 'a', role: 'applicant', jurisdiction: '341702001001' }
    expect(availableActions({ ...facts, awaiting_applicant: true }, process, applicant).map((a) => a.action)).toEqual(['resubmit'])
  })
  it('lets only the referred provider answer, and only a lead reassign', () => {
    const provider: Me = { user_id: 'p', role: 'provider', jurisdiction: '341702', provider_id: 'P1' }
    const referral = { ...facts, step: 'referral', holder_role: 'provider', provider_id: 'P2' }
    expect(availableActions(referral, process, provider)).toEqual([])
    expect(availableActions({ ...referral, provider_id: 'P1' }, process, provider).map((a) => a.action)).toEqual(['respond_referral'])
    expect(availableActions(facts, process, { ...worker, lead: true }).map((a) => a.action)).toContain('reassign')
  })
})
