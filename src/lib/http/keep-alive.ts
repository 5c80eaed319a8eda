// Keep-alive requests (smoke-test's load runs): a pool of net/tls connections per origin, each
// carrying one exchange at a time, answers read by http-parser-js (the parser autocannon uses).
// Loaded only when a request asks for keep-alive. Why not a library client: against the same
// local target as autocannon, node:http with a keep-alive Agent reached about half of
// autocannon's requests per second, a bare loop on undici's dispatch 0.8-0.9×, this 1.0-1.1×
// (`npm run bench` reports the whole load check's figure beside autocannon's).
import net from 'node:net'
import tls from 'node:tls'
import { HTTPParser } from 'http-parser-js'
import { classify } from './errors.js'
import type { HttpRequest, HttpResponse } from './types.js'

/** One request as it goes on the wire, prepared once per request object (a load run reuses one). */
interface Prepared {
  url: URL
  href: string
  bytes: Buffer
  head: boolean
  pool: Pool
}

/** One request waiting for or riding a connection. */
interface Exchange {
  prepared: Prepared
  timeoutMs: number
  maxBytes: number
  resolve: (response: HttpResponse) => void
  reject: (error: Error) => void
  /** Sent again once already, after an idle connection turned out closed. */
  resent?: boolean
}

const failure = (code: string, message: string) => Object.assign(new Error(message), { code })

/** Names lower-cased; repeated headers joined with ', ' (as node:http gives them). */
function headerMap(raw: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase()
    const seen = headers[name]
    headers[name] = seen === undefined ? (raw[i + 1] as string) : `${seen}, ${raw[i + 1]}`
  }
  return headers
}

/** One connection: sends an exchange's bytes, parses the answer, hands itself back to the pool. */
class Connection {
  private readonly socket: net.Socket
  private readonly parser = new HTTPParser(HTTPParser.RESPONSE)
  private current: Exchange | undefined
  private status = 0
  private headers: string[] = []
  private keepAlive = true
  private chunks: Buffer[] = []
  private size = 0
  private timer: NodeJS.Timeout | undefined
  private timerMs = 0
  /** Exchanges this connection finished, and whether the current one got any answer yet. */
  private served = 0
  private answering = false

  constructor(private readonly pool: Pool) {
    const { url, insecure } = pool
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
    if (url.protocol === 'https:') {
      const port = Number(url.port || 443)
      const servername = net.isIP(host) === 0 ? host : undefined
      this.socket = tls.connect({ host, port, servername, rejectUnauthorized: !insecure })
    } else {
      this.socket = net.connect({ host, port: Number(url.port || 80) })
    }
    this.socket.setNoDelay(true)
    this.socket.on('data', (chunk: Buffer) => {
      this.answering = true
      const parsed = this.parser.execute(chunk)
      if (parsed instanceof Error) this.fail(failure('HPE_INVALID', `invalid HTTP answer: ${parsed.message}`))
    })
    this.socket.on('end', () => {
      const ended = this.parser.finish()
      if (ended instanceof Error || this.current !== undefined) this.fail(closedEarly())
    })
    this.socket.on('error', (error) => this.fail(error))
    this.socket.on('close', () => {
      this.fail(closedEarly())
      this.pool.closed(this)
    })
    this.parser[HTTPParser.kOnHeadersComplete] = (info) => {
      this.status = info.statusCode
      this.headers = info.headers
      this.keepAlive = info.shouldKeepAlive
      // A HEAD answer has no body whatever its Content-Length says.
      return this.current?.prepared.head === true ? 1 : 0
    }
    this.parser[HTTPParser.kOnBody] = (chunk, offset, length) => {
      const maxBytes = this.current?.maxBytes ?? 0
      if (this.size < maxBytes)
        this.chunks.push(chunk.subarray(offset, offset + Math.min(length, maxBytes - this.size)))
      this.size += length
    }
    this.parser[HTTPParser.kOnMessageComplete] = () => this.complete()
  }

  send(exchange: Exchange): void {
    this.current = exchange
    this.chunks = []
    this.size = 0
    this.answering = false
    this.socket.ref()
    // One timer per connection, re-armed for each exchange rather than created and cleared for
    // each of a load run's requests; firing between exchanges it finds none.
    if (this.timer === undefined || this.timerMs !== exchange.timeoutMs) {
      clearTimeout(this.timer)
      this.timerMs = exchange.timeoutMs
      this.timer = setTimeout(() => this.expire(), exchange.timeoutMs).unref()
    } else {
      this.timer.refresh()
    }
    this.socket.write(exchange.prepared.bytes)
  }

