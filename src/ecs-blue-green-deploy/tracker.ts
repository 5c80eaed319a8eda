import type { ServiceDeployment } from '@aws-sdk/client-ecs'
import type { ActionIO } from '../lib/runner/io.js'
import {
  failureReason,
  foreignPause,
  foreignPauseMessage,
  gateHookIds,
  isFinal,
  progressLine,
  recordStage,
  ROLLING_BACK,
  type ForeignPause,
  type TimelineEntry,
} from './deployment-state.js'
import type { CheckResult } from './gate-checks.js'
import type { ServicePlan } from './plan.js'
import type { PollView } from './polling.js'

/** How a deployment is watched: the ServiceDeployment API, or DescribeServices' `deployments[]`. */
export type WatchMode = 'service-deployment' | 'rollout'

/** One service's deployment being watched, from UpdateService to its end (and its rollback). */
export interface Tracker {
  plan: ServicePlan
  /** The revision this run registered for the service. */
  taskDefinitionArn: string
  mode: WatchMode
  /** The ServiceDeployment ARN, or the `deployments[]` id in rollout mode. */
  id: string
  /** The deployment UpdateService started (kept when a revert is watched under `id`). */
  deploymentArn: string
  /** UpdateService's PRIMARY `deployments[]` id, to fall back to when the ServiceDeployment API is missing. */
  rolloutId?: string
  /** Watching the deployment that puts the service back on its previous revision. */
  reverting: boolean
  deployment?: ServiceDeployment
  line?: string
  timeline: TimelineEntry[]
  stageSeenAt: number
  unchanged: number
  gatePending: boolean
  gateResults?: CheckResult[]
  pause?: ForeignPause
  noted: Set<string>
  /** Why the deployment did not succeed, when this action decided it (gate, timeout). */
  failure?: string
  /** Why ECS failed it, as the first look at it failing said (later looks may say less). */
  cause?: string
  /** Left as it is: no rollback wanted, or the wait gave up. */
  abandoned: boolean
  /** A rollback was asked for (the gate answered ROLLBACK, StopServiceDeployment, a revert). */
  undoRequested: boolean
  /** A rollback call that failed, and why. */
  rollbackError?: string
}

export function newTracker(
  plan: ServicePlan,
  taskDefinitionArn: string,
  start: { mode: WatchMode; id: string; rolloutId?: string },
  now: number,
): Tracker {
  return {
    plan,
    taskDefinitionArn,
    mode: start.mode,
    id: start.id,
    deploymentArn: start.id,
    rolloutId: start.rolloutId,
    reverting: false,
    timeline: [],
    stageSeenAt: now,
    unchanged: 0,
    gatePending: plan.gate,
    noted: new Set(),
    abandoned: false,
    undoRequested: false,
  }
}

/** Whether the watch is over for this tracker: the deployment ended, or it was left alone. */
export function isDone(t: Tracker): boolean {
  return t.abandoned || (t.deployment !== undefined && isFinal(t.deployment))
}

/** Whether the deployment failed, is being undone, or this action found it wanting. */
export function isFailing(t: Tracker): boolean {
  if (t.reverting || t.failure !== undefined) return true
  const d = t.deployment
  if (d === undefined) return false
  return ROLLING_BACK.has(d.status ?? '') || (isFinal(d) && d.status !== 'SUCCESSFUL')
}

export function isSucceeded(t: Tracker): boolean {
  return !t.reverting && t.failure === undefined && t.deployment?.status === 'SUCCESSFUL'
}

/** Paused at the gate's hook, with the gate still to run. */
export function gateReady(t: Tracker): boolean {
  return t.gatePending && t.deployment !== undefined && gateHookIds(t.deployment).length > 0
}

export function pollView(t: Tracker): PollView {
  return {
    deployment: t.abandoned ? { status: 'STOPPED' } : t.deployment,
    stageSeenAt: t.stageSeenAt,
    unchanged: t.unchanged,
    bakeMinutes: t.plan.before.deploymentConfiguration?.bakeTimeInMinutes,
    gated: t.plan.gate,
  }
}

const clock = (now: number) => new Date(now).toISOString().slice(11, 19)

/**
 * Takes in a new look at the deployment: a progress line when its status, stage or counts changed
 * (prefixed with the service when several are watched), the stage timeline, and a warning naming
 * someone else's PAUSE hook the first time the deployment waits on it.
 */
export function observe(
  io: ActionIO,
  t: Tracker,
  deployment: ServiceDeployment | undefined,
  now: number,
  several: boolean,
): void {
  const line =
    deployment === undefined ? 'waiting for the deployment to be visible' : progressLine(deployment)
  const stageChanged =
    deployment?.lifecycleStage !== t.deployment?.lifecycleStage || deployment?.status !== t.deployment?.status
  if (stageChanged) t.stageSeenAt = now
  t.deployment = deployment
  if (line === t.line) {
    t.unchanged += 1
  } else {
    t.unchanged = 0
    t.line = line
    const prefix = several
      ? `${t.plan.name}${t.reverting ? ' (rollback)' : ''}: `
      : t.reverting
        ? 'rollback: '
        : ''
    io.info(`${clock(now)} ${prefix}${line}`)
  }
  if (deployment === undefined) return
  if (!t.reverting) recordStage(t.timeline, deployment, now)
  if (!t.reverting && t.cause === undefined && isFailing(t)) t.cause = failureReason(deployment)
  const pause = foreignPause(deployment, t.plan.gate)
  t.pause = pause
  if (pause !== undefined && !t.noted.has(pause.hookId)) {
    t.noted.add(pause.hookId)
    io.warning(foreignPauseMessage(t.plan.name, t.id, pause))
  }
}
