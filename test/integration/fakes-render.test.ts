// The fake Render API's own tests, over real HTTP. What "answers as Render does" means is taken
// from render-oss/cli's generated client (pkg/client/client_gen.go, types_gen.go), which nobody
// here wrote: the paths of RetrieveService, CreateDeploy, ListDeploys, RetrieveDeploy and
// RollbackDeploy; the status codes each Parse…Response reads (a body only when Content-Type
// contains "json"; 202 without one); the `deploy`, `deployWithCursor`, `service` and `error`
// schemas; the integer RateLimit-*/Retry-After headers of a 429; and pagination as its ListAll
// walks it (limit, then the cursor of a page's last item, until a page is short).
import { DEPLOY_STATUSES, startFakeRender, type FakeRender, type FakeRenderOptions } from '../fakes/render.js'

let fake: FakeRender

afterEach(async () => {
  await fake?.close()
})

async function start(options: FakeRenderOptions = {}): Promise<FakeRender> {
  fake = await startFakeRender(options)
  return fake
}

interface Answer {
  status: number
  contentType: string | null
  headers: Headers
  text: string
  json: unknown
}

async function call(
  path: string,
  init: { method?: string; body?: unknown; key?: string | null } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  const key = init.key === undefined ? fake.apiKey : init.key
  if (key !== null) headers.Authorization = `Bearer ${key}`
  if (init.body !== undefined) headers['Content-Type'] = 'application/json'
  const url = path.startsWith('http') ? path : `${fake.apiUrl}${path}`
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : JSON.stringify(init.body),
  })
  const text = await response.text()
  const contentType = response.headers.get('content-type')
  return {
    status: response.status,
    contentType,
    headers: response.headers,
    text,
    json: contentType?.includes('json') ? (JSON.parse(text) as unknown) : undefined,
  }
}

// The JSON fields of the generated client's models (types_gen.go).
const DEPLOY_FIELDS = [
  'artifactId',
  'commit',
  'createdAt',
  'finishedAt',
  'id',
  'image',
  'startedAt',
  'status',
  'trigger',
  'updatedAt',
]
const DEPLOY_TRIGGERS = [
  'api',
  'blueprint_sync',
  'deploy_hook',
  'deployed_by_render',
  'manual',
  'new_commit',
  'other',
  'rollback',
  'service_resumed',
  'service_updated',
]
const SERVICE_FIELDS = [
  'artifactSourceId',
  'autoDeploy',
  'autoDeployTrigger',
  'branch',
  'buildFilter',
  'createdAt',
  'dashboardUrl',
  'environmentId',
  'id',
  'imagePath',
  'name',
  'notifyOnFail',
  'ownerId',
  'registryCredential',
  'repo',
  'rootDir',
  'serviceDetails',
  'slug',
  'suspended',
  'suspenders',
  'type',
  'updatedAt',
]
const ERROR_FIELDS = ['code', 'id', 'message']

type Json = Record<string, unknown>

/** A `deploy` as the generated client decodes it: known fields, enum values, date-times. */
function expectDeploy(value: unknown): Json {
  const deploy = value as Json
  expect(Object.keys(deploy).filter((key) => !DEPLOY_FIELDS.includes(key))).toEqual([])
  expect(deploy.id).toMatch(/^dep-[a-z0-9]+$/)
  expect(DEPLOY_STATUSES).toContain(deploy.status)
  expect(DEPLOY_TRIGGERS).toContain(deploy.trigger)
  for (const key of ['createdAt', 'updatedAt', 'startedAt', 'finishedAt']) {
    const at = deploy[key]
    if (at !== undefined && at !== null) expect(Number.isNaN(Date.parse(String(at)))).toBe(false)
  }
  const commit = deploy.commit as Json | null | undefined
  if (commit) expect(Object.keys(commit).sort()).toEqual(['createdAt', 'id', 'message'])
  const image = deploy.image as Json | null | undefined
  if (image)
    expect(Object.keys(image).filter((k) => !['ref', 'registryCredential', 'sha'].includes(k))).toEqual([])
  return deploy
}

/** An `error` answer: JSON, with only the error schema's fields and a message. */
function expectError(answer: Answer, status: number): void {
  expect(answer.status).toBe(status)
  expect(answer.contentType).toContain('json')
  expect(Object.keys(answer.json as Json).filter((k) => !ERROR_FIELDS.includes(k))).toEqual([])
  expect((answer.json as Json).message).toEqual(expect.any(String))
}

