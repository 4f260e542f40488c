// Chinese dates and numbers, on China time whatever the browser's zone, and the due-date states of a task.

const ZONE = 'Asia/Shanghai'
const dateFmt = new Intl.DateTimeFormat('zh-CN', { timeZone: ZONE, year: 'numeric', month: 'long', day: 'numeric' })
const timeFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
})
const isoFmt = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
const intFmt = new Intl.NumberFormat('zh-CN')
const moneyFmt = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' })
const decFmt = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 })

/** A calendar date (`2026-11-27`) as `2026年11月27日`; the date is the API's, never shifted by a zone. */
export function zhDate(iso: string | null | undefined): string {
  if (!iso) return '—'
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number)
  return `${y}年${m}月${d}日`
}

/** An instant as China time: `2026/11/27 09:30`. */
export function zhTime(iso: string | null | undefined): string {
  return iso ? timeFmt.format(new Date(iso)) : '—'
}

export function zhDay(iso: string | null | undefined): string {
  return iso ? dateFmt.format(new Date(iso)) : '—'
}

export const zhInt = (n: number | null | undefined): string => (n == null ? '—' : intFmt.format(n))
export const zhMoney = (v: string | number | null | undefined): string => (v == null ? '—' : moneyFmt.format(Number(v)))
export const zhDecimal = (v: number | null | undefined): string => (v == null ? '—' : decFmt.format(v))

/** Today's date in China (`YYYY-MM-DD`), the day the API counts deadlines by. */
export function chinaToday(now: Date = new Date()): string {
  return isoFmt.format(now)
}

function days(from: string, to: string): number {
  return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / 86_400_000)
}

export type DueState = 'overdue' | 'soon' | 'ok' | 'none' | 'suspended'

/**
 * How urgent a due date is today: overdue after the due date (the API counts the due day itself as still
 * in time), due soon within `soonDays` calendar days, suspended while the clock stops for the applicant.
 */
export function dueState(
  due: string | null | undefined, suspended = false, today = chinaToday(), soonDays = 3,
): DueState {
  if (suspended) return 'suspended'
  if (!due) return 'none'
  const left = days(today, due.slice(0, 10))
  if (left < 0) return 'overdue'
  if (left <= soonDays) return 'soon'
  return 'ok'
}

export function dueText(due: string | null | undefined, suspended = false, today = chinaToday()): string {
  const state = dueState(due, suspended, today)
  if (state === 'suspended') return '已暂停计时'
  if (state === 'none' || !due) return '无时限'
  const left = days(today, due.slice(0, 10))
  if (left < 0) return `已逾期${-left}天`
  if (left === 0) return '今天到期'
  return `剩${left}天`
}
