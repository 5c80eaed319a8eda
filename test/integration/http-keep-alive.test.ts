// The keep-alive client (src/lib/http/keep-alive.ts: net/tls connections, answers parsed by
// http-parser-js) against real servers: node:http's for what servers usually send, raw sockets
// for what they sometimes do (close early, answer garbage, hold the answer back).
import type http from 'node:http'
import net from 'node:net'
import { HttpError, nodeHttpClient, type HttpRequest } from '../../src/lib/http/client.js'
import { startHttpServer, type Server } from '../helpers/servers.js'

const servers: (Server | net.Server)[] = []
afterEach(async () => {
  await Promise.all(
    servers
      .splice(0)
      .map((s) => ('url' in s ? s.close() : new Promise<void>((resolve) => s.close(() => resolve())))),
  )
})

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const sockets = new Set<net.Socket>()
  const seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] = []
  const server = await startHttpServer((req, res) => {
    sockets.add(req.socket)
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body })
      handler(req, res)
    })
  })
  servers.push(server)
  return { server, sockets, seen }
}

/** A TCP server answering each connection with `answer` (raw bytes), or not at all. */
async function raw(onData: (socket: net.Socket, data: Buffer) => void): Promise<string> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('data', (data) => onData(socket, data))
  })
  const close = server.close.bind(server)
  server.close = (callback) => {
    sockets.forEach((socket) => socket.destroy())
    return close(callback)
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  servers.push(server)
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`
}

const request = (url: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({
  url,
  timeoutMs: 2000,
  keepAlive: true,
  maxConnections: 3,
  ...extra,
})

describe('keep-alive connections', () => {
  test('reuse at most maxConnections connections, all of them when that many are in flight', async () => {
    const { server, sockets } = await serve((_req, res) => setTimeout(() => res.end('ok'), 2))
    const one = request(`${server.url}/a`)
    const answers = await Promise.all(Array.from({ length: 60 }, () => nodeHttpClient(one)))
    expect(answers.every((a) => a.status === 200 && a.body === 'ok')).toBe(true)
    expect(sockets.size).toBe(3)
    // The same origin and limit later: the same pool, no new connection.
    await nodeHttpClient(request(`${server.url}/b`))
    expect(sockets.size).toBe(3)
  })

  test('sends method, path, query, Host, headers and a body with its length', async () => {
    const { server, seen } = await serve((_req, res) => res.end())
    await nodeHttpClient(
      request(`${server.url}/p/a?q=1&r=é`, { method: 'post', headers: { 'X-Token': 't' }, body: 'héllo' }),
    )
    await nodeHttpClient(request(`${server.url}/empty`, { method: 'PUT' }))
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/p/a?q=1&r=%C3%A9',
      body: 'héllo',
      headers: { host: new URL(server.url).host, 'x-token': 't', 'content-length': '6' },
    })
    expect(seen[1]).toMatchObject({ method: 'PUT', headers: { 'content-length': '0' } })
  })

  test('reads chunked, sized, HEAD, 204 and 304 answers, and a 100 Continue before the real one', async () => {
    const { server } = await serve((req, res) => {
      if (req.url === '/chunked') {
        res.write('a'.repeat(10))
        setTimeout(() => res.end('b'.repeat(10)), 5)
      } else if (req.url === '/head') {
        res.setHeader('Content-Length', '1000')
        res.end()
      } else if (req.url === '/204') {
        res.writeHead(204).end()
      } else if (req.url === '/304') {
        res.writeHead(304, { ETag: '"x"' }).end()
      } else if (req.url === '/continue') {
        res.writeContinue()
        res.end('after')
      } else {
        res.setHeader('Set-Cookie', ['a=1', 'b=2'])
        res.end('sized')
      }
    })
    const get = (path: string, extra: Partial<HttpRequest> = {}) =>
      nodeHttpClient(request(`${server.url}${path}`, extra))
    await expect(get('/chunked')).resolves.toMatchObject({
      status: 200,
      body: 'a'.repeat(10) + 'b'.repeat(10),
    })
    await expect(get('/head', { method: 'HEAD' })).resolves.toMatchObject({ status: 200, body: '' })
    await expect(get('/204')).resolves.toMatchObject({ status: 204, body: '' })
    await expect(get('/304')).resolves.toMatchObject({ status: 304, headers: { etag: '"x"' } })
    await expect(get('/continue')).resolves.toMatchObject({ status: 200, body: 'after' })
    await expect(get('/sized')).resolves.toMatchObject({
      body: 'sized',
      headers: { 'set-cookie': 'a=1, b=2' },
    })
  })

  test('an answer with Connection: close is not reused; one read to the close counts', async () => {
    const { server, sockets } = await serve((_req, res) => {
      res.setHeader('Connection', 'close')
      res.end('bye')
    })
    for (let i = 0; i < 5; i++)
      await expect(nodeHttpClient(request(server.url))).resolves.toMatchObject({ body: 'bye' })
    expect(sockets.size).toBe(5)
    const untilClose = await raw((socket) => socket.end('HTTP/1.1 200 OK\r\n\r\nall of it'))
    await expect(nodeHttpClient(request(untilClose))).resolves.toMatchObject({
      status: 200,
      body: 'all of it',
    })
  })

  test('a connection closed mid-answer, garbage, a line break in a header: classified errors, the next request on a new connection', async () => {
    let n = 0
    const flaky = await raw((socket) => {
      n += 1
      if (n === 1) socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort')
      else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
    })
    await expect(nodeHttpClient(request(flaky))).rejects.toMatchObject({ code: 'reset' })
    await expect(nodeHttpClient(request(flaky))).resolves.toMatchObject({ body: 'ok' })

    const garbage = await raw((socket) => socket.write('SMTP ready\r\n\r\n'))
    const error = await nodeHttpClient(request(garbage)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ code: 'network', message: expect.stringContaining('invalid HTTP answer') })

    await expect(
      nodeHttpClient(request(flaky, { headers: { 'X-Bad': 'a\r\nInjected: 1' } })),
    ).rejects.toMatchObject({ code: 'network', message: expect.stringContaining("header 'X-Bad'") })
  })

  test('a reused connection the server dropped before answering: sent once more, on a new one', async () => {
    let connections = 0
    const url = await raw((socket, data) => {
      const nth = ((socket as net.Socket & { n?: number }).n ??= ++connections)
      const requests = data.toString().split('\r\n\r\n').length - 1
      // The first connection answers its first request, then drops the next unanswered.
      if (nth === 1 && (socket as net.Socket & { seen?: number }).seen === 1) return socket.destroy()
      ;(socket as net.Socket & { seen?: number }).seen = requests
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
    })
    const one = request(url, { maxConnections: 1 })
    await expect(nodeHttpClient(one)).resolves.toMatchObject({ body: 'ok' })
    await expect(nodeHttpClient(one)).resolves.toMatchObject({ body: 'ok' })
    expect(connections).toBe(2)
  })

  test('the timeout covers the whole answer, and a timed-out connection is dropped', async () => {
    let n = 0
    const { server, sockets } = await serve((_req, res) => {
      n += 1
      if (n === 1) {
        res.write('part')
        return // the rest never comes
      }
      res.end('ok')
    })
    const started = performance.now()
    await expect(
      nodeHttpClient(request(server.url, { timeoutMs: 300, maxConnections: 1 })),
    ).rejects.toMatchObject({
      code: 'timeout',
      message: expect.stringContaining('within 300ms'),
    })
    expect(performance.now() - started).toBeGreaterThanOrEqual(290)
    await expect(nodeHttpClient(request(server.url, { maxConnections: 1 }))).resolves.toMatchObject({
      body: 'ok',
    })
    expect(sockets.size).toBe(2)
  })

  test('queued requests wait their turn and survive a refused connection', async () => {
    const { server } = await serve((_req, res) => res.end('ok'))
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => nodeHttpClient(request(server.url, { maxConnections: 2 }))),
    )
    expect(answers.map((a) => a.body)).toEqual(Array(20).fill('ok'))
    await server.close()
    servers.splice(servers.indexOf(server), 1)
    const refused = await Promise.allSettled(
      Array.from({ length: 5 }, () => nodeHttpClient(request(server.url, { maxConnections: 2 }))),
    )
    expect(refused.map((r) => r.status === 'rejected' && (r.reason as HttpError).code)).toEqual(
      Array(5).fill('refused'),
    )
  })
})
