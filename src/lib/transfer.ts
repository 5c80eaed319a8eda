import { createReadStream, createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import http from 'node:http'
import https from 'node:https'
import { pipeline } from 'node:stream/promises'
import { OperationError } from './errors.js'

/**
 * A request whose body or answer may be far larger than memory should hold: a tool tarball or a
 * cache archive. HttpClient (http.ts) buffers bodies as strings, which suits APIs, not archives.
 */
export interface TransferRequest {
  url: string
  method?: string
  headers?: Record<string, string>
  /** Bytes to send, or a byte range of a file streamed from disk (`end` exclusive). */
  body?: Buffer | string | { file: string; start: number; end: number }
  /** A 2xx answer's body is streamed into this file; any other answer's body is read as text. */
  toFile?: string
  /** Fails when no byte moves in either direction for this long: big transfers take as long as they need. */
  idleTimeoutMs: number
}

export interface TransferResponse {
  status: number
  /** Header names lower-cased. */
  headers: Record<string, string>
  /** The (capped) text of a body that was not written to `toFile`. */
  body: string
}

export type Transfer = (request: TransferRequest) => Promise<TransferResponse>

/**
 * A URL as it may be printed: signed URLs (cache blobs, release assets behind a redirect) carry
 * their credentials in the query string, and a URL may carry a user:password.
 */
export function redactUrl(url: string | URL): string {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`
  } catch {
    return '(invalid URL)'
  }
}

const MAX_TEXT = 64 * 1024

function bodyLength(body: TransferRequest['body']): number | undefined {
  if (body === undefined) return 0
  if (typeof body === 'string') return Buffer.byteLength(body)
  if (Buffer.isBuffer(body)) return body.length
  return body.end - body.start
}

export const nodeTransfer: Transfer = async (request) => {
  const url = new URL(request.url)
  const method = request.method ?? 'GET'
  const shown = `${method} ${redactUrl(url)}`
  const transport = url.protocol === 'https:' ? https : http
  const headers: Record<string, string> = { ...request.headers }
  const length = bodyLength(request.body)
  if (method !== 'GET' && length !== undefined) headers['content-length'] = String(length)

  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = transport.request(url, { method, headers, agent: false }, resolve)
    req.setTimeout(request.idleTimeoutMs, () =>
      req.destroy(new OperationError(`${shown}: no answer within ${request.idleTimeoutMs}ms`)),
    )
    req.on('error', (error) =>
      reject(
        error instanceof OperationError ? error : new OperationError(`${shown} failed: ${error.message}`),
      ),
    )
    const body = request.body
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
      req.end(body)
    } else if (body.end <= body.start) {
      req.end()
    } else {
      createReadStream(body.file, { start: body.start, end: body.end - 1 })
        .on('error', (error) => req.destroy(error))
        .pipe(req)
    }
  })

  const status = response.statusCode ?? 0
  const responseHeaders: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value
  }
  response.setTimeout(request.idleTimeoutMs, () =>
    response.destroy(new OperationError(`${shown}: the answer stalled for ${request.idleTimeoutMs}ms`)),
  )
  try {
    if (request.toFile !== undefined && status >= 200 && status < 300) {
      try {
        await pipeline(response, createWriteStream(request.toFile))
      } catch (error) {
        // A half-written file must not pass for a download.
        await rm(request.toFile, { force: true })
        throw error
      }
      return { status, headers: responseHeaders, body: '' }
    }
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of response as AsyncIterable<Buffer>) {
      if (size < MAX_TEXT) chunks.push(chunk.subarray(0, MAX_TEXT - size))
      size += chunk.length
    }
    return { status, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') }
  } catch (error) {
    if (error instanceof OperationError) throw error
    throw new OperationError(`${shown} failed while reading the answer: ${(error as Error).message}`)
  }
}