const deployList = (answer: Answer) => answer.json as { deploy: Json; cursor: string }[]
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('the fake Render API', () => {
  test('RetrieveService: 200 with the service schema, the URL in serviceDetails', async () => {
    await start()
    const answer = await call('/services/srv-web')
    expect(answer.status).toBe(200)
    expect(answer.contentType).toContain('json')
    const service = answer.json as Json
    expect(Object.keys(service).filter((key) => !SERVICE_FIELDS.includes(key))).toEqual([])
    expect(service).toMatchObject({ id: 'srv-web', type: 'web_service', suspended: 'not_suspended' })
    expect((service.serviceDetails as Json).url).toBe('https://srv-web.onrender.com')

    fake.addService({ id: 'srv-img', image: 'ghcr.io/acme/web:1' })
    expect((await call('/services/srv-img')).json).toMatchObject({ imagePath: 'ghcr.io/acme/web:1' })
  })

  test('a missing or wrong key is 401, an unknown service 404, both with an error body', async () => {
    await start()
    expectError(await call('/services/srv-web', { key: null }), 401)
    expectError(await call('/services/srv-web', { key: 'rnd_wrong' }), 401)
    expectError(await call('/services/srv-nope'), 404)
    expectError(await call('/services/srv-web/deploys/dep-nope'), 404)
  })

  test('CreateDeploy: 201 with the deploy it started, which then moves through its steps', async () => {
    await start({
      steps: [
        ['build_in_progress', 20],
        ['live', 60],
      ],
    })
    const service = fake.services.get('srv-web')
    const created = await call('/services/srv-web/deploys', {
      method: 'POST',
      body: { clearCache: 'do_not_clear' },
    })
    expect(created.status).toBe(201)
    const deploy = expectDeploy(created.json)
    expect(deploy).toMatchObject({ status: 'created', trigger: 'api', finishedAt: null })
    expect((deploy.commit as Json).id).toBe(service?.branchCommit)

    await wait(150)
    const read = await call(`/services/srv-web/deploys/${String(deploy.id)}`)
    expect(read.status).toBe(200)
    expect(expectDeploy(read.json)).toMatchObject({ id: deploy.id, status: 'live' })
    expect(fake.transitions.filter((t) => t.deployId === deploy.id).map((t) => t.status)).toEqual([
      'created',
      'build_in_progress',
      'live',
    ])
  })

  test('CreateDeploy: a commit, an image, and the 400s of bodies Render refuses', async () => {
    await start()
    fake.addService({ id: 'srv-img', image: 'ghcr.io/acme/web:1' })
    const commit = await call('/services/srv-web/deploys', {
      method: 'POST',
      body: { commitId: 'abcdef1234' },
    })
    expect((expectDeploy(commit.json).commit as Json).id).toBe('abcdef1234')
    const image = await call('/services/srv-img/deploys', {
      method: 'POST',
      body: { imageUrl: 'ghcr.io/acme/web:2' },
    })
    const imaged = expectDeploy(image.json)
    expect(imaged.commit).toBeNull()
    expect((imaged.image as Json).ref).toBe('ghcr.io/acme/web:2')

    for (const [path, body] of [
      ['/services/srv-web/deploys', { clearCache: 'yes' }],
      ['/services/srv-web/deploys', { commitId: 'abc1234', imageUrl: 'x:1' }],
      ['/services/srv-web/deploys', { imageUrl: 'x:1' }],
      ['/services/srv-img/deploys', { commitId: 'abc1234' }],
      ['/services/srv-web/deploys', '{not json'],
    ] as const) {
      expectError(await call(path, { method: 'POST', body }), 400)
    }
  })

  test('CreateDeploy queued: 202 with no body and no content type; the deploy is listed as queued', async () => {
    await start({ triggerAnswer: 202, steps: [['live', 5000]] })
    const answer = await call('/services/srv-web/deploys', { method: 'POST', body: {} })
    expect(answer).toMatchObject({ status: 202, contentType: null, text: '' })
    const queued = deployList(await call('/services/srv-web/deploys?status=queued'))
    expect(queued).toHaveLength(1)
    expect(expectDeploy(queued[0]?.deploy).status).toBe('queued')
  })

  test('ListDeploys: [{deploy, cursor}] newest first, paged as ListAll pages it', async () => {
    await start({ steps: [] })
    for (let i = 0; i < 4; i++) {
      await call('/services/srv-web/deploys', { method: 'POST', body: {} })
      await wait(5)
    }
    const all = deployList(await call('/services/srv-web/deploys'))
    expect(all).toHaveLength(6)
    for (const item of all) {
      expect(Object.keys(item).sort()).toEqual(['cursor', 'deploy'])
      expect(item.cursor).toEqual(expect.any(String))
      expectDeploy(item.deploy)
    }
    const created = all.map((item) => Date.parse(String(item.deploy.createdAt)))
    expect([...created].sort((a, b) => b - a)).toEqual(created)

    // render-oss/cli's ListAll: a page of `limit`, then the last item's cursor, until a page is short.
    const pages: number[] = []
    const walked: string[] = []
    let cursor: string | undefined
    // Bounded: a fake that ignored the cursor would serve the first page for ever.
    while (pages.length < 5) {
      const page = deployList(
        await call(`/services/srv-web/deploys?limit=4${cursor === undefined ? '' : `&cursor=${cursor}`}`),
      )
      pages.push(page.length)
      walked.push(...page.map((item) => String(item.deploy.id)))
      if (page.length < 4) break
      cursor = page.at(-1)?.cursor
    }
    expect(pages).toEqual([4, 2])
    expect(walked).toEqual(all.map((item) => item.deploy.id))
  })

  test('ListDeploys: status (repeated or comma-separated) and createdAfter filter; bad queries are 400', async () => {
    const render = await start({ steps: [] })
    const live = render.services.get('srv-web')?.deploys.find((d) => d.status === 'live')
    const statuses = (query: string) =>
      call(`/services/srv-web/deploys?${query}`).then((a) => deployList(a).map((item) => item.deploy.status))
    expect(await statuses('status=live')).toEqual(['live'])
    expect((await statuses('status=live&status=deactivated')).sort()).toEqual(['deactivated', 'live'])
    expect((await statuses('status=live,deactivated')).sort()).toEqual(['deactivated', 'live'])
    expect(await statuses(`createdAfter=${encodeURIComponent(live?.createdAt ?? '')}`)).toEqual(['live'])

    for (const query of [
      'limit=0',
      'limit=101',
      'limit=ten',
      'status=running',
      'createdAfter=yesterday',
      'cursor=nope',
    ]) {
      expectError(await call(`/services/srv-web/deploys?${query}`), 400)
    }
  })

  test('RollbackDeploy: 201 with a rollback deploy of the target build; the old live one is deactivated', async () => {
    const render = await start({ rollbackSteps: [['live', 20]] })
    const deploys = render.services.get('srv-web')?.deploys ?? []
    const [live, older] = [
      deploys.find((d) => d.status === 'live'),
      deploys.find((d) => d.status === 'deactivated'),
    ]
    const answer = await call('/services/srv-web/rollback', { method: 'POST', body: { deployId: older?.id } })
    expect(answer.status).toBe(201)
    const rollback = expectDeploy(answer.json)
    expect(rollback).toMatchObject({ trigger: 'rollback', commit: older?.commit })
    await wait(100)
    expect(render.deploy('srv-web', String(rollback.id))?.status).toBe('live')
    expect(render.deploy('srv-web', live?.id ?? '')?.status).toBe('deactivated')

    expectError(await call('/services/srv-web/rollback', { method: 'POST', body: {} }), 400)
    expectError(
      await call('/services/srv-web/rollback', { method: 'POST', body: { deployId: 'dep-nope' } }),
      404,
    )
  })

  test('a deploy hook needs no API key, answers its deploy id, and refuses a wrong key', async () => {
    const render = await start({ steps: [] })
    render.addService({ id: 'srv-img', image: 'ghcr.io/acme/web:1' })
    const answer = await call(render.hookUrl('srv-web'), { method: 'POST', key: null })
    expect(answer.status).toBe(200)
    const id = ((answer.json as Json).deploy as Json).id
    expect(render.deploy('srv-web', String(id))?.trigger).toBe('deploy_hook')

    const imaged = await call(
      `${render.hookUrl('srv-img')}&imgURL=${encodeURIComponent('ghcr.io/acme/web:3')}`,
      {
        method: 'POST',
        key: null,
      },
    )
    const imageId = ((imaged.json as Json).deploy as Json).id
    expect(render.deploy('srv-img', String(imageId))?.image?.ref).toBe('ghcr.io/acme/web:3')

    expectError(await call(render.hookUrl('srv-web', 'wrong'), { method: 'POST', key: null }), 404)
  })

  test('rateLimit answers 429 as Render does, for as many requests as asked, then normally', async () => {
    const render = await start()
    render.rateLimit(/^GET \/v1\/services\/srv-web$/, 2, 3)
    for (let i = 0; i < 2; i++) {
      const limited = await call('/services/srv-web')
      expect(limited.status).toBe(429)
      expect(limited.contentType).toContain('json')
      expect(limited.json).toEqual({ error: 'rate limit exceeded' })
      for (const header of ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after']) {
        expect(limited.headers.get(header)).toMatch(/^\d+$/)
      }
      expect(limited.headers.get('retry-after')).toBe('3')
    }
    expect((await call('/services/srv-web')).status).toBe(200)
  })

  test('fail() injects an answer for matching requests only, a JSON body typed as JSON', async () => {
    const render = await start()
    render.fail(/^POST \/v1\/services\/srv-web\/deploys$/, 1, 500, {}, '{"id":"internal","message":"boom"}')
    render.fail(/^GET \/v1\/services\/srv-web$/, 1, 502, {}, 'Bad Gateway')
    expectError(await call('/services/srv-web/deploys', { method: 'POST', body: {} }), 500)
    const gateway = await call('/services/srv-web')
    expect(gateway).toMatchObject({ status: 502, contentType: null, text: 'Bad Gateway' })
    expect((await call('/services/srv-web')).status).toBe(200)
    expect((await call('/services/srv-web/deploys', { method: 'POST', body: {} })).status).toBe(201)
  })

  test('the same deploy triggered twice: two deploys, and the later one live replaces the earlier', async () => {
    const render = await start({ steps: [['live', 30]] })
    const first = expectDeploy((await call('/services/srv-web/deploys', { method: 'POST', body: {} })).json)
    await wait(80)
    const second = expectDeploy((await call('/services/srv-web/deploys', { method: 'POST', body: {} })).json)
    await wait(80)
    expect(first.id).not.toBe(second.id)
    expect(render.deploy('srv-web', String(first.id))?.status).toBe('deactivated')
    expect(render.deploy('srv-web', String(second.id))?.status).toBe('live')
    const listed = deployList(await call('/services/srv-web/deploys?limit=2')).map((item) => item.deploy.id)
    expect(listed).toEqual([second.id, first.id])
  })

  test('records every request with its method, path, query and headers', async () => {
    const render = await start()
    await call('/services/srv-web/deploys?status=live&limit=5')
    expect(render.requests).toHaveLength(1)
    expect(render.requests[0]).toMatchObject({ method: 'GET', path: '/v1/services/srv-web/deploys' })
    expect(render.requests[0]?.query.get('limit')).toBe('5')
    expect(render.requests[0]?.headers.authorization).toBe(`Bearer ${render.apiKey}`)
  })
})

