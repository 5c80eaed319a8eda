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

export interface RenderService {
  id: string
  name?: string
  type?: string
  suspended?: string
  serviceDetails?: { url?: string } | null
}

/** The body of a trigger (`POST /services/{id}/deploys`). */
export interface TriggerBody {
  clearCache: 'clear' | 'do_not_clear'
  commitId?: string
  imageUrl?: string
}

interface RequestOptions {
  deadline: number
  /** What the request does, for messages: "triggering a deploy of srv-…". */
  what: string
  body?: string
  /** The message for a 404, when it means something specific (the service does not exist). */
  notFound?: string
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
 * render-oss/cli's generated client (RetrieveService, CreateDeploy, ListDeploys, RetrieveDeploy,
 * RollbackDeploy).
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

  /** Deploys, newest first, as `[{ deploy, cursor }]` items unwrapped. */
  async listDeploys(
    serviceId: string,
    query: { status?: string; createdAfter?: string; limit?: number },
    deadline: number,
  ): Promise<RenderDeploy[]> {
    const params = new URLSearchParams()
    if (query.status !== undefined) params.set('status', query.status)
    if (query.createdAfter !== undefined) params.set('createdAfter', query.createdAfter)
    params.set('limit', String(query.limit ?? 20))
    const items = await this.json<{ deploy?: RenderDeploy }[]>(
      'GET',
      `/services/${serviceId}/deploys?${params}`,
      {
        deadline,
        what: `listing the deploys of ${serviceId}`,
      },
    )
    if (!Array.isArray(items))
      throw new OperationError(`Render returned an unexpected deploy list for ${serviceId}`)
    return items.flatMap((item) => (item.deploy?.id === undefined ? [] : [item.deploy]))
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
      { idempotent: method === 'GET', deadline: options.deadline, what: options.what, secrets: this.secrets },
    )
    if (response.status >= 200 && response.status < 300) return response
    const said = renderSaid(response.body, this.secrets)
    throw new RenderApiError(
      response.status,
      explainApiStatus(response.status, said, options.what, options.notFound),
    )
  }
}
