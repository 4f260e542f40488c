// The typed API client: paths and bodies come from schema.d.ts, generated from the API's OpenAPI document.
import createClient, { type Middleware } from 'openapi-fetch'
import type { components, paths } from './schema'
import { session, signOut } from '../session'
import { type Problem, toProblem } from './problem'

export type Schemas = components['schemas']

const auth: Middleware = {
  onRequest({ request }) {
    if (session.token) request.headers.set('Authorization', `Bearer ${session.token}`)
    return request
  },
  onResponse({ response }) {
    // An expired or revoked login: back to the login page, keeping where the user was.
    if (response.status === 401 && session.token) signOut(true)
    return response
  },
}

export const api = createClient<paths>({ baseUrl: '' })
api.use(auth)

/** Unwraps an openapi-fetch answer: the data, or a thrown Problem with the API's Chinese message. */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call
  if (error !== undefined || !response.ok) throw toProblem(error, response.status)
  return data as T
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  return session.token ? { Authorization: `Bearer ${session.token}`, ...extra } : extra
}

/**
 * Sends an action's form to the method and path the API itself gave for it (`available_actions`), with an
 * Idempotency-Key so that a double click or a retry after a network hiccup is done once.
 */
export async function send<T = unknown>(method: string, path: string, body: unknown, key?: string): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers: headers({ 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) }),
      body: JSON.stringify(body ?? {}),
    })
  } catch {
    throw toProblem(undefined, 0)
  }
  if (response.status === 401 && session.token) signOut(true)
  const data = await response.json().catch(() => undefined)
  if (!response.ok) throw toProblem(data, response.status)
  return data as T
}

/** Uploads a file as multipart form data (the one-person file). */
export async function upload<T>(path: string, form: FormData): Promise<T> {
  const response = await fetch(path, { method: 'POST', headers: headers(), body: form }).catch(() => undefined)
  if (!response) throw toProblem(undefined, 0)
  const data = await response.json().catch(() => undefined)
  if (!response.ok) throw toProblem(data, response.status)
  return data as T
}

/** Downloads an export or a payment file with the user's login, saving it under the server's file name. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const response = await fetch(path, { headers: headers() }).catch(() => undefined)
  if (!response) throw toProblem(undefined, 0)
  if (!response.ok) throw toProblem(await response.json().catch(() => undefined), response.status)
  const blob = await response.blob()
  const link = document.createElement('a')
  link.href = URL.createObjectURL(blob)
  link.download = fileName(response.headers.get('Content-Disposition')) ?? fallbackName
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000)
}

/** The file name of a Content-Disposition header, preferring the RFC 5987 UTF-8 (Chinese) one. */
export function fileName(disposition: string | null): string | undefined {
  if (!disposition) return undefined
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)
  if (star) return decodeURIComponent(star[1])
  const plain = /filename="?([^";]+)"?/i.exec(disposition)
  return plain?.[1]
}

export type { Problem }
