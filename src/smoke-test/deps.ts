import { realPorts, type RunnerPorts } from '../lib/runner/ports.js'

/** smoke-test needs nothing beyond the runner's ports: HTTP, the clock and the log. */
export type Deps = RunnerPorts

export function defaultDeps(): Deps {
  return realPorts()
}
