import type { Service } from '@aws-sdk/client-ecs'
import { formatDuration } from '../lib/duration.js'
import type { ActionIO } from '../lib/runner/io.js'
import { failureReason, isFinal } from './deployment-state.js'
import type { EcsApi } from './ecs-api.js'
import type { ServicePlan } from './plan.js'
import { eventLines, relevantStoppedTasks, stoppedTaskLines, type ServiceResult } from './report.js'
import { containerImages, taskDefinitionLabel } from './task-definition.js'
import type { RunState } from './run-state.js'
import { isFailing, isSucceeded, type Tracker } from './tracker.js'

/** A service's result before its deployment started: what will be registered, nothing run yet. */
export function plannedResult(plan: ServicePlan): ServiceResult {
  const before = containerImages(plan.source.definition as never)
  const after = containerImages(plan.request)
  const images = Object.fromEntries(Object.entries(after).filter(([c, image]) => before[c] !== image))
  return {
    service: plan.name,
    strategy: plan.strategy,
    previousTaskDefinitionArn: plan.previousTaskDefinitionArn,
    status: 'NOT_STARTED',
    rolledBack: false,
    changed: false,
    images,
    timeline: [],
  }
}

function status(t: Tracker): string {
  const d = t.deployment
  // Not seen yet: UpdateService started it moments ago (wait: false), or it never became visible.
  if (!t.reverting) return d?.status ?? 'IN_PROGRESS'
  if (d?.status === 'SUCCESSFUL') return 'ROLLBACK_SUCCESSFUL'
  return d !== undefined && isFinal(d) ? 'ROLLBACK_FAILED' : 'ROLLBACK_IN_PROGRESS'
}

/** How a watched deployment ended; `cause` names the services whose failure undid the others. */
export function trackedResult(base: ServiceResult, t: Tracker, cause: string | undefined): ServiceResult {
  const value = status(t)
  const ended = t.deployment ? failureReason(t.deployment) : undefined
  const own = t.failure ?? (isFailing(t) && !t.reverting ? (t.cause ?? ended) : undefined)
  const reason = own ?? (t.reverting ? `put back because ${cause ?? 'another service'} failed` : undefined)
  return {
    ...base,
    taskDefinitionArn: t.taskDefinitionArn,
    deploymentArn: t.deploymentArn,
    status: value,
    rolledBack: value === 'ROLLBACK_SUCCESSFUL',
    changed: true,
    stillRunning: t.abandoned || t.deployment === undefined || !isFinal(t.deployment),
    serviceTaskDefinitionArn: value === 'SUCCESSFUL' ? t.taskDefinitionArn : undefined,
    reason,
    timeline: t.timeline,
    gateResults: t.gateResults,
  }
}

/** Whether DescribeServices shows a deployment of the service under way. */
export function deploymentRunning(service: Service): boolean {
  const rollouts = service.deployments ?? []
  return rollouts.length > 1 || rollouts.some((d) => d.rolloutState === 'IN_PROGRESS')
}

/**
 * Looks up where each service ended (the revision it runs, whether a deployment still runs) and,
 * for those that failed, prints their last events and why their tasks stopped. Never throws: it
 * runs on the way out of a failure and must not hide it.
 */
export async function locate(
  io: ActionIO,
  ecs: EcsApi,
  cluster: string,
  results: ServiceResult[],
  trackers: Tracker[],
): Promise<void> {
  const changed = results.filter((r) => r.changed)
  if (changed.length === 0) return
  const services = await ecs
    .describeServices(
      cluster,
      changed.map((r) => r.service),
    )
    .catch(() => undefined)
  await io.group('Service events and stopped tasks', async () => {
    for (const [i, result] of changed.entries()) {
      const service = services?.[i]
      result.serviceTaskDefinitionArn = service?.taskDefinition ?? result.serviceTaskDefinitionArn
      const tracked = trackers.find((t) => t.plan.name === result.service)
      if (tracked === undefined && service !== undefined) result.stillRunning = deploymentRunning(service)
      if (result.status === 'SUCCESSFUL' && !result.stillRunning) continue
      const events = eventLines(service?.events, 10)
      const label = changed.length > 1 ? ` of ${result.service}` : ''
      io.info(events.length > 0 ? `Last service events${label}:` : `No service events${label}.`)
      for (const line of events) io.info(`  ${line}`)
      const stopped = await ecs.stoppedTasks(cluster, result.service, 100).catch(() => [])
      const tasks = relevantStoppedTasks(stopped, result.taskDefinitionArn ?? '')
      if (tasks.length > 0) io.info(`Stopped tasks${label}:`)
      for (const line of stoppedTaskLines(tasks)) io.info(`  ${line}`)
    }
  })
}

/** For an error that cut a run short after UpdateService: where each service is now. */
export function locationNote(results: ServiceResult[]): string {
  return results
    .filter((r) => r.changed)
    .map((r) => {
      const on = r.serviceTaskDefinitionArn
        ? taskDefinitionLabel(r.serviceTaskDefinitionArn)
        : 'an unknown revision'
      const running = r.stillRunning
        ? `a deployment is still running${r.deploymentArn ? ` (${r.deploymentArn})` : ''}`
        : 'no deployment is running'
      return `Service '${r.service}' is on ${on}; ${running}`
    })
    .join('. ')
}

/** Turns the trackers into the report's results; returns whether every deployment succeeded. */
export function conclude(state: RunState): boolean {
  const failed = [
    ...state.report.services
      .filter((r) => !state.trackers.some((t) => t.plan.name === r.service))
      .map((r) => r.service),
    ...state.trackers.filter((t) => isFailing(t) && !t.reverting).map((t) => t.plan.name),
  ]
  const cause = failed.length > 0 ? failed.join(', ') : undefined
  state.report.services = state.report.services.map((result) => {
    const t = state.trackers.find((x) => x.plan.name === result.service)
    return t === undefined ? result : trackedResult(result, t, cause)
  })
  return state.trackers.length === state.plans.length && state.trackers.every(isSucceeded)
}

/** The log line of a run where every service ends on its new revision. */
export function successLine(state: RunState, elapsedMs: number): string {
  const names = state.plans.map((p) => p.name)
  const revisions = state.trackers.map((t) => taskDefinitionLabel(t.taskDefinitionArn))
  const runs =
    names.length === 1
      ? `${names[0]} runs ${revisions[0]}`
      : `${names.join(', ')} run ${revisions.join(', ')}`
  return `Deployment SUCCESSFUL: ${runs} (watched ${formatDuration(elapsedMs)})`
}