// The models of the endpoints a failed or timed-out deploy reads, from render-oss/cli's generated
// client: Logs200Response (pkg/client/types_gen.go) and `log` / `logLabel` (pkg/client/logs/logs_gen.go);
// serviceEventWithCursor = { event } (types_gen.go) of `serviceEvent` (pkg/client/events/events_gen.go);
// failureReason (events_gen.go); the EventType enum (pkg/client/eventtypes/eventtypes_gen.go);
// LogLabelName (logs_gen.go); EventStatus (pkg/client/eventstatuses/eventstatuses_gen.go).
const LOGS_RESPONSE_FIELDS = ['hasMore', 'logs', 'nextEndTime', 'nextStartTime']
const LOG_FIELDS = ['id', 'labels', 'message', 'timestamp']
const LOG_LABEL_NAMES = [
  'blocked',
  'host',
  'instance',
  'level',
  'method',
  'path',
  'resource',
  'sandbox',
  'statusCode',
  'task',
  'taskRun',
  'text',
  'type',
  'workflowService',
  'workflowVeresion',
]
const EVENT_FIELDS = ['details', 'id', 'serviceId', 'timestamp', 'type']
const CLIENT_EVENT_TYPES = [
  'build_ended',
  'build_started',
  'deploy_ended',
  'deploy_started',
  'image_pull_failed',
  'pre_deploy_ended',
  'pre_deploy_started',
  'server_failed',
]
const EVENT_STATUSES = ['canceled', 'failed', 'succeeded']
const FAILURE_REASON_FIELDS = [
  'earlyExit',
  'evicted',
  'evictionReason',
  'nonZeroExit',
  'oomKilled',
  'timedOutReason',
  'timedOutSeconds',
  'unhealthy',
]
// Each event type's details fields (events_gen.go: BuildStartedEvent, BuildEndedEvent, ...).
const DETAILS_FIELDS: Record<string, string[]> = {
  build_started: ['buildId', 'trigger'],
  build_ended: ['buildId', 'buildStatus', 'reason', 'status'],
  deploy_started: ['artifactId', 'deployId', 'trigger'],
  deploy_ended: ['artifactId', 'deployId', 'deployStatus', 'reason', 'status'],
  server_failed: ['instanceID', 'reason'],
}
const END_REASON_FIELDS = ['buildFailed', 'failure', 'newBuild', 'newDeploy']

