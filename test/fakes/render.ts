import { randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { FakeRecords, listEvents, listLogs, type FailureReason } from './render-records.js'

/**
 * A local fake of the Render REST API (the parts render-deploy uses) and of deploy hooks, over
 * real HTTP. Deploys move through their statuses on real timers, so a client sees them change
 * while it polls; every change is recorded with its time for latency measurements.
 */

export interface FakeDeploy {
  id: string
  status: string
  trigger: string
  commit: { id: string; message: string; createdAt: string } | null
  image?: { ref: string; sha: string; registryCredential?: string }
  createdAt: string
  updatedAt: string
  startedAt?: string
  finishedAt: string | null
}

export interface FakeService {
  id: string
  name: string
  /** web_service (default), private_service, background_worker, cron_job or static_site. */
  type: string
  /** serviceDetails.url: https for web services and static sites, `name:port` for a private service, none otherwise. */
  url?: string
  ownerId: string
  autoDeploy: 'yes' | 'no'
  branch: string
  /** Set for an image-backed service: its deploys have `commit: null` and an `image`. */
  image?: string
  /** The branch head a git deploy builds when no commitId is given. */
  branchCommit: string
  suspended: 'suspended' | 'not_suspended'
  deploys: FakeDeploy[]
}

/** A status and when it is reached, in milliseconds after the deploy was created. */
export type Step = [status: string, afterMs: number]

export interface FakeRenderOptions {
  apiKey?: string
  hookKey?: string
  /** Steps of deploys started through the API or a hook. */
  steps?: Step[]
  /** Steps of rollback deploys. */
  rollbackSteps?: Step[]
  /** 201 answers with the deploy; 202 queues it and answers without a body. */
  triggerAnswer?: 201 | 202
  /** Whether a hook call answers with `{"deploy":{"id":…}}` (else an empty 200). */
  hookReturnsId?: boolean
  /** What a failing deploy records: the reason its events carry and the log lines it prints. */
  failure?: { reason?: FailureReason; logs?: string[] }
}

export interface RecordedRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  body: string
  at: number
}

export interface Transition {
  deployId: string
  status: string
  at: number
}

interface Failure {
  match: RegExp
  count: number
  status: number
  headers: Record<string, string>
  body: string
}

export const DEFAULT_STEPS: Step[] = [
  ['build_in_progress', 0],
  ['update_in_progress', 150],
  ['live', 300],
]

const id = (prefix: string) => `${prefix}-${randomBytes(10).toString('hex')}`
const sha = () => randomBytes(20).toString('hex')
const iso = (ms: number) => new Date(ms).toISOString()

export class FakeRender {
  readonly apiKey: string
  readonly hookKey: string
  readonly services = new Map<string, FakeService>()
  readonly requests: RecordedRequest[] = []
  readonly transitions: Transition[] = []
  /** The logs and events the deploys recorded (served by ListLogs and ListEvents). */
  readonly records = new FakeRecords()
  options: Required<Omit<FakeRenderOptions, 'apiKey' | 'hookKey' | 'failure'>> &
    Pick<FakeRenderOptions, 'failure'>
  private readonly failures: Failure[] = []
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly deployTimers = new Map<string, NodeJS.Timeout[]>()
  private server: http.Server | undefined
  private base = ''

  constructor(options: FakeRenderOptions = {}) {
    this.apiKey = options.apiKey ?? `rnd_${randomBytes(16).toString('hex')}`
    this.hookKey = options.hookKey ?? randomBytes(12).toString('base64url')
    this.options = {
      steps: options.steps ?? DEFAULT_STEPS,
      rollbackSteps: options.rollbackSteps ?? DEFAULT_STEPS,
      triggerAnswer: options.triggerAnswer ?? 201,
      hookReturnsId: options.hookReturnsId ?? true,
      failure: options.failure,
    }
  }

