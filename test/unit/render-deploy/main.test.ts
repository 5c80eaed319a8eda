import { describe, expect, it } from '@jest/globals'
import { fakeClock } from '../../helpers/clock.js'
import { inputsOf, recordingIO } from '../../helpers/io.js'
import { unexpectedExec } from '../../helpers/stub.js'
import type { HttpClient, HttpRequest, HttpResponse } from '../../../src/lib/http/client.js'
import type { Deps } from '../../../src/render-deploy/deps.js'
import {
  parseRenderDeployOptions,
  renderDeployOutputs,
  runRenderDeploy,
} from '../../../src/render-deploy/api.js'
import { run } from '../../../src/render-deploy/main.js'
import type { RenderDeploy } from '../../../src/render-deploy/render-api.js'

const KEY = 'rnd_unitTestKey123'
const T0 = 1_700_000_000_000
const iso = (ms: number) => new Date(ms).toISOString()

type Route = (request: HttpRequest, body: unknown) => Partial<HttpResponse> | undefined

/** A fake HttpClient answering `METHOD path` keys; unmatched requests fail the test. */
function fakeHttp(routes: Record<string, Route>) {
  const calls: string[] = []
  const http: HttpClient = async (request) => {
    const url = new URL(String(request.url))
    const key = `${request.method ?? 'GET'} ${url.pathname}`
    calls.push(`${key}${url.search}`)
    const route = routes[key]
    if (route === undefined) throw new Error(`unexpected request ${key}`)
    const answer = route(request, request.body ? JSON.parse(request.body) : undefined) ?? {}
    return { status: 200, headers: {}, body: '', url: url.href, ...answer }
  }
  return { http, calls }
}

const json = (value: unknown, status = 200): Partial<HttpResponse> => ({
  status,
  body: JSON.stringify(value),
})

function deps(http: HttpClient, inputs: Record<string, string>, clock = fakeClock(T0), env = {}) {
  const io = recordingIO()
  const d: Deps = {
    io,
    getInput: inputsOf({ 'service-id': 'srv-a', 'api-key': KEY, ...inputs }),
    env,
    exec: unexpectedExec,
    http,
    sleep: clock.sleep,
    now: clock.now,
    random: () => 0.5,
  }
  return { d, io, clock }
}

const service = () =>
  json({ id: 'srv-a', name: 'web', type: 'web_service', serviceDetails: { url: 'https://web.onrender.com' } })

/** A deploy whose status advances one step per GET, staying at the last. */
function progressing(id: string, statuses: string[], extra: Partial<RenderDeploy> = {}): Route {
  let i = 0
  return () =>
    json({ id, status: statuses[Math.min(i++, statuses.length - 1)], createdAt: iso(T0), ...extra })
}

