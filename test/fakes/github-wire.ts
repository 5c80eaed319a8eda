import type http from 'node:http'
import type { components } from '@octokit/openapi-types'

/**
 * How GitHub's REST API answers on the wire, for the fake in github.ts. The body shapes are
 * @octokit/openapi-types' `basic-error` and `validation-error` schemas (generated from
 * github/rest-api-description, which nobody here wrote): `{ message, documentation_url, status }`,
 * and for a 422 an `errors[]` of `{ resource, field, code, message? }`. The messages are the ones
 * GitHub sends ("Bad credentials", "Resource not accessible by integration", "Not Found",
 * "Validation Failed", the secondary rate limit's "You have exceeded a secondary rate limit").
 */

export type BasicError = components['schemas']['basic-error']
export type ValidationError = components['schemas']['validation-error']
export type ValidationItem = NonNullable<ValidationError['errors']>[number]

/** An answer the fake sends: a status, headers and a JSON body (or none). */
export interface Answer {
  status: number
  headers?: Record<string, string>
  body?: unknown
}

const DOCS = 'https://docs.github.com/rest'

export class ApiError extends Error {
  constructor(readonly answer: Answer) {
    super(`HTTP ${answer.status}`)
  }
}

function errorAnswer(
  status: number,
  message: string,
  docs = DOCS,
  headers: Record<string, string> = {},
): Answer {
  const body: BasicError = { message, documentation_url: docs, status: String(status) }
  return { status, headers, body }
}

export const badCredentials = (): Answer => errorAnswer(401, 'Bad credentials')
export const notAccessible = (docs?: string): Answer =>
  errorAnswer(403, 'Resource not accessible by integration', docs)
export const notFound = (): Answer => errorAnswer(404, 'Not Found')

/** A 422 as GitHub sends it: "Validation Failed" with what was wrong in errors[]. */
export function validationFailed(errors: ValidationItem[]): Answer {
  const body: ValidationError & { status: string } = {
    message: 'Validation Failed',
    errors,
    documentation_url: DOCS,
    status: '422',
  }
  return { status: 422, body }
}

/**
 * A secondary rate limit: 403 (GitHub also uses 429) with Retry-After in seconds and the message
 * @octokit/plugin-throttling recognises (/\bsecondary rate\b/i).
 */
export function secondaryRateLimit(retryAfterSeconds: number): Answer {
  return errorAnswer(
    403,
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.',
    'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-remaining': '4999' },
  )
}

export const serverError = (): Answer => ({ status: 502, body: { message: 'Server Error' } })

/**
 * One page of a list, and its Link header as GitHub writes it (RFC 8288: `<url>; rel="next"`,
 * then last, and first/prev on later pages); no header when everything fits on one page.
 * `per_page` defaults to 30 and is capped at 100, as GitHub's list endpoints do.
 */
export function page<T>(items: readonly T[], url: URL): Answer {
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page')) || 30))
  const pageNo = Math.max(1, Number(url.searchParams.get('page')) || 1)
  const last = Math.max(1, Math.ceil(items.length / perPage))
  const link = (n: number) => {
    const target = new URL(url)
    target.searchParams.set('per_page', String(perPage))
    target.searchParams.set('page', String(n))
    return target.toString()
  }
  const rels: string[] = []
  if (pageNo < last) rels.push(`<${link(pageNo + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`)
  if (pageNo > 1) rels.push(`<${link(1)}>; rel="first"`, `<${link(pageNo - 1)}>; rel="prev"`)
  const headers: Record<string, string> = rels.length > 0 ? { link: rels.join(', ') } : {}
  return { status: 200, headers, body: items.slice((pageNo - 1) * perPage, pageNo * perPage) }
}

let requestCounter = 0

/** Writes an answer with the headers every GitHub API response carries. */
export function send(res: http.ServerResponse, answer: Answer): void {
  requestCounter += 1
  const headers: Record<string, string> = {
    'x-github-media-type': 'github.v3; format=json',
    'x-github-request-id': `FAKE:${requestCounter.toString(16).toUpperCase()}`,
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
    ...(answer.body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    ...answer.headers,
  }
  res.writeHead(answer.status, headers)
  res.end(answer.body !== undefined ? JSON.stringify(answer.body) : undefined)
}

/** The token of an `Authorization: token X` or `Bearer X` header, as GitHub accepts both. */
export function tokenOf(req: http.IncomingMessage): string | undefined {
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '')
  return match?.[1]
}

/** A JSON request body, or a 400 "Problems parsing JSON" as GitHub answers a malformed one. */
export function jsonBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {}
  try {
    const value: unknown = JSON.parse(text)
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>
  } catch {
    // answered below
  }
  throw new ApiError(errorAnswer(400, 'Problems parsing JSON'))
}
