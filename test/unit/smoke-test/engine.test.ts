import {
  HttpError,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
} from '../../../src/lib/http/client.js'
import { parse } from 'yaml'
import {
  checksFromData,
  evaluate,
  parseStatusSet,
  retryDelay,
  runCheck,
  runChecks,
  type CheckDefaults,
  type EngineOptions,
} from '../../../src/lib/smoke/index.js'
import { fakeClock } from '../../helpers/clock.js'

const defaults: CheckDefaults = {
  baseUrl: new URL('http://app.test'),
  method: 'GET',
  headers: {},
  expectStatus: parseStatusSet('200-299', 'test'),
}
const options: EngineOptions = {
  timeoutMs: 60_000,
  requestTimeoutMs: 10_000,
  retryIntervalMs: 1000,
  concurrency: 5,
  followRedirects: true,
  insecure: false,
}
const check = (yaml: string) => {
  const [c] = checksFromData(parse(yaml), defaults, 'checks')
  if (!c) throw new Error('no check')
  return c
}
const response = (status: number, body = '', headers: Record<string, string> = {}): HttpResponse => ({
  status,
  body,
  headers,
  url: 'http://app.test/',
})

/** An HTTP client that answers from a script of responses or errors, one per call. */
function scripted(script: (HttpResponse | Error)[], clock?: ReturnType<typeof fakeClock>, latencyMs = 0) {
  const requests: HttpRequest[] = []
  const client: HttpClient = async (request) => {
    requests.push(request)
    clock?.advance(latencyMs)
    const next = script.length > 1 ? script.shift() : script[0]
    if (next instanceof Error) throw next
    if (!next) throw new Error('script empty')
    return next
  }
  return { client, requests }
}

describe('evaluate', () => {
  test('says what was expected and what came back, body cut at 200 bytes', () => {
    const c = check('- url: /')
    const problem = evaluate(c, response(503, 'x'.repeat(300)), 5)
    expect(problem).toBe(`expected status 200-299, got 503 with body '${'x'.repeat(200)}…'`)
  })
  test('body regex, JSON paths and latency', () => {
    expect(evaluate(check('- url: /\n  expect-body: ready'), response(200, 'starting'), 1)).toBe(
      "expected body to match /ready/, got body 'starting'",
    )
    const json = check('- url: /\n  expect-json: {"status": "ok", "db.ok": true}')
    expect(evaluate(json, response(200, '{"status":"ok","db":{"ok":false}}'), 1)).toBe(
      'expected JSON db.ok = true, got false',
    )
    expect(evaluate(json, response(200, 'not json'), 1)).toBe("expected a JSON body, got body 'not json'")
    expect(evaluate(json, response(200, '{"status":"ok","db":{"ok":true}}'), 1)).toBeUndefined()
    expect(evaluate(check('- url: /\n  max-latency: 100ms'), response(200), 250)).toBe(
      'expected a response within 100ms, took 250ms',
    )
  })
})

describe('retryDelay', () => {
  test('nothing listening: retried from 50ms, x1.5, up to a quarter of the interval', () => {
    const refused = new HttpError('refused', 'connection refused')
    expect([1, 2, 3, 4, 5, 20].map((n) => retryDelay(n, refused, 1000, () => 0.5))).toEqual([
      50, 75, 113, 169, 250, 250,
    ])
    const reset = new HttpError('reset', 'connection reset')
    expect(retryDelay(30, reset, 4000, () => 0.5)).toBe(1000)
    // A short interval caps the first delay too: never faster than the user's interval allows.
    expect([1, 3].map((n) => retryDelay(n, refused, 100, () => 0.5))).toEqual([25, 25])
    // Jitter stays within ±10 %.
    expect(retryDelay(20, refused, 1000, () => 0)).toBe(225)
    expect(retryDelay(20, refused, 1000, () => 1)).toBe(275)
  })
  test('wrong answers back off x1.5 up to 10s', () => {
    const wrong = new Error('expected status 200-299, got 503')
    expect([1, 2, 3, 4, 10].map((n) => retryDelay(n, wrong, 1000, () => 0.5))).toEqual([
      1000, 1500, 2250, 3375, 10_000,
    ])
  })
})

