import { describe, expect, it } from 'vitest'
import { type Process, availableActions, stepBar } from './process'

const steps = [
  ['application', 1, '个人申请或主动发现', true], ['registration', 2, '受理登记', true], ['survey', 3, '入户调查', true],
  ['review', 4, '审核确认', true], ['referral', 5, '转介服务', true], ['service', 6, '开展服务', true],
  ['archiving', 7, '建立档案', true], ['settlement', 8, '资金结算', false], ['dynamic_management', 9, '动态管理', true],
  ['oversight', 10, '监督管理', false],
].map(([step, number, name_zh, holds_cases]) => ({ step, number, name_zh, holds_cases, actors: [] }) as Process['steps'][number])

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
  it('is exactly the list the API gives with the case', () => {
    const listed = [{ action: 'survey', name_zh: '录入入户调查', method: 'POST', path: '/cases/c1/survey' }]
    expect(availableActions({ available_actions: listed })).toEqual(listed)
    expect(availableActions({ available_actions: [] })).toEqual([])
    expect(availableActions({})).toEqual([])
  })
})