const logsOf = (query: string) => call(`/logs?${query}`)
const eventsOf = async (serviceId = 'srv-web') => {
  const answer = await call(`/services/${serviceId}/events`)
  expect(answer.status).toBe(200)
  return (answer.json as { event: Json }[]).map((item) => {
    expect(Object.keys(item)).toEqual(['event'])
    return item.event
  })
}

function expectEvent(event: Json): void {
  expect(Object.keys(event).sort()).toEqual(EVENT_FIELDS)
  expect(event.id).toMatch(/^evt-[a-z0-9]+$/)
  expect(CLIENT_EVENT_TYPES).toContain(event.type)
  expect(Number.isNaN(Date.parse(String(event.timestamp)))).toBe(false)
  const details = event.details as Json
  const allowed = DETAILS_FIELDS[String(event.type)]
  if (allowed !== undefined) expect(Object.keys(details).filter((k) => !allowed.includes(k))).toEqual([])
  for (const key of ['buildStatus', 'deployStatus'])
    if (details[key] !== undefined) expect(EVENT_STATUSES).toContain(details[key])
  const reason = details.reason as Json | undefined
  if (reason === undefined) return
  const failure = (event.type === 'server_failed' ? reason : reason.failure) as Json | undefined
  if (event.type !== 'server_failed')
    expect(Object.keys(reason).filter((k) => !END_REASON_FIELDS.includes(k))).toEqual([])
  if (failure !== undefined)
    expect(Object.keys(failure).filter((k) => !FAILURE_REASON_FIELDS.includes(k))).toEqual([])
}

