import type { HttpClient, HttpRequest } from '../../../src/lib/http/client.js'
import {
  parseSmokeTestOptions,
  runSmokeTest,
  smokeTestOutputs,
  smokeTestSecrets,
} from '../../../src/smoke-test/api.js'
import { run } from '../../../src/smoke-test/main.js'
import { fakeClock } from '../../helpers/clock.js'
import { inputsOf, recordingIO } from '../../helpers/io.js'
import { stub, unexpectedExec } from '../../helpers/stub.js'

describe('parseSmokeTestOptions', () => {
  test('url and checks together, with top-level defaults inherited', async () => {
    const inputs = await parseSmokeTestOptions(
      inputsOf({
        url: 'https://a.example.com/health, https://b.example.com/',
        checks: '- url: /api\n  expect-status: 401',
        'base-url': 'https://a.example.com',
        headers: 'X-Env: staging',
        'expect-status': '2xx',
        timeout: '2m',
        concurrency: '3',
      }),
    )
    expect(inputs.checks.map((c) => [c.name, c.url.href, c.headers])).toEqual([
      ['https://a.example.com/health', 'https://a.example.com/health', { 'X-Env': 'staging' }],
      ['https://b.example.com/', 'https://b.example.com/', { 'X-Env': 'staging' }],
      ['GET /api', 'https://a.example.com/api', { 'X-Env': 'staging' }],
    ])
    expect(inputs.checks[2]?.expectStatus.matches(401)).toBe(true)
    expect(inputs.engine).toEqual({
      timeoutMs: 120_000,
      requestTimeoutMs: 10_000,
      retryIntervalMs: 1000,
      concurrency: 3,
      followRedirects: true,
      insecure: false,
      secrets: [],
    })
  })

  test('credentials become the Authorization header', async () => {
    expect(
      (await parseSmokeTestOptions(inputsOf({ url: 'http://x', 'bearer-token': 'tok' }))).checks[0]?.headers,
    ).toEqual({
      Authorization: 'Bearer tok',
    })
    expect(
      (await parseSmokeTestOptions(inputsOf({ url: 'http://x', 'basic-auth': 'u:p' }))).checks[0]?.headers,
    ).toEqual({
      Authorization: `Basic ${Buffer.from('u:p').toString('base64')}`,
    })
  })

  test.each([
    [{}, "Set 'url' (one or more URLs) or 'checks'"],
    [{ url: 'not a url' }, "Input 'url' 'not a url' is relative: make it absolute or set a base URL"],
    [{ url: 'http://x', 'expect-status': '2xxx' }, "Input 'expect-status' must be statuses like"],
    [{ url: 'http://x', 'expect-body': '[' }, "Input 'expect-body' is not a valid regular expression"],
    [{ url: 'http://x', timeout: 'soon' }, "Input 'timeout' must be a positive duration"],
    [{ url: 'http://x', 'retry-interval': '0' }, "Input 'retry-interval' must be a positive duration"],
    [
      { url: 'http://x', concurrency: '0' },
      "Input 'concurrency' must be a whole number of 1 or more (got '0')",
    ],
    [{ url: 'http://x', insecure: 'yes' }, "Input 'insecure' must be true or false (got 'yes')"],
    [{ url: 'http://x', method: 'BREW' }, "Input 'method' must be one of"],
    [
      { url: 'http://x', headers: 'no colon' },
      "Input 'headers' must be 'Name: value' lines (got 'no colon')",
    ],
    [
      { url: 'http://x', 'base-url': 'nope' },
      "Input 'base-url' must be an absolute http(s) URL (got 'nope')",
    ],
    [{ url: 'http://x', 'basic-auth': 'nocolon' }, "Input 'basic-auth' must be user:password"],
    [
      { url: 'http://x', 'bearer-token': 't', 'basic-auth': 'u:p' },
      "Inputs 'bearer-token' and 'basic-auth' cannot",
    ],
    [{ url: 'http://x, http://x' }, "Check 'http://x/' is listed twice"],
    [{ checks: '- url: http://x\n  retries: 3' }, "Input 'checks' item 1 has unknown key 'retries'"],
  ])('%j -> %s', async (values, message) => {
    await expect(parseSmokeTestOptions(inputsOf(values as Record<string, string>))).rejects.toThrow(message)
  })
})

