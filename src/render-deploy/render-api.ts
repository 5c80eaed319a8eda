import { OperationError } from '../lib/errors.js'
import type { HttpResponse } from '../lib/http/client.js'
import { explainApiStatus, RenderApiError, renderSaid } from './render-errors.js'
import { sendWithRetry, type ApiPorts } from './render-http.js'

/** A deploy as the Render API returns it. Image-backed deploys have `commit: null` and an `image`. */
export interface RenderDeploy {
  id: string
  status: string
  trigger?: string
  commit?: { id?: string; message?: string; createdAt?: string } | null
  image?: { ref?: string; sha?: string; registryCredential?: string } | null
  createdAt?: string
  updatedAt?: string
  startedAt?: string | null
  finishedAt?: string | null
}

/**
 * A service as RetrieveService answers it (the `service` schema of render-oss/cli's
 * pkg/client/types_gen.go): `type` is web_service, private_service, background_worker, cron_job or
 * static_site; `serviceDetails.url` is an https URL for web services and static sites, the internal
 * `host:port` for a private service, and absent for workers and cron jobs.
 */
export interface RenderService {
  id: string
  name?: string
  type?: string
  suspended?: string
  ownerId?: string
  dashboardUrl?: string
  autoDeploy?: 'yes' | 'no' | string
  branch?: string
  serviceDetails?: { url?: string } | null
}

/**
 * The body of a trigger (`POST /services/{id}/deploys`, CreateDeployJSONBody of render-oss/cli's
 * pkg/client/types_gen.go). `deployMode: deploy_only` redeploys the last build and cannot be combined
 * with `commitId`, `imageUrl` or `clearCache` (the build fields), so it is sent alone.
 */
export type TriggerBody =
  | { clearCache: 'clear' | 'do_not_clear'; commitId?: string; imageUrl?: string }
  | { deployMode: 'deploy_only' }

/** One page of ListDeploys, with the cursor of its last item (to ask for the next page). */
export interface DeployPage {
  deploys: RenderDeploy[]
  /** Undefined on the last page (fewer items than the limit). */
  nextCursor?: string
}

/** A log line (the `log` schema of render-oss/cli's pkg/client/logs/logs_gen.go). */
export interface RenderLog {
  id?: string
  message: string
  timestamp: string
  labels?: { name: string; value: string }[]
}

/** A service event (`serviceEvent` of render-oss/cli's pkg/client/events/events_gen.go). */
export interface RenderEvent {
  id: string
  type: string
  timestamp: string
  details?: Record<string, unknown>
}

export interface LogQuery {
  ownerId: string
  resource: string
  startTime: string
  endTime: string
  limit: number
  /** `build` and/or `app` (the `type` label); all types when empty. */
  types: string[]
}

interface RequestOptions {
  deadline: number
  /** What the request does, for messages: "triggering a deploy of srv-…". */
  what: string
  body?: string
  /** The message for a 404, when it means something specific (the service does not exist). */
  notFound?: string
  /** Safe to repeat (default: GETs only). */
  idempotent?: boolean
}

/** The deploy in a 201 answer (`{...}` or `{ deploy: {...} }`), or undefined for an empty 202. */
function parseDeployBody(response: HttpResponse): RenderDeploy | undefined {
  if (response.body.trim() === '') return undefined
  try {
    const parsed = JSON.parse(response.body) as Partial<RenderDeploy> & { deploy?: RenderDeploy }
    const deploy = parsed.deploy ?? parsed
    return typeof deploy.id === 'string' && typeof deploy.status === 'string'
      ? (deploy as RenderDeploy)
      : undefined
  } catch {
    return undefined
  }
}

/**
 * A client of the parts of the Render REST API a deploy needs: the paths, bodies and answers of
 * render-oss/cli's generated client, pkg/client/client_gen.go (RetrieveService, CreateDeploy,
 * ListDeploys, RetrieveDeploy, CancelDeploy, RollbackDeploy, ListEvents, ListLogs).
 */
