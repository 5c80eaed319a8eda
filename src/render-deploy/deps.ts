import { realPorts, type RunnerPorts } from '../lib/runner/ports.js'

/** render-deploy needs nothing beyond the runner's ports: HTTP, the clock, the log and the environment. */
export type Deps = RunnerPorts

export function defaultDeps(): Deps {
  return realPorts()
}
