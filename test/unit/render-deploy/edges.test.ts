import { describe, expect, it } from '@jest/globals'
import {
  describeFailureReason,
  eventReason,
  formatLogLines,
  reasonFrom,
} from '../../../src/render-deploy/diagnosis.js'
import type { RenderEvent } from '../../../src/render-deploy/render-api.js'
import { fromRenderApplication } from '../../../src/render-deploy/render-http.js'
import { serviceFacts } from '../../../src/render-deploy/service.js'

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
