// The API's refusals: {"code", "message", "details"}; `details` is a list of field errors for bad input.

export interface FieldError {
  field: string
  problem: string
  reason?: string
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
    readonly details: unknown = undefined,
  ) {
    super(message)
  }
}

const HAN = /[\u4e00-\u9fff]/

export function toProblem(body: unknown, status: number): Problem {
  if (status === 0) return new Problem(0, 'network', '无法连接服务器，请检查网络后重试')
  const b = (body ?? {}) as { code?: unknown; message?: unknown; details?: unknown }
  const code = typeof b.code === 'string' ? b.code : `http_${status}`
  const message =
    typeof b.message === 'string' && b.message
      ? b.message
      : status >= 500
        ? '系统暂时不可用，请稍后重试'
        : '请求未能办理'
  const fields = Array.isArray(b.details)
    ? b.details
        .filter((d): d is FieldError => typeof d === 'object' && d !== null && 'field' in d && 'problem' in d)
        .map((d) => ({ field: String(d.field), problem: String(d.problem), reason: d.reason ? String(d.reason) : undefined }))
    : []
  return new Problem(status, code, message, fields, b.details)
}

/**
 * Field errors keyed by the console's field names. The API names a field by its path in the body
 * (`person.id_number`, `assessments.3.score`); a form lists which paths it shows, and every error whose path
 * starts with one of them lands under that field. The rest stay in the form's summary.
 */
export function fieldErrors(problem: Problem | undefined, shown: string[]): { byField: Record<string, string>; rest: string[] } {
  const byField: Record<string, string> = {}
  const rest: string[] = []
  for (const f of problem?.fields ?? []) {
    const text = f.reason && HAN.test(f.reason) ? f.reason : f.problem
    const target = shown
      .filter((s) => f.field === s || f.field.startsWith(s + '.'))
      .sort((a, b) => b.length - a.length)[0]
    if (target) byField[target] = byField[target] ? `${byField[target]}；${text}` : text
    else rest.push(text)
  }
  return { byField, rest }
}
