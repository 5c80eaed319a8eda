import { formatDuration } from '../lib/duration.js'
import { errorMessage, OperationError } from '../lib/errors.js'
import {
  HttpError,
  isTransientHttp,
  retryAfterMs,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
} from '../lib/http/client.js'
import { backoffDelay, type Backoff, type Clock, type Sleep } from '../lib/poll.js'
import { redact } from '../lib/runner/secrets.js'

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

export interface ApiPorts {
  http: HttpClient
  sleep: Sleep
  now: Clock
  random: () => number
  /** Progress lines (retries, rate limits). */
  log: (line: string) => void
}

/** An HTTP answer from Render that is not a success, explained. */
export class RenderApiError extends OperationError {
  override name = 'RenderApiError'
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** Render could not be reached or kept failing after the retries; a wait may keep polling. */
export class TransientRenderError extends OperationError {
  override name = 'TransientRenderError'
}

/** Whether an error from this client is worth another poll (the client already retried it). */
export function isTransientRenderError(error: unknown): boolean {
  return (
    error instanceof TransientRenderError ||
    (error instanceof RenderApiError && (error.status === 429 || error.status >= 500))
  )
}

export interface SendOptions {
  /** Safe to repeat: GETs are; a POST is retried only when it cannot have been processed. */
  idempotent: boolean
  /** Absolute time (per `now`) after which no retry is attempted. */
  deadline: number
  /** What the request does, for messages: "triggering a deploy". */
  what: string
  /** Values to blank out of any message built from a response. */
  secrets: readonly string[]
}

const MAX_ATTEMPTS = 6
const ATTEMPT_TIMEOUT_MS = 30_000
const MAX_RATE_LIMIT_WAIT_MS = 120_000
const BACKOFF: Backoff = { initialMs: 1000, maxMs: 30_000, factor: 2, jitter: 0.2 }
// A POST answered 502/503/504 never reached Render's application, and a refused connection never
// reached the server at all: repeating those cannot trigger a second deploy. A 500 or a reset
// after the request was sent might have, so a POST is not repeated then.
const POST_SAFE_STATUSES = new Set([429, 502, 503, 504])

/**
 * One request with Render's retry rules: 429 waits as `Retry-After` / `Ratelimit-Reset` say (or
 * backs off), 5xx and network errors back off; never past the deadline. Returns the first answer
 * that is not retried, whatever its status.
 */
export async function sendWithRetry(
  ports: ApiPorts,
  request: Omit<HttpRequest, 'timeoutMs'>,
  options: SendOptions,
): Promise<HttpResponse> {
  for (let attempt = 1; ; attempt += 1) {
    const remaining = options.deadline - ports.now()
    let delay: number
    let reason: string
    try {
      const response = await ports.http({
        ...request,
        timeoutMs: Math.max(1000, Math.min(ATTEMPT_TIMEOUT_MS, remaining)),
      })
      const retryable =
        isTransientHttp(response.status) && (options.idempotent || POST_SAFE_STATUSES.has(response.status))
      if (!retryable || attempt >= MAX_ATTEMPTS) return response
      const asked = response.status === 429 ? retryAfterMs(response.headers, ports.now()) : undefined
      delay =
        asked === undefined
          ? backoffDelay(attempt, BACKOFF, ports.random)
          : Math.min(MAX_RATE_LIMIT_WAIT_MS, asked + Math.round(ports.random() * 250))
      reason =
        response.status === 429
          ? 'Render rate limit reached (HTTP 429)'
          : `Render answered HTTP ${response.status}`
      if (asked !== undefined) reason += ` (it asks to wait ${formatDuration(asked)})`
    } catch (error) {
      const retryable =
        isTransientHttp(error) &&
        (options.idempotent || (error instanceof HttpError && error.code === 'refused'))
      if (!retryable || attempt >= MAX_ATTEMPTS) {
        const ErrorClass = retryable ? TransientRenderError : OperationError
        throw new ErrorClass(
          `Could not reach Render while ${options.what}: ${redact(errorMessage(error), options.secrets)}${
            retryable ? ` (gave up after ${attempt} attempts)` : ''
          }${
            options.idempotent || retryable
              ? ''
              : '. The request may or may not have been processed: check the service in the Render Dashboard before re-running'
          }`,
        )
      }
      delay = backoffDelay(attempt, BACKOFF, ports.random)
      reason = redact(errorMessage(error), options.secrets)
    }
    const left = options.deadline - ports.now()
    if (left <= 0 || delay > left) {
      throw new TransientRenderError(
        `Gave up ${options.what} before the timeout: ${reason}, and the next retry (in ${formatDuration(delay)}) would pass the deadline`,
      )
    }
    ports.log(
      `${reason} while ${options.what}; retrying in ${formatDuration(delay)} (attempt ${attempt + 1} of ${MAX_ATTEMPTS})`,
    )
    await ports.sleep(delay)
  }
}

/** Render's error bodies are `{ "id": "...", "message": "..." }`; anything else is shown shortened. */
export function apiErrorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown }
    if (typeof parsed.message === 'string' && parsed.message !== '') return parsed.message
  } catch {
    // not JSON: fall through to the raw text
  }
  const text = body.trim().replace(/\s+/g, ' ')
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

