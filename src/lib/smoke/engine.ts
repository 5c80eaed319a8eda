import { formatDuration } from '../duration.js'
import { errorMessage } from '../errors.js'
import { followRedirects, HttpError, type HttpClient, type HttpResponse } from '../http/client.js'
import { backoffDelay, poll, type Clock, type Sleep } from '../poll.js'
import { redact } from '../runner/secrets.js'
import type { Check } from './checks.js'
import { evaluate } from './evaluate.js'
import { runLoad, type LoadResult } from './load.js'
import { budgetMisses, loadLine } from './load-report.js'

export interface CheckResult {
  name: string
  url: string
  ok: boolean
  /** The last HTTP status seen, or null when no answer came. */
  status: number | null
  attempts: number
  latencyMs: number | null
  error: string | null
  /** A load check's figures, once the check passed and its load ran. */
  load?: LoadResult
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
  /** A monotonic clock in ms for load latencies; default performance.now. */
  monotonic?: Clock
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
const MIN_ATTEMPT_MS = 1000

const notListening = (error: unknown) =>
  error instanceof HttpError && (error.code === 'refused' || error.code === 'reset')

/** Refusals are retried from this delay (or the quarter interval, if shorter)... */
export const REFUSED_FIRST_MS = 50
/** ...growing ×1.5 up to this fraction of the retry interval. */
const REFUSED_CAP_FRACTION = 0.25

/**
 * The delay before the next attempt (`attempt` counts consecutive failures of one kind).
 *
 * A refused or reset connection (no answer at all) means nothing is listening yet and costs the
 * target nothing: a connection attempt to a closed port is answered by the kernel. It is retried
 * from 50 ms, ×1.5 per attempt, up to a quarter of the retry interval (250 ms by default), so the
 * first success lands within about a quarter interval of the target starting to answer, and a
 * target that stays down sees at most ~4 connection attempts per interval.
 *
 * An answer that was wrong (5xx, wrong body, timeout) backs off ×1.5 per attempt from the retry
 * interval up to 10 s, with jitter, to spare a struggling server.
 */
export function retryDelay(
  attempt: number,
  error: unknown,
  retryIntervalMs: number,
  random?: () => number,
): number {
  if (notListening(error)) {
    const capMs = retryIntervalMs * REFUSED_CAP_FRACTION
    const initialMs = Math.min(REFUSED_FIRST_MS, capMs)
    return backoffDelay(attempt, { initialMs, maxMs: capMs, factor: BACKOFF_FACTOR, jitter: JITTER }, random)
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

/** What one attempt saw: the answer's status and latency (null when none came) and why it failed. */
interface Attempt {
  number: number
  status: number | null
  latencyMs: number | null
  /** What failed (a thrown error, or the answer's problem as an AttemptFailed); undefined on a pass. */
  failure?: unknown
  /** The failure as a message, secrets cut out. */
  error?: string
  /** Consecutive failures of this kind (nothing listening, or a wrong answer), for the backoff. */
  streak: number
}

/** One request of a check, by `deps.http`, following redirects when asked to. */
function send(
  check: Check,
  options: EngineOptions,
  deps: EngineDeps,
  timeoutMs: number,
): Promise<HttpResponse> {
  const request = {
    url: check.url,
    method: check.method,
    headers: check.headers,
    body: check.body,
    timeoutMs,
    insecure: options.insecure,
  }
  return options.followRedirects ? followRedirects(deps.http, request, { now: deps.now }) : deps.http(request)
}

/** A function making the check's next attempt; it never throws, a failure is in what it returns. */
function attempter(
  check: Check,
  options: EngineOptions,
  deps: EngineDeps,
  deadline: number,
): () => Promise<Attempt> {
  let number = 0
  // Backoff counts consecutive failures of one kind, so a server that has just started
  // answering (503 after refusals) is retried from the first interval again.
  let streak = 0
  let lastKind: boolean | undefined
  return async () => {
    number += 1
    const started = deps.now()
    // The last attempt may run up to MIN_ATTEMPT_MS past the deadline: one cut to a few
    // milliseconds could only fail, and would hide the real reason behind a timeout.
    const timeoutMs = Math.min(options.requestTimeoutMs, Math.max(MIN_ATTEMPT_MS, deadline - started))
    let seen: Pick<Attempt, 'status' | 'latencyMs' | 'failure'>
    try {
      const response = await send(check, options, deps, timeoutMs)
      const latencyMs = deps.now() - started
      const problem = evaluate(check, response, latencyMs)
      const failure = problem === undefined ? undefined : new AttemptFailed(problem)
      seen = { status: response.status, latencyMs, failure }
    } catch (error) {
      seen = { status: null, latencyMs: null, failure: error }
    }
    if (seen.failure === undefined) return { number, ...seen, streak: 0 }
    const kind = notListening(seen.failure)
    streak = kind === lastKind ? streak + 1 : 1
    lastKind = kind
    const error = redact(errorMessage(seen.failure), options.secrets ?? [])
    return { number, ...seen, error, streak }
  }
}

/**
 * Runs one check: retries it until it passes or its timeout passes, then, for a load check that
 * passed, runs its load.
 */
export async function runCheck(check: Check, options: EngineOptions, deps: EngineDeps): Promise<CheckResult> {
  return withLoad(check, await waitForCheck(check, options, deps), options, deps)
}

/**
 * Retries one check until it passes or its timeout passes: a wait on the target's state
 * through the shared `poll()`, whose last attempt falls at the deadline. A progress line is
 * printed when the reason for failing changes, not on every attempt.
 */
async function waitForCheck(check: Check, options: EngineOptions, deps: EngineDeps): Promise<CheckResult> {
  const deadline = deps.now() + options.timeoutMs
  const result = await poll<Attempt>({
    check: attempter(check, options, deps, deadline),
    isDone: (attempt) => attempt.failure === undefined,
    interval: (attempt) =>
      retryDelay(attempt?.streak ?? 1, attempt?.failure, options.retryIntervalMs, deps.random),
    deadline,
    sleep: deps.sleep,
    now: deps.now,
    describe: (attempt) => attempt.error ?? '',
    onChange: (attempt) => {
      if (attempt.error !== undefined)
        deps.log(`… ${check.name}: attempt ${attempt.number}: ${attempt.error}`)
    },
  })
  // The check never throws, so there is always a last attempt.
  const { status, latencyMs, error } = result.state as Attempt
  const { attempts } = result
  const ok = result.done
  if (ok) {
    deps.log(
      `✓ ${check.name}: ${status} in ${latencyMs}ms${attempts > 1 ? ` after ${attempts} attempts` : ''}`,
    )
  } else {
    deps.log(`✗ ${check.name}: gave up after ${attempts} attempts in ${options.timeoutMs}ms: ${error ?? ''}`)
  }
  // The key order of the `results` output as documented.
  return {
    name: check.name,
    url: check.url.href,
    ok,
    status,
    attempts,
    latencyMs,
    error: ok ? null : (error ?? ''),
  }
}

/**
 * A passed load check's load run, added to its result; a missed budget fails the check naming
 * the figure and the budget. A failed check, or one without `load`, is returned as it is.
 */
async function withLoad(
  check: Check,
  result: CheckResult,
  options: EngineOptions,
  deps: EngineDeps,
): Promise<CheckResult> {
  const spec = check.load
  if (spec === undefined || !result.ok) return result
  const bound =
    spec.requests === undefined ? `for ${formatDuration(spec.durationMs ?? 0)}` : `${spec.requests} requests`
  const rate = spec.ratePerSecond === undefined ? '' : `, at most ${spec.ratePerSecond}/s`
  deps.log(`… ${check.name}: load: ${bound}, ${spec.concurrency} at a time${rate}`)
  const load = await runLoad(
    check,
    spec,
    {
      requestTimeoutMs: options.requestTimeoutMs,
      timeLimitMs: options.timeoutMs,
      followRedirects: options.followRedirects,
      insecure: options.insecure,
      secrets: options.secrets ?? [],
    },
    {
      http: deps.http,
      sleep: deps.sleep,
      now: deps.now,
      monotonic: deps.monotonic ?? (() => performance.now()),
    },
  )
  const misses = budgetMisses(load, spec, options.timeoutMs)
  deps.log(`${misses.length === 0 ? '✓' : '✗'} ${check.name}: load: ${loadLine(load)}`)
  for (const miss of misses) deps.log(`✗ ${check.name}: load: ${miss}`)
  return { ...result, ok: misses.length === 0, error: misses.length === 0 ? null : misses.join('; '), load }
}

/**
 * Runs every check, at most `concurrency` at a time; results keep the checks' order. Load runs
 * come after every check has passed or failed, one at a time, so a load is not measured while
 * other checks (or other loads) share the target and the runner's CPU.
 */
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
      results[index] = await waitForCheck(checks[index] as Check, options, deps)
    }
  }
  await Promise.all(Array.from({ length: Math.min(options.concurrency, checks.length) }, worker))
  for (const [index, check] of checks.entries()) {
    results[index] = await withLoad(check, results[index] as CheckResult, options, deps)
  }
  return results
}
