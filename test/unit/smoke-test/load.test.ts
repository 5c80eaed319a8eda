import { parse } from 'yaml'
import { HttpError, type HttpClient, type HttpRequest } from '../../../src/lib/http/client.js'
import {
  bar,
  budgetMisses,
  checksFromData,
  histogram,
  latencyStats,
  parsePercent,
  parseRate,
  parseStatusSet,
  percentile,
  resultsSummary,
  runChecks,
  runLoad,
  type Check,
  type CheckDefaults,
  type EngineOptions,
  type LoadSettings,
} from '../../../src/lib/smoke/index.js'
import { fakeClock } from '../../helpers/clock.js'

const defaults: CheckDefaults = {
  baseUrl: new URL('http://app.test'),
  method: 'GET',
  headers: {},
  expectStatus: parseStatusSet('200-299', 'test'),
}
const checks = (yaml: string) => checksFromData(parse(yaml), defaults, 'checks')
const loadCheck = (load: string, extra = ''): Check => {
  const [check] = checks(`- name: api\n  url: /api\n  load: ${load}${extra}`)
  if (check === undefined) throw new Error('no check')
  return check
}
const settings: LoadSettings = {
  requestTimeoutMs: 10_000,
  timeLimitMs: 60_000,
  followRedirects: false,
  insecure: false,
  secrets: [],
}

/** A fake target: answers `status(n)` to the n-th request (1-based) after `latency(n)` ms of the fake clock. */
function target(
  clock: ReturnType<typeof fakeClock>,
  status: (n: number) => number | Error = () => 200,
  latency: (n: number) => number = () => 10,
) {
  const requests: HttpRequest[] = []
  const startedAt: number[] = []
  const http: HttpClient = async (request) => {
    requests.push(request)
    const n = requests.length
    startedAt.push(clock.now())
    clock.advance(latency(n))
    const answer = status(n)
    if (answer instanceof Error) throw answer
    return { status: answer, headers: {}, body: 'ok', url: String(request.url) }
  }
  const deps = { http, sleep: clock.sleep, now: clock.now, monotonic: clock.now }
  return { http, deps, requests, startedAt }
}

describe('percentiles and the histogram', () => {
  const oneToHundred = Float64Array.from({ length: 100 }, (_, i) => i + 1)
  test('nearest rank: a latency some request took, never an interpolation', () => {
    expect([0, 50, 95, 99, 100].map((p) => percentile(oneToHundred, p))).toEqual([1, 50, 95, 99, 100])
    expect(percentile([7], 99)).toBe(7)
    expect(percentile([1, 2, 3, 4], 50)).toBe(2)
    expect(percentile([], 50)).toBeNaN()
    expect(latencyStats([0.123, 0.456, 2.345])).toEqual({
      minMs: 0.12,
      p50Ms: 0.46,
      p95Ms: 2.35,
      p99Ms: 2.35,
      maxMs: 2.35,
    })
  })
  test('1-2-5 buckets from the first non-empty to the last, empty ones between kept', () => {
    expect(histogram([0.3, 0.7, 1.5, 1.5, 30])).toEqual([
      { upToMs: 0.5, count: 1 },
      { upToMs: 1, count: 1 },
      { upToMs: 2, count: 2 },
      { upToMs: 5, count: 0 },
      { upToMs: 10, count: 0 },
      { upToMs: 20, count: 0 },
      { upToMs: 50, count: 1 },
    ])
    expect(histogram([5, 5, 12_000])).toEqual([
      { upToMs: 5, count: 2 },
      ...[10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000].map((upToMs) => ({ upToMs, count: 0 })),
      { upToMs: Infinity, count: 1 },
    ])
    expect(histogram([])).toEqual([])
    expect([bar(10, 10), bar(1, 1000), bar(0, 10), bar(5, 10, 10)]).toEqual([
      '█'.repeat(30),
      '█',
      '',
      '█████',
    ])
  })
})