describe('the fake Render API: logs, events, cancel and service kinds', () => {
  test('a failed build leaves build logs (ListLogs) and build_ended/deploy_ended events (ListEvents)', async () => {
    const render = await start({
      steps: [
        ['build_in_progress', 0],
        ['build_failed', 40],
      ],
    })
    const created = expectDeploy((await call('/services/srv-web/deploys', { method: 'POST', body: {} })).json)
    await wait(120)
    const owner = render.services.get('srv-web')?.ownerId ?? ''
    const answer = await logsOf(`ownerId=${owner}&resource=srv-web&type=build&direction=backward&limit=100`)
    expect(answer.status).toBe(200)
    const body = answer.json as Json
    expect(Object.keys(body).sort()).toEqual(LOGS_RESPONSE_FIELDS)
    const logs = body.logs as Json[]
    expect(logs.length).toBeGreaterThan(1)
    for (const log of logs) {
      expect(Object.keys(log).sort()).toEqual(LOG_FIELDS)
      for (const label of log.labels as Json[]) expect(LOG_LABEL_NAMES).toContain(label.name)
      expect((log.labels as Json[]).find((l) => l.name === 'type')?.value).toBe('build')
    }
    // backward: newest first, so the last line Render printed comes first.
    expect(logs[0]?.message).toContain('Build failed')
    const times = logs.map((log) => Date.parse(String(log.timestamp)))
    expect([...times].sort((a, b) => b - a)).toEqual(times)

    const events = await eventsOf()
    events.forEach(expectEvent)
    expect(events.map((e) => e.type)).toEqual(['deploy_ended', 'build_ended', 'build_started'])
    expect(events[0]?.details).toMatchObject({ deployId: created.id, deployStatus: 'failed' })
  })

  test('a failed update carries its failureReason in server_failed and deploy_ended', async () => {
    const render = await start({
      steps: [
        ['update_in_progress', 0],
        ['update_failed', 30],
      ],
      failure: { reason: { oomKilled: { memoryLimit: '512Mi' } }, logs: ['Killed'] },
    })
    const created = expectDeploy((await call('/services/srv-web/deploys', { method: 'POST', body: {} })).json)
    await wait(100)
    const events = await eventsOf()
    events.forEach(expectEvent)
    const server = events.find((e) => e.type === 'server_failed')
    expect((server?.details as Json).reason).toEqual({ oomKilled: { memoryLimit: '512Mi' } })
    const ended = events.find((e) => e.type === 'deploy_ended')
    expect(ended?.details).toMatchObject({
      deployId: created.id,
      reason: { failure: { oomKilled: { memoryLimit: '512Mi' } } },
    })
    const owner = render.services.get('srv-web')?.ownerId ?? ''
    const logs = (await logsOf(`ownerId=${owner}&resource=srv-web&type=app`)).json as { logs: Json[] }
    expect(logs.logs.map((l) => l.message)).toContain('Killed')
  })

  test('ListLogs needs ownerId and resource, filters by owner, time window and type; bad queries are 400', async () => {
    const render = await start({
      steps: [
        ['build_in_progress', 0],
        ['live', 20],
      ],
    })
    await call('/services/srv-web/deploys', { method: 'POST', body: {} })
    await wait(80)
    const owner = render.services.get('srv-web')?.ownerId ?? ''
    const count = async (query: string) => ((await logsOf(query)).json as { logs: Json[] }).logs.length
    expect(await count(`ownerId=${owner}&resource=srv-web`)).toBeGreaterThan(2)
    expect(await count(`ownerId=tea-other&resource=srv-web`)).toBe(0)
    const future = encodeURIComponent(new Date(Date.now() + 60_000).toISOString())
    expect(await count(`ownerId=${owner}&resource=srv-web&startTime=${future}`)).toBe(0)
    expect(await count(`ownerId=${owner}&resource=srv-web&type=request`)).toBe(0)
    const limited = (await logsOf(`ownerId=${owner}&resource=srv-web&limit=1`)).json as Json
    expect(limited).toMatchObject({ hasMore: true })
    for (const query of [
      'resource=srv-web',
      `ownerId=${owner}`,
      `ownerId=${owner}&resource=srv-web&direction=sideways`,
      `ownerId=${owner}&resource=srv-web&startTime=yesterday`,
      `ownerId=${owner}&resource=srv-web&limit=0`,
      `ownerId=${owner}&resource=srv-web&type=deploy`,
    ]) {
      expectError(await logsOf(query), 400)
    }
  })

  test('CancelDeploy: an in-progress deploy ends canceled (200); a finished one or a cron job is 400', async () => {
    const render = await start({
      steps: [
        ['build_in_progress', 0],
        ['live', 5000],
      ],
    })
    render.addService({ id: 'srv-cron', type: 'cron_job' })
    const created = expectDeploy((await call('/services/srv-web/deploys', { method: 'POST', body: {} })).json)
    await wait(30)
    const canceled = await call(`/services/srv-web/deploys/${String(created.id)}/cancel`, { method: 'POST' })
    expect(canceled.status).toBe(200)
    expect(expectDeploy(canceled.json)).toMatchObject({ id: created.id, status: 'canceled' })
    expect(render.deploy('srv-web', String(created.id))?.finishedAt).toEqual(expect.any(String))
    const events = await eventsOf()
    expect(events[0]?.details).toMatchObject({ deployId: created.id, deployStatus: 'canceled' })
    expectError(await call(`/services/srv-web/deploys/${String(created.id)}/cancel`, { method: 'POST' }), 400)
    expectError(await call('/services/srv-web/deploys/dep-nope/cancel', { method: 'POST' }), 404)
    const cron = render.services.get('srv-cron')?.deploys[0]?.id
    expectError(await call(`/services/srv-cron/deploys/${cron}/cancel`, { method: 'POST' }), 400)
    // The canceled deploy stays canceled: its remaining steps do not run.
    await wait(50)
    expect(render.deploy('srv-web', String(created.id))?.status).toBe('canceled')
  })

  test('service kinds: a web service has a public URL, a private one name:port, a worker or cron job none', async () => {
    const render = await start()
    render.addService({ id: 'srv-pserv', name: 'queue', type: 'private_service' })
    render.addService({ id: 'srv-worker', type: 'background_worker' })
    render.addService({ id: 'srv-cron', type: 'cron_job' })
    const view = async (id: string) => (await call(`/services/${id}`)).json as Json
    const details = async (id: string) => (await view(id)).serviceDetails as Json
    expect((await details('srv-web')).url).toMatch(/^https:\/\//)
    expect((await details('srv-pserv')).url).toBe('queue:10000')
    expect((await details('srv-pserv')).openPorts).toEqual([{ port: 10000, protocol: 'TCP' }])
    expect((await details('srv-worker')).url).toBeUndefined()
    expect((await details('srv-cron')).url).toBeUndefined()
    for (const [id, type, path] of [
      ['srv-web', 'web_service', 'web'],
      ['srv-pserv', 'private_service', 'pserv'],
      ['srv-worker', 'background_worker', 'worker'],
      ['srv-cron', 'cron_job', 'cron'],
    ] as const) {
      const service = await view(id)
      expect(Object.keys(service).filter((key) => !SERVICE_FIELDS.includes(key))).toEqual([])
      expect(service).toMatchObject({ type, ownerId: render.services.get(id)?.ownerId, autoDeploy: 'yes' })
      expect(service.dashboardUrl).toBe(`https://dashboard.render.com/${path}/${id}`)
    }
    render.addService({ id: 'srv-quiet', autoDeploy: 'no' })
    expect((await view('srv-quiet')).autoDeploy).toBe('no')
    expectError(
      await call('/services/srv-cron/deploys', { method: 'POST', body: { commitId: 'abc1234' } }),
      400,
    )
  })

  test('deploy_only redeploys the last live build without build statuses; it takes no build field', async () => {
    const render = await start({
      steps: [
        ['build_in_progress', 0],
        ['update_in_progress', 10],
        ['live', 20],
      ],
    })
    const live = render.services.get('srv-web')?.deploys.find((d) => d.status === 'live')
    const answer = await call('/services/srv-web/deploys', {
      method: 'POST',
      body: { deployMode: 'deploy_only' },
    })
    expect(answer.status).toBe(201)
    const deploy = expectDeploy(answer.json)
    expect(deploy.commit).toEqual(live?.commit)
    await wait(80)
    expect(fake.transitions.filter((t) => t.deployId === deploy.id).map((t) => t.status)).toEqual([
      'created',
      'update_in_progress',
      'live',
    ])
    for (const body of [
      { deployMode: 'deploy_only', commitId: 'abc1234' },
      { deployMode: 'deploy_only', clearCache: 'do_not_clear' },
      { deployMode: 'rebuild' },
    ]) {
      expectError(await call('/services/srv-web/deploys', { method: 'POST', body }), 400)
    }
  })

  test('an image-backed service pulls its image: its deploys skip the build statuses', async () => {
    const render = await start({
      steps: [
        ['build_in_progress', 0],
        ['update_in_progress', 10],
        ['live', 20],
      ],
    })
    render.addService({ id: 'srv-img', image: 'ghcr.io/acme/web:1' })
    const deploy = expectDeploy(
      (await call('/services/srv-img/deploys', { method: 'POST', body: { imageUrl: 'ghcr.io/acme/web:2' } }))
        .json,
    )
    await wait(80)
    expect(render.transitions.filter((t) => t.deployId === deploy.id).map((t) => t.status)).toEqual([
      'created',
      'update_in_progress',
      'live',
    ])
    const types = (await eventsOf('srv-img')).map((e) => e.type)
    expect(types).not.toContain('build_started')
    expect(types).toContain('deploy_started')
  })
})
