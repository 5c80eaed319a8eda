import { describe, expect, it } from '@jest/globals'
import { fakeClock } from '../../helpers/clock.js'
import { inputsOf, recordingIO } from '../../helpers/io.js'
import { stub } from '../../helpers/stub.js'
import type { Exec } from '../../../src/lib/process/exec.js'
import type { HttpClient, HttpRequest, HttpResponse } from '../../../src/lib/http/client.js'
import type { Deps } from '../../../src/deploy/deps.js'
import { run } from '../../../src/deploy/main.js'

const KEY = 'rnd_unitTestKey123'
const T0 = 1_700_000_000_000

type Route = (request: HttpRequest) => Partial<HttpResponse>

/** A fake HttpClient answering `METHOD host/path` keys; an unmatched request fails the test. */
function fakeHttp(routes: Record<string, Route>) {
  const calls: string[] = []
  const http: HttpClient = async (request) => {
    const url = new URL(String(request.url))
    const key = `${request.method ?? 'GET'} ${url.host}${url.pathname}`
    calls.push(key)
    const route = routes[key]
    if (route === undefined) throw new Error(`unexpected request ${key}`)
    return { status: 200, headers: {}, body: '', url: url.href, ...route(request) }
  }
  return { http, calls }
}

const json = (value: unknown, status = 200): Partial<HttpResponse> => ({
  status,
  body: JSON.stringify(value),
})

/** Deploy dep-1 of srv-a, reaching `final` on the second poll; the service answers `appStatus`. */
function renderRoutes(final: string, appStatus = 200): Record<string, Route> {
  let polls = 0
  return {
    'GET api.render.com/v1/services/srv-a': () =>
      json({
        id: 'srv-a',
        name: 'web',
        type: 'web_service',
        serviceDetails: { url: 'https://web.onrender.com' },
      }),
    'POST api.render.com/v1/services/srv-a/deploys': () =>
      json({ id: 'dep-1', status: 'created', createdAt: new Date(T0).toISOString() }, 201),
    'GET api.render.com/v1/services/srv-a/deploys/dep-1': () =>
      json({
        id: 'dep-1',
        status: polls++ < 1 ? 'update_in_progress' : final,
        createdAt: new Date(T0).toISOString(),
      }),
    'GET web.onrender.com/': () => ({ status: appStatus, body: 'ok' }),
  }
}

function setup(http: HttpClient, inputs: Record<string, string>, state: Record<string, string> = {}) {
  const io = recordingIO({ state })
  const clock = fakeClock(T0)
  const deps: Deps = {
    io,
    getInput: inputsOf(inputs),
    env: {},
    exec: stub<{ exec: Exec }>({}, 'exec').exec,
    readFile: () => {
      throw new Error('readFile not expected')
    },
    http,
    sleep: clock.sleep,
    now: clock.now,
    random: () => 0.5,
    build: stub({}, 'build'),
    ecr: async () => {
      throw new Error('ecr not expected')
    },
    ecs: async () => {
      throw new Error('ecs not expected')
    },
  }
  return { deps, io }
}

const render = {
  target: 'render',
  'service-id': 'srv-a',
  'api-key': KEY,
  'poll-interval': '1s',
  'smoke-timeout': '5s',
}

describe('deploy run() with target render', () => {
  it('skips the build, deploys, smoke-tests the service URL and sets the four outputs', async () => {
    const { http, calls } = fakeHttp(renderRoutes('live'))
    const { deps, io } = setup(http, render)
    await run(deps)
    expect(io.failures).toEqual([])
    expect(io.outputs).toEqual({
      'image-uri': '',
      'deployment-id': 'dep-1',
      status: 'live',
      url: 'https://web.onrender.com',
      deployments: '',
      'sbom-file': '',
    })
    expect(io.groups).toEqual(['2/3 render-deploy', '3/3 smoke-test'])
    expect(calls.at(-1)).toBe('GET web.onrender.com/')
    expect(io.summary).toContain('## Deploy to Render: succeeded')
    expect(io.summary).toContain('| 1. build-and-scan-image | ⏭️ skipped |')
    expect(io.summary).toContain('## 2. render-deploy')
    expect(io.summary).toContain('## 3. smoke-test')
    expect(io.secrets).toContain(KEY)
    expect(io.log()).not.toContain(KEY)
  })

  it("does not hand a private service's internal address to smoke-test, and says why", async () => {
    const routes = renderRoutes('live')
    routes['GET api.render.com/v1/services/srv-a'] = () =>
      json({ id: 'srv-a', name: 'api', type: 'private_service', serviceDetails: { url: 'api-x7k2:10000' } })
    const { http, calls } = fakeHttp(routes)
    const { deps, io } = setup(http, render)
    await run(deps)
    expect(io.failures).toHaveLength(1)
    expect(io.failures[0]).toContain(
      "The service is private: api-x7k2:10000 is reachable only inside Render's network",
    )
    expect(calls.filter((call) => call.includes('api-x7k2'))).toEqual([])
    expect(io.outputs).toMatchObject({ status: 'live', url: '' })
  })

  it('stops at a failed deploy, naming the phase once, and does not smoke-test', async () => {
    const { http, calls } = fakeHttp(renderRoutes('build_failed'))
    const { deps, io } = setup(http, render)
    await run(deps)
    expect(io.failures).toHaveLength(1)
    expect(io.failures[0]).toMatch(/^Phase render-deploy failed: Deploy dep-1 of srv-a ended build_failed/)
    expect(calls).not.toContain('GET web.onrender.com/')
    expect(io.outputs).toMatchObject({ 'deployment-id': 'dep-1', status: 'build_failed' })
    expect(io.summary).toContain('| 3. smoke-test | — not run |')
  })

  it('fails in the smoke-test phase when the service does not answer as expected', async () => {
    const { http } = fakeHttp(renderRoutes('live', 503))
    const { deps, io } = setup(http, { ...render, 'smoke-timeout': '2s' })
    await run(deps)
    expect(io.failures).toHaveLength(1)
    expect(io.failures[0]).toMatch(/^Phase smoke-test failed: /)
    expect(io.outputs.status).toBe('live')
  })
})

