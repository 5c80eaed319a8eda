import net from 'node:net'
import tls from 'node:tls'
import type { ServiceTarget } from './services.js'

/** What one attempt to reach a service saw. */
export interface ProbeResult {
  ready: boolean
  /** `connection refused`, `answered SSLRequest with 'N'`, ...: shown when it changes. */
  detail: string
}

export type Probe = (target: ServiceTarget, timeoutMs: number) => Promise<ProbeResult>

/** PostgreSQL's SSLRequest: length 8, code 80877103. The server answers one byte, 'S' or 'N'. */
export const PG_SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f])

/** What the bytes received so far say, or undefined while more are needed. */
export function interpretReply(kind: ServiceTarget['kind'], received: Buffer): ProbeResult | undefined {
  if (received.length === 0) return undefined
  switch (kind) {
    case 'postgres': {
      const byte = String.fromCharCode(received[0] as number)
      if (byte === 'S' || byte === 'N') return { ready: true, detail: `answered SSLRequest with '${byte}'` }
      return {
        ready: false,
        detail: `answered SSLRequest with unexpected byte 0x${(received[0] as number).toString(16)}`,
      }
    }
    case 'mysql': {
      // The server speaks first: a packet header (3-byte length, sequence), then protocol 10,
      // or 0xff for an error packet (e.g. too many connections) which still proves it is up.
      if (received.length < 5) return undefined
      const marker = received[4] as number
      if (marker === 10) return { ready: true, detail: 'sent its handshake' }
      if (marker === 0xff) return { ready: true, detail: 'answered with an error packet (server is up)' }
      return { ready: false, detail: `sent an unexpected greeting (0x${marker.toString(16)})` }
    }
    case 'redis': {
      const text = received.toString('latin1')
      const lines = text.split('\r\n')
      if (lines.length < 2) return undefined
      const last = lines.filter((line) => line !== '').pop() ?? ''
      if (last === '+PONG') return { ready: true, detail: 'answered PING with +PONG' }
      if (/^-(NOAUTH|WRONGPASS|ERR AUTH|ERR invalid password)/i.test(last))
        return { ready: false, detail: `refused authentication: ${last.slice(1)}` }
      if (last.startsWith('-')) return { ready: false, detail: `answered ${last}` }
      return undefined
    }
    default:
      return { ready: true, detail: 'nothing to wait for' }
  }
}

/** The bytes that ask the service to prove it is serving. */
export function greeting(target: ServiceTarget): Buffer | undefined {
  if (target.kind === 'postgres') return PG_SSL_REQUEST
  if (target.kind === 'redis') {
    const words = (args: string[]) =>
      `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`
    const auth =
      target.password === undefined
        ? ''
        : words(target.username ? ['AUTH', target.username, target.password] : ['AUTH', target.password])
    return Buffer.from(`${auth}${words(['PING'])}`)
  }
  return undefined
}

/** Redis with AUTH answers twice; only the second (PING's) answer decides. */
function expectedReplies(target: ServiceTarget): number {
  return target.kind === 'redis' && target.password !== undefined ? 2 : 1
}

/**
 * One real attempt over node:net (node:tls for rediss): connect, greet, read the answer. A
 * Unix-socket target tries its socket files in order; the first that answers decides.
 */
export const netProbe: Probe = async (target, timeoutMs) => {
  if (!target.socket) return probeOnce(target, undefined, timeoutMs)
  const started = Date.now()
  let last: ProbeResult = { ready: false, detail: 'no socket file yet' }
  for (const path of target.socket) {
    last = await probeOnce(target, path, Math.max(1, timeoutMs - (Date.now() - started)))
    if (last.ready) return { ready: true, detail: `${last.detail} on ${path}` }
  }
  return last
}

function probeOnce(target: ServiceTarget, path: string | undefined, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0)
    let settled = false
    const socket =
      path !== undefined
        ? net.connect({ path })
        : target.tls && target.kind === 'redis'
          ? tls.connect({ host: target.host, port: target.port, servername: target.host })
          : net.connect({ host: target.host, port: target.port })
    const finish = (result: ProbeResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve(result)
    }
    const timer = setTimeout(
      () => finish({ ready: false, detail: received.length ? 'answer incomplete' : 'no answer yet' }),
      timeoutMs,
    )
    socket.once(target.tls && target.kind === 'redis' ? 'secureConnect' : 'connect', () => {
      const hello = greeting(target)
      if (hello) socket.write(hello)
    })
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      if (
        target.kind === 'redis' &&
        received.toString('latin1').split('\r\n').length <= expectedReplies(target)
      )
        return
      const result = interpretReply(target.kind, received)
      if (result) finish(result)
    })
    socket.on('error', (error: NodeJS.ErrnoException) => finish({ ready: false, detail: socketError(error) }))
    socket.on('close', () => finish({ ready: false, detail: 'closed the connection without answering' }))
  })
}

function socketError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused'
    case 'ENOENT':
      return 'no socket file yet'
    case 'EACCES':
      return 'socket file not accessible (permission denied)'
    case 'ECONNRESET':
      return 'connection reset'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not resolved yet'
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable'
    default:
      return error.message
  }
}
