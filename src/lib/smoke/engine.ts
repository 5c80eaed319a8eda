import { errorMessage } from '../errors.js'
import { followRedirects, HttpError, type HttpClient, type HttpResponse } from '../http/client.js'
import { backoffDelay, type Clock, type Sleep } from '../poll.js'
import { redact } from '../runner/secrets.js'
import type { Check } from './checks.js'
import { jsonEqual, valueAtPath } from './json-path.js'

export interface CheckResult {
  name: string
  url: string
  ok: boolean
  /** The last HTTP status seen, or null when no answer came. */
  status: number | null
  attempts: number
  latencyMs: number | null
  error: string | null
}

export interface RetryPolicy {
  /** How long one check keeps retrying. */
  timeoutMs: number
  /** How long one attempt may take. */
  requestTimeoutMs: number
  /** The first delay between attempts. */
  retryIntervalMs: number
}

export interface EngineDeps {
  http: HttpClient
  sleep: Sleep
  now: Clock
  random?: () => number
  log: (line: string) => void
}

export interface EngineOptions extends RetryPolicy {
  concurrency: number
  followRedirects: boolean
  insecure: boolean
  /** Credentials to cut out of error messages (a server may echo a header back in its body). */
  secrets?: readonly string[]
}

/** Delays between attempts grow from the retry interval up to this cap. */
export const BACKOFF_CAP_MS = 10_000
const BACKOFF_FACTOR = 1.5
const JITTER = 0.2
const BODY_PREVIEW = 200
const MIN_ATTEMPT_MS = 1000

/** Why one attempt did not pass, or undefined when it did. */
export function evaluate(check: Check, response: HttpResponse, latencyMs: number): string | undefined {
  const preview = () => {
    const body = response.body.slice(0, BODY_PREVIEW).replace(/\s+/g, ' ').trim()
    return body === '' ? 'an empty body' : `body '${body}${response.body.length > BODY_PREVIEW ? '…' : ''}'`
  }
  if (!check.expectStatus.matches(response.status)) {
    return `expected status ${check.expectStatus.text}, got ${response.status} with ${preview()}`
  }
  if (check.expectBody && !check.expectBody.test(response.body)) {
    return `expected body to match /${check.expectBody.source}/, got ${preview()}`
  }
  if (check.expectJson) {
    let data: unknown
    try {
      data = JSON.parse(response.body)
    } catch {
      return `expected a JSON body, got ${preview()}`
    }
    for (const [path, expected] of Object.entries(check.expectJson)) {
      const actual = valueAtPath(data, path)
      if (!jsonEqual(actual, expected)) {
        return `expected JSON ${path} = ${JSON.stringify(expected)}, got ${actual === undefined ? 'nothing' : JSON.stringify(actual)}`
      }
    }
  }
  if (check.maxLatencyMs !== undefined && latencyMs > check.maxLatencyMs) {
    return `expected a response within ${check.maxLatencyMs}ms, took ${latencyMs}ms`
  }
  return undefined
}

const notListening = (error: unknown) =>
  error instanceof HttpError && (error.code === 'refused' || error.code === 'reset')

/**
 * The delay before the next attempt (`attempt` counts consecutive failures of one kind). A refused or reset connection means nothing is listening yet
 * and costs the target nothing, so it is retried at the plain retry interval: the first success
 * lands within one interval of the target starting to answer. An answer that was wrong (5xx,
 * wrong body, timeout) backs off ×1.5 per attempt up to 10 s, with jitter, to spare a struggling
 * server.
 */
export function retryDelay(
  attempt: number,
  error: unknown,
  retryIntervalMs: number,
  random?: () => number,
): number {
  if (notListening(error)) {
    return backoffDelay(1, { initialMs: retryIntervalMs, maxMs: retryIntervalMs, jitter: JITTER }, random)
  }
  return backoffDelay(
    attempt,
    {
      initialMs: retryIntervalMs,
      maxMs: Math.max(retryIntervalMs, BACKOFF_CAP_MS),
      factor: BACKOFF_FACTOR,
      jitter: JITTER,
    },
    random,
  )
}

class AttemptFailed extends Error {}

/** Runs one check, retrying until it passes or its timeout passes. */
export async function runCheck(check: Check, options: EngineOptions, deps: EngineDeps): Promise<CheckResult> {
  const started = deps.now()
  const deadline = started + options.timeoutMs
  let attempts = 0
  // What the latest attempt saw; a failed result reports it, so "gave up" shows the last status.
  const last: { status: number | null; latencyMs: number | null } = { status: null, latencyMs: null }
  let lastError = ''
  // Backoff counts consecutive failures of one kind, so a server that has just started
  // answering (503 after refusals) is retried from the first interval again.
  let streak = 0
  let lastKind: boolean | undefined
  for (;;) {
    attempts += 1
    const attemptStart = deps.now()
    // The last attempt may run up to MIN_ATTEMPT_MS past the deadline: one cut to a few
    // milliseconds could only fail, and would hide the real reason behind a timeout.
    const timeoutMs = Math.min(options.requestTimeoutMs, Math.max(MIN_ATTEMPT_MS, deadline - attemptStart))
    let failure: unknown
    try {
      const request = {
        url: check.url,
        method: check.method,
        headers: check.headers,
        body: check.body,
        timeoutMs,
        insecure: options.insecure,
      }
      const response = options.followRedirects
        ? await followRedirects(deps.http, request, { now: deps.now })
        : await deps.http(request)
      const latencyMs = deps.now() - attemptStart
      last.status = response.status
      last.latencyMs = latencyMs
      const problem = evaluate(check, response, latencyMs)
      if (problem === undefined) {
        deps.log(
          `✓ ${check.name}: ${response.status} in ${latencyMs}ms${attempts > 1 ? ` after ${attempts} attempts` : ''}`,
        )
        return {
          name: check.name,
          url: check.url.href,
          ok: true,
          status: response.status,
          attempts,
          latencyMs,
          error: null,
        }
      }
      failure = new AttemptFailed(problem)
    } catch (error) {
      failure = error
      last.status = null
      last.latencyMs = null
    }
    const kind = notListening(failure)
    streak = kind === lastKind ? streak + 1 : 1
    lastKind = kind
    const message = redact(errorMessage(failure), options.secrets ?? [])
    if (message !== lastError) deps.log(`… ${check.name}: attempt ${attempts}: ${message}`)
    lastError = message
    const remaining = deadline - deps.now()
    if (remaining <= 0) break
    await deps.sleep(Math.min(remaining, retryDelay(streak, failure, options.retryIntervalMs, deps.random)))
  }
  deps.log(`✗ ${check.name}: gave up after ${attempts} attempts in ${options.timeoutMs}ms: ${lastError}`)
  return { name: check.name, url: check.url.href, ok: false, ...last, attempts, error: lastError }
}

/** Runs every check, at most `concurrency` at a time; results keep the checks' order. */
export async function runChecks(
  checks: readonly Check[],
  options: EngineOptions,
  deps: EngineDeps,
): Promise<CheckResult[]> {
  const results: CheckResult[] = new Array(checks.length)
  let next = 0
  const worker = async () => {
    while (next < checks.length) {
      const index = next++
      results[index] = await runCheck(checks[index] as Check, options, deps)
    }
  }
  await Promise.all(Array.from({ length: Math.min(options.concurrency, checks.length) }, worker))
  return results
}
