import { describe, expect, it } from '@jest/globals'
import type { HttpClient, HttpResponse } from '../../../src/lib/http/client.js'
import { cancelTimedOut } from '../../../src/render-deploy/cancel.js'
import {
  describeFailureReason,
  eventReason,
  formatLogLines,
  reasonFrom,
} from '../../../src/render-deploy/diagnosis.js'
import { RenderApi, type RenderEvent } from '../../../src/render-deploy/render-api.js'
import { fromRenderApplication } from '../../../src/render-deploy/render-http.js'
import { serviceFacts } from '../../../src/render-deploy/service.js'
import { Timeline } from '../../../src/render-deploy/wait.js'

const event = (type: string, details: Record<string, unknown>, id = 'evt-1'): RenderEvent => ({
  id,
  type,
  timestamp: '2026-01-01T12:00:00Z',
  details,
})

describe('describeFailureReason (failureReason of the events)', () => {
  it.each([
    [{ nonZeroExit: 137 }, 'the application exited with status 137'],
    [{ oomKilled: { memoryLimit: '2Gi' } }, 'the application ran out of memory (limit 2Gi)'],
    [{ timedOutSeconds: 600 }, 'it timed out after 600s'],
    [{ unhealthy: 'port 10000 not open' }, 'the instance was unhealthy: port 10000 not open'],
    [
      { earlyExit: true, evicted: false },
      'the application exited early (a service must run until Render stops it)',
    ],
    [{ evicted: true, evictionReason: 'node drained' }, 'the instance was evicted: node drained'],
  ])('%j', (reason, said) => {
    expect(describeFailureReason(reason)).toBe(said)
  })

  it('says nothing for an empty reason', () => {
    expect(describeFailureReason({ evicted: false })).toBeUndefined()
  })
})

describe('eventReason and reasonFrom', () => {
  it('reads reason.failure of deploy_ended, reason of server_failed, and image pull failures', () => {
    expect(eventReason(event('deploy_ended', { reason: { failure: { nonZeroExit: 2 } } }))).toBe(
      'the application exited with status 2',
    )
    expect(eventReason(event('server_failed', { reason: { oomKilled: { memoryLimit: '512Mi' } } }))).toBe(
      'the application ran out of memory (limit 512Mi)',
    )
    expect(eventReason(event('image_pull_failed', { imageURL: 'x', message: 'manifest unknown' }))).toBe(
      'the image could not be pulled: manifest unknown',
    )
    expect(eventReason(event('deploy_ended', { reason: { buildFailed: { id: 'bld-1' } } }))).toBeUndefined()
  })

  it("prefers the deploy's own deploy_ended over other events of the window", () => {
    const events = [
      event('server_failed', { reason: { nonZeroExit: 9 } }, 'evt-other'),
      event('deploy_ended', { deployId: 'dep-a', reason: { failure: { unhealthy: 'no' } } }),
    ]
    expect(reasonFrom(events, 'dep-a')).toBe('the instance was unhealthy: no')
    expect(reasonFrom(events, 'dep-b')).toBe('the application exited with status 9')
  })
})

describe('formatLogLines', () => {
  it('oldest first, same-millisecond lines in the order printed, secrets cut out', () => {
    const logs = [
      { message: 'third token=s3cret', timestamp: '2026-01-01T12:00:01Z' },
      { message: 'second', timestamp: '2026-01-01T12:00:00Z' },
      { message: 'first', timestamp: '2026-01-01T12:00:00Z' },
    ]
    expect(formatLogLines(logs, ['s3cret'])).toEqual([
      '2026-01-01T12:00:00Z first',
      '2026-01-01T12:00:00Z second',
      '2026-01-01T12:00:01Z third token=***',
    ])
  })

  it('keeps a multi-line message on one line, so no line of it can be a workflow command', () => {
    const lines = formatLogLines([{ message: 'boom\n::error::fake\r\n::add-mask::x', timestamp: 't' }], [])
    expect(lines).toEqual(['t boom ⏎ ::error::fake ⏎ ::add-mask::x'])
  })
})

