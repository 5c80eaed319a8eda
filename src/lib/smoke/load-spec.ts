import { parseDuration } from '../duration.js'
import { ConfigurationError, quote } from '../errors.js'

/**
 * A check's `load`: after the check passes, send it many times and measure the answers.
 * Exactly one of `requests` and `durationMs` bounds it; both limits below bound it anyway.
 */
export interface LoadSpec {
  /** Send this many requests... */
  requests?: number
  /** ...or keep sending for this long. */
  durationMs?: number
  /** Requests in flight at once (one keep-alive connection each). */
  concurrency: number
  /** At most this many requests started per second; unset: as fast as the answers come. */
  ratePerSecond?: number
  budgets: LoadBudgets
}

export interface LoadBudgets {
  maxP95Ms?: number
  maxP99Ms?: number
  /** A fraction: 0.01 for `1%`. */
  maxErrorRate?: number
}

export const DEFAULT_LOAD_CONCURRENCY = 10
/** Hard limits, so a typo cannot turn a smoke test into a flood. */
export const MAX_LOAD_REQUESTS = 1_000_000
export const MAX_LOAD_DURATION_MS = 10 * 60_000
export const MAX_LOAD_CONCURRENCY = 1000
export const MAX_LOAD_RATE = 100_000

const LOAD_KEYS = ['requests', 'duration', 'concurrency', 'rate', 'max-p95', 'max-p99', 'max-error-rate']

const shown = (value: unknown) => (typeof value === 'string' ? quote(value) : JSON.stringify(value))

/** A whole number from 1 to `max`, written as a YAML number or a string of digits. */
function positiveInt(value: unknown, max: number, source: string): number {
  const text = typeof value === 'number' || typeof value === 'string' ? String(value).trim() : ''
  const n = /^\d+$/.test(text) ? Number(text) : NaN
  if (!(n >= 1 && n <= max)) {
    throw new ConfigurationError(`${source} must be a whole number from 1 to ${max} (got ${shown(value)})`)
  }
  return n
}

/** A positive duration up to `maxMs` (`500ms`, `2s`, `1m`). */
function positiveDuration(value: unknown, maxMs: number, source: string): number {
  const ms = typeof value === 'string' || typeof value === 'number' ? parseDuration(String(value)) : undefined
  if (ms === undefined || ms <= 0 || ms > maxMs) {
    throw new ConfigurationError(
      `${source} must be a positive duration like 300ms or 2s, at most ${maxMs / 1000}s (got ${shown(value)})`,
    )
  }
  return ms
}

/** Requests per second: `50/s`, `50 per second` or a bare number. */
export function parseRate(value: unknown, source: string): number {
  const text = typeof value === 'number' || typeof value === 'string' ? String(value).trim() : ''
  const match = /^(\d+(?:\.\d+)?)\s*(?:\/\s*s|per\s+second)?$/i.exec(text)
  const rate = match ? Number(match[1]) : NaN
  if (!(rate > 0 && rate <= MAX_LOAD_RATE)) {
    throw new ConfigurationError(
      `${source} must be requests per second like 50/s, above 0 and at most ${MAX_LOAD_RATE} (got ${shown(value)})`,
    )
  }
  return rate
}

/** A percentage (`1%`, `0.5%`, `0%`) as a fraction. A bare number is refused: 0.01 or 1 would be ambiguous. */
export function parsePercent(value: unknown, source: string): number {
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)\s*%$/.exec(value.trim()) : null
  const percent = match ? Number(match[1]) : NaN
  if (!(percent >= 0 && percent <= 100)) {
    throw new ConfigurationError(
      `${source} must be a percentage from 0% to 100% like 1% or 0.5% (got ${shown(value)})`,
    )
  }
  return percent / 100
}

function budgetsField(item: Record<string, unknown>, source: string): LoadBudgets {
  const budget = (key: string) =>
    item[key] === undefined
      ? undefined
      : positiveDuration(item[key], MAX_LOAD_DURATION_MS, `${source}.${key}`)
  return {
    maxP95Ms: budget('max-p95'),
    maxP99Ms: budget('max-p99'),
    maxErrorRate:
      item['max-error-rate'] === undefined
        ? undefined
        : parsePercent(item['max-error-rate'], `${source}.max-error-rate`),
  }
}

/**
 * A check's `load` map, validated; `source` names the check and the key in messages
 * ("Input 'checks' item 2 ('api') load"), and each field is named after it (`load.concurrency`).
 */
export function loadField(value: unknown, source: string): LoadSpec {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigurationError(
      `${source} must be a map like {requests: 1000, concurrency: 10} (got ${JSON.stringify(value)})`,
    )
  }
  const item = value as Record<string, unknown>
  const unknown = Object.keys(item).find((key) => !LOAD_KEYS.includes(key))
  if (unknown !== undefined) {
    throw new ConfigurationError(
      `${source} has unknown key ${quote(unknown)}; allowed: ${LOAD_KEYS.join(', ')}`,
    )
  }
  if ((item.requests === undefined) === (item.duration === undefined)) {
    throw new ConfigurationError(
      `${source} needs exactly one of 'requests' (how many) or 'duration' (how long, like 30s)`,
    )
  }
  const spec: LoadSpec = {
    concurrency:
      item.concurrency === undefined
        ? DEFAULT_LOAD_CONCURRENCY
        : positiveInt(item.concurrency, MAX_LOAD_CONCURRENCY, `${source}.concurrency`),
    budgets: budgetsField(item, source),
  }
  if (item.requests !== undefined)
    spec.requests = positiveInt(item.requests, MAX_LOAD_REQUESTS, `${source}.requests`)
  if (item.duration !== undefined)
    spec.durationMs = positiveDuration(item.duration, MAX_LOAD_DURATION_MS, `${source}.duration`)
  if (item.rate !== undefined) spec.ratePerSecond = parseRate(item.rate, `${source}.rate`)
  return spec
}
