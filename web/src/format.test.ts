import { describe, expect, it } from 'vitest'
import { chinaToday, dueState, dueText, zhDate, zhMoney, zhTime } from './format'

describe('Chinese dates and numbers', () => {
  it('writes a calendar date the Chinese way, never shifted by a time zone', () => {
    expect(zhDate('2026-01-05')).toBe('2026年1月5日')
    expect(zhDate(null)).toBe('—')
  })
  it('shows instants on China time whatever the browser zone', () => {
    expect(zhTime('2026-11-27T17:30:00Z')).toBe('2026/11/28 01:30')
  })
  it('takes today as the date in China', () => {
    expect(chinaToday(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01')
    expect(chinaToday(new Date('2026-12-31T15:59:00Z'))).toBe('2026-12-31')
  })
  it('formats money in yuan', () => {
    expect(zhMoney('1234.5')).toBe('¥1,234.50')
  })
})

describe('due dates', () => {
  const today = '2026-11-27'
  it('is overdue only after the due day', () => {
    expect(dueState('2026-11-26', false, today)).toBe('overdue')
    expect(dueState('2026-11-27', false, today)).toBe('soon')
    expect(dueText('2026-11-20', false, today)).toBe('已逾期7天')
    expect(dueText('2026-11-27', false, today)).toBe('今天到期')
  })
  it('is due soon within three days, across a month end', () => {
    expect(dueState('2026-11-30', false, today)).toBe('soon')
    expect(dueState('2026-12-01', false, today)).toBe('ok')
    expect(dueState('2027-01-01', false, '2026-12-30')).toBe('soon')
  })
  it('a suspended deadline is neither overdue nor due', () => {
    expect(dueState('2026-11-01', true, today)).toBe('suspended')
    expect(dueText(null, false, today)).toBe('无时限')
  })
})