export class RenderApi {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly ports: ApiPorts,
    private readonly secrets: readonly string[],
  ) {}

  /** Fails with an explained error when the key is rejected or the service does not exist. */
  async getService(serviceId: string, deadline: number): Promise<RenderService> {
    return this.json<RenderService>('GET', `/services/${serviceId}`, {
      deadline,
      what: `looking up service ${serviceId}`,
      notFound: `Render service '${serviceId}' was not found (HTTP 404): check 'service-id' (the service's Settings show it, srv-…) and that the API key's user is a member of the workspace that owns the service`,
    })
  }

  /** The created deploy (201), or undefined when Render queued it and answered 202 without one. */
  async triggerDeploy(
    serviceId: string,
    body: TriggerBody,
    deadline: number,
  ): Promise<RenderDeploy | undefined> {
    const response = await this.send('POST', `/services/${serviceId}/deploys`, {
      deadline,
      what: `triggering a deploy of ${serviceId}`,
      body: JSON.stringify(body),
    })
    return parseDeployBody(response)
  }

  /** Deploys, newest first, as `[{ deploy, cursor }]` items unwrapped (the first page). */
  async listDeploys(
    serviceId: string,
    query: { status?: string; createdAfter?: string; limit?: number },
    deadline: number,
  ): Promise<RenderDeploy[]> {
    return (await this.listDeployPage(serviceId, query, deadline)).deploys
  }

  /**
   * One page of ListDeploys (`GET /services/{id}/deploys` with `limit` and `cursor`, ListDeploysParams
   * of render-oss/cli's pkg/client/types_gen.go), paged as its ListAll in pkg/client/client.go does:
   * the next page starts at the cursor of this page's last item, and a short page is the last.
   */
  async listDeployPage(
    serviceId: string,
    query: { status?: string; createdAfter?: string; limit?: number; cursor?: string },
    deadline: number,
  ): Promise<DeployPage> {
    const params = new URLSearchParams()
    if (query.status !== undefined) params.set('status', query.status)
    if (query.createdAfter !== undefined) params.set('createdAfter', query.createdAfter)
    const limit = query.limit ?? 20
    params.set('limit', String(limit))
    if (query.cursor !== undefined) params.set('cursor', query.cursor)
    const items = await this.json<{ deploy?: RenderDeploy; cursor?: string }[]>(
      'GET',
      `/services/${serviceId}/deploys?${params}`,
      { deadline, what: `listing the deploys of ${serviceId}` },
    )
    if (!Array.isArray(items))
      throw new OperationError(`Render returned an unexpected deploy list for ${serviceId}`)
    const deploys = items.flatMap((item) => (item.deploy?.id === undefined ? [] : [item.deploy]))
    const nextCursor = items.length < limit ? undefined : items.at(-1)?.cursor
    return { deploys, nextCursor }
  }

  /** CancelDeploy (`POST /services/{id}/deploys/{deployId}/cancel`): the deploy as it is now. */
  async cancelDeploy(
    serviceId: string,
    deployId: string,
    deadline: number,
  ): Promise<RenderDeploy | undefined> {
    // Canceling twice cancels once: safe to repeat, so retried like a GET.
    const response = await this.send('POST', `/services/${serviceId}/deploys/${deployId}/cancel`, {
      deadline,
      what: `canceling deploy ${deployId}`,
      idempotent: true,
    })
    return parseDeployBody(response)
  }

  /** ListLogs (`GET /logs`, ListLogsParams in render-oss/cli's pkg/client/types_gen.go), newest first. */
  async listLogs(query: LogQuery, deadline: number): Promise<RenderLog[]> {
    const params = new URLSearchParams({ ownerId: query.ownerId, resource: query.resource })
    params.set('startTime', query.startTime)
    params.set('endTime', query.endTime)
    params.set('direction', 'backward')
    for (const type of query.types) params.append('type', type)
    params.set('limit', String(query.limit))
    const answer = await this.json<{ logs?: RenderLog[] }>('GET', `/logs?${params}`, {
      deadline,
      what: `reading the logs of ${query.resource}`,
    })
    return Array.isArray(answer?.logs) ? answer.logs : []
  }

  /**
   * ListEvents (`GET /services/{id}/events`, ListEventsParams): `[{ event }]` items unwrapped (the
   * `serviceEventWithCursor` schema of render-oss/cli's pkg/client/types_gen.go).
   */
  async listEvents(
    serviceId: string,
    query: { startTime: string; endTime: string; limit: number },
    deadline: number,
  ): Promise<RenderEvent[]> {
    const params = new URLSearchParams({ startTime: query.startTime, endTime: query.endTime })
    params.set('limit', String(query.limit))
    const items = await this.json<{ event?: RenderEvent }[]>(
      'GET',
      `/services/${serviceId}/events?${params}`,
      {
        deadline,
        what: `reading the events of ${serviceId}`,
      },
    )
    if (!Array.isArray(items)) return []
    return items.flatMap((item) => (typeof item.event?.type === 'string' ? [item.event] : []))
  }

  async getDeploy(serviceId: string, deployId: string, deadline: number): Promise<RenderDeploy> {
    return this.json<RenderDeploy>('GET', `/services/${serviceId}/deploys/${deployId}`, {
      deadline,
      what: `reading deploy ${deployId}`,
      notFound: `Deploy ${deployId} of service ${serviceId} was not found (HTTP 404)`,
    })
  }

  /** Starts a deploy of an earlier deploy's build; undefined when Render answered without a body. */
  async rollback(serviceId: string, deployId: string, deadline: number): Promise<RenderDeploy | undefined> {
    const response = await this.send('POST', `/services/${serviceId}/rollback`, {
      deadline,
      what: `rolling ${serviceId} back to ${deployId}`,
      body: JSON.stringify({ deployId }),
    })
    return parseDeployBody(response)
  }

  private async json<T>(method: string, path: string, options: RequestOptions): Promise<T> {
    const response = await this.send(method, path, options)
    try {
      return JSON.parse(response.body) as T
    } catch {
      throw new OperationError(`Render returned a response that is not JSON while ${options.what}`)
    }
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<HttpResponse> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${this.apiKey}`,
      'User-Agent': 'devops-actions/render-deploy',
    }
    if (options.body !== undefined) headers['Content-Type'] = 'application/json'
    const response = await sendWithRetry(
      this.ports,
      { url: `${this.baseUrl}${path}`, method, headers, body: options.body },
      {
        idempotent: options.idempotent ?? method === 'GET',
        deadline: options.deadline,
        what: options.what,
        secrets: this.secrets,
      },
    )
    if (response.status >= 200 && response.status < 300) return response
    const said = renderSaid(response.body, this.secrets)
    const repeatable = options.idempotent ?? method === 'GET'
    const notRepeated =
      !repeatable && response.status >= 500
        ? ' It was not repeated: Render may have acted on it, and a deploy must not be triggered twice. Check the service in the Render Dashboard before re-running.'
        : ''
    throw new RenderApiError(
      response.status,
      explainApiStatus(response.status, said, options.what, options.notFound) + notRepeated,
    )
  }
}