  private complete(): void {
    const exchange = this.current
    // 1xx answers (100 Continue, 103 Early Hints) come before the real one.
    if (exchange === undefined || (this.status < 200 && this.status !== 101)) return
    this.current = undefined
    this.served += 1
    const { chunks } = this
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)
    exchange.resolve({
      status: this.status,
      headers: headerMap(this.headers),
      body: body.toString('utf8'),
      url: exchange.prepared.href,
    })
    if (this.keepAlive) this.pool.release(this)
    else this.socket.destroy()
  }

  private expire(): void {
    if (this.current === undefined) return
    this.fail(failure('ABORT_ERR', 'aborted'))
  }

  /** Ends the exchange on this connection, if any, with `error`; the connection is not reused. */
  private fail(error: Error): void {
    const exchange = this.current
    this.current = undefined
    if (!this.socket.destroyed) this.socket.destroy()
    if (exchange === undefined) return
    // An idle connection the server closed meanwhile (its keep-alive timeout, a restart) fails
    // the next request before any answer: sent once more on a new connection, as browsers do,
    // since the server never saw it. Anything else is the request's failure.
    const code = (error as NodeJS.ErrnoException).code
    if (
      this.served > 0 &&
      !this.answering &&
      exchange.resent !== true &&
      (code === 'ECONNRESET' || code === 'EPIPE')
    ) {
      exchange.resent = true
      return this.pool.start(exchange)
    }
    const { url } = exchange.prepared
    exchange.reject(classify(error as NodeJS.ErrnoException, url, exchange.timeoutMs))
  }

  idle(): void {
    this.socket.unref()
  }
}

const closedEarly = () => failure('ECONNRESET', 'the connection closed before the answer ended')

/**
 * The connections to one origin with one certificate policy, at most `max` open: an exchange
 * takes an idle one, opens one, or waits its turn. Idle connections are unref'd, so they never
 * keep the process alive after the work is done.
 */
class Pool {
  private readonly idle: Connection[] = []
  private readonly waiting: Exchange[] = []
  private open = 0

  constructor(
    readonly url: URL,
    readonly insecure: boolean,
    private readonly max: number,
  ) {}

  start(exchange: Exchange): void {
    const connection = this.idle.pop()
    if (connection !== undefined) return connection.send(exchange)
    if (this.open < this.max) {
      this.open += 1
      return new Connection(this).send(exchange)
    }
    this.waiting.push(exchange)
  }

  release(connection: Connection): void {
    const next = this.waiting.shift()
    if (next !== undefined) return connection.send(next)
    connection.idle()
    this.idle.push(connection)
  }

  closed(connection: Connection): void {
    const at = this.idle.indexOf(connection)
    if (at >= 0) this.idle.splice(at, 1)
    this.open -= 1
    const next = this.waiting.shift()
    if (next !== undefined) this.start(next)
  }
}

const pools = new Map<string, Pool>()
const prepared = new WeakMap<HttpRequest, Prepared>()

function poolFor(url: URL, insecure: boolean, max: number): Pool {
  const key = `${url.origin} ${insecure} ${max}`
  let pool = pools.get(key)
  if (pool === undefined) {
    pool = new Pool(url, insecure, max)
    pools.set(key, pool)
  }
  return pool
}

/**
 * The request line, Host, the request's headers and Content-Length, then the body. A request
 * that cannot be sent throws classified, as a failed one is rejected.
 */
function prepare(request: HttpRequest): Prepared {
  const url = request.url instanceof URL ? request.url : new URL(request.url)
  const refuse = (code: string, message: string) => classify(failure(code, message), url, request.timeoutMs)
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw refuse('ERR_INVALID_PROTOCOL', `protocol ${url.protocol} is not http: or https:`)
  const method = (request.method ?? 'GET').toUpperCase()
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8')
  const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`]
  const given = Object.entries(request.headers ?? {})
  const names = new Set(given.map(([name]) => name.toLowerCase()))
  if (!names.has('host')) lines.push(`Host: ${url.host}`)
  for (const [name, value] of given) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value))
      throw refuse('ERR_INVALID_CHAR', `header '${name}' has a line break in its name or value`)
    lines.push(`${name}: ${value}`)
  }
  // As undici and curl do: a length for a body, and 0 for the methods that usually carry one.
  if (!names.has('content-length') && (body !== undefined || /^(POST|PUT|PATCH)$/.test(method)))
    lines.push(`Content-Length: ${body?.length ?? 0}`)
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')
  const pool = poolFor(url, request.insecure ?? false, Math.max(1, request.maxConnections ?? 1))
  const bytes = body === undefined ? head : Buffer.concat([head, body])
  return { url, href: url.href, bytes, head: method === 'HEAD', pool }
}

/**
 * One request on a pooled keep-alive connection. The timeout covers the answer and its body;
 * a failure is rejected classified (client.ts's HttpError: refused, reset, timeout, tls, ...).
 * A connection whose answer says `Connection: close`, or that failed, is not reused.
 */
export function keepAliveRequest(request: HttpRequest): Promise<HttpResponse> {
  let ready = prepared.get(request)
  if (ready === undefined) {
    try {
      ready = prepare(request)
    } catch (error) {
      // Rejected, never thrown: an unparsable URL too, as the one-shot client's.
      return Promise.reject(error as Error)
    }
    prepared.set(request, ready)
  }
  const target = ready
  return new Promise((resolve, reject) => {
    target.pool.start({
      prepared: target,
      timeoutMs: request.timeoutMs,
      maxBytes: request.maxBodyBytes ?? 1024 * 1024,
      resolve,
      reject,
    })
  })
}
