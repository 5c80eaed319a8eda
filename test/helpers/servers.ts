import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Server {
  url: string
  port: number
  close(): Promise<void>
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void

async function listen(server: http.Server | https.Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

function closer(server: http.Server | https.Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
}

/** A real HTTP server on a free loopback port. */
export async function startHttpServer(handler: Handler): Promise<Server> {
  const server = http.createServer(handler)
  const port = await listen(server)
  return { url: `http://127.0.0.1:${port}`, port, close: closer(server) }
}

/** A free loopback port, found by binding and releasing it. */
export async function freePort(): Promise<number> {
  const probe = net.createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()))
  const address = probe.address()
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** An HTTP server that starts listening on `port` only after `delayMs` (connections are refused until then). */
export function startHttpServerLater(
  port: number,
  delayMs: number,
  handler: Handler,
): { started: Promise<Server> } {
  const server = http.createServer(handler)
  const started = new Promise<Server>((resolve, reject) => {
    setTimeout(() => {
      listen(server, port).then(
        (p) => resolve({ url: `http://127.0.0.1:${p}`, port: p, close: closer(server) }),
        reject,
      )
    }, delayMs)
  })
  return { started }
}

/** A self-signed certificate for 127.0.0.1 made with openssl, valid for a day. */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cert-'))
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    )
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A real HTTPS server with a self-signed certificate. */
export async function startHttpsServer(handler: Handler): Promise<Server> {
  const server = https.createServer(selfSignedCertificate(), handler)
  const port = await listen(server)
  return { url: `https://127.0.0.1:${port}`, port, close: closer(server) }
}
