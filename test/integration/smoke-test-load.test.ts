// smoke-test's load checks against real local servers, through the committed bundle as the
// runner runs it: exact counts, the bounds (count, duration, time limit), keep-alive, error
// rates from real 500s, budgets, and the same step run twice.
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { runStep } from '../helpers/run-step.js'
import { startHttpServer, startHttpsServer, type Server } from '../helpers/servers.js'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

/** A server counting the requests and the connections they came on. */
async function counting(answer: (n: number, req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const seen = { requests: 0, sockets: new Set<Socket>() }
  const server = await startHttpServer((req, res) => {
    seen.requests += 1
    seen.sockets.add(req.socket)
    answer(seen.requests, req, res)
  })
  servers.push(server)
  return { server, seen }
}

interface Load {
  requests: number
  durationMs: number
  rps: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  errorRate: number
  statuses: Record<string, number>
  stoppedBy: string
  histogram: { upToMs: number | null; count: number }[]
}
const resultsOf = (outputs: Record<string, string>) =>
  JSON.parse(outputs.results ?? '[]') as { name: string; ok: boolean; error: string | null; load?: Load }[]
const loadOf = (outputs: Record<string, string>) => {
  const load = resultsOf(outputs)[0]?.load
  if (load === undefined) throw new Error(`no load in ${outputs.results}`)
  return load
}
const checks = (url: string, load: string) => `- name: api\n  url: ${url}\n  load: ${load}`

describe('smoke-test load checks', () => {
  test('sends exactly the requests asked for, on keep-alive connections, and reports the distribution', async () => {
    const { server, seen } = await counting((_n, _req, res) => res.end('ok'))
    const result = await runStep('smoke-test', {
      checks: checks(`${server.url}/api`, '{requests: 300, concurrency: 8}'),
    })
    expect(result.exitCode).toBe(0)
    const load = loadOf(result.outputs)
    // The check's one passing attempt, then the load.
    expect(seen.requests).toBe(301)
    expect(load).toMatchObject({
      requests: 300,
      errorRate: 0,
      statuses: { '200': 300 },
      stoppedBy: 'requests',
    })
    // One connection for the attempt, one per concurrent request for the load.
    expect(seen.sockets.size).toBe(9)
    expect(load.p50Ms).toBeGreaterThan(0)
    expect(load.p50Ms).toBeLessThanOrEqual(load.p95Ms)
    expect(load.p95Ms).toBeLessThanOrEqual(load.p99Ms)
    // rps is from the exact duration; durationMs is rounded to the millisecond (±0.5 ms), and rps to 0.1.
    expect(load.rps).toBeGreaterThanOrEqual((300 / (load.durationMs + 0.5)) * 1000 - 0.05)
    expect(load.rps).toBeLessThanOrEqual((300 / (load.durationMs - 0.5)) * 1000 + 0.05)
    expect(load.histogram.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(300)
    expect(result.summary).toContain('#### Load: api')
    expect(result.summary).toMatch(/\| 300 \| [\d.]+m?s \| [\d.]+ \| [\d.]+ms \| [\d.]+ms \| [\d.]+ms \|/)
    expect(result.summary).toMatch(/\| ≤ [\d.]+ms \| \d+ \| █+ \|/)
    expect(result.stdout).toMatch(/✓ api: load: 300 requests in [\d.]+m?s \([\d.]+ req\/s\): p50 /)
  })

  test('a duration bounds it by time, and the count matches what the server saw', async () => {
    const { server, seen } = await counting((_n, _req, res) => setTimeout(() => res.end('ok'), 5))
    const result = await runStep('smoke-test', {
      checks: checks(server.url, '{duration: 1s, concurrency: 4}'),
    })
    expect(result.exitCode).toBe(0)
    const load = loadOf(result.outputs)
    expect(load.stoppedBy).toBe('duration')
    expect(seen.requests).toBe(load.requests + 1)
    // Started for 1 s; the last ones finish a few ms later.
    expect(load.durationMs).toBeGreaterThanOrEqual(1000)
    expect(load.durationMs).toBeLessThan(2000)
    expect(load.requests).toBeGreaterThan(20)
  })

  test('a rate spaces the requests out', async () => {
    const { server, seen } = await counting((_n, _req, res) => res.end('ok'))
    const result = await runStep('smoke-test', {
      checks: checks(server.url, '{requests: 11, concurrency: 5, rate: 20/s}'),
    })
    expect(result.exitCode).toBe(0)
    expect(seen.requests).toBe(12)
    // The 11th starts 500 ms after the first at 20 per second.
    expect(loadOf(result.outputs).durationMs).toBeGreaterThanOrEqual(490)
  })

  test('500s make the error rate; over max-error-rate the check fails naming the figure and the budget', async () => {
    // Request 1 is the check's attempt; every 4th of the load's 100 is a 500.
    const { server, seen } = await counting((n, _req, res) => {
      res.statusCode = n > 1 && (n - 1) % 4 === 0 ? 500 : 200
      res.end(res.statusCode === 500 ? 'boom' : 'ok')
    })
    const result = await runStep('smoke-test', {
      checks: checks(server.url, '{requests: 100, concurrency: 3, max-error-rate: 10%, max-p99: 10s}'),
    })
    expect(result.exitCode).toBe(1)
    expect(seen.requests).toBe(101)
    const load = loadOf(result.outputs)
    expect(load).toMatchObject({ requests: 100, errorRate: 0.25, statuses: { '200': 75, '500': 25 } })
    expect(result.errors).toEqual([
      "1 of 1 checks failed: api: error rate 25% (25 of 100) is over max-error-rate 10% (first: expected status 200-299, got 500 with body 'boom')",
    ])
    expect(resultsOf(result.outputs)[0]).toMatchObject({ ok: false })
    expect(result.outputs).toMatchObject({ passed: '0', failed: '1' })
  })

  test('a slow target misses max-p95; a run of requests stops at the time limit by itself', async () => {
    const { server } = await counting((_n, _req, res) => setTimeout(() => res.end('ok'), 60))
    const result = await runStep('smoke-test', {
      checks: checks(server.url, '{requests: 100000, concurrency: 2, max-p95: 20ms}'),
      timeout: '2s',
    })
    expect(result.exitCode).toBe(1)
    const load = loadOf(result.outputs)
    expect(load.stoppedBy).toBe('time-limit')
    expect(load.requests).toBeGreaterThan(10)
    expect(load.requests).toBeLessThan(100)
    expect(result.errors[0]).toMatch(
      /^1 of 1 checks failed: api: p95 [\d.]+ms is over max-p95 20ms; only \d+ of 100000 requests done within the time limit of 2\.0s \(the check's timeout\)$/,
    )
    expect(result.durationMs).toBeLessThan(10_000)
  })

  test('redirects are followed for each request; https with insecure', async () => {
    const { server, seen } = await counting((_n, req, res) => {
      if (req.url === '/old') {
        res.writeHead(301, { Location: '/new' })
        return res.end()
      }
      res.end('new')
    })
    const followed = await runStep('smoke-test', {
      checks: checks(`${server.url}/old`, '{requests: 20, concurrency: 2}') + '\n  expect-body: new',
    })
    expect(followed.exitCode).toBe(0)
    expect(loadOf(followed.outputs)).toMatchObject({ requests: 20, statuses: { '200': 20 } })
    expect(seen.requests).toBe(42)

    const secure = await startHttpsServer((_req, res) => res.end('secure'))
    servers.push(secure)
    const insecure = await runStep('smoke-test', {
      checks: checks(secure.url, '{requests: 20, concurrency: 2}'),
      insecure: 'true',
    })
    expect(insecure.exitCode).toBe(0)
    expect(loadOf(insecure.outputs)).toMatchObject({ requests: 20, errorRate: 0 })
  })

  test('the same step run twice measures twice, each run exact', async () => {
    const { server, seen } = await counting((_n, _req, res) => res.end('ok'))
    const inputs = { checks: checks(server.url, '{requests: 50, concurrency: 5, max-error-rate: 0%}') }
    const first = await runStep('smoke-test', inputs)
    const second = await runStep('smoke-test', inputs)
    for (const run of [first, second]) {
      expect(run.exitCode).toBe(0)
      expect(loadOf(run.outputs)).toMatchObject({ requests: 50, errorRate: 0 })
    }
    expect(seen.requests).toBe(102)
  })

  test('idle keep-alive connections do not hold the step: it ends with the load, not with the server', async () => {
    // The server keeps idle connections for a minute; a step waiting on them would take that long.
    const server = http.createServer((_req, res) => res.end('ok'))
    server.keepAliveTimeout = 60_000
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    const open = new Set<Socket>()
    server.on('connection', (socket: Socket) => {
      open.add(socket)
      socket.on('close', () => open.delete(socket))
    })
    try {
      const { port } = server.address() as AddressInfo
      const result = await runStep('smoke-test', {
        checks: checks(`http://127.0.0.1:${port}/`, '{requests: 40, concurrency: 4}'),
      })
      expect(result.exitCode).toBe(0)
      expect(result.durationMs).toBeLessThan(30_000)
      // The step's process is gone, so the server saw every connection close from the other end.
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(open.size).toBe(0)
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  test('a bad load is refused before any request, naming the check and the field', async () => {
    const { server, seen } = await counting((_n, _req, res) => res.end('ok'))
    const result = await runStep('smoke-test', {
      checks: checks(server.url, '{requests: 10, concurrency: 0}'),
    })
    expect(result.exitCode).toBe(1)
    expect(result.errors[0]).toContain(
      "Input 'checks' item 1 ('api') load.concurrency must be a whole number from 1 to 1000 (got 0)",
    )
    expect(seen.requests).toBe(0)
  })
})
