// The awsJson1_1 wire protocol the fake ECS speaks (what the SDK sends and expects): POST /, the
// operation in `X-Amz-Target`, a SigV4 `Authorization` header, JSON bodies, errors as
// `{"__type": ..., "message": ...}` with their HTTP status; and the faults a test can inject in
// place of an answer: throttling, a JSON server error, and HTML pages as moto or a proxy send them.
import type http from 'node:http'
import { ApiError } from './ecs-services.js'
import type { Json } from './ecs-deployments.js'

/** An answer given instead of the real one. */
export type Fault = 'throttle' | 'server-error' | 'html-500' | 'html-502'

// What moto 5.2 answers for an operation it does not implement: Werkzeug's HTML error page.
const HTML_500 =
  '<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request.</p>\n'
const HTML_502 =
  '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n'

export interface WireHooks {
  requestId(): string
  /** Records the call (every call, faulted or not); the returned record's `injected` is set on a fault. */
  record(operation: string, input: Json): { injected?: string }
  fault(operation: string): Fault | undefined
  /** The answer, or an ApiError to send as the error it names. */
  answer(operation: string, input: Json): Json
}

export function handleAwsJson(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  prefix: string,
  hooks: WireHooks,
): void {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const target = String(req.headers['x-amz-target'] ?? '')
    const operation = target.startsWith(prefix) ? target.slice(prefix.length) : target
    const reply = (status: number, text: string, type = 'application/x-amz-json-1.1') => {
      res.writeHead(status, {
        'Content-Type': type,
        'x-amzn-RequestId': hooks.requestId(),
        'Content-Length': Buffer.byteLength(text),
      })
      res.end(text)
    }
    const send = (status: number, body: Json) => reply(status, JSON.stringify(body))
    let input: Json
    try {
      input = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json) : {}
    } catch {
      send(400, { __type: 'SerializationException', message: 'Malformed JSON' })
      return
    }
    const call = hooks.record(operation, input)
    if (req.method !== 'POST' || !target.startsWith(prefix)) {
      send(400, { __type: 'UnknownOperationException', message: `Unknown target '${target}'` })
      return
    }
    if (!req.headers.authorization?.startsWith('AWS4-HMAC-SHA256')) {
      send(400, { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' })
      return
    }
    const fault = hooks.fault(operation)
    if (fault !== undefined) {
      call.injected = fault
      if (fault === 'throttle') send(400, { __type: 'ThrottlingException', message: 'Rate exceeded' })
      else if (fault === 'server-error') {
        send(500, { __type: 'ServerException', message: 'Service Unavailable. Please try again later.' })
      } else {
        const html = fault === 'html-500'
        reply(html ? 500 : 502, html ? HTML_500 : HTML_502, 'text/html; charset=utf-8')
      }
      return
    }
    try {
      send(200, hooks.answer(operation, input))
    } catch (error) {
      if (error instanceof ApiError) send(error.status, { __type: error.type, message: error.message })
      else send(500, { __type: 'ServerException', message: String(error) })
    }
  })
}
