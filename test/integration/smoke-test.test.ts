import type http from 'node:http'
import { runStep } from '../helpers/run-step.js'
import {
  freePort,
  startHttpServer,
  startHttpServerLater,
  startHttpsServer,
  type Server,
} from '../helpers/servers.js'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const server = await startHttpServer(handler)
  servers.push(server)
  return server
}
const results = (outputs: Record<string, string>) =>
  JSON.parse(outputs.results ?? '[]') as Record<string, unknown>[]

describe('smoke-test from its action.yml', () => {
  test('waits for a target that starts answering only after a few seconds', async () => {
    const port = await freePort()
    const late = startHttpServerLater(port, 2500, (_req, res) => res.end('ok'))
    const run = runStep('smoke-test', {
      url: `http://127.0.0.1:${port}/health`,
      timeout: '20s',
      'retry-interval': '500ms',
    })
    servers.push(await late.started)
    const result = await run
    expect(result.exitCode).toBe(0)
    const [check] = results(result.outputs)
    expect(check).toMatchObject({ ok: true, status: 200, error: null })
    expect(check?.attempts).toBeGreaterThan(2)
    expect(result.stdout).toContain('connection refused by http://127.0.0.1')
    expect(result.outputs).toMatchObject({ passed: '1', failed: '0' })
  })

  test('retries flapping 503s until the body and JSON are right', async () => {
    let calls = 0
    const server = await serve((_req, res) => {
      calls += 1
      if (calls <= 2) {
        res.statusCode = 503
        return res.end('warming up')
      }
      res.setHeader('Content-Type', 'application/json')
      res.end(JSON.stringify({ status: 'ok', db: { ok: true } }))
    })
    const result = await runStep('smoke-test', {
      checks: `- name: health\n  url: ${server.url}/health/\n  expect-json: {"status": "ok", "db.ok": true}`,
      'retry-interval': '100ms',
      timeout: '10s',
    })
    expect(result.exitCode).toBe(0)
    expect(results(result.outputs)[0]).toMatchObject({ name: 'health', ok: true, attempts: 3 })
    expect(result.summary).toContain('| health |')
  })

  test('a hanging endpoint hits the per-request timeout and fails with one error line', async () => {
    const server = await serve(() => undefined)
    const result = await runStep('smoke-test', {
      url: `${server.url}/hang`,
      'request-timeout': '300ms',
      timeout: '1500ms',
      'retry-interval': '200ms',
    })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(
      /^1 of 1 checks failed: .*\/hang: no response from http:\/\/127\.0\.0\.1:\d+ within \d+ms/,
    )
    expect(results(result.outputs)[0]).toMatchObject({ ok: false, status: null })
  })

  test('a wrong body says what was expected and what came back', async () => {
    const server = await serve((_req, res) => res.end('Maintenance mode'))
    const result = await runStep('smoke-test', {
      url: server.url,
      'expect-body': 'Welcome',
      timeout: '500ms',
      'retry-interval': '100ms',
    })
    expect(result.exitCode).toBe(1)
    expect(result.errors[0]).toContain("expected body to match /Welcome/, got body 'Maintenance mode'")
    expect(result.outputs.failed).toBe('1')
    expect(result.summary).toContain('❌')
  })

  test('follows redirect chains, or checks the redirect itself when told not to follow', async () => {
    const server = await serve((req, res) => {
      const hop = Number(/\/hop(\d)/.exec(req.url ?? '')?.[1] ?? 0)
      if (hop < 3) {
        res.writeHead(hop === 1 ? 301 : 302, { Location: `/hop${hop + 1}` })
        return res.end()
      }
      res.end('arrived')
    })
    const followed = await runStep('smoke-test', { url: `${server.url}/hop0`, 'expect-body': 'arrived' })
    expect(followed.exitCode).toBe(0)
    const notFollowed = await runStep('smoke-test', {
      url: `${server.url}/hop0`,
      'expect-status': '302',
      'follow-redirects': 'false',
    })
    expect(notFollowed.exitCode).toBe(0)
    expect(results(notFollowed.outputs)[0]).toMatchObject({ status: 302 })
  })

  test('a self-signed certificate fails unless insecure is set', async () => {
    const server = await startHttpsServer((_req, res) => res.end('secure'))
    servers.push(server)
    const strict = await runStep('smoke-test', {
      url: server.url,
      timeout: '1s',
      'retry-interval': '200ms',
    })
    expect(strict.exitCode).toBe(1)
    expect(strict.errors[0]).toMatch(/TLS error from https:\/\/127\.0\.0\.1:\d+: self[- ]signed certificate/)
    const insecure = await runStep('smoke-test', { url: server.url, insecure: 'true' })
    expect(insecure.exitCode).toBe(0)
  })

  test('runs 24 checks in parallel within the concurrency bound', async () => {
    let inFlight = 0
    let peak = 0
    const server = await serve((req, res) => {
      inFlight += 1
      peak = Math.max(peak, inFlight)
      setTimeout(() => {
        inFlight -= 1
        res.end(req.url)
      }, 100)
    })
    const checks = Array.from(
      { length: 24 },
      (_, i) => `- url: /item/${i}\n  expect-body: "^/item/${i}$"`,
    ).join('\n')
    const result = await runStep('smoke-test', { 'base-url': server.url, checks, concurrency: '8' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.passed).toBe('24')
    expect(peak).toBe(8)
    // Parallel, not serial: 24 × 100 ms in series would take 2.4 s of server time.
    expect(results(result.outputs).every((r) => r.ok === true)).toBe(true)
  })

  test('credentials reach the server and never the log, outputs or summary', async () => {
    const seen: string[] = []
    const server = await serve((req, res) => {
      seen.push(req.headers.authorization ?? '')
      res.statusCode = req.url === '/private' ? 401 : 200
      res.end(`you sent ${req.headers.authorization}`)
    })
    const token = 'tok-3f9a7c1e55d2'
    const bearer = await runStep('smoke-test', {
      url: `${server.url}/private`,
      'bearer-token': token,
      timeout: '300ms',
      'retry-interval': '100ms',
    })
    expect(seen[0]).toBe(`Bearer ${token}`)
    expect(bearer.exitCode).toBe(1)
    expect(bearer.stdout).toContain(`::add-mask::${token}`)
    // The server echoed the header into its body; the failure message shows the body, redacted.
    expect(bearer.errors[0]).toContain("got 401 with body 'you sent Bearer ***'")
    const shown = [
      bearer.stdout.replace(/::add-mask::\S+/g, ''),
      bearer.stderr,
      JSON.stringify(bearer.outputs),
      bearer.summary,
    ]
    expect(shown.join('\n')).not.toContain(token)

    const password = 'pw-91c0e7b2'
    const basic = await runStep('smoke-test', {
      url: `${server.url}/ok`,
      'basic-auth': `deploy:${password}`,
    })
    expect(basic.exitCode).toBe(0)
    expect(seen.at(-1)).toBe(`Basic ${Buffer.from(`deploy:${password}`).toString('base64')}`)
    expect(basic.stdout).toContain(`::add-mask::${password}`)
    const logged = [
      basic.stdout.replace(/::add-mask::\S+/g, ''),
      basic.stderr,
      JSON.stringify(basic.outputs),
      basic.summary,
    ].join('\n')
    expect(logged).not.toContain(password)
    expect(logged).not.toContain(Buffer.from(`deploy:${password}`).toString('base64'))
  })

  test('bad input exits 1 with one error line before any request is sent', async () => {
    let requests = 0
    const server = await serve((_req, res) => {
      requests += 1
      res.end()
    })
    const cases: Record<string, string>[] = [
      { url: server.url, 'expect-status': 'ok' },
      { url: server.url, 'expect-body': '(' },
      { url: server.url, timeout: 'ten' },
      { checks: `- url: ${server.url}\n  expected-status: 200` },
      { checks: `- url: ${server.url}\n  headers: [unclosed` },
      { url: 'notaurl' },
    ]
    for (const inputs of cases) {
      const result = await runStep('smoke-test', inputs)
      expect(result.exitCode).toBe(1)
      expect(result.errors).toHaveLength(1)
      expect(result.errors[0]).toMatch(/^Invalid configuration: /)
      expect(result.stderr).toBe('')
    }
    expect(requests).toBe(0)
  })
})
