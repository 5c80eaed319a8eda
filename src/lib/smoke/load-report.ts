import { formatDuration } from '../duration.js'
import { heading, table } from '../runner/summary.js'
import { bar } from './distribution.js'
import type { LoadResult } from './load.js'
import type { LoadSpec } from './load-spec.js'

const ms = (value: number) =>
  `${Number.isInteger(value) || value >= 100 ? Math.round(value) : value < 10 ? value.toFixed(2) : value.toFixed(1)}ms`
const percent = (fraction: number) => `${Number((fraction * 100).toFixed(2))}%`

/**
 * Every budget the run missed, each naming the figure and the budget ("p95 312ms is over
 * max-p95 250ms"); a run of `requests` cut short by the time limit is a miss too. Empty: all met.
 */
export function budgetMisses(load: LoadResult, spec: LoadSpec, timeLimitMs: number): string[] {
  const misses: string[] = []
  const { maxP95Ms, maxP99Ms, maxErrorRate } = spec.budgets
  if (maxP95Ms !== undefined && load.p95Ms > maxP95Ms)
    misses.push(`p95 ${ms(load.p95Ms)} is over max-p95 ${ms(maxP95Ms)}`)
  if (maxP99Ms !== undefined && load.p99Ms > maxP99Ms)
    misses.push(`p99 ${ms(load.p99Ms)} is over max-p99 ${ms(maxP99Ms)}`)
  if (maxErrorRate !== undefined && load.errorRate > maxErrorRate) {
    const first = load.firstError === null ? '' : ` (first: ${load.firstError})`
    misses.push(
      `error rate ${percent(load.errorRate)} (${load.errors} of ${load.requests}) is over max-error-rate ${percent(maxErrorRate)}${first}`,
    )
  }
  if (load.stoppedBy === 'time-limit')
    misses.push(
      `only ${load.requests} of ${spec.requests} requests done within the time limit of ${formatDuration(timeLimitMs)} (the check's timeout)`,
    )
  return misses
}

/** One line for the log: the throughput, the percentiles and the error rate. */
export function loadLine(load: LoadResult): string {
  return (
    `${load.requests} requests in ${formatDuration(load.durationMs)} (${load.rps} req/s): ` +
    `p50 ${ms(load.p50Ms)}, p95 ${ms(load.p95Ms)}, p99 ${ms(load.p99Ms)}, max ${ms(load.maxMs)}; ` +
    `errors ${percent(load.errorRate)}`
  )
}

function bucketLabel(upToMs: number | null, previous: number | null | undefined): string {
  if (upToMs === null) return `> ${ms(previous ?? 0)}`
  return `≤ ${ms(upToMs)}`
}

/** The job-summary section of one load check: its figures, then the latency histogram. */
export function loadSection(name: string, load: LoadResult): string {
  const statuses = Object.entries(load.statuses)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ')
  const figures = table(
    ['Requests', 'Duration', 'Req/s', 'p50', 'p95', 'p99', 'Max', 'Error rate', 'Statuses'],
    [
      [
        load.requests,
        formatDuration(load.durationMs),
        load.rps,
        ms(load.p50Ms),
        ms(load.p95Ms),
        ms(load.p99Ms),
        ms(load.maxMs),
        percent(load.errorRate),
        statuses,
      ],
    ],
  )
  const most = Math.max(...load.histogram.map((bucket) => bucket.count))
  const rows = load.histogram.map((bucket, i) => [
    bucketLabel(bucket.upToMs, load.histogram[i - 1]?.upToMs),
    bucket.count,
    bar(bucket.count, most) || ' ',
  ])
  return heading(`Load: ${name}`, 4) + figures + '\n' + table(['Latency', 'Requests', ''], rows)
}