  /** Adds a service with an earlier live deploy (and a deactivated one before it) to roll back to. */
  addService(partial: Partial<Omit<FakeService, 'deploys'>> & { id: string }): FakeService {
    const now = Date.now()
    const type = partial.type ?? 'web_service'
    const name = partial.name ?? partial.id.replace(/^srv-/, 'web-')
    const service: FakeService = {
      name,
      type,
      url: defaultUrl(type, partial.id, name),
      ownerId: 'tea-fake0owner',
      autoDeploy: 'yes',
      branch: 'main',
      branchCommit: sha(),
      suspended: 'not_suspended',
      ...partial,
      deploys: [],
    }
    for (const [status, ageMs] of [
      ['deactivated', 7_200_000],
      ['live', 3_600_000],
    ] as const) {
      service.deploys.unshift({
        ...this.source(service, {}),
        id: id('dep'),
        status,
        trigger: 'api',
        createdAt: iso(now - ageMs),
        updatedAt: iso(now - ageMs + 60_000),
        startedAt: iso(now - ageMs),
        finishedAt: iso(now - ageMs + 60_000),
      })
    }
    this.services.set(service.id, service)
    return service
  }

  /** The next `count` requests whose `METHOD /path` matches get this answer instead. */
  fail(match: RegExp, count: number, status: number, headers: Record<string, string> = {}, body = ''): void {
    this.failures.push({ match, count, status, headers, body })
  }

  /**
   * The next `count` requests matching `METHOD /path` are rate-limited as Render's limiter answers:
   * 429 with the RateLimit-* and Retry-After headers its API declares (integers, seconds), and the
   * `{"error": …}` body render-oss/cli's client tests mimic (not the usual `{id, message}`).
   */
  rateLimit(match: RegExp, count: number, resetSeconds = 1): void {
    const headers = {
      'Ratelimit-Limit': '30',
      'Ratelimit-Remaining': '0',
      'Ratelimit-Reset': String(resetSeconds),
      'Retry-After': String(resetSeconds),
    }
    this.fail(match, count, 429, headers, JSON.stringify({ error: 'rate limit exceeded' }))
  }

  get apiUrl(): string {
    return `${this.base}/v1`
  }

  hookUrl(serviceId: string, key = this.hookKey): string {
    return `${this.base}/deploy/${serviceId}?key=${encodeURIComponent(key)}`
  }

  deploy(serviceId: string, deployId: string): FakeDeploy | undefined {
    return this.services.get(serviceId)?.deploys.find((d) => d.id === deployId)
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (chunk: string) => (body += chunk))
      req.on('end', () => this.handle(req, res, body))
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    const { port } = this.server.address() as AddressInfo
    this.base = `http://127.0.0.1:${port}`
    return this
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    this.deployTimers.clear()
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  private source(
    service: FakeService,
    asked: { commitId?: string; imageUrl?: string },
  ): Pick<FakeDeploy, 'commit' | 'image'> {
    if (service.image !== undefined) {
      return {
        commit: null,
        image: { ref: asked.imageUrl ?? service.image, sha: `sha256:${sha()}${sha().slice(0, 24)}` },
      }
    }
    const commitId = asked.commitId ?? service.branchCommit
    return {
      commit: {
        id: commitId,
        message: `Commit ${commitId.slice(0, 7)}`,
        createdAt: iso(Date.now() - 60_000),
      },
    }
  }

  private setStatus(service: FakeService, deploy: FakeDeploy, status: string): void {
    const now = Date.now()
    deploy.status = status
    deploy.updatedAt = iso(now)
    if (status !== 'created' && status !== 'queued' && deploy.startedAt === undefined)
      deploy.startedAt = iso(now)
    if (['live', 'build_failed', 'update_failed', 'pre_deploy_failed', 'canceled'].includes(status))
      deploy.finishedAt = iso(now)
    this.transitions.push({ deployId: deploy.id, status, at: now })
    this.record(service, deploy, status)
    if (status === 'live') {
      for (const other of service.deploys) {
        if (other !== deploy && other.status === 'live') this.setStatus(service, other, 'deactivated')
      }
    }
  }