describe('runCheck', () => {
  test('retries through refusals and 503s until the target answers', async () => {
    const clock = fakeClock()
    const { client } = scripted(
      [
        new HttpError('refused', 'connection refused by http://app.test'),
        new HttpError('refused', 'connection refused by http://app.test'),
        response(503, 'starting'),
        response(200, 'ok'),
      ],
      clock,
      20,
    )
    const lines: string[] = []
    const result = await runCheck(check('- url: /health'), options, {
      http: client,
      sleep: clock.sleep,
      now: clock.now,
      random: () => 0.5,
      log: (l) => lines.push(l),
    })
    expect(result).toEqual({
      name: 'GET /health',
      url: 'http://app.test/health',
      ok: true,
      status: 200,
      attempts: 4,
      latencyMs: 20,
      error: null,
    })
    // Refusals retry fast; the first wrong answer starts the slower backoff afresh.
    expect(clock.sleeps).toEqual([50, 75, 1000])
    // One progress line per distinct failure, not per attempt.
    expect(lines).toEqual([
      '… GET /health: attempt 1: connection refused by http://app.test',
      "… GET /health: attempt 3: expected status 200-299, got 503 with body 'starting'",
      '✓ GET /health: 200 in 20ms after 4 attempts',
    ])
  })

  test('gives up at the timeout with the last status and error', async () => {
    const clock = fakeClock()
    const { client, requests } = scripted([response(500, 'boom')], clock, 10)
    const result = await runCheck(
      check('- url: /'),
      { ...options, timeoutMs: 20_000 },
      {
        http: client,
        sleep: clock.sleep,
        now: clock.now,
        random: () => 0.5,
        log: () => undefined,
      },
    )
    expect(result).toMatchObject({
      ok: false,
      status: 500,
      error: "expected status 200-299, got 500 with body 'boom'",
    })
    expect(result.attempts).toBe(requests.length)
    expect(clock.sleeps.reduce((a, b) => a + b, 0) + requests.length * 10).toBeGreaterThanOrEqual(20_000)
  })

  test('a per-attempt timeout never exceeds what is left of the check timeout', async () => {
    const clock = fakeClock()
    const { client, requests } = scripted([new HttpError('timeout', 'no response')], clock, 0)
    await runCheck(
      check('- url: /'),
      { ...options, timeoutMs: 15_000, requestTimeoutMs: 10_000 },
      {
        http: client,
        sleep: async (ms) => {
          await clock.sleep(ms)
          clock.advance(0)
        },
        now: clock.now,
        random: () => 0.5,
        log: () => undefined,
      },
    )
    expect(requests.map((r) => r.timeoutMs).every((t) => t <= 15_000)).toBe(true)
    expect(requests[0]?.timeoutMs).toBe(10_000)
    expect(requests.at(-1)?.timeoutMs).toBeLessThan(10_000)
  })

  test('redirects are followed unless disabled', async () => {
    const clock = fakeClock()
    const { client, requests } = scripted(
      [response(302, '', { location: '/login' }), response(200, 'in')],
      clock,
    )
    const ok = await runCheck(check('- url: /'), options, {
      http: client,
      sleep: clock.sleep,
      now: clock.now,
      log: () => undefined,
    })
    expect(ok.ok).toBe(true)
    expect(requests.map((r) => String(r.url))).toEqual(['http://app.test/', 'http://app.test/login'])

    const noFollow = scripted([response(302, '', { location: '/login' })], clock)
    const result = await runCheck(
      check('- url: /\n  expect-status: 302'),
      { ...options, followRedirects: false },
      {
        http: noFollow.client,
        sleep: clock.sleep,
        now: clock.now,
        log: () => undefined,
      },
    )
    expect(result).toMatchObject({ ok: true, status: 302 })
  })
})

describe('runChecks', () => {
  test('bounds concurrency and keeps the order of results', async () => {
    let inFlight = 0
    let peak = 0
    const client: HttpClient = async (request) => {
      inFlight += 1
      peak = Math.max(peak, inFlight)
      await new Promise((r) => setImmediate(r))
      inFlight -= 1
      return response(200, String(request.url))
    }
    const checks = checksFromData(
      Array.from({ length: 12 }, (_, i) => ({ url: `/c${i}` })),
      defaults,
      'checks',
    )
    const results = await runChecks(
      checks,
      { ...options, concurrency: 3 },
      {
        http: client,
        sleep: async () => undefined,
        now: Date.now,
        log: () => undefined,
      },
    )
    expect(peak).toBe(3)
    expect(results.map((r) => r.url)).toEqual(checks.map((c) => c.url.href))
  })
})

describe('the last attempt', () => {
  test('is never cut to a uselessly short timeout, so the real reason is reported', async () => {
    const clock = fakeClock()
    const requests: number[] = []
    const client: HttpClient = async (request) => {
      requests.push(request.timeoutMs)
      clock.advance(40)
      return response(200, 'Maintenance mode')
    }
    const result = await runCheck(
      check('- url: /\n  expect-body: Welcome'),
      { ...options, timeoutMs: 500, retryIntervalMs: 100 },
      {
        http: client,
        sleep: clock.sleep,
        now: clock.now,
        random: () => 0.5,
        log: () => undefined,
      },
    )
    expect(Math.min(...requests)).toBe(1000)
    expect(result.error).toBe("expected body to match /Welcome/, got body 'Maintenance mode'")
  })
})
