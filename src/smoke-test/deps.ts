import type { Clock } from '../lib/poll.js'
import { realPorts, type RunnerPorts } from '../lib/runner/ports.js'

/** smoke-test needs the runner's ports (HTTP, the clock, the log) and a monotonic clock for load checks. */
export interface Deps extends RunnerPorts {
  /** Milliseconds from an arbitrary origin that never jumps (performance.now): load latencies. */
  monotonic: Clock
}

export function defaultDeps(): Deps {
  return { ...realPorts(), monotonic: () => performance.now() }
}
