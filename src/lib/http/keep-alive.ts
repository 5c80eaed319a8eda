// Keep-alive requests (smoke-test's load runs) through undici's connection pools, loaded only
// when a request asks for keep-alive. Why not node:http with a keep-alive Agent: measured against
// the same local target as autocannon, node:http's client reached about half of autocannon's
// requests per second, a bare loop on undici's dispatch about as many (`npm run bench` reports
// the whole load check's figure).
import { Agent, type Dispatcher } from 'undici'
import type { HttpRequest, HttpResponse } from './types.js'

// One pool set per certificate policy and connection limit; idle connections are unref'd by
// undici, so they never keep the process alive after the work is done. Without a limit, undici
// opens a new connection whenever every open one is still finishing its answer: measured, 17
// connections for 8 in flight.
const agents = new Map<string, Agent>()
function agent(insecure: boolean, connections: number | undefined): Agent {
  const key = `${insecure}:${connections ?? ''}`
  let found = agents.get(key)
  if (found === undefined) {
    found = new Agent({ connect: { rejectUnauthorized: !insecure }, connections: connections ?? null })
    agents.set(key, found)
  }
  return found
}

/** A failure with the error code of the cause (undici may wrap the socket's ECONNREFUSED etc.). */
function withCode(error: unknown): NodeJS.ErrnoException {
  const failure = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException }
  if (failure.code === undefined && failure.cause?.code !== undefined) return failure.cause
  return failure
}

/** Header names lower-cased; repeated headers joined with ', ' (as node:http gives them). */
function headerMap(raw: Buffer[] | string[] | null): Record<string, string> {
  const headers: Record<string, string> = {}
  if (raw === null) return headers
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = String(raw[i]).toLowerCase()
    const value = String(raw[i + 1])
    const seen = headers[name]
    headers[name] = seen === undefined ? value : `${seen}, ${value}`
  }
  return headers
}

/**
 * One request on a pooled keep-alive connection, through undici's `dispatch` with a handler of
 * callbacks (measured about a fifth faster than its stream-based `request`). The timeout covers
 * the answer and its body; errors are thrown with the socket's code (ECONNREFUSED, ECONNRESET,
 * ...) or `ABORT_ERR` for the timeout, for the caller to classify as it does node:http's.
 */
export function keepAliveRequest(request: HttpRequest, url: URL): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const maxBytes = request.maxBodyBytes ?? 1024 * 1024
    const chunks: Buffer[] = []
    let size = 0
    let status = 0
    let rawHeaders: Buffer[] | string[] | null = null
    let abort: ((reason?: Error) => void) | undefined
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      abort?.(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }))
    }, request.timeoutMs)
    const handler: Dispatcher.DispatchHandlers = {
      onConnect: (abortRequest) => {
        abort = abortRequest
        if (timedOut) abortRequest()
      },
      onHeaders: (statusCode, raw) => {
        status = statusCode
        rawHeaders = raw
        return true
      },
      onData: (chunk) => {
        if (size < maxBytes) chunks.push(chunk.subarray(0, maxBytes - size))
        size += chunk.length
        return true
      },
      onComplete: () => {
        clearTimeout(timer)
        const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)
        // Eagerly: a lazy getter on the answer (to skip this for load runs, which read no
        // headers) was measured to triple the garbage collector's time.
        const headers = headerMap(rawHeaders)
        resolve({ status, headers, body: body.toString('utf8'), url: url.href })
      },
      onError: (error) => {
        clearTimeout(timer)
        reject(timedOut ? Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }) : withCode(error))
      },
    }
    agent(request.insecure ?? false, request.maxConnections).dispatch(
      {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: (request.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: request.headers,
        body: request.body,
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
      },
      handler,
    )
  })
}
