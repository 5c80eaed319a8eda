import { errorMessage } from './errors.js'

export type Sleep = (ms: number) => Promise<void>
export type Clock = () => number

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

export interface Backoff {
  /** The first delay. */
  initialMs: number
  /** The longest delay. */
  maxMs: number
  /** Growth per attempt; 1 is a fixed interval. */
  factor?: number
  /** Fraction of the delay randomised, spread evenly around it (0.2 = ±10 %). */
  jitter?: number
}

/** The delay before retry number `attempt` (1-based): initial × factor^(attempt-1), capped, with jitter. */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const { initialMs, maxMs, factor = 2, jitter = 0 } = backoff
  const base = Math.min(maxMs, initialMs * factor ** Math.max(0, attempt - 1))
  const spread = base * jitter
  return Math.max(0, Math.round(base - spread / 2 + random() * spread))
}

export interface PollOptions<T> {
  /** Reads the current state. A throw is retried while `isTransient` says so, else it ends the poll. */
  check: () => Promise<T>
  isDone: (state: T) => boolean
  /** Delay between checks: fixed milliseconds, a backoff, or chosen from the last state seen. */
  interval: number | Backoff | ((state: T | undefined, attempt: number) => number)
  /** Absolute time (per `now`) after which polling stops. */
  deadline: number
  sleep: Sleep
  now: Clock
  random?: () => number
  /** A key for the state; `onChange` fires when it differs from the previous one. */
  describe?: (state: T) => string
  onChange?: (state: T, description: string) => void
  /** Errors worth another try (throttling, 5xx, resets). Default: none. */
  isTransient?: (error: unknown) => boolean
  onTransientError?: (error: unknown, attempt: number) => void
}

export type PollResult<T> =
  | { done: true; state: T; attempts: number }
  | { done: false; state: T | undefined; attempts: number; lastError?: unknown }

/**
 * Polls until `isDone` or the deadline. Never sleeps past the deadline: the last check happens at
 * the deadline, so a state reached just before it is still seen.
 */
export async function poll<T>(options: PollOptions<T>): Promise<PollResult<T>> {
  const { check, isDone, interval, deadline, sleep, now, random = Math.random } = options
  let attempts = 0
  let state: T | undefined
  let lastKey: string | undefined
  let lastError: unknown
  for (;;) {
    attempts += 1
    try {
      state = await check()
      lastError = undefined
      const key = options.describe?.(state)
      if (key !== undefined && key !== lastKey) {
        lastKey = key
        options.onChange?.(state, key)
      }
      if (isDone(state)) return { done: true, state, attempts }
    } catch (error) {
      if (!(options.isTransient?.(error) ?? false)) throw error
      lastError = error
      options.onTransientError?.(error, attempts)
    }
    const remaining = deadline - now()
    if (remaining <= 0) return { done: false, state, attempts, lastError }
    const delay =
      typeof interval === 'number'
        ? interval
        : typeof interval === 'function'
          ? interval(state, attempts)
          : backoffDelay(attempts, interval, random)
    await sleep(Math.min(delay, remaining))
  }
}

/** A one-line description of a transient error for a retry log line. */
export function transientNote(error: unknown, attempt: number): string {
  return `Transient error (attempt ${attempt}), retrying: ${errorMessage(error)}`
}