describe('run', () => {
  const deps = (values: Record<string, string>, http: HttpClient) => {
    const clock = fakeClock()
    const io = recordingIO()
    return {
      io,
      clock,
      deps: {
        io,
        getInput: inputsOf(values),
        env: {},
        exec: unexpectedExec,
        http,
        sleep: clock.sleep,
        now: clock.now,
        random: () => 0.5,
        monotonic: clock.now,
      },
    }
  }

  test('passing checks set outputs and a summary table', async () => {
    const http: HttpClient = async (r: HttpRequest) => ({
      status: 200,
      headers: {},
      body: 'ok',
      url: String(r.url),
    })
    const { io: io, deps: d } = deps({ url: 'http://a.test/health\nhttp://b.test/' }, http)
    await run(d)
    expect(io.failures).toEqual([])
    expect(io.outputs.passed).toBe('2')
    expect(io.outputs.failed).toBe('0')
    expect(JSON.parse(io.outputs.results ?? '')).toEqual([
      {
        name: 'http://a.test/health',
        url: 'http://a.test/health',
        ok: true,
        status: 200,
        attempts: 1,
        latencyMs: 0,
        error: null,
      },
      {
        name: 'http://b.test/',
        url: 'http://b.test/',
        ok: true,
        status: 200,
        attempts: 1,
        latencyMs: 0,
        error: null,
      },
    ])
    expect(io.summary).toContain('Smoke test: 2/2 passed')
    expect(io.summary).toContain('| http://a.test/health | http://a.test/health | ✅ pass | 200 | 1 | 0 ms |')
  })

  test('a failing check fails the step with one line naming it', async () => {
    const http: HttpClient = async (r) =>
      String(r.url).includes('bad')
        ? { status: 500, headers: {}, body: 'db down', url: String(r.url) }
        : { status: 200, headers: {}, body: '', url: String(r.url) }
    const { io, deps: d } = deps({ url: 'http://ok.test/, http://bad.test/', timeout: '5s' }, http)
    await run(d)
    expect(io.failures).toEqual([
      "1 of 2 checks failed: http://bad.test/: expected status 200-299, got 500 with body 'db down'",
    ])
    expect(io.outputs.failed).toBe('1')
  })

  test('bad input fails before any request and secrets are masked first', async () => {
    const http = stub<{ call: HttpClient }>({}).call
    const { io, deps: d } = deps({ url: 'http://x', 'bearer-token': 'sekrit-token', timeout: 'never' }, http)
    await run(d)
    expect(io.secrets[0]).toBe('sekrit-token')
    expect(io.failures).toEqual([
      "Invalid configuration: Input 'timeout' must be a positive duration like 500ms, 30s, 10m, 1h or a number of seconds (got 'never')",
    ])
    expect(io.log()).not.toContain('sekrit-token')
  })
})

describe('the api surface', () => {
  const ports = (http: HttpClient) => {
    const clock = fakeClock()
    const io = recordingIO()
    return { io, ports: { io, http, sleep: clock.sleep, now: clock.now, random: () => 0.5 } }
  }

  test('runSmokeTest returns the result, summary and failure; it writes no outputs itself', async () => {
    const http: HttpClient = async (r) =>
      String(r.url).includes('bad')
        ? { status: 503, headers: {}, body: 'down', url: String(r.url) }
        : { status: 200, headers: {}, body: 'ok', url: String(r.url) }
    const { io, ports: p } = ports(http)
    const options = await parseSmokeTestOptions(
      inputsOf({ url: 'http://ok.test/, http://bad.test/', timeout: '3s' }),
    )
    const result = await runSmokeTest(p, options)
    expect(result).toMatchObject({ passed: 1, failed: 1 })
    expect(result.results.map((r) => [r.url, r.ok])).toEqual([
      ['http://ok.test/', true],
      ['http://bad.test/', false],
    ])
    expect(result.failure).toBe(
      "1 of 2 checks failed: http://bad.test/: expected status 200-299, got 503 with body 'down'",
    )
    expect(result.summary).toContain('Smoke test: 1/2 passed')
    expect(io.outputs).toEqual({})
    expect(io.summary).toBe('')
    expect(smokeTestOutputs(result)).toEqual({
      passed: '1',
      failed: '1',
      results: JSON.stringify(result.results),
    })
  })

  test('a passing run has no failure', async () => {
    const { ports: p } = ports(async (r) => ({ status: 200, headers: {}, body: '', url: String(r.url) }))
    const result = await runSmokeTest(p, await parseSmokeTestOptions(inputsOf({ url: 'http://ok.test/' })))
    expect(result.failure).toBeUndefined()
  })

  test('smokeTestSecrets: the token, the user:pass and the password alone', () => {
    expect(smokeTestSecrets(inputsOf({ 'bearer-token': ' tok ' }))).toEqual(['tok'])
    expect(smokeTestSecrets(inputsOf({ 'basic-auth': 'admin:s3cret' }))).toEqual(['admin:s3cret', 's3cret'])
    expect(smokeTestSecrets(inputsOf({ 'smoke-token': 'x' }), { 'bearer-token': 'smoke-token' })).toEqual([
      'x',
    ])
    expect(smokeTestSecrets(inputsOf({}))).toEqual([])
  })

  test('masks the pair, the password and the header value of basic-auth before parsing', async () => {
    const { io, deps: d } = (() => {
      const clock = fakeClock()
      const io = recordingIO()
      return {
        io,
        deps: {
          io,
          getInput: inputsOf({ url: 'http://x', 'basic-auth': 'admin:s3cret', timeout: 'never' }),
          env: {},
          exec: unexpectedExec,
          http: stub<{ call: HttpClient }>({}).call,
          sleep: clock.sleep,
          now: clock.now,
          random: () => 0.5,
          monotonic: clock.now,
        },
      }
    })()
    await run(d)
    expect(io.secrets).toEqual(
      expect.arrayContaining(['admin:s3cret', Buffer.from('admin:s3cret').toString('base64'), 's3cret']),
    )
    expect(io.failures[0]).toContain("Input 'timeout' must be a positive duration")
  })

  test('under a composing action’s names, reads and messages use them', async () => {
    const get = inputsOf({ url: 'http://x', 'smoke-timeout': 'soon' })
    await expect(parseSmokeTestOptions(get, { timeout: 'smoke-timeout' })).rejects.toThrow(
      "Input 'smoke-timeout' must be a positive duration",
    )
    await expect(parseSmokeTestOptions(inputsOf({}), { url: 'smoke-url' })).rejects.toThrow(
      "Set 'smoke-url' (one or more URLs) or 'checks'",
    )
    await expect(
      parseSmokeTestOptions(inputsOf({ 'smoke-checks': '- url: /x' }), { checks: 'smoke-checks' }),
    ).rejects.toThrow("Input 'smoke-checks' item 1 url '/x' is relative")
  })
})
