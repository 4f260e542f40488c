import { describe, expect, it } from 'vitest'
import { fieldErrors, toProblem } from './problem'
import { fileName } from './client'

describe('the API refusals', () => {
  it('keeps the code and the Chinese message', () => {
    const p = toProblem({ code: 'not_eligible', message: '不符合服务类社会救助对象条件', details: null }, 422)
    expect([p.status, p.code, p.message]).toEqual([422, 'not_eligible', '不符合服务类社会救助对象条件'])
  })
  it('says something a person understands when the server gives no body', () => {
    expect(toProblem(undefined, 503).message).toBe('系统暂时不可用，请稍后重试')
    expect(toProblem(undefined, 0).message).toContain('无法连接服务器')
  })
  it('puts each field error under the field the form shows, the deepest match first', () => {
    const p = toProblem({
      code: 'invalid_input', message: '填写内容有误', details: [
        { field: 'person.id_number', problem: '内容不符合要求', reason: '身份证号码校验位错误，请核对' },
        { field: 'assessments.3.score', problem: '内容不符合要求', reason: 'Input should be less than or equal to 4' },
        { field: '', problem: '内容不符合要求', reason: 'the two surveyors must be different people' },
      ],
    }, 422)
    const { byField, rest } = fieldErrors(p, ['person', 'person.id_number', 'assessments'])
    expect(byField['person.id_number']).toBe('身份证号码校验位错误，请核对')
    expect(byField.person).toBeUndefined()
    expect(byField.assessments).toBe('内容不符合要求') // an English reason is not shown to a case worker
    expect(rest).toEqual(['内容不符合要求'])
  })
  it('reads the Chinese file name of a download', () => {
    expect(fileName(`attachment; filename="export.xlsx"; filename*=UTF-8''%E6%A1%88%E4%BB%B6.xlsx`)).toBe('案件.xlsx')
    expect(fileName('attachment; filename="JS202603.csv"')).toBe('JS202603.csv')
    expect(fileName(null)).toBeUndefined()
  })
})