  private createDeploy(
    service: FakeService,
    trigger: string,
    source: Pick<FakeDeploy, 'commit' | 'image'>,
    steps: Step[],
    skipBuild = false,
  ): FakeDeploy {
    const now = Date.now()
    const deploy: FakeDeploy = {
      id: id('dep'),
      status: this.options.triggerAnswer === 202 && trigger !== 'rollback' ? 'queued' : 'created',
      trigger,
      ...source,
      createdAt: iso(now),
      updatedAt: iso(now),
      finishedAt: null,
    }
    service.deploys.unshift(deploy)
    this.transitions.push({ deployId: deploy.id, status: deploy.status, at: now })
    // An image-backed service pulls its image and a deploy_only deploy reuses the last build:
    // neither builds, so their deploys never pass through the build statuses.
    const build = service.image === undefined && !skipBuild
    const own: NodeJS.Timeout[] = []
    for (const [status, afterMs] of steps.filter(([status]) => build || !status.startsWith('build_'))) {
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        this.setStatus(service, deploy, status)
      }, afterMs)
      this.timers.add(timer)
      own.push(timer)
    }
    this.deployTimers.set(deploy.id, own)
    return deploy
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', this.base)
    const method = req.method ?? 'GET'
    this.requests.push({
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      at: Date.now(),
    })
    const send: Send = (status, payload, headers = {}) => {
      const text = payload === undefined ? '' : JSON.stringify(payload)
      res.writeHead(status, {
        ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
        ...headers,
      })
      res.end(text)
    }
    const failure = this.failures.find((f) => f.count > 0 && f.match.test(`${method} ${url.pathname}`))
    if (failure !== undefined) {
      failure.count -= 1
      res.writeHead(failure.status, { ...(isJson(failure.body) ? JSON_TYPE : {}), ...failure.headers })
      res.end(failure.body)
      return
    }
    const hook = /^\/deploy\/([^/]+)$/.exec(url.pathname)
    if (hook !== null) return this.deployHook(hook[1] ?? '', url, send)

    if (req.headers.authorization !== `Bearer ${this.apiKey}`)
      return send(401, { id: 'unauthorized', message: 'unauthorized' })
    if (url.pathname === '/v1/logs' && method === 'GET')
      return send(...listLogs(this.records, url.searchParams))
    const route = /^\/v1\/services\/([^/]+)(?:\/(deploys|rollback|events)(?:\/([^/]+)(\/cancel)?)?)?$/.exec(
      url.pathname,
    )
    const service = route === null ? undefined : this.services.get(route[1] ?? '')
    if (route === null || service === undefined)
      return send(404, { id: 'not_found', message: 'service not found' })
    const [, , collection, deployId, cancel] = route

    if (collection === 'events' && deployId === undefined && method === 'GET')
      return send(...listEvents(this.records, service.id, url.searchParams))
    if (cancel !== undefined && method === 'POST') return this.cancel(service, deployId ?? '', send)

    if (collection === undefined && method === 'GET') return send(200, serviceView(service))
    if (collection === 'deploys' && deployId === undefined && method === 'POST')
      return this.createFromApi(service, body, send)
    if (collection === 'deploys' && deployId === undefined && method === 'GET')
      return listDeploys(service, url.searchParams, send)
    if (collection === 'deploys' && deployId !== undefined && method === 'GET') {
      const deploy = service.deploys.find((d) => d.id === deployId)
      return deploy === undefined
        ? send(404, { id: 'not_found', message: 'deploy not found' })
        : send(200, deploy)
    }
    if (collection === 'rollback' && method === 'POST') return this.rollBack(service, body, send)
    return send(405, { id: 'method_not_allowed', message: `${method} not allowed` })
  }

  /** A deploy hook: `/deploy/<service>?key=<key>[&imgURL=<image>]`, no API key. */
  private deployHook(serviceId: string, url: URL, send: Send): void {
    const service = this.services.get(serviceId)
    if (service === undefined || url.searchParams.get('key') !== this.hookKey)
      return send(404, { id: 'not_found', message: 'Not Found' })
    const imageUrl = url.searchParams.get('imgURL') ?? undefined
    const deploy = this.createDeploy(
      service,
      'deploy_hook',
      this.source(service, { imageUrl }),
      this.options.steps,
    )
    send(200, this.options.hookReturnsId ? { deploy: { id: deploy.id } } : undefined)
  }

  /**
   * CreateDeploy: 201 with the deploy, or 202 without a body when Render queues it. The body's rules
   * are CreateDeployJSONBody's in render-oss/cli's pkg/client/types_gen.go: `deployMode` is
   * build_and_deploy or deploy_only, and deploy_only takes none of commitId, imageUrl, clearCache;
   * commitId is not supported for cron jobs.
   */
  private createFromApi(service: FakeService, body: string, send: Send): void {
    const parsed = parseBody(body) as
      { clearCache?: string; commitId?: string; imageUrl?: string; deployMode?: string } | undefined
    if (parsed === undefined) return send(400, { id: 'invalid', message: 'request body is not valid JSON' })
    if (parsed.deployMode !== undefined && !DEPLOY_MODES.includes(parsed.deployMode))
      return send(400, { id: 'invalid', message: `deployMode must be one of ${DEPLOY_MODES.join(', ')}` })
    if (parsed.deployMode === 'deploy_only') return this.redeploy(service, parsed, send)
    if (service.type === 'cron_job' && parsed.commitId !== undefined)
      return send(400, { id: 'invalid', message: 'commitId is not supported for cron jobs' })
    if (parsed.clearCache !== undefined && !['clear', 'do_not_clear'].includes(parsed.clearCache))
      return send(400, { id: 'invalid', message: 'clearCache must be clear or do_not_clear' })
    if (parsed.commitId !== undefined && parsed.imageUrl !== undefined)
      return send(400, { id: 'invalid', message: 'commitId and imageUrl cannot both be set' })
    if (service.image !== undefined && parsed.commitId !== undefined)
      return send(400, { id: 'invalid', message: 'commitId is not supported for image-backed services' })
    if (service.image === undefined && parsed.imageUrl !== undefined)
      return send(400, { id: 'invalid', message: 'imageUrl is only supported for image-backed services' })
    const deploy = this.createDeploy(service, 'api', this.source(service, parsed), this.options.steps)
    return this.options.triggerAnswer === 202 ? send(202) : send(201, deploy)
  }

  /** deploy_only: a deploy of the last live deploy's build, without building. */
  private redeploy(service: FakeService, parsed: Record<string, unknown>, send: Send): void {
    const clash = ['commitId', 'imageUrl', 'clearCache'].find((field) => parsed[field] !== undefined)
    if (clash !== undefined)
      return send(400, { id: 'invalid', message: `deployMode deploy_only cannot be combined with ${clash}` })
    const last =
      service.deploys.find((d) => d.status === 'live') ??
      service.deploys.find((d) => d.status === 'deactivated')
    if (last === undefined)
      return send(400, { id: 'invalid', message: 'there is no successful build to deploy' })
    const source = { commit: last.commit, ...(last.image ? { image: last.image } : {}) }
    const deploy = this.createDeploy(service, 'api', source, this.options.steps, true)
    return this.options.triggerAnswer === 202 ? send(202) : send(201, deploy)
  }

  /** CancelDeploy: an in-progress deploy stops as `canceled` (200 with it); not for cron jobs. */
  private cancel(service: FakeService, deployId: string, send: Send): void {
    if (service.type === 'cron_job')
      return send(400, { id: 'invalid', message: 'canceling a deploy is not supported for cron jobs' })
    const deploy = service.deploys.find((d) => d.id === deployId)
    if (deploy === undefined) return send(404, { id: 'not_found', message: 'deploy not found' })
    if (!IN_PROGRESS.includes(deploy.status))
      return send(400, { id: 'invalid', message: `deploy is ${deploy.status}, not in progress` })
    for (const timer of this.deployTimers.get(deploy.id) ?? []) {
      clearTimeout(timer)
      this.timers.delete(timer)
    }
    this.setStatus(service, deploy, 'canceled')
    return send(200, deploy)
  }

  /** The log lines and events a status change leaves, as a build and a deploy on Render do. */
  private record(service: FakeService, deploy: FakeDeploy, status: string): void {
    const { records } = this
    const failure = this.options.failure
    const buildId = `bld-${deploy.id.slice(4)}`
    const log = (type: string, lines: string[]) => lines.forEach((line) => records.log(service, type, line))
    if (status === 'build_in_progress') {
      records.event(service.id, 'build_started', { buildId, trigger: trigger(deploy) })
      log('build', [
        '==> Cloning from https://github.com/acme/web',
        "==> Running build command 'pip install -r requirements.txt'...",
      ])
    } else if (status === 'build_failed') {
      log(
        'build',
        failure?.logs ?? ['ERROR: No matching distribution found for Djangoo==5.0', '==> Build failed 😞'],
      )
      const reason = failure?.reason === undefined ? {} : { failure: failure.reason }
      records.event(service.id, 'build_ended', { buildId, buildStatus: 'failed', reason })
      records.event(service.id, 'deploy_ended', {
        deployId: deploy.id,
        deployStatus: 'failed',
        reason: { buildFailed: { id: buildId } },
      })
    } else if (status === 'update_in_progress' || status === 'pre_deploy_in_progress') {
      if (deploy.startedAt !== undefined && this.builds(deploy)) {
        log('build', ['==> Build successful 🎉'])
        records.event(service.id, 'build_ended', { buildId, buildStatus: 'succeeded', reason: {} })
      }
      if (status === 'update_in_progress')
        records.event(service.id, 'deploy_started', { deployId: deploy.id, trigger: trigger(deploy) })
      log('app', ['==> Deploying...'])
    } else if (status === 'live') {
      log('app', ['==> Your service is live 🎉'])
      records.event(service.id, 'deploy_ended', {
        deployId: deploy.id,
        deployStatus: 'succeeded',
        reason: {},
      })
    } else if (status === 'update_failed' || status === 'pre_deploy_failed') {
      const reason = failure?.reason ?? { nonZeroExit: 1 }
      log(
        'app',
        failure?.logs ?? [
          'Traceback (most recent call last):',
          "ModuleNotFoundError: No module named 'djangoo'",
        ],
      )
      records.event(service.id, 'server_failed', { instanceID: `${service.id}-abcde`, reason })
      records.event(service.id, 'deploy_ended', {
        deployId: deploy.id,
        deployStatus: 'failed',
        reason: { failure: reason },
      })
    } else if (status === 'canceled') {
      records.event(service.id, 'deploy_ended', { deployId: deploy.id, deployStatus: 'canceled', reason: {} })
    }
  }

  /** Whether a deploy built (it passed through build_in_progress). */
  private builds(deploy: FakeDeploy): boolean {
    return this.transitions.some((t) => t.deployId === deploy.id && t.status === 'build_in_progress')
  }

  /** RollbackDeploy: a new deploy (trigger `rollback`) of an earlier deploy's build, 201. */
  private rollBack(service: FakeService, body: string, send: Send): void {
    const parsed = parseBody(body) as { deployId?: unknown } | undefined
    if (typeof parsed?.deployId !== 'string')
      return send(400, { id: 'invalid', message: 'deployId is required' })
    const target = service.deploys.find((d) => d.id === parsed.deployId)
    if (target === undefined) return send(404, { id: 'not_found', message: 'deploy not found' })
    const source = { commit: target.commit, ...(target.image ? { image: target.image } : {}) }
    return send(201, this.createDeploy(service, 'rollback', source, this.options.rollbackSteps))
  }
}