describe('deploy run() with existing-image and notify-webhook', () => {
  const IMAGE = `ghcr.io/acme/web@sha256:${'a'.repeat(64)}`
  const HOOK = 'https://hooks.example.com/services/T0/B0/hook-secret-123'

  it('promotes an existing image to Render: nothing built, the digest deployed, the summary says promoted', async () => {
    const routes = renderRoutes('live')
    const bodies: string[] = []
    const deployRoute = routes['POST api.render.com/v1/services/srv-a/deploys'] as Route
    routes['POST api.render.com/v1/services/srv-a/deploys'] = (request) => {
      bodies.push(request.body ?? '')
      return deployRoute(request)
    }
    const { http } = fakeHttp(routes)
    const { deps, io } = setup(http, { ...render, 'existing-image': IMAGE })
    await run(deps)
    expect(io.failures).toEqual([])
    expect(JSON.parse(bodies[0] ?? '{}')).toMatchObject({ imageUrl: IMAGE })
    expect(io.outputs['image-uri']).toBe(IMAGE)
    expect(io.lines).toContain(
      `Skipping 1/3 build-and-scan-image: promoting ${IMAGE}: built and pushed by an earlier job, deployed as it is (not built here)`,
    )
    expect(io.summary).toContain(
      `| Image (promoted: built by an earlier job, not built here) | \`${IMAGE}\` |`,
    )
  })

  it('tells the webhook how the run ended; a failing webhook is a warning and the deploy still succeeds', async () => {
    const routes = renderRoutes('live')
    const sent: string[] = []
    routes['POST hooks.example.com/services/T0/B0/hook-secret-123'] = (request) => {
      sent.push(request.body ?? '')
      return { status: 500, body: 'oops' }
    }
    const { http } = fakeHttp(routes)
    const { deps, io } = setup(http, { ...render, 'notify-webhook': HOOK })
    await run(deps)
    expect(io.failures).toEqual([])
    expect(sent).toHaveLength(3)
    expect(JSON.parse(sent[0] ?? '{}').text).toMatch(/^✅ Deploy to srv-a \(Render\) succeeded\n/)
    expect(io.annotations.map((a) => a.level)).toEqual(['warning'])
    expect(io.secrets).toContain(HOOK)
    expect(io.log()).not.toContain('hook-secret-123')
  })

  it('masks the webhook before a bad input is reported, and never echoes it', async () => {
    const { deps, io } = setup(stub<{ http: HttpClient }>({}, 'http').http, {
      ...render,
      'notify-webhook': 'http://hooks.example.com/services/T0/B0/hook-secret-123',
    })
    await run(deps)
    expect(io.secrets).toContain('http://hooks.example.com/services/T0/B0/hook-secret-123')
    expect(io.failures).toEqual([
      "Invalid configuration: Input 'notify-webhook' must be an https URL (got a http: URL; not shown, it is a secret)",
    ])
  })
})

describe('deploy run() validation and post step', () => {
  it('masks build secrets (values and the variables secret-envs names) before a bad input is reported', async () => {
    const { deps, io } = setup(stub<{ http: HttpClient }>({}, 'http').http, {
      ...render,
      secrets: 'pip_token=p@ss%40word-123',
      'secret-envs': 'npm_token=NPM_TOKEN',
      'notify-on': 'sometimes',
    })
    deps.env.NPM_TOKEN = 'npm-secret-456'
    await run(deps)
    expect(io.secrets).toEqual(expect.arrayContaining(['p@ss%40word-123', 'npm-secret-456']))
    expect(io.failures).toHaveLength(1)
    expect(io.failures[0]).toContain("'notify-on'")
  })

  it('refuses a bad input with one line before any side effect', async () => {
    const { deps, io } = setup(stub<{ http: HttpClient }>({}, 'http').http, {
      ...render,
      repository: 'team/web',
    })
    await run(deps)
    expect(io.failures).toEqual([
      "Invalid configuration: Input 'repository' applies only to target: ecs (this step's target is render); remove it",
    ])
    expect(io.outputs).toEqual({})
    expect(io.groups).toEqual([])
    expect(io.state).toEqual({ isPost: 'true' })
  })

  it('logs out of the ECR registry a main step logged in to', async () => {
    const calls: string[][] = []
    const { deps, io } = setup(
      stub<{ http: HttpClient }>({}, 'http').http,
      {},
      {
        isPost: 'true',
        registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      },
    )
    deps.exec = async (command, args) => {
      calls.push([command, ...args])
      return { exitCode: 0, stdout: '', stderr: '', stderrTail: '' }
    }
    await run(deps)
    expect(calls).toEqual([['docker', 'logout', '123456789012.dkr.ecr.eu-west-1.amazonaws.com']])
    expect(io.failures).toEqual([])
  })

  it('has nothing to undo after a run that never logged in', async () => {
    const { deps, io } = setup(stub<{ http: HttpClient }>({}, 'http').http, {}, { isPost: 'true' })
    await run(deps)
    expect(io.lines).toEqual(['No registry login to undo'])
  })
})