describe('render-deploy run()', () => {
  it('triggers, polls every poll-interval, prints each change once and sets the outputs', async () => {
    const { http, calls } = fakeHttp({
      'GET /v1/services/srv-a': service,
      'POST /v1/services/srv-a/deploys': () =>
        json({ id: 'dep-1', status: 'created', createdAt: iso(T0) }, 201),
      'GET /v1/services/srv-a/deploys/dep-1': progressing('dep-1', [
        'created',
        'build_in_progress',
        'build_in_progress',
        'live',
      ]),
    })
    const { d, io, clock } = deps(http, { 'poll-interval': '5s' })
    await run(d)
    expect(io.failures).toEqual([])
    expect(io.outputs).toEqual({
      'deploy-id': 'dep-1',
      status: 'live',
      'service-url': 'https://web.onrender.com',
      'rolled-back': 'false',
    })
    expect(clock.sleeps).toEqual([5000, 5000, 5000])
    expect(io.lines.filter((l) => l.startsWith('Deploy dep-1:'))).toEqual([
      'Deploy dep-1: created (0ms)',
      'Deploy dep-1: build_in_progress (5.0s)',
      'Deploy dep-1: live (15.0s)',
    ])
    expect(calls[0]).toBe('GET /v1/services/srv-a')
    expect(io.secrets).toContain(KEY)
    expect(io.log()).not.toContain(KEY)
    expect(io.summary).toContain('| 15.0s | `dep-1` | ✅ live |')
  })

  it('does not wait when wait is false', async () => {
    const { http, calls } = fakeHttp({
      'GET /v1/services/srv-a': service,
      'POST /v1/services/srv-a/deploys': () => json({ id: 'dep-1', status: 'created' }, 201),
    })
    const { d, io } = deps(http, { wait: 'false' })
    await run(d)
    expect(io.outputs.status).toBe('created')
    expect(calls).toHaveLength(2)
  })

  it('finds the deploy after a 202: queued first, then any recent one matching the commit', async () => {
    const clock = fakeClock(T0)
    const lists: string[] = []
    const { http } = fakeHttp({
      'GET /v1/services/srv-a': service,
      'POST /v1/services/srv-a/deploys': () => ({ status: 202 }),
      'GET /v1/services/srv-a/deploys': (request) => {
        const query = new URL(String(request.url)).searchParams
        lists.push(query.get('status') ?? 'any')
        expect(Date.parse(query.get('createdAfter') ?? '')).toBe(T0 - 5000)
        if (query.get('status') === 'queued') return json([])
        return json([
          {
            deploy: {
              id: 'dep-other',
              status: 'build_in_progress',
              createdAt: iso(T0 + 1),
              commit: { id: '1111111' },
            },
            cursor: 'a',
          },
          {
            deploy: {
              id: 'dep-mine',
              status: 'build_in_progress',
              createdAt: iso(T0),
              commit: { id: 'abcdef1234' },
            },
            cursor: 'b',
          },
        ])
      },
      'GET /v1/services/srv-a/deploys/dep-mine': progressing('dep-mine', ['live']),
    })
    const { d, io } = deps(http, { 'commit-id': 'abcdef1' }, clock)
    await run(d)
    expect(io.failures).toEqual([])
    expect(lists).toEqual(['queued', 'any'])
    expect(io.outputs['deploy-id']).toBe('dep-mine')
  })

  it('counts deactivated as success when a newer deploy superseded it', async () => {
    const { http } = fakeHttp({
      'GET /v1/services/srv-a': service,
      'POST /v1/services/srv-a/deploys': () =>
        json({ id: 'dep-1', status: 'created', createdAt: iso(T0) }, 201),
      'GET /v1/services/srv-a/deploys/dep-1': progressing('dep-1', ['deactivated']),
      'GET /v1/services/srv-a/deploys': () =>
        json([
          { deploy: { id: 'dep-2', status: 'live', createdAt: iso(T0 + 60_000) }, cursor: 'x' },
          { deploy: { id: 'dep-1', status: 'deactivated', createdAt: iso(T0) }, cursor: 'y' },
        ]),
    })
    const { d, io } = deps(http, {})
    await run(d)
    expect(io.failures).toEqual([])
    expect(io.outputs.status).toBe('deactivated')
    expect(io.lines.join('\n')).toContain('superseded by deploy dep-2 (live)')
  })

  it('fails on deactivated when nothing newer replaced it', async () => {
    const { http } = fakeHttp({
      'GET /v1/services/srv-a': service,
      'POST /v1/services/srv-a/deploys': () =>
        json({ id: 'dep-1', status: 'created', createdAt: iso(T0) }, 201),
      'GET /v1/services/srv-a/deploys/dep-1': progressing('dep-1', ['deactivated']),
      'GET /v1/services/srv-a/deploys': () =>
        json([{ deploy: { id: 'dep-1', status: 'deactivated', createdAt: iso(T0) }, cursor: 'y' }]),
    })
    const { d, io } = deps(http, {})
    await run(d)
    expect(io.failures).toHaveLength(1)
    expect(io.failures[0]).toContain('ended deactivated without a newer deploy replacing it')
  })

  it('rolls back to the last live deploy before the failed one and waits for it', async () => {
    let rollbackBody: unknown
    const { http } = fakeHttp({
      'GET /v1/services/srv-a': service,
      'POST /v1/services/srv-a/deploys': () =>
        json({ id: 'dep-new', status: 'created', createdAt: iso(T0) }, 201),
      'GET /v1/services/srv-a/deploys/dep-new': progressing(
        'dep-new',
        ['build_in_progress', 'pre_deploy_failed'],
        {
          commit: null,
          image: { ref: 'ghcr.io/a/b:2' },
        },
      ),
      'GET /v1/services/srv-a/deploys': () =>
        json([
          { deploy: { id: 'dep-new', status: 'pre_deploy_failed', createdAt: iso(T0) }, cursor: '1' },
          { deploy: { id: 'dep-live', status: 'live', createdAt: iso(T0 - 3_600_000) }, cursor: '2' },
          { deploy: { id: 'dep-old', status: 'deactivated', createdAt: iso(T0 - 7_200_000) }, cursor: '3' },
        ]),
      'POST /v1/services/srv-a/rollback': (_request, body) => {
        rollbackBody = body
        return json(
          { id: 'dep-rb', status: 'created', trigger: 'rollback', createdAt: iso(T0 + 20_000) },
          201,
        )
      },
      'GET /v1/services/srv-a/deploys/dep-rb': progressing('dep-rb', ['update_in_progress', 'live']),
    })
    const { d, io } = deps(http, { 'rollback-on-failure': 'true', 'image-url': 'ghcr.io/a/b:2' })
    await run(d)
    expect(rollbackBody).toEqual({ deployId: 'dep-live' })
    expect(io.outputs).toMatchObject({
      'deploy-id': 'dep-new',
      status: 'pre_deploy_failed',
      'rolled-back': 'true',
    })
    expect(io.failures).toHaveLength(1)
    expect(io.failures[0]).toContain('ended pre_deploy_failed. (source: image ghcr.io/a/b:2')
    expect(io.failures[0]).toContain('Rolled back to deploy dep-live: rollback deploy dep-rb is live.')
  })

  it('says so when there is nothing to roll back to', async () => {
    const { http } = fakeHttp({
      'GET /v1/services/srv-a': service,
      'POST /v1/services/srv-a/deploys': () =>
        json({ id: 'dep-1', status: 'created', createdAt: iso(T0) }, 201),
      'GET /v1/services/srv-a/deploys/dep-1': progressing('dep-1', ['canceled']),
      'GET /v1/services/srv-a/deploys': () =>
        json([{ deploy: { id: 'dep-1', status: 'canceled', createdAt: iso(T0) }, cursor: '1' }]),
    })
    const { d, io } = deps(http, { 'rollback-on-failure': 'true' })
    await run(d)
    expect(io.outputs['rolled-back']).toBe('false')
    expect(io.failures[0]).toContain('There was no earlier live deploy to roll back to.')
  })

  it('reports a rollback that fails too', async () => {
    const { http } = fakeHttp({
      'GET /v1/services/srv-a': service,
      'POST /v1/services/srv-a/deploys': () =>
        json({ id: 'dep-1', status: 'created', createdAt: iso(T0) }, 201),
      'GET /v1/services/srv-a/deploys/dep-1': progressing('dep-1', ['update_failed']),
      'GET /v1/services/srv-a/deploys': () =>
        json([
          { deploy: { id: 'dep-1', status: 'update_failed', createdAt: iso(T0) }, cursor: '1' },
          { deploy: { id: 'dep-0', status: 'live', createdAt: iso(T0 - 1000) }, cursor: '2' },
        ]),
      'POST /v1/services/srv-a/rollback': () => json({ id: 'dep-rb', status: 'created' }, 201),
      'GET /v1/services/srv-a/deploys/dep-rb': progressing('dep-rb', ['update_failed']),
    })
    const { d, io } = deps(http, { 'rollback-on-failure': 'true' })
    await run(d)
    expect(io.outputs['rolled-back']).toBe('false')
    expect(io.failures[0]).toContain(
      'The rollback to deploy dep-0 also failed: rollback deploy dep-rb ended update_failed.',
    )
  })

  it('does not roll back over a newer deploy (one that canceled ours)', async () => {
    const { http, calls } = fakeHttp({
      'GET /v1/services/srv-a': service,
      'POST /v1/services/srv-a/deploys': () =>
        json({ id: 'dep-1', status: 'queued', createdAt: iso(T0) }, 201),
      'GET /v1/services/srv-a/deploys/dep-1': progressing('dep-1', ['canceled'], { createdAt: iso(T0) }),
      'GET /v1/services/srv-a/deploys': () =>
        json([
          { deploy: { id: 'dep-2', status: 'build_in_progress', createdAt: iso(T0 + 1000) }, cursor: '0' },
          { deploy: { id: 'dep-1', status: 'canceled', createdAt: iso(T0) }, cursor: '1' },
          { deploy: { id: 'dep-0', status: 'live', createdAt: iso(T0 - 1000) }, cursor: '2' },
        ]),
    })
    const { d, io } = deps(http, { 'rollback-on-failure': 'true' })
    await run(d)
    expect(calls.some((c) => c.includes('/rollback'))).toBe(false)
    expect(io.outputs['rolled-back']).toBe('false')
    expect(io.failures[0]).toContain(
      'Not rolled back: deploy dep-2 (build_in_progress) was started after this one',
    )
  })

  it('still reports the deploy id when following it fails for good', async () => {
    const { http } = fakeHttp({
      'GET /v1/services/srv-a': service,
      'POST /v1/services/srv-a/deploys': () =>
        json({ id: 'dep-1', status: 'created', createdAt: iso(T0) }, 201),
      'GET /v1/services/srv-a/deploys/dep-1': () => json({ message: 'unauthorized' }, 401),
    })
    const { d, io } = deps(http, {})
    await run(d)
    expect(io.outputs).toMatchObject({ 'deploy-id': 'dep-1', status: 'created' })
    expect(io.failures).toHaveLength(1)
    expect(io.failures[0]).toMatch(
      /Render rejected the API key \(HTTP 401\).*\(deploy dep-1 was triggered; its outcome is not known\)/,
    )
  })

  it('stops at the timeout with the last status, never sleeping past it', async () => {
    const { http } = fakeHttp({
      'GET /v1/services/srv-a': service,
      'POST /v1/services/srv-a/deploys': () =>
        json({ id: 'dep-1', status: 'created', createdAt: iso(T0) }, 201),
      'GET /v1/services/srv-a/deploys/dep-1': progressing('dep-1', ['build_in_progress']),
    })
    const { d, io, clock } = deps(http, { timeout: '1m', 'poll-interval': '25s' })
    await run(d)
    expect(clock.sleeps).toEqual([25_000, 25_000, 10_000])
    expect(io.outputs.status).toBe('build_in_progress')
    expect(io.failures[0]).toContain(
      'Timed out after 1m 00s waiting for deploy dep-1 of srv-a (last status build_in_progress',
    )
  })

  it('keeps polling through an outage longer than the client retries', async () => {
    let gets = 0
    const { http } = fakeHttp({
      'GET /v1/services/srv-a': service,
      'POST /v1/services/srv-a/deploys': () =>
        json({ id: 'dep-1', status: 'created', createdAt: iso(T0) }, 201),
      'GET /v1/services/srv-a/deploys/dep-1': () =>
        ++gets <= 7 ? { status: 503 } : json({ id: 'dep-1', status: 'live' }),
    })
    const { d, io } = deps(http, {})
    await run(d)
    expect(io.failures).toEqual([])
    expect(io.outputs.status).toBe('live')
    expect(
      io.lines.some((l) => l.startsWith('Transient error (attempt 1), retrying: Render answered HTTP 503')),
    ).toBe(true)
  })

  it('explains a rejected key once and triggers nothing', async () => {
    const { http, calls } = fakeHttp({
      'GET /v1/services/srv-a': () => json({ message: 'unauthorized' }, 401),
    })
    const { d, io } = deps(http, {})
    await run(d)
    expect(calls).toEqual(['GET /v1/services/srv-a'])
    expect(io.failures).toEqual([
      "Render rejected the API key (HTTP 401) while looking up service srv-a: check that 'api-key' (or RENDER_API_KEY) holds a current key (Account Settings → API Keys) of a user who is a member of the workspace that owns the service. Render said: unauthorized",
    ])
  })

  it('masks the whole hook URL and its key before validating anything', async () => {
    const hook = 'https://api.render.com/deploy/srv-a?key=HookKey987'
    const { http } = fakeHttp({})
    const { d, io } = deps(http, { 'deploy-hook-url': hook, 'commit-id': 'abcdef1', 'api-key': '' })
    await run(d)
    expect(io.secrets).toEqual(expect.arrayContaining([hook, 'HookKey987']))
    expect(io.failures[0]).toContain("Input 'commit-id' cannot be used with 'deploy-hook-url'")
    expect(io.log()).not.toContain('HookKey987')
  })

  it('calls a hook with a key: follows the deploy id the hook returned', async () => {
    const hookCalls: string[] = []
    const { http } = fakeHttp({
      'GET /v1/services/srv-a': service,
      'POST /deploy/srv-a': (request) => {
        hookCalls.push(String(request.url))
        return json({ deploy: { id: 'dep-h' } })
      },
      'GET /v1/services/srv-a/deploys/dep-h': progressing('dep-h', ['created', 'live']),
    })
    const { d, io } = deps(http, {
      'service-id': '',
      'deploy-hook-url': 'https://api.render.com/deploy/srv-a?key=HookKey987',
    })
    await run(d)
    expect(io.failures).toEqual([])
    expect(hookCalls).toEqual(['https://api.render.com/deploy/srv-a?key=HookKey987'])
    expect(io.outputs).toMatchObject({ 'deploy-id': 'dep-h', status: 'live' })
    expect(io.log()).not.toContain('HookKey987')
  })
})

