import { errorMessage } from '../errors.js'
import { followRedirects, isRedirect, type HttpClient, type HttpRequest } from '../http/client.js'
import type { Clock, Sleep } from '../poll.js'
import { redact } from '../runner/secrets.js'
import type { Check } from './checks.js'
import { histogram, latencyStats, type LatencyStats } from './distribution.js'
import { evaluate } from './evaluate.js'
import { MAX_LOAD_REQUESTS, type LoadSpec } from './load-spec.js'

/** What a load run measured. Latencies are per request, from a monotonic clock. */
export interface LoadResult extends LatencyStats {
  /** Requests completed (answered or failed). */
  requests: number
  durationMs: number
  /** Requests completed per second of the run. */
  rps: number
  /** Requests that got no answer or a wrong one (the check's expectations), as a fraction. */
  errorRate: number
  errors: number
  /** Answers per HTTP status; requests that got none are under `none`. */
  statuses: Record<string, number>
  /** What ended the run: the request count, the duration, or the time limit (the check's timeout). */
  stoppedBy: 'requests' | 'duration' | 'time-limit'
  /** The first error seen, for the report. */
  firstError: string | null
  /** Requests per latency bucket (up to `upToMs` inclusive; null: beyond the last bound). */
  histogram: { upToMs: number | null; count: number }[]
}

export interface LoadDeps {
  http: HttpClient
  sleep: Sleep
  /** A monotonic clock in milliseconds (performance.now), for latencies and pacing. */
  monotonic: Clock
  /** The epoch clock, for redirects' shared timeout. */
  now: Clock
}

export interface LoadSettings {
  requestTimeoutMs: number
  /** A run of `requests` stops after this long anyway. */
  timeLimitMs: number
  followRedirects: boolean
  insecure: boolean
  secrets: readonly string[]
}

/** One load run's tallies, filled in by the workers. */
class Tally {
  readonly latencies: Float64Array
  completed = 0
  errors = 0
  firstError: string | null = null
  /** Answers per status (index = status; 0 = no answer). */
  readonly statuses = new Uint32Array(600)
  lastEnd = 0

  constructor(capacity: number) {
    this.latencies = new Float64Array(capacity)
  }

  record(latencyMs: number, status: number, error: string | undefined, end: number): void {
    this.latencies[this.completed] = latencyMs
    this.completed += 1
    const index = status >= 100 && status < 600 ? status : 0
    this.statuses[index] = (this.statuses[index] ?? 0) + 1
    if (error !== undefined) {
      this.errors += 1
      this.firstError ??= error
    }
    this.lastEnd = end
  }
}

/** The check's request as every load request sends it: one object, so the client prepares it once. */
function loadRequest(check: Check, concurrency: number, settings: LoadSettings): HttpRequest {
  return {
    url: check.url,
    method: check.method,
    headers: check.headers,
    body: check.body,
    timeoutMs: settings.requestTimeoutMs,
    insecure: settings.insecure,
    keepAlive: true,
    maxConnections: concurrency,
  }
}

/**
 * Sends the check's request `spec.requests` times, or for `spec.durationMs`, with
 * `spec.concurrency` in flight and at most `spec.ratePerSecond` started per second. Each answer
 * is judged by the check's expectations (status, body, JSON; not max-latency: the budgets are
 * the percentiles). Always stops by itself: at the count, the duration, the time limit or
 * MAX_LOAD_REQUESTS, whichever comes first; requests in flight then finish (each bounded by the
 * request timeout) and are counted.
 */
export async function runLoad(
  check: Check,
  spec: LoadSpec,
  settings: LoadSettings,
  deps: LoadDeps,
): Promise<LoadResult> {
  const { monotonic } = deps
  const limit = Math.min(spec.requests ?? MAX_LOAD_REQUESTS, MAX_LOAD_REQUESTS)
  const tally = new Tally(limit)
  const request = loadRequest(check, spec.concurrency, settings)
  const { http } = deps
  const follow = settings.followRedirects
  const judged = { ...check, maxLatencyMs: undefined }
  const started = monotonic()
  const endAt = started + (spec.durationMs ?? settings.timeLimitMs)
  const gapMs = spec.ratePerSecond === undefined ? 0 : 1000 / spec.ratePerSecond
  let issued = 0
  let timeUp = false
  const worker = async () => {
    while (issued < limit) {
      // The slot is taken before pacing, so workers waiting together keep their places.
      const slot = issued++
      if (gapMs > 0) {
        const wait = started + slot * gapMs - monotonic()
        if (wait > 0) await deps.sleep(wait)
      }
      if (monotonic() >= endAt) return void (timeUp = true)
      const begin = monotonic()
      try {
        // Followed only when redirected: most targets never are, and the wrapper's copies cost a
        // load run measurable throughput.
        let response = await http(request)
        if (follow && isRedirect(response))
          response = await followRedirects(http, request, { now: deps.now, first: response })
        const end = monotonic()
        tally.record(end - begin, response.status, evaluate(judged, response, 0), end)
      } catch (error) {
        const end = monotonic()
        tally.record(end - begin, 0, redact(errorMessage(error), settings.secrets), end)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(spec.concurrency, limit) }, worker))
  const stoppedBy = !timeUp ? 'requests' : spec.durationMs === undefined ? 'time-limit' : 'duration'
  return loadResult(tally, started, stoppedBy)
}

/** `{ "200": 980, "503": 20, "none": 3 }`: statuses in order, then the requests that got no answer. */
function statusCounts(counts: Uint32Array): Record<string, number> {
  const statuses: Record<string, number> = {}
  for (let status = 100; status < counts.length; status++) {
    if ((counts[status] ?? 0) > 0) statuses[String(status)] = counts[status] ?? 0
  }
  if ((counts[0] ?? 0) > 0) statuses.none = counts[0] ?? 0
  return statuses
}

function loadResult(tally: Tally, started: number, stoppedBy: LoadResult['stoppedBy']): LoadResult {
  const { completed } = tally
  const durationMs = completed === 0 ? 0 : tally.lastEnd - started
  const latencies = tally.latencies.subarray(0, completed).sort()
  return {
    requests: completed,
    durationMs: Math.round(durationMs),
    rps: durationMs > 0 ? Math.round((completed / durationMs) * 1000 * 10) / 10 : 0,
    ...latencyStats(latencies),
    histogram: histogram(latencies).map(({ upToMs, count }) => ({
      upToMs: Number.isFinite(upToMs) ? upToMs : null,
      count,
    })),
    errorRate: completed === 0 ? 0 : tally.errors / completed,
    errors: tally.errors,
    statuses: statusCounts(tally.statuses),
    stoppedBy,
    firstError: tally.firstError,
  }
}
