import {
  followRedirects,
  HttpError,
  isTransientHttp,
  redactUrl,
  retryAfterMs,
  type HttpClient,
  type HttpRequest,
} from '../../../src/lib/http/client.js'

describe('followRedirects', () => {
  const chain = (responses: { status: number; location?: string }[]) => {
    const seen: HttpRequest[] = []
    const client: HttpClient = async (request) => {
      seen.push(request)
      const next = responses.shift() ?? { status: 200 }
      const headers: Record<string, string> = next.location ? { location: next.location } : {}
      return {
        status: next.status,
        headers,
        body: '',
        url: String(request.url),
      }
    }
    return { client, seen }
  }

  test('303 and a POST after 301/302 become a GET without a body; 307/308 keep the method', async () => {
    const { client, seen } = chain([
      { status: 302, location: '/a' },
      { status: 307, location: 'http://other.test/b' },
      { status: 303, location: '/c' },
    ])
    const result = await followRedirects(client, {
      url: 'http://app.test/start',
      method: 'POST',
      body: 'x',
      timeoutMs: 1000,
    })
    expect(result.redirects).toBe(3)
    expect(seen.map((r) => [String(r.url), r.method, r.body])).toEqual([
      ['http://app.test/start', 'POST', 'x'],
      ['http://app.test/a', 'GET', undefined],
      ['http://other.test/b', 'GET', undefined],
      ['http://other.test/c', 'GET', undefined],
    ])
  })

  test('stops after too many redirects', async () => {
    const { client } = chain(Array.from({ length: 20 }, () => ({ status: 301, location: '/loop' })))
    await expect(
      followRedirects(client, { url: 'http://app.test/', timeoutMs: 1000 }, { max: 3 }),
    ).rejects.toThrow('more than 3 redirects, last to /loop')
  })

  test('the timeout covers the whole chain', async () => {
    let now = 0
    const client: HttpClient = async (request) => {
      now += 600
      return { status: 302, headers: { location: '/next' }, body: '', url: String(request.url) }
    }
    await expect(
      followRedirects(client, { url: 'http://app.test/', timeoutMs: 1000 }, { now: () => now }),
    ).rejects.toMatchObject({ code: 'timeout' })
  })
})

describe('retry helpers', () => {
  test.each([
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [401, false],
    [404, false],
  ])('status %d transient: %s', (status, transient) => expect(isTransientHttp(status)).toBe(transient))

  test('network errors are transient except DNS and TLS', () => {
    expect(isTransientHttp(new HttpError('reset', 'x'))).toBe(true)
    expect(isTransientHttp(new HttpError('timeout', 'x'))).toBe(true)
    expect(isTransientHttp(new HttpError('dns', 'x'))).toBe(false)
    expect(isTransientHttp(new HttpError('tls', 'x'))).toBe(false)
    expect(isTransientHttp(new Error('x'))).toBe(false)
  })

  test('Retry-After in seconds or as a date, RateLimit-Reset as seconds or epoch', () => {
    const now = Date.parse('2026-11-22T12:00:00Z')
    expect(retryAfterMs({ 'retry-after': '3' }, now)).toBe(3000)
    expect(retryAfterMs({ 'retry-after': 'Sun, 22 Nov 2026 12:00:05 GMT' }, now)).toBe(5000)
    expect(retryAfterMs({ 'ratelimit-reset': '7' }, now)).toBe(7000)
    expect(retryAfterMs({ 'ratelimit-reset': String(now / 1000 + 9) }, now)).toBe(9000)
    expect(retryAfterMs({}, now)).toBeUndefined()
  })
})

test.each([
  ['https://user:pass@github.com/a/b.tar.gz?token=abc#x', 'https://github.com/a/b.tar.gz'],
  ['http://127.0.0.1:8080/blob/1?sig=ok', 'http://127.0.0.1:8080/blob/1'],
  ['not a url', '(invalid URL)'],
])('redactUrl(%s)', (url, shown) => {
  expect(redactUrl(url)).toBe(shown)
})
