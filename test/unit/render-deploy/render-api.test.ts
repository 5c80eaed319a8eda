import { describe, expect, it } from '@jest/globals'
import { fakeClock } from '../../helpers/clock.js'
import { HttpError, type HttpRequest, type HttpResponse } from '../../../src/lib/http/client.js'
import { RenderApi } from '../../../src/render-deploy/render-api.js'
import { RenderApiError, TransientRenderError } from '../../../src/render-deploy/render-errors.js'
import { sendWithRetry, type ApiPorts } from '../../../src/render-deploy/render-http.js'

type Answer = Partial<HttpResponse> | Error

function portsAnswering(answers: Answer[]) {
  const clock = fakeClock()
  const requests: HttpRequest[] = []
  const lines: string[] = []
  const ports: ApiPorts = {
    http: async (request) => {
      requests.push(request)
      const answer = answers.shift() ?? { status: 200 }
      if (answer instanceof Error) throw answer
      return { status: 200, headers: {}, body: '', url: String(request.url), ...answer }
    },
    sleep: clock.sleep,
    now: clock.now,
    random: () => 0.5,
    log: (line) => void lines.push(line),
  }
  return { ports, clock, requests, lines }
}

const opts = (idempotent: boolean, deadlineIn = 600_000, now = fakeClock().now()) => ({
  idempotent,
  deadline: now + deadlineIn,
  what: 'doing it',
  secrets: ['rnd_s3cret'],
})

describe('sendWithRetry', () => {
  it('waits as Retry-After asks on 429', async () => {
    const { ports, clock, lines } = portsAnswering([
      { status: 429, headers: { 'retry-after': '7' } },
      { status: 200 },
    ])
    const response = await sendWithRetry(ports, { url: 'https://x/' }, opts(true))
    expect(response.status).toBe(200)
    expect(clock.sleeps).toHaveLength(1)
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(7000)
    expect(clock.sleeps[0]).toBeLessThan(7300)
    expect(lines[0]).toContain('Render rate limit reached (HTTP 429) (it asks to wait 7.0s) while doing it')
  })

  it('waits as Ratelimit-Reset asks on 429', async () => {
    const { ports, clock } = portsAnswering([
      { status: 429, headers: { 'ratelimit-reset': '3' } },
      { status: 201 },
    ])
    await sendWithRetry(ports, { url: 'https://x/', method: 'POST' }, opts(false))
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(3000)
  })

  it('backs off on 429 without a hint, and on 5xx for a GET', async () => {
    const { ports, clock } = portsAnswering([
      { status: 429 },
      { status: 500 },
      { status: 502 },
      { status: 200 },
    ])
    await sendWithRetry(ports, { url: 'https://x/' }, opts(true))
    expect(clock.sleeps).toEqual([1000, 2000, 4000])
  })

  it('retries a GET through network errors', async () => {
    const { ports } = portsAnswering([
      new HttpError('reset', 'connection reset'),
      new HttpError('timeout', 'slow'),
      {},
    ])
    expect((await sendWithRetry(ports, { url: 'https://x/' }, opts(true))).status).toBe(200)
  })

  it('retries a POST only when it cannot have been processed', async () => {
    const safe = portsAnswering([{ status: 503 }, new HttpError('refused', 'refused'), { status: 201 }])
    expect((await sendWithRetry(safe.ports, { url: 'https://x/', method: 'POST' }, opts(false))).status).toBe(
      201,
    )

    const five = portsAnswering([{ status: 500 }, { status: 201 }])
    expect((await sendWithRetry(five.ports, { url: 'https://x/', method: 'POST' }, opts(false))).status).toBe(
      500,
    )
    expect(five.requests).toHaveLength(1)

    const reset = portsAnswering([new HttpError('reset', 'connection reset'), { status: 201 }])
    await expect(
      sendWithRetry(reset.ports, { url: 'https://x/', method: 'POST' }, opts(false)),
    ).rejects.toThrow('may or may not have been processed')
    expect(reset.requests).toHaveLength(1)
  })

  it('gives up after 6 attempts with a transient error', async () => {
    const { ports, requests } = portsAnswering(
      Array.from({ length: 10 }, () => new HttpError('reset', 'reset')),
    )
    await expect(sendWithRetry(ports, { url: 'https://x/' }, opts(true))).rejects.toThrow(
      TransientRenderError,
    )
    expect(requests).toHaveLength(6)
  })

  it('returns the last 5xx answer after 6 attempts', async () => {
    const { ports, requests } = portsAnswering(Array.from({ length: 10 }, () => ({ status: 503 })))
    expect((await sendWithRetry(ports, { url: 'https://x/' }, opts(true))).status).toBe(503)
    expect(requests).toHaveLength(6)
  })

  it('does not sleep past the deadline', async () => {
    const { ports, clock } = portsAnswering([{ status: 429, headers: { 'retry-after': '60' } }])
    await expect(sendWithRetry(ports, { url: 'https://x/' }, opts(true, 10_000))).rejects.toThrow(
      /would pass the deadline/,
    )
    expect(clock.sleeps).toEqual([])
  })

  it('does not retry DNS or TLS failures, and redacts secrets from the message', async () => {
    const { ports, requests } = portsAnswering([new HttpError('tls', 'bad cert for rnd_s3cret')])
    await expect(sendWithRetry(ports, { url: 'https://x/' }, opts(true))).rejects.toThrow('bad cert for ***')
    expect(requests).toHaveLength(1)
  })
})