type Send = (status: number, payload?: unknown, headers?: Record<string, string>) => void

const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' }

/** The deploy statuses of Render's API (the `deployStatus` enum of render-oss/cli's generated client). */
export const DEPLOY_STATUSES = [
  'build_failed',
  'build_in_progress',
  'canceled',
  'created',
  'deactivated',
  'live',
  'pre_deploy_failed',
  'pre_deploy_in_progress',
  'queued',
  'update_failed',
  'update_in_progress',
]

/** The `deployMode` enum (DeployMode in render-oss/cli's pkg/client/types_gen.go). */
export const DEPLOY_MODES = ['build_and_deploy', 'deploy_only']

const IN_PROGRESS = ['created', 'queued', 'build_in_progress', 'pre_deploy_in_progress', 'update_in_progress']

/** A `buildDeployTrigger` (events_gen.go) for a deploy's started events. */
function trigger(deploy: FakeDeploy): Record<string, unknown> {
  return {
    clearCache: false,
    deployedByRender: false,
    envUpdated: false,
    firstBuild: false,
    manual: deploy.trigger === 'api' || deploy.trigger === 'deploy_hook',
    rollback: deploy.trigger === 'rollback',
    ...(deploy.commit ? { newCommit: deploy.commit.id } : {}),
  }
}

