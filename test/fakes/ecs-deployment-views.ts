// The two views ECS gives of a service deployment of the fake: the ServiceDeployment that
// DescribeServiceDeployments answers with, and the `deployments[]` entries of DescribeServices
// (PRIMARY / ACTIVE with `rolloutState`), which is what the services-stable waiter and emulators
// without the ServiceDeployment API go by.
import {
  FINAL,
  type FakeDeployment,
  type FakeService,
  type Json,
  type RolloutEntry,
} from './ecs-deployments.js'

function hookDetails(d: FakeDeployment): Json[] {
  const stage = d.stages[d.stageIndex]
  return d.hooks
    .filter((h) => h.stage === stage)
    .map((h) => ({
      hookId: h.hookId,
      targetType: 'PAUSE',
      status: h.status,
      expiresAt: h.expiresAt / 1000,
      timeoutAction: h.timeoutAction,
    }))
}

export function deploymentView(d: FakeDeployment, now: number): Json {
  const desired = d.service.desiredCount
  const stage = d.stages[d.stageIndex]
  const scaled = d.stageIndex > d.stages.indexOf('SCALE_UP')
  const scaling = stage === 'SCALE_UP'
  const rolledBack = d.status.startsWith('ROLLBACK')
  const details = hookDetails(d)
  return {
    serviceDeploymentArn: d.arn,
    serviceArn: d.service.serviceArn,
    clusterArn: d.service.clusterArn,
    createdAt: d.createdAt / 1000,
    ...(d.reached.IN_PROGRESS ? { startedAt: d.reached.IN_PROGRESS / 1000 } : {}),
    ...(d.finishedAt ? { finishedAt: d.finishedAt / 1000 } : {}),
    updatedAt: now / 1000,
    sourceServiceRevisions: [
      {
        arn: `${d.arn}-source-rev`,
        requestedTaskCount: desired,
        runningTaskCount: desired,
        pendingTaskCount: 0,
      },
    ],
    targetServiceRevision: {
      arn: `${d.arn}-rev`,
      requestedTaskCount: desired,
      runningTaskCount: rolledBack ? 0 : scaled || d.status === 'SUCCESSFUL' ? desired : 0,
      pendingTaskCount: scaling && !rolledBack ? desired : 0,
    },
    status: d.status,
    ...(d.statusReason ? { statusReason: d.statusReason } : {}),
    ...(stage && !FINAL.has(d.status) && !rolledBack ? { lifecycleStage: stage } : {}),
    ...(details.length > 0 && !FINAL.has(d.status) ? { lifecycleHookDetails: details } : {}),
    deploymentConfiguration: d.configuration,
    ...(d.rollback ? { rollback: d.rollback } : {}),
    deploymentCircuitBreaker: d.circuitBreaker ?? { status: 'MONITORING', failureCount: 0, threshold: 3 },
  }
}

function rolloutView(
  entry: RolloutEntry,
  status: 'PRIMARY' | 'ACTIVE',
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED',
  counts: { desired: number; running: number; pending: number; failed?: number },
  extra: Json = {},
): Json {
  return {
    id: entry.id,
    status,
    taskDefinition: entry.taskDefinition,
    desiredCount: counts.desired,
    runningCount: counts.running,
    pendingCount: counts.pending,
    failedTasks: counts.failed ?? 0,
    createdAt: entry.createdAt / 1000,
    updatedAt: entry.createdAt / 1000,
    rolloutState,
    rolloutStateReason: `ECS deployment ${entry.id} ${rolloutState === 'COMPLETED' ? 'completed' : rolloutState === 'FAILED' ? 'failed' : 'in progress'}.`,
    ...extra,
  }
}

/**
 * DescribeServices' `deployments[]` for a service whose latest deployment is `d` (or none): while
 * it runs, its PRIMARY beside the ACTIVE one it replaces; after a circuit-breaker rollback, a new
 * PRIMARY on the old revision beside the FAILED one; one COMPLETED PRIMARY when it all settled.
 */
export function rolloutsView(service: FakeService, d: FakeDeployment | undefined): Json[] {
  const n = service.desiredCount
  const all = { desired: n, running: n, pending: 0 }
  if (d === undefined) return [rolloutView(service.initialRollout, 'PRIMARY', 'COMPLETED', all)]
  const scaled = d.stageIndex > d.stages.indexOf('SCALE_UP')
  if (d.status === 'PENDING' || d.status === 'IN_PROGRESS' || d.status === 'STOP_REQUESTED') {
    const ours = { desired: n, running: scaled ? n : 0, pending: scaled ? 0 : n }
    return [
      rolloutView(d.rollout, 'PRIMARY', 'IN_PROGRESS', ours),
      rolloutView(d.replaces, 'ACTIVE', 'COMPLETED', all),
    ]
  }
  if (d.status === 'SUCCESSFUL' || d.status === 'STOPPED') {
    return [rolloutView(d.rollout, 'PRIMARY', 'COMPLETED', all)]
  }
  const rollback = d.rollbackRollout ?? d.replaces
  const failed = { desired: n, running: 0, pending: 0, failed: d.circuitBreaker?.failureCount ?? 0 }
  if (d.status === 'ROLLBACK_IN_PROGRESS' || d.status === 'ROLLBACK_REQUESTED') {
    return [
      rolloutView(rollback, 'PRIMARY', 'IN_PROGRESS', { desired: n, running: 0, pending: n }),
      rolloutView(d.rollout, 'ACTIVE', 'FAILED', failed, {
        rolloutStateReason: `ECS deployment ${d.rollout.id} failed: ${d.statusReason ?? 'rolled back'}`,
      }),
    ]
  }
  return [rolloutView(rollback, 'PRIMARY', 'COMPLETED', all)]
}

/** The deployments[] entry the service runs when `d` is its latest deployment (for the next one). */
export function settledRollout(service: FakeService, d: FakeDeployment | undefined): RolloutEntry {
  if (d === undefined) return service.initialRollout
  if (d.status.startsWith('ROLLBACK')) return d.rollbackRollout ?? d.replaces
  return d.rollout
}
