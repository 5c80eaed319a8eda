import {
  jsonEqual,
  parseChecks,
  parseStatusSet,
  resolveCheckUrl,
  valueAtPath,
  type CheckDefaults,
} from '../../../src/lib/smoke/index.js'

const defaults: CheckDefaults = {
  baseUrl: new URL('https://staging.example.com/app'),
  method: 'GET',
  headers: { 'X-Trace': '1' },
  expectStatus: parseStatusSet('200-299', 'test'),
}

describe('status sets', () => {
  test.each([
    ['200', [200], [201, 500]],
    ['2xx', [200, 204, 299], [300, 199]],
    ['200-299', [200, 250, 299], [300]],
    ['200,301', [200, 301], [302]],
    ['2xx, 404', [201, 404], [403]],
  ])('%s', (text, good, bad) => {
    const set = parseStatusSet(text, "Input 'expect-status'")
    for (const s of good) expect(set.matches(s)).toBe(true)
    for (const s of bad) expect(set.matches(s)).toBe(false)
  })

  test.each(['ok', '2xxx', '299-200', '200-700', '6xx', ''])(
    '%s is rejected with the input named',
    (text) => {
      expect(() => parseStatusSet(text, "Input 'expect-status'")).toThrow(/^Input 'expect-status'/)
    },
  )
})

describe('JSON paths', () => {
  const data = { status: 'ok', db: { ok: true }, items: [{ id: 7 }] }
  test.each([
    ['status', 'ok'],
    ['db.ok', true],
    ['items.0.id', 7],
    ['db.missing', undefined],
    ['items.x', undefined],
    ['status.length', undefined],
  ])('%s', (path, value) => expect(valueAtPath(data, path)).toEqual(value))

  test('structural equality ignores key order', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true)
    expect(jsonEqual({ a: 1 }, { a: '1' })).toBe(false)
    expect(jsonEqual([1], { 0: 1 })).toBe(false)
  })
})

describe('check URLs', () => {
  test.each([
    ['/health/', 'https://staging.example.com/app/health/'],
    ['health', 'https://staging.example.com/app/health'],
    ['/api?x=1', 'https://staging.example.com/app/api?x=1'],
    ['http://other:8080/x', 'http://other:8080/x'],
  ])('%s -> %s', (text, href) => expect(resolveCheckUrl(text, defaults.baseUrl, 'url').href).toBe(href))

  test('relative without a base is an error', () => {
    expect(() => resolveCheckUrl('/health', undefined, "Input 'url'")).toThrow(
      "Input 'url' '/health' is relative: make it absolute or set a base URL",
    )
  })
})

describe('parseChecks', () => {
  test('YAML list with every key', async () => {
    const [check] = await parseChecks(
      `
- name: api
  url: /api/items
  method: post
  headers: { Accept: application/json }
  body: { title: x }
  expect-status: 201
  expect-body: created
  expect-json: { "status": "ok", "db.ok": true }
  max-latency: 500ms
`,
      defaults,
      'checks',
    )
    expect(check).toMatchObject({
      name: 'api',
      method: 'POST',
      headers: { 'X-Trace': '1', Accept: 'application/json', 'Content-Type': 'application/json' },
      body: '{"title":"x"}',
      expectJson: { status: 'ok', 'db.ok': true },
      maxLatencyMs: 500,
    })
    expect(check?.url.href).toBe('https://staging.example.com/app/api/items')
    expect(check?.expectStatus.matches(201)).toBe(true)
    expect(check?.expectStatus.matches(200)).toBe(false)
    expect(check?.expectBody?.source).toBe('created')
  })

  test('JSON works too, and defaults are inherited', async () => {
    const checks = await parseChecks(
      '[{"url": "/health/"}, {"url": "/ready", "name": "ready"}]',
      defaults,
      'checks',
    )
    expect(checks.map((c) => c.name)).toEqual(['GET /app/health/', 'ready'])
    expect(checks[0]?.expectStatus).toBe(defaults.expectStatus)
  })

  test.each([
    ['- url: /x\n  expect_status: 200', "Input 'checks' item 1 has unknown key 'expect_status'"],
    ['- name: x', "Input 'checks' item 1 needs a 'url'"],
    ['url: /x', "Input 'checks' must be a list of checks"],
    ['- [1, 2]', "Input 'checks' item 1 must be an object"],
    ['- url: /x\n  expect-status: fine', "Input 'checks' item 1 expect-status must be statuses like"],
    ['- url: /x\n  expect-body: "("', "Input 'checks' item 1 expect-body is not a valid regular expression"],
    ['- url: /x\n  max-latency: soon', "Input 'checks' item 1 max-latency must be a positive duration"],
    ['- url: /x\n  method: FETCH', "Input 'checks' item 1 method must be one of"],
    ['- url: /x\n  expect-json: [1]', "Input 'checks' item 1 expect-json must map dotted paths"],
    ['- url: /x\n- url: /x', "Input 'checks' item 2 repeats the check name 'GET /app/x'"],
    ['- url: "ftp://x"', "Input 'checks' item 1 url must be an http or https URL"],
    ['- url: /x\n  headers: {"bad header": 1}', "Input 'checks' item 1 headers must be 'Name: value' lines"],
    ['- url: [unclosed', "Input 'checks' is not valid YAML or JSON"],
  ])('%j is rejected', async (text, message) => {
    await expect(parseChecks(text, defaults, 'checks')).rejects.toThrow(message)
  })
})