/**
 * serviceDetails.url by service type (render-oss/cli's pkg/client/types_gen.go): a web service's or
 * static site's public https URL; a private service's internal `name:port` (its openPorts); no URL
 * for a background worker or cron job.
 */
function defaultUrl(type: string, id: string, name: string): string | undefined {
  if (type === 'web_service' || type === 'static_site') return `https://${id}.onrender.com`
  if (type === 'private_service') return `${name}:10000`
  return undefined
}

/** The dashboard path of each service type (render-oss/cli's internal/fakes/renderapi/services.go). */
const DASHBOARD_PATHS: Record<string, string> = {
  web_service: 'web',
  private_service: 'pserv',
  background_worker: 'worker',
  cron_job: 'cron',
  static_site: 'static',
}

/** Page sizes Render's list endpoints accept (its pagination reference): 1 to 100, 20 when not given. */
const LIMITS = { min: 1, max: 100, fallback: 20 }

function isJson(text: string): boolean {
  return text !== '' && parseBody(text) !== undefined
}

function parseBody(text: string): unknown {
  try {
    return text.trim() === '' ? {} : (JSON.parse(text) as unknown)
  } catch {
    return undefined
  }
}

const cursorOf = (deploy: FakeDeploy) => Buffer.from(deploy.id).toString('base64url')

