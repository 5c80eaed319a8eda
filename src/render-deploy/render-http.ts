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
import type { Backoff, Clock, Sleep } from '../lib/poll.js'
import { retry, type Outcome, type RetryDecision, type RetryResult } from '../lib/retry.js'
import { redact } from '../lib/runner/secrets.js'
import { TransientRenderError } from './render-errors.js'

export interface ApiPorts {
  http: HttpClient
  sleep: Sleep
  now: Clock
  random: () => number
  /** Progress lines (retries, rate limits). */
  log: (line: string) => void
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
// A POST answered 502/503/504 by the proxy in front of Render's API never reached Render's
// application, and a refused connection never reached the server at all: repeating those cannot
// trigger a second deploy. A 500, a reset after the request was sent, or a 503 that Render's
// application wrote itself might have, so a POST is not repeated then.
const POST_SAFE_STATUSES = new Set([429, 502, 503, 504])

/**
 * Whether an error answer was written by Render's API application: its error bodies are the `error`
 * schema (`{ id?, message?, code? }`) as application/json, which render-oss/cli's generated client
 * declares for every 503 of a deploy endpoint (pkg/client/client_gen.go, CreateDeployResponse.JSON503
 * of type N503ServiceUnavailable = Error in pkg/client/types_gen.go). A proxy's 503 is not.
 */
export function fromRenderApplication(response: HttpResponse): boolean {
  if (!(response.headers['content-type'] ?? '').includes('json')) return false
  try {
    const body = JSON.parse(response.body) as { id?: unknown; message?: unknown } | null
    return (
      typeof body === 'object' &&
      body !== null &&
      (typeof body.message === 'string' || typeof body.id === 'string')
    )
  } catch {
    return false
  }
}

/**
 * Whether an answer is worth another try under Render's rules. A 429 waits as `Retry-After` /
 * `Ratelimit-Reset` say (the headers Render's API declares for it, as render-oss/cli's generated
 * client reads them), else backs off like a 5xx.
 */
function answerDecision(
  response: HttpResponse,
  options: SendOptions,
  ports: ApiPorts,
): RetryDecision | undefined {
  const { status } = response
  if (!isTransientHttp(status) || !(options.idempotent || POST_SAFE_STATUSES.has(status))) return undefined
  if (!options.idempotent && status === 503 && fromRenderApplication(response)) return undefined
  if (status !== 429) return { reason: `Render answered HTTP ${status}` }
  const asked = retryAfterMs(response.headers, ports.now())
  if (asked === undefined) return { reason: 'Render rate limit reached (HTTP 429)' }
  return {
    reason: `Render rate limit reached (HTTP 429) (it asks to wait ${formatDuration(asked)})`,
    delayMs: Math.min(MAX_RATE_LIMIT_WAIT_MS, asked + Math.round(ports.random() * 250)),
  }
}

/** Whether a network error is worth another try: for a POST only when the request never left. */
function errorDecision(error: unknown, options: SendOptions): RetryDecision | undefined {
  const neverSent = error instanceof HttpError && error.code === 'refused'
  if (!isTransientHttp(error) || !(options.idempotent || neverSent)) return undefined
  return { reason: redact(errorMessage(error), options.secrets) }
}

/** The answer to return, or the error to throw, once the tries are over. */
function settleSend(result: RetryResult<HttpResponse>, options: SendOptions): HttpResponse {
  const { outcome, stopped } = result
  if (stopped === 'deadline') {
    throw new TransientRenderError(
      `Gave up ${options.what} before the timeout: ${result.reason}, and the next retry (in ${formatDuration(result.delayMs ?? 0)}) would pass the deadline`,
    )
  }
  if (outcome.ok) return outcome.value
  const retryable = stopped === 'attempts'
  const ErrorClass = retryable ? TransientRenderError : OperationError
  throw new ErrorClass(
    `Could not reach Render while ${options.what}: ${redact(errorMessage(outcome.error), options.secrets)}${
      retryable ? ` (gave up after ${result.attempts} attempts)` : ''
    }${
      options.idempotent || retryable
        ? ''
        : '. The request may or may not have been processed: check the service in the Render Dashboard before re-running'
    }`,
  )
}

/**
 * One request with Render's retry rules, through the shared `retry()`: 429 waits as asked (or
 * backs off), 5xx and network errors back off, a POST is repeated only when it cannot have been
 * processed, and no wait passes the deadline. Returns the first answer that is not retried,
 * whatever its status.
 */
export async function sendWithRetry(
  ports: ApiPorts,
  request: Omit<HttpRequest, 'timeoutMs'>,
  options: SendOptions,
): Promise<HttpResponse> {
  const result = await retry(
    () =>
      ports.http({
        ...request,
        timeoutMs: Math.max(1000, Math.min(ATTEMPT_TIMEOUT_MS, options.deadline - ports.now())),
      }),
    {
      attempts: MAX_ATTEMPTS,
      backoff: BACKOFF,
      deadline: options.deadline,
      sleep: ports.sleep,
      now: ports.now,
      random: ports.random,
      retryable: (outcome: Outcome<HttpResponse>) =>
        outcome.ok ? answerDecision(outcome.value, options, ports) : errorDecision(outcome.error, options),
      onRetry: ({ reason, delayMs }, next) =>
        ports.log(
          `${reason} while ${options.what}; retrying in ${formatDuration(delayMs)} (attempt ${next} of ${MAX_ATTEMPTS})`,
        ),
    },
  )
  return settleSend(result, options)
}