describe('the api surface', () => {
  const options = (inputs: Record<string, string> = {}) =>
    parseRenderDeployOptions(inputsOf({ 'service-id': 'srv-a', 'api-key': KEY, ...inputs }), { env: {} })
  const ports = (http: HttpClient) => {
    const clock = fakeClock(T0)
    const io = recordingIO()
    return { io, ports: { io, http, sleep: clock.sleep, now: clock.now, random: () => 0.5 } }
  }

  it('runRenderDeploy returns a typed result with the summary; it writes no outputs itself', async () => {
    const { http } = fakeHttp({
      'GET /v1/services/srv-a': service,
      'POST /v1/services/srv-a/deploys': () =>
        json({ id: 'dep-1', status: 'created', createdAt: iso(T0) }, 201),
      'GET /v1/services/srv-a/deploys/dep-1': progressing('dep-1', ['live']),
    })
    const { io, ports: p } = ports(http)
    const result = await runRenderDeploy(p, options())
    expect(result).toMatchObject({
      serviceId: 'srv-a',
      serviceName: 'web',
      serviceUrl: 'https://web.onrender.com',
      deployId: 'dep-1',
      status: 'live',
      rolledBack: false,
    })
    expect(result.failure).toBeUndefined()
    expect(result.timeline.map((e) => e.status)).toEqual(['created', 'live'])
    expect(result.summary).toContain('Render deploy succeeded')
    expect(io.outputs).toEqual({})
    expect(io.summary).toBe('')
    expect(renderDeployOutputs(result)).toEqual({
      'deploy-id': 'dep-1',
      status: 'live',
      'service-url': 'https://web.onrender.com',
      'rolled-back': 'false',
    })
  })

  it('a failed deploy is a result with the failure, not a throw', async () => {
    const { http } = fakeHttp({
      'GET /v1/services/srv-a': service,
      'POST /v1/services/srv-a/deploys': () =>
        json({ id: 'dep-1', status: 'created', createdAt: iso(T0) }, 201),
      'GET /v1/services/srv-a/deploys/dep-1': progressing('dep-1', ['build_failed']),
    })
    const result = await runRenderDeploy(ports(http).ports, options())
    expect(result.status).toBe('build_failed')
    expect(result.failure).toContain('Deploy dep-1 of srv-a ended build_failed.')
    expect(result.summary).toContain('Render deploy failed')
  })

  it('runs with the image the caller filled in after parsing with imageFromPipeline', async () => {
    let body: unknown
    const { http } = fakeHttp({
      'GET /v1/services/srv-a': service,
      'POST /v1/services/srv-a/deploys': (_request, sent) => {
        body = sent
        return json({ id: 'dep-1', status: 'created', createdAt: iso(T0) }, 201)
      },
    })
    const parsed = parseRenderDeployOptions(
      inputsOf({ 'service-id': 'srv-a', 'api-key': KEY, wait: 'false' }),
      { env: {}, imageFromPipeline: true },
    )
    const result = await runRenderDeploy(ports(http).ports, {
      ...parsed,
      imageUrl: 'ghcr.io/a/b@sha256:1234',
    })
    expect(body).toEqual({ clearCache: 'do_not_clear', imageUrl: 'ghcr.io/a/b@sha256:1234' })
    expect(result.source).toBe('image ghcr.io/a/b@sha256:1234')
  })
})
