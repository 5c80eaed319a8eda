import { backoffDelay, type Backoff, type Clock, type Sleep } from './poll.js'

/** What one try produced: its value, or what it threw. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown }

/** Why an outcome is worth another try; `delayMs` overrides the backoff (e.g. a Retry-After). */
export interface RetryDecision {
  reason: string
  delayMs?: number
}

export interface RetryOptions<T> {
  /** Tries in all, the first included. */
  attempts: number
  backoff: Backoff
  /** Absolute time (per `now`) no sleep may pass. */
  deadline?: number
  sleep: Sleep
  now: Clock
  random?: () => number
  /** A decision to try again, or undefined when this outcome is final (success or not). */
  retryable: (outcome: Outcome<T>, attempt: number) => RetryDecision | undefined
  /** Called before each sleep, with the delay chosen and the number of the try that follows. */
  onRetry?: (decision: Required<RetryDecision>, nextAttempt: number) => void
}

export interface RetryResult<T> {
  /** The last try's outcome. */
  outcome: Outcome<T>
  attempts: number
  /**
   * `final`: the last outcome was not retryable. `attempts`: it was, but no tries were left.
   * `deadline`: it was, but the next delay would pass the deadline.
   */
  stopped: 'final' | 'attempts' | 'deadline'
  /** With `attempts` / `deadline`: why another try was wanted, and (deadline) the delay refused. */
  reason?: string
  delayMs?: number
}

/**
 * Runs `attempt` until its outcome is final, the tries run out or the next delay would pass the
 * deadline. It never throws what a try threw: the caller turns the result into its own message
 * (who knows what was being done, and whether a repeat could have done it twice). `poll()` is
 * for waiting on a state; this is for one request that may fail transiently.
 */
export async function retry<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions<T>,
): Promise<RetryResult<T>> {
  const { attempts, backoff, deadline, sleep, now, random = Math.random } = options
  for (let n = 1; ; n += 1) {
    let outcome: Outcome<T>
    try {
      outcome = { ok: true, value: await attempt(n) }
    } catch (error) {
      outcome = { ok: false, error }
    }
    const decision = options.retryable(outcome, n)
    if (decision === undefined) return { outcome, attempts: n, stopped: 'final' }
    if (n >= attempts) return { outcome, attempts: n, stopped: 'attempts', reason: decision.reason }
    const delayMs = decision.delayMs ?? backoffDelay(n, backoff, random)
    if (deadline !== undefined && now() + delayMs > deadline) {
      return { outcome, attempts: n, stopped: 'deadline', reason: decision.reason, delayMs }
    }
    options.onRetry?.({ reason: decision.reason, delayMs }, n + 1)
    await sleep(delayMs)
  }
}

/** The value of the last try, or what it threw. */
export function settle<T>(result: RetryResult<T>): T {
  if (result.outcome.ok) return result.outcome.value
  throw result.outcome.error
}
