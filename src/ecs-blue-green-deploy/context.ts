import type { HttpClient } from '../lib/http/client.js'
import type { Clock, Sleep } from '../lib/poll.js'
import type { ActionIO } from '../lib/runner/io.js'
import type { EcsApi } from './ecs-api.js'
import type { Check } from './gate-checks.js'

/** What a run uses once it has its ECS client: the log, ECS, HTTP for the gate, and time. */
export interface DeployContext {
  io: ActionIO
  ecs: EcsApi
  http: HttpClient
  sleep: Sleep
  now: Clock
  random: () => number
}

/** How the deployments are watched, gated and undone. */
export interface WatchOptions {
  cluster: string
  /** When the wait for the deployments gives up. */
  deadline: number
  timeoutMs: number
  /** A fixed interval; undefined polls adaptively. */
  pollIntervalMs?: number
  /** The gate's checks; empty means no gate. */
  checks: Check[]
  rollbackOnFailure: boolean
}