/** A client of the parts of the Render REST API a deploy needs. */
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
    body: { clearCache: 'clear' | 'do_not_clear'; commitId?: string; imageUrl?: string },
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

  private async json<T>(
    method: string,
    path: string,
    options: { deadline: number; what: string; notFound?: string },
  ): Promise<T> {
    const response = await this.send(method, path, options)
    try {
      return JSON.parse(response.body) as T
    } catch {
      throw new OperationError(`Render returned a response that is not JSON while ${options.what}`)
    }
  }

  private async send(
    method: string,
    path: string,
    options: { deadline: number; what: string; body?: string; notFound?: string },
  ): Promise<HttpResponse> {
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
    throw new RenderApiError(response.status, this.explain(response, options.what, options.notFound))
  }

  private explain(response: HttpResponse, what: string, notFound: string | undefined): string {
    const detail = redact(apiErrorMessage(response.body), this.secrets)
    const said = detail === '' ? '' : ` Render said: ${detail}`
    switch (response.status) {
      case 401:
      case 403:
        return `Render rejected the API key (HTTP ${response.status}) while ${what}: check that 'api-key' (or RENDER_API_KEY) holds a current key (Account Settings → API Keys) of a user who is a member of the workspace that owns the service.${said}`
      case 404:
        return notFound ?? `Render answered HTTP 404 while ${what}.${said}`
      case 429:
        return `Render kept rate-limiting the requests (HTTP 429) while ${what}; try again later.${said}`
      default:
        return `Render answered HTTP ${response.status} while ${what}.${said}`
    }
  }
}

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
 * Calls a deploy hook (a POST, as Render's docs show with curl -X POST). Returns the deploy id when
 * Render includes one (`{"deploy":{"id":"dep-…"}}`), else undefined. Nothing here prints the URL.
 */
export async function callDeployHook(
  ports: ApiPorts,
  url: URL,
  options: { deadline: number; secrets: readonly string[] },
): Promise<string | undefined> {
  const what = 'calling the deploy hook'
  const response = await sendWithRetry(
    ports,
    {
      url,
      method: 'POST',
      headers: { Accept: 'application/json', 'User-Agent': 'devops-actions/render-deploy' },
    },
    { idempotent: false, deadline: options.deadline, what, secrets: options.secrets },
  )
  if (response.status >= 200 && response.status < 300) {
    try {
      const parsed = JSON.parse(response.body) as { deploy?: { id?: unknown } }
      return typeof parsed.deploy?.id === 'string' ? parsed.deploy.id : undefined
    } catch {
      return undefined
    }
  }
  const detail = redact(apiErrorMessage(response.body), options.secrets)
  const said = detail === '' ? '' : ` Render said: ${detail}`
  if (response.status === 401 || response.status === 403 || response.status === 404) {
    throw new RenderApiError(
      response.status,
      `Render rejected the deploy hook (HTTP ${response.status}): 'deploy-hook-url' is not a current hook of the service (it may have been regenerated); copy it again from the service's Settings → Deploy Hook.${said}`,
    )
  }
  throw new RenderApiError(response.status, `Render answered HTTP ${response.status} while ${what}.${said}`)
}