/** A service as RetrieveService answers it (the `service` schema), from the fake's record. */
function serviceView(service: FakeService): Record<string, unknown> {
  const { deploys: _deploys, branchCommit: _commit, url, image, branch, ...rest } = service
  const runtime = image === undefined ? 'python' : 'image'
  const ports = service.type === 'web_service' || service.type === 'private_service'
  return {
    ...rest,
    slug: service.name,
    createdAt: service.deploys.at(-1)?.createdAt,
    updatedAt: service.deploys[0]?.updatedAt,
    notifyOnFail: 'default',
    dashboardUrl: `https://dashboard.render.com/${DASHBOARD_PATHS[service.type] ?? 'services'}/${service.id}`,
    suspenders: service.suspended === 'suspended' ? ['user'] : [],
    rootDir: '',
    ...(image === undefined ? { repo: 'https://github.com/acme/web', branch } : { imagePath: image }),
    serviceDetails: {
      ...(url === undefined ? {} : { url }),
      env: runtime,
      runtime,
      ...(ports ? { openPorts: [{ port: 10000, protocol: 'TCP' }] } : {}),
      ...(service.type === 'cron_job' ? { schedule: '*/10 * * * *' } : {}),
    },
  }
}

/**
 * ListDeploys: `[{ deploy, cursor }]`, newest first. Filters by `status` (repeated, or
 * comma-separated), `createdAfter` / `createdBefore`; pages with `limit` and `cursor`, the cursor
 * of the last item of the previous page (as render-oss/cli's ListAll pages through lists).
 */
function listDeploys(service: FakeService, query: URLSearchParams, send: Send): void {
  const statuses = query.getAll('status').flatMap((s) => s.split(','))
  const unknown = statuses.find((s) => !DEPLOY_STATUSES.includes(s))
  if (unknown !== undefined) return send(400, { id: 'invalid', message: `invalid status: ${unknown}` })
  const bounds: Record<string, number> = {}
  for (const name of ['createdAfter', 'createdBefore']) {
    const value = query.get(name)
    if (value === null) continue
    bounds[name] = Date.parse(value)
    if (Number.isNaN(bounds[name]))
      return send(400, { id: 'invalid', message: `${name} must be a date-time` })
  }
  const limitText = query.get('limit')
  const limit = limitText === null ? LIMITS.fallback : Number(limitText)
  if (!Number.isInteger(limit) || limit < LIMITS.min || limit > LIMITS.max)
    return send(400, { id: 'invalid', message: `limit must be between ${LIMITS.min} and ${LIMITS.max}` })
  const matching = service.deploys.filter(
    (d) =>
      (statuses.length === 0 || statuses.includes(d.status)) &&
      (bounds.createdAfter === undefined || Date.parse(d.createdAt) >= bounds.createdAfter) &&
      (bounds.createdBefore === undefined || Date.parse(d.createdAt) < bounds.createdBefore),
  )
  const cursor = query.get('cursor')
  const from = cursor === null ? 0 : matching.findIndex((d) => cursorOf(d) === cursor) + 1
  if (from === 0 && cursor !== null) return send(400, { id: 'invalid', message: 'invalid cursor' })
  send(
    200,
    matching.slice(from, from + limit).map((deploy) => ({ deploy, cursor: cursorOf(deploy) })),
  )
}

/** Starts a fake with one git-backed service `srv-web` (and any options given). */
export async function startFakeRender(options: FakeRenderOptions = {}): Promise<FakeRender> {
  const fake = new FakeRender(options)
  fake.addService({ id: 'srv-web' })
  return fake.start()
}