describe('the load key', () => {
  test('defaults, budgets and rate', () => {
    expect(loadCheck('{requests: 500}').load).toEqual({ requests: 500, concurrency: 10, budgets: {} })
    expect(
      loadCheck(
        '{duration: 30s, concurrency: 4, rate: 50/s, max-p95: 250ms, max-p99: 1s, max-error-rate: 0.5%}',
      ).load,
    ).toEqual({
      durationMs: 30_000,
      concurrency: 4,
      ratePerSecond: 50,
      budgets: { maxP95Ms: 250, maxP99Ms: 1000, maxErrorRate: 0.005 },
    })
    expect([parseRate(20, 'r'), parseRate('2.5 per second', 'r'), parseRate('100 / s', 'r')]).toEqual([
      20, 2.5, 100,
    ])
    expect([parsePercent('1%', 'e'), parsePercent('0%', 'e'), parsePercent('100 %', 'e')]).toEqual([
      0.01, 0, 1,
    ])
  })

  const where = "Input 'checks' item 1 ('api') load"
  test.each([
    ['{requests: 10, duration: 5s}', `${where} needs exactly one of 'requests' (how many) or 'duration'`],
    ['{concurrency: 5}', `${where} needs exactly one of 'requests'`],
    ['{requests: 0}', `${where}.requests must be a whole number from 1 to 1000000 (got 0)`],
    ['{requests: many}', `${where}.requests must be a whole number from 1 to 1000000 (got 'many')`],
    ['{requests: 2000000}', `${where}.requests must be a whole number from 1 to 1000000 (got 2000000)`],
    [
      '{requests: 10, concurrency: 1.5}',
      `${where}.concurrency must be a whole number from 1 to 1000 (got 1.5)`,
    ],
    ['{duration: forever}', `${where}.duration must be a positive duration like 300ms or 2s, at most 600s`],
    [
      '{duration: 11m}',
      `${where}.duration must be a positive duration like 300ms or 2s, at most 600s (got '11m')`,
    ],
    ['{requests: 10, rate: 50/min}', `${where}.rate must be requests per second like 50/s`],
    ['{requests: 10, rate: 0}', `${where}.rate must be requests per second like 50/s, above 0`],
    ['{requests: 10, max-p95: fast}', `${where}.max-p95 must be a positive duration like 300ms or 2s`],
    [
      '{requests: 10, max-error-rate: 0.01}',
      `${where}.max-error-rate must be a percentage from 0% to 100% like 1% or 0.5% (got 0.01)`,
    ],
    ['{requests: 10, max-error-rate: 150%}', `${where}.max-error-rate must be a percentage from 0% to 100%`],
    [
      '{requests: 10, max_p95: 1s}',
      `${where} has unknown key 'max_p95'; allowed: requests, duration, concurrency, rate`,
    ],
    ['1000', `${where} must be a map like {requests: 1000, concurrency: 10} (got 1000)`],
  ])('%s -> %s', (load, message) => {
    expect(() => loadCheck(load)).toThrow(message)
  })
})

describe('runLoad', () => {
  test('sends exactly `requests`, keep-alive, each judged by the check; counts per status', async () => {
    const clock = fakeClock()
    const { deps, requests } = target(
      clock,
      (n) => (n % 10 === 0 ? 500 : 200),
      (n) => n % 100,
    )
    const check = loadCheck('{requests: 200, concurrency: 1}')
    const load = await runLoad(check, check.load!, settings, deps)
    expect(requests).toHaveLength(200)
    expect(requests.every((r) => r.keepAlive === true && r.maxConnections === 1 && r.url === check.url)).toBe(
      true,
    )
    expect(load).toMatchObject({
      requests: 200,
      errors: 20,
      errorRate: 0.1,
      statuses: { '200': 180, '500': 20 },
      stoppedBy: 'requests',
      firstError: "expected status 200-299, got 500 with body 'ok'",
      // Latencies 0..99 ms twice over: nearest rank of 200 values.
      minMs: 0,
      p50Ms: 49,
      p95Ms: 94,
      p99Ms: 98,
      maxMs: 99,
    })
    // Time is the sum of latencies (0+1+...+99, twice) at one in flight.
    expect(load.durationMs).toBe(9900)
    expect(load.rps).toBeCloseTo((200 / 9900) * 1000, 1)
  })

  test('never more than `concurrency` in flight, and all of them used', async () => {
    let inFlight = 0
    let most = 0
    const http: HttpClient = async (request) => {
      inFlight += 1
      most = Math.max(most, inFlight)
      await new Promise((resolve) => setImmediate(resolve))
      inFlight -= 1
      return { status: 200, headers: {}, body: '', url: String(request.url) }
    }
    const clock = fakeClock()
    const check = loadCheck('{requests: 100, concurrency: 7}')
    const load = await runLoad(check, check.load!, settings, {
      http,
      sleep: clock.sleep,
      now: clock.now,
      monotonic: clock.now,
    })
    expect(load.requests).toBe(100)
    expect(most).toBe(7)
  })

  test('a duration stops it by itself; so does the time limit of a run of requests', async () => {
    const clock = fakeClock()
    const { deps, requests } = target(clock)
    const check = loadCheck('{duration: 1s, concurrency: 1}')
    const load = await runLoad(check, check.load!, settings, deps)
    // 10 ms each: requests start at 0, 10, ..., 990 ms.
    expect(requests).toHaveLength(100)
    expect(load).toMatchObject({ requests: 100, durationMs: 1000, stoppedBy: 'duration', rps: 100 })

    const long = loadCheck('{requests: 1000000, concurrency: 1, max-p95: 1s}')
    const cut = await runLoad(long, long.load!, { ...settings, timeLimitMs: 2000 }, target(fakeClock()).deps)
    expect(cut).toMatchObject({ requests: 200, stoppedBy: 'time-limit' })
    expect(budgetMisses(cut, long.load!, 2000)).toEqual([
      "only 200 of 1000000 requests done within the time limit of 2.0s (the check's timeout)",
    ])
  })

  test('a rate spaces the starts', async () => {
    const clock = fakeClock()
    const { deps, startedAt } = target(
      clock,
      () => 200,
      () => 0,
    )
    // One worker: the fake clock's sleeps add up rather than overlap (the integration test has
    // several workers against a real clock).
    const check = loadCheck('{requests: 6, concurrency: 1, rate: 10/s}')
    const load = await runLoad(check, check.load!, settings, deps)
    expect(load.requests).toBe(6)
    const t0 = startedAt[0] ?? 0
    expect(startedAt.map((t) => t - t0)).toEqual([0, 100, 200, 300, 400, 500])
  })

  test('no answer counts as an error under `none`, secrets cut out of the first error', async () => {
    const clock = fakeClock()
    const { deps } = target(clock, (n) => (n <= 2 ? new HttpError('reset', 'reset by tok3n') : 200))
    const check = loadCheck('{requests: 4, concurrency: 1}')
    const load = await runLoad(check, check.load!, { ...settings, secrets: ['tok3n'] }, deps)
    expect(load).toMatchObject({ errors: 2, errorRate: 0.5, statuses: { '200': 2, none: 2 } })
    expect(load.firstError).toBe('reset by ***')
  })
})

