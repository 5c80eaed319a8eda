import type { ServiceDeployment, ServiceDeploymentStatus } from '@aws-sdk/client-ecs'
import { GATE_STAGE } from './gate-hook.js'

/** Statuses after which a service deployment changes no more. */
export const FINAL_STATUSES: ReadonlySet<string> = new Set<ServiceDeploymentStatus>([
  'SUCCESSFUL',
  'STOPPED',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
])

/** Statuses in which ECS is already undoing the deployment: no rollback of ours is needed. */
export const ROLLING_BACK: ReadonlySet<string> = new Set<ServiceDeploymentStatus>([
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
])

export function isFinal(deployment: ServiceDeployment): boolean {
  return FINAL_STATUSES.has(deployment.status ?? '')
}

/** The ids of PAUSE hooks waiting for us at the test gate (POST_TEST_TRAFFIC_SHIFT). */
export function gateHookIds(deployment: ServiceDeployment): string[] {
  if (deployment.status !== 'IN_PROGRESS' || deployment.lifecycleStage !== GATE_STAGE) return []
  return (deployment.lifecycleHookDetails ?? [])
    .filter((h) => h.targetType === 'PAUSE' && h.status === 'AWAITING_ACTION' && h.hookId !== undefined)
    .map((h) => h.hookId as string)
}

/** A PAUSE hook awaiting action that the gate does not answer: someone else's approval step. */
export interface ForeignPause {
  stage: string
  hookId: string
  expiresAt?: Date
  timeoutAction?: string
}

/**
 * The PAUSE hook the deployment waits on that this action will not answer: one at any stage but
 * the gate's, or at the gate's stage when the service is not gated.
 */
export function foreignPause(deployment: ServiceDeployment, gated: boolean): ForeignPause | undefined {
  if (deployment.status !== 'IN_PROGRESS') return undefined
  const stage = deployment.lifecycleStage ?? 'an unknown stage'
  if (gated && stage === GATE_STAGE) return undefined
  const hook = (deployment.lifecycleHookDetails ?? []).find(
    (h) => h.targetType === 'PAUSE' && h.status === 'AWAITING_ACTION' && h.hookId !== undefined,
  )
  if (hook === undefined) return undefined
  return {
    stage,
    hookId: hook.hookId as string,
    expiresAt: hook.expiresAt,
    timeoutAction: hook.timeoutAction,
  }
}

/** What a reader needs about someone else's pause: the stage, when ECS gives up on it, how to continue. */
export function foreignPauseMessage(service: string, deploymentArn: string, pause: ForeignPause): string {
  const expiry =
    pause.expiresAt !== undefined
      ? `; unanswered, ECS takes its timeout action (${pause.timeoutAction ?? 'ROLLBACK'}) at ${pause.expiresAt.toISOString()}`
      : ''
  return (
    `The deployment of '${service}' is paused at ${pause.stage} by a PAUSE hook this action did not add ` +
    `(hook ${pause.hookId}); it waits until someone continues it${expiry}. To continue it: ` +
    `aws ecs continue-service-deployment --service-deployment-arn ${deploymentArn} --hook-id ${pause.hookId} --action CONTINUE`
  )
}

/** One progress line: status, stage and the new revision's task counts. Printed when it changes. */
export function progressLine(deployment: ServiceDeployment): string {
  const parts = [deployment.status ?? 'UNKNOWN']
  if (deployment.lifecycleStage !== undefined) parts.push(deployment.lifecycleStage)
  const target = deployment.targetServiceRevision
  if (target !== undefined) {
    const counts = `${target.runningTaskCount ?? 0}/${target.requestedTaskCount ?? 0} running`
    parts.push(
      `new revision ${counts}${target.pendingTaskCount ? `, ${target.pendingTaskCount} pending` : ''}`,
    )
  }
  if (deployment.lifecycleHookDetails?.some((h) => h.status === 'AWAITING_ACTION'))
    parts.push('paused at hook')
  if (deployment.deploymentCircuitBreaker?.status === 'TRIGGERED') parts.push('circuit breaker triggered')
  return parts.join(' · ')
}

/** When each stage (or final status) was first seen, for the summary's timeline. */
export interface TimelineEntry {
  stage: string
  at: number
}

/** Adds the deployment's current stage (or final status) to the timeline if it is new. */
export function recordStage(timeline: TimelineEntry[], deployment: ServiceDeployment, at: number): void {
  const stage = isFinal(deployment)
    ? (deployment.status ?? 'UNKNOWN')
    : ROLLING_BACK.has(deployment.status ?? '')
      ? (deployment.status ?? 'UNKNOWN')
      : (deployment.lifecycleStage ?? deployment.status ?? 'UNKNOWN')
  if (timeline[timeline.length - 1]?.stage !== stage) timeline.push({ stage, at })
}

/** Why a deployment did not succeed, from what ECS says about it. */
export function failureReason(deployment: ServiceDeployment): string {
  const reasons = [deployment.statusReason, deployment.rollback?.reason].filter(
    (r, i, all): r is string => r !== undefined && r !== '' && all.indexOf(r) === i,
  )
  if (deployment.deploymentCircuitBreaker?.status === 'TRIGGERED') {
    reasons.unshift(
      `the deployment circuit breaker triggered (${deployment.deploymentCircuitBreaker.failureCount ?? '?'} failed tasks)`,
    )
  }
  const alarms = deployment.alarms?.triggeredAlarmNames ?? []
  if (alarms.length > 0) reasons.push(`alarms triggered: ${alarms.join(', ')}`)
  return reasons.length > 0 ? reasons.join('; ') : `ended ${deployment.status ?? 'in an unknown state'}`
}
