import type { ServiceDeployment } from '@aws-sdk/client-ecs'
import { foreignPause, isFinal } from './deployment-state.js'

/**
 * The adaptive poll of a deployment watch (the default `poll-interval: auto`). Every second while
 * anything may end soon — a deployment starting, moving between stages, rolling back, in its last
 * stages — so a finished deployment is seen within about a second. It backs off only where the
 * end is known to be far: during BAKE_TIME (its length is in the deployment's configuration, and
 * polling is fast again from a few seconds before it ends) and while someone else's PAUSE hook
 * holds the deployment (fast again before the hook expires). One call covers up to 20 service
 * deployments (or 10 services watched through DescribeServices), so the rate is per watch, not per
 * service: at most 60 calls a minute, about 6 during a long bake.
 */
export const FAST_MS = 1000
/** The longest wait during a bake. */
export const BAKE_MAX_MS = 15_000
/** The longest wait while someone else's PAUSE hook holds the deployment. */
export const PAUSE_MAX_MS = 10_000
/** How long before a predicted end polling is fast again. */
export const LEAD_MS = 3000

/** What the policy needs to know about one watched deployment. */
export interface PollView {
  deployment?: ServiceDeployment
  /** When the current stage was first seen. */
  stageSeenAt: number
  /** Polls since the deployment's state last changed. */
  unchanged: number
  /** The bake the plan expects, when the deployment's own configuration does not say. */
  bakeMinutes?: number
  gated: boolean
}

function backoff(unchanged: number, max: number): number {
  return Math.min(max, Math.round(FAST_MS * 1.5 ** unchanged))
}

/** The wait before the next look at one deployment; Infinity when it is over. */
export function delayFor(view: PollView, now: number): number {
  const d = view.deployment
  if (d === undefined) return FAST_MS
  if (isFinal(d)) return Infinity
  if (d.status === 'IN_PROGRESS' && d.lifecycleStage === 'BAKE_TIME') {
    const minutes = d.deploymentConfiguration?.bakeTimeInMinutes ?? view.bakeMinutes ?? 0
    const fastFrom = view.stageSeenAt + minutes * 60_000 - LEAD_MS
    if (now >= fastFrom) return FAST_MS
    return Math.max(FAST_MS, Math.min(backoff(view.unchanged, BAKE_MAX_MS), fastFrom - now))
  }
  const pause = foreignPause(d, view.gated)
  if (pause !== undefined) {
    const expires = pause.expiresAt?.getTime()
    const wait = backoff(view.unchanged, PAUSE_MAX_MS)
    return expires === undefined ? wait : Math.max(FAST_MS, Math.min(wait, expires - LEAD_MS - now))
  }
  return FAST_MS
}

/** The wait before the next batched look: the soonest any deployment wants, or a fixed interval. */
export function nextDelay(views: readonly PollView[], now: number, fixedMs?: number): number {
  if (fixedMs !== undefined) return fixedMs
  const soonest = Math.min(...views.map((v) => delayFor(v, now)))
  return Number.isFinite(soonest) ? soonest : FAST_MS
}

/** The migration task's poll: every second at first, then slowly backing off to 10 s. */
export function migrationDelay(attempt: number, fixedMs?: number): number {
  if (fixedMs !== undefined) return fixedMs
  return attempt <= 10 ? FAST_MS : Math.min(10_000, Math.round(FAST_MS * 1.2 ** (attempt - 10)))
}
