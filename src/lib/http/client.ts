import http from 'node:http'
import https from 'node:https'
import { classify, HttpError } from './errors.js'
import type { keepAliveRequest as KeepAliveRequester } from './keep-alive.js'
import type { HttpRequest, HttpResponse } from './types.js'

export { HttpError, type HttpErrorCode } from './errors.js'
export type { HttpRequest, HttpResponse } from './types.js'

/**
 * One HTTP exchange. The real one is built on node:http/https rather than fetch: fetch cannot
 * turn off certificate checks per request, and smoke tests of staging servers need exactly
 * that. Redirects are not followed here; see `followRedirects`.
 */
export type HttpClient = (request: HttpRequest) => Promise<HttpResponse>

type KeepAliveModule = { keepAliveRequest: typeof KeepAliveRequester }
let keepAliveModule: KeepAliveModule | undefined

/**
 * A request on a pooled keep-alive connection (keep-alive.ts, loaded on first use; it rejects
 * with the errors classified). No async wrapper once loaded: a load run sends tens of thousands.
 */
function pooledRequest(request: HttpRequest): Promise<HttpResponse> {
  if (keepAliveModule !== undefined) return keepAliveModule.keepAliveRequest(request)
  return import('./keep-alive.js').then((loaded) => {
    keepAliveModule = loaded
    return loaded.keepAliveRequest(request)
  })
}

export const nodeHttpClient: HttpClient = (request) =>
  request.keepAlive ? pooledRequest(request) : oneShotRequest(request)

const oneShotRequest: HttpClient = (request) =>
  new Promise((resolve, reject) => {
    const url = new URL(request.url)
    const transport = url.protocol === 'https:' ? https : http
    const maxBody = request.maxBodyBytes ?? 1024 * 1024
    let settled = false
    const settle = (fn: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      fn()
    }
    const req = transport.request(
      url,
      {
        method: request.method ?? 'GET',
        headers: request.headers,
        rejectUnauthorized: !request.insecure,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          if (size < maxBody) chunks.push(chunk.subarray(0, maxBody - size))
          size += chunk.length
        })
        res.on('error', (error) => settle(() => reject(classify(error, url, request.timeoutMs))))
        res.on('end', () =>
          settle(() => {
            const headers: Record<string, string> = {}
            for (const [name, value] of Object.entries(res.headers)) {
              if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
            }
            resolve({
              status: res.statusCode ?? 0,
              headers,
              body: Buffer.concat(chunks).toString('utf8'),
              url: url.href,
            })
          }),
        )
      },
    )
    const timer = setTimeout(() => {
      settle(() =>
        reject(
          new HttpError(
            'timeout',
            `no response from ${url.protocol}//${url.host} within ${request.timeoutMs}ms`,
          ),
        ),
      )
      req.destroy()
    }, request.timeoutMs)
    req.on('error', (error) => settle(() => reject(classify(error, url, request.timeoutMs))))
    req.end(request.body)
  })

const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** Whether an answer is a redirect `followRedirects` would follow. */
export function isRedirect(response: HttpResponse): boolean {
  return REDIRECTS.has(response.status) && response.headers.location !== undefined
}

/**
 * Follows up to `max` redirects. 303 (and 301/302 after a POST) turn into a GET without a body,
 * as browsers and curl do. The timeout covers the whole chain. `first` is the answer to
 * `request` when the caller sent it already (a load run sends directly and follows only
 * redirects).
 */
export async function followRedirects(
  client: HttpClient,
  request: HttpRequest,
  { max = 10, now = Date.now, first }: { max?: number; now?: () => number; first?: HttpResponse } = {},
): Promise<HttpResponse & { redirects: number }> {
  const started = now()
  let current = { ...request }
  for (let redirects = 0; ; redirects += 1) {
    const remaining = request.timeoutMs - (now() - started)
    if (remaining <= 0)
      throw new HttpError(
        'timeout',
        `no final response within ${request.timeoutMs}ms (${redirects} redirects)`,
      )
    const response =
      redirects === 0 && first !== undefined ? first : await client({ ...current, timeoutMs: remaining })
    const location = response.headers.location
    if (!REDIRECTS.has(response.status) || location === undefined) return { ...response, redirects }
    if (redirects >= max) throw new HttpError('network', `more than ${max} redirects, last to ${location}`)
    const next = new URL(location, response.url)
    const method = current.method ?? 'GET'
    const toGet =
      response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')
    current = { ...current, url: next, ...(toGet ? { method: 'GET', body: undefined } : {}) }
  }
}

/** Whether an HTTP answer or error is worth retrying for an API client: 429, 5xx, no answer. */
export function isTransientHttp(statusOrError: number | unknown): boolean {
  if (typeof statusOrError === 'number') return statusOrError === 429 || statusOrError >= 500
  return statusOrError instanceof HttpError && statusOrError.code !== 'dns' && statusOrError.code !== 'tls'
}

/** Seconds to wait from `Retry-After` (seconds or an HTTP date) or `RateLimit-Reset`; undefined if absent. */
export function retryAfterMs(headers: Record<string, string>, now: number): number | undefined {
  const retryAfter = headers['retry-after']
  if (retryAfter !== undefined) {
    if (/^\d+(\.\d+)?$/.test(retryAfter.trim())) return Number(retryAfter) * 1000
    const date = Date.parse(retryAfter)
    if (!Number.isNaN(date)) return Math.max(0, date - now)
  }
  const reset = headers['ratelimit-reset'] ?? headers['x-ratelimit-reset']
  if (reset !== undefined && /^\d+$/.test(reset.trim())) {
    const value = Number(reset)
    // Some APIs send seconds until reset, others an epoch second; a value past 2001 is an epoch.
    return value > 1_000_000_000 ? Math.max(0, value * 1000 - now) : value * 1000
  }
  return undefined
}

/**
 * A URL as it may be printed: signed URLs (release assets behind a redirect) carry their
 * credentials in the query string, and a URL may carry a user:password.
 */
export function redactUrl(url: string | URL): string {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`
  } catch {
    return '(invalid URL)'
  }
}