describe('budgets', () => {
  const figures = {
    requests: 1000,
    durationMs: 2000,
    rps: 500,
    minMs: 1,
    p50Ms: 20,
    p95Ms: 312.46,
    p99Ms: 640,
    maxMs: 900,
    errorRate: 0.012,
    errors: 12,
    statuses: { '200': 988, '503': 12 },
    stoppedBy: 'requests' as const,
    firstError: "expected status 200-299, got 503 with body 'busy'",
    histogram: [],
  }
  test('each missed budget names the figure and the budget', () => {
    const spec = loadCheck('{requests: 1000, max-p95: 250ms, max-p99: 1s, max-error-rate: 1%}').load!
    expect(budgetMisses(figures, spec, 60_000)).toEqual([
      'p95 312ms is over max-p95 250ms',
      "error rate 1.2% (12 of 1000) is over max-error-rate 1% (first: expected status 200-299, got 503 with body 'busy')",
    ])
    const met = loadCheck('{requests: 1000, max-p95: 313ms, max-p99: 640ms, max-error-rate: 1.2%}').load!
    expect(budgetMisses(figures, met, 60_000)).toEqual([])
  })
})

describe('a load check in the engine', () => {
  const options: EngineOptions = {
    timeoutMs: 60_000,
    requestTimeoutMs: 10_000,
    retryIntervalMs: 1000,
    concurrency: 5,
    followRedirects: false,
    insecure: false,
  }
  test('waits for the check to pass, then loads it; a missed budget fails it', async () => {
    const clock = fakeClock()
    // Refused twice, then 200s taking 1..20 ms.
    const { deps, requests } = target(
      clock,
      (n) => (n <= 2 ? new HttpError('refused', 'connection refused') : 200),
      (n) => (n % 20) + 1,
    )
    const lines: string[] = []
    const [plain, loaded] = await runChecks(
      checks(
        '- url: /health\n- name: api\n  url: /api\n  load: {requests: 100, concurrency: 2, max-p95: 15ms}',
      ),
      options,
      { ...deps, random: () => 0.5, log: (line) => lines.push(line) },
    )
    expect(plain).toMatchObject({ ok: true })
    expect(plain?.load).toBeUndefined()
    expect(loaded).toMatchObject({
      ok: false,
      status: 200,
      load: { requests: 100, errors: 0, stoppedBy: 'requests' },
    })
    expect(loaded?.error).toMatch(/^p95 \d+(\.\d+)?ms is over max-p95 15ms$/)
    // Two refusals and a pass for one of the checks, a pass for the other, then the load.
    expect(requests.filter((r) => r.keepAlive).length).toBe(100)
    expect(requests.length).toBe(104)
    expect(lines).toContain('… api: load: 100 requests, 2 at a time')
    const summary = resultsSummary('Smoke test', [plain!, loaded!])
    expect(summary).toContain('#### Load: api')
    expect(summary).toContain(
      '| Requests | Duration | Req/s | p50 | p95 | p99 | Max | Error rate | Statuses |',
    )
    expect(summary).toMatch(/\| ≤ 20ms \| \d+ \| █+ \|/)
  })

  test('a check that never passes runs no load', async () => {
    const clock = fakeClock()
    const { deps, requests } = target(clock, () => 503)
    const [result] = await runChecks(
      checks('- name: api\n  url: /api\n  load: {requests: 100}'),
      { ...options, timeoutMs: 5000 },
      {
        ...deps,
        random: () => 0.5,
        log: () => undefined,
      },
    )
    expect(result).toMatchObject({ ok: false, status: 503 })
    expect(result?.load).toBeUndefined()
    expect(requests.every((r) => r.keepAlive !== true)).toBe(true)
  })
})