describe('RenderApi', () => {
  const api = (answers: Answer[]) => {
    const harness = portsAnswering(answers)
    return {
      ...harness,
      client: new RenderApi('https://api.render.com/v1', 'rnd_s3cret', harness.ports, ['rnd_s3cret']),
    }
  }

  it('sends the bearer key and the trigger body, and returns the 201 deploy', async () => {
    const { client, requests } = api([
      { status: 201, body: JSON.stringify({ id: 'dep-1', status: 'created' }) },
    ])
    const deploy = await client.triggerDeploy(
      'srv-a',
      { clearCache: 'do_not_clear', commitId: 'abcdef1' },
      Infinity,
    )
    expect(deploy).toEqual({ id: 'dep-1', status: 'created' })
    expect(requests[0]).toMatchObject({
      url: 'https://api.render.com/v1/services/srv-a/deploys',
      method: 'POST',
      body: '{"clearCache":"do_not_clear","commitId":"abcdef1"}',
    })
    expect(requests[0]?.headers?.Authorization).toBe('Bearer rnd_s3cret')
  })

  it('returns undefined for a 202 without a body', async () => {
    const { client } = api([{ status: 202, body: '' }])
    expect(await client.triggerDeploy('srv-a', { clearCache: 'clear' }, Infinity)).toBeUndefined()
  })

  it('unwraps the [{ deploy, cursor }] list and passes the filters', async () => {
    const body = JSON.stringify([
      { deploy: { id: 'dep-2', status: 'queued' }, cursor: 'c2' },
      { cursor: 'c1' },
    ])
    const { client, requests } = api([{ status: 200, body }])
    const list = await client.listDeploys(
      'srv-a',
      { status: 'queued', createdAfter: '2026-01-01T00:00:00.000Z' },
      Infinity,
    )
    expect(list).toEqual([{ id: 'dep-2', status: 'queued' }])
    expect(String(requests[0]?.url)).toBe(
      'https://api.render.com/v1/services/srv-a/deploys?status=queued&createdAfter=2026-01-01T00%3A00%3A00.000Z&limit=20',
    )
  })

  it.each([
    [401, 'Render rejected the API key (HTTP 401) while looking up service srv-a'],
    [403, 'Render rejected the API key (HTTP 403)'],
    [404, "Render service 'srv-a' was not found (HTTP 404): check 'service-id'"],
    [400, 'Render answered HTTP 400 while looking up service srv-a. Render said: bad thing *** here'],
  ])('explains HTTP %i', async (status, message) => {
    const { client } = api([
      { status, body: JSON.stringify({ id: 'x', message: 'bad thing rnd_s3cret here' }) },
    ])
    const error = await client.getService('srv-a', Infinity).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RenderApiError)
    expect((error as Error).message).toContain(message)
    expect((error as Error).message).not.toContain('rnd_s3cret')
  })
})