describe('serviceFacts', () => {
  it.each([
    ['web_service', 'https://web.onrender.com', 'https://web.onrender.com', undefined],
    ['static_site', 'https://site.onrender.com', 'https://site.onrender.com', undefined],
    ['private_service', 'queue:10000', undefined, 'queue:10000'],
    ['private_service', 'http://queue:10000', undefined, 'http://queue:10000'],
    ['background_worker', undefined, undefined, undefined],
    ['cron_job', undefined, undefined, undefined],
  ])('a %s with url %s has public URL %s', (type, url, publicUrl, internal) => {
    const facts = serviceFacts({ id: 'srv-a', type, serviceDetails: url === undefined ? {} : { url } })
    expect(facts.publicUrl).toBe(publicUrl)
    expect(facts.internalAddress).toBe(internal)
  })

  it('auto-deploy is on only for yes', () => {
    expect(serviceFacts({ id: 'srv-a', autoDeploy: 'yes' }).autoDeploy).toBe(true)
    expect(serviceFacts({ id: 'srv-a', autoDeploy: 'no' }).autoDeploy).toBe(false)
    expect(serviceFacts({ id: 'srv-a' }).autoDeploy).toBe(false)
  })
})

describe("fromRenderApplication (a 503 Render's API wrote, not its proxy)", () => {
  const answer = (contentType: string, body: string) => ({
    status: 503,
    headers: (contentType === '' ? {} : { 'content-type': contentType }) as Record<string, string>,
    body,
    url: 'https://api.render.com/v1/services/srv-a/deploys',
  })
  it.each([
    ['application/json; charset=utf-8', '{"id":"unavailable","message":"try later"}', true],
    ['application/json', '{"message":"try later"}', true],
    ['application/json', '{"error":"upstream"}', false],
    ['text/html', '<html>503 Service Unavailable</html>', false],
    ['', '', false],
    ['application/json', 'not json', false],
  ])('%s %s', (contentType, body, expected) => {
    expect(fromRenderApplication(answer(contentType, body))).toBe(expected)
  })
})

describe('cancelTimedOut', () => {
  const timeline = () =>
    new Timeline(
      0,
      () => 0,
      () => undefined,
    )
  const deps = { now: () => 0, log: () => undefined, timeline: timeline(), secrets: [] }
  function api(answers: Record<string, () => HttpResponse>) {
    const calls: string[] = []
    const http: HttpClient = async (request) => {
      const key = `${request.method ?? 'GET'} ${new URL(String(request.url)).pathname}`
      calls.push(key)
      const answer = answers[key]
      if (answer === undefined) throw new Error(`unexpected ${key}`)
      return answer()
    }
    const ports = { http, sleep: async () => undefined, now: () => 0, random: () => 0, log: () => undefined }
    return { client: new RenderApi('https://api.render.com/v1', 'k', ports, []), calls }
  }
  const json = (status: number, value: unknown): HttpResponse => ({
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
    url: '',
  })
  const running = { id: 'dep-1', status: 'build_in_progress' }

  it('cancels through the API and names the live deploy the service stays on', async () => {
    const { client, calls } = api({
      'POST /v1/services/srv-a/deploys/dep-1/cancel': () => json(200, { id: 'dep-1', status: 'canceled' }),
      'GET /v1/services/srv-a/deploys': () =>
        json(200, [{ deploy: { id: 'dep-0', status: 'live', commit: { id: 'abcdef1234' } }, cursor: 'c' }]),
    })
    const result = await cancelTimedOut(client, 'srv-a', running, deps)
    expect(result).toEqual({
      canceled: true,
      status: 'canceled',
      message: 'Canceled deploy dep-1 through the API. The service stays on deploy dep-0 (commit abcdef1).',
    })
    expect(calls[0]).toBe('POST /v1/services/srv-a/deploys/dep-1/cancel')
  })

  it('a deploy that finished just after the timeout: says how it ended instead', async () => {
    const { client } = api({
      'POST /v1/services/srv-a/deploys/dep-1/cancel': () =>
        json(400, { id: 'invalid', message: 'deploy is live, not in progress' }),
      'GET /v1/services/srv-a/deploys/dep-1': () => json(200, { id: 'dep-1', status: 'live' }),
    })
    const result = await cancelTimedOut(client, 'srv-a', running, deps)
    expect(result.canceled).toBe(false)
    expect(result.status).toBe('live')
    expect(result.message).toContain(
      'Deploy dep-1 was not canceled: it ended live just after the wait timed out',
    )
  })

  it('a cancel Render refuses for a deploy still running: says it may still finish', async () => {
    const { client } = api({
      'POST /v1/services/srv-a/deploys/dep-1/cancel': () => json(403, { message: 'forbidden' }),
      'GET /v1/services/srv-a/deploys/dep-1': () => json(200, running),
    })
    const result = await cancelTimedOut(client, 'srv-a', running, deps)
    expect(result.canceled).toBe(false)
    expect(result.status).toBeUndefined()
    expect(result.message).toContain('Canceling deploy dep-1 failed: Render rejected the API key (HTTP 403)')
    expect(result.message).toContain('it may still finish on Render')
  })
})
