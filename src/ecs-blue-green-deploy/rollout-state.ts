import type { Deployment, Service, ServiceDeployment, ServiceDeploymentStatus } from '@aws-sdk/client-ecs'

/** A deployment watched through DescribeServices' `deployments[]` (no ServiceDeployment API). */
export interface WatchedRollout {
  /** The `deployments[]` id UpdateService's answer showed as PRIMARY. */
  id: string
  /** The revision the service runs when this deployment is undone. */
  previousTaskDefinitionArn: string
}

function status(
  id: string,
  value: ServiceDeploymentStatus,
  rollout: Deployment | undefined,
  reason?: string,
): ServiceDeployment {
  const failed = rollout?.rolloutState === 'FAILED'
  return {
    serviceDeploymentArn: id,
    status: value,
    ...(reason ? { statusReason: reason } : {}),
    ...(rollout
      ? {
          targetServiceRevision: {
            requestedTaskCount: rollout.desiredCount,
            runningTaskCount: rollout.runningCount,
            pendingTaskCount: rollout.pendingCount,
          },
          deploymentCircuitBreaker: {
            status: failed ? 'TRIGGERED' : 'MONITORING',
            failureCount: rollout.failedTasks ?? 0,
          },
        }
      : {}),
  }
}

/** Whether a PRIMARY rollout has settled: COMPLETED, or (no rolloutState, as behind a Classic LB) alone and at its count. */
function settled(service: Service, rollout: Deployment): boolean {
  if (rollout.rolloutState !== undefined) return rollout.rolloutState === 'COMPLETED'
  return (service.deployments ?? []).length === 1 && rollout.runningCount === rollout.desiredCount
}

/**
 * A rolling deployment as a ServiceDeployment, read from DescribeServices' `deployments[]` the way
 * the deployment circuit breaker reports it (`rolloutState`, `rolloutStateReason`): works where the
 * ServiceDeployment API does not exist (moto, LocalStack). The deployment is the one UpdateService
 * made PRIMARY, found by id: moto keeps the old revision on that entry, so the task definition is
 * not compared. It succeeded when COMPLETED; when the circuit breaker rolled it back, a new
 * PRIMARY runs the previous revision; another PRIMARY on another revision superseded it.
 */
export function rolloutDeployment(service: Service, watched: WatchedRollout): ServiceDeployment {
  const rollouts = service.deployments ?? []
  const ours = rollouts.find((d) => d.id === watched.id)
  const primary = rollouts.find((d) => d.status === 'PRIMARY')
  if (ours !== undefined && ours.status === 'PRIMARY') {
    if (ours.rolloutState === 'FAILED') return status(watched.id, 'STOPPED', ours, ours.rolloutStateReason)
    return status(watched.id, settled(service, ours) ? 'SUCCESSFUL' : 'IN_PROGRESS', ours)
  }
  if (primary !== undefined && primary.taskDefinition === watched.previousTaskDefinitionArn) {
    const reason = ours?.rolloutStateReason ?? 'the deployment circuit breaker rolled the service back'
    const done = settled(service, primary)
    return status(watched.id, done ? 'ROLLBACK_SUCCESSFUL' : 'ROLLBACK_IN_PROGRESS', ours ?? primary, reason)
  }
  const by = primary?.id ? ` ${primary.id}` : ''
  return status(
    watched.id,
    'STOPPED',
    ours,
    `superseded by deployment${by} of ${primary?.taskDefinition ?? 'another revision'}`,
  )
}

/** The PRIMARY `deployments[]` id of an UpdateService answer: the deployment it started. */
export function primaryRolloutId(service: Service): string | undefined {
  return (service.deployments ?? []).find((d) => d.status === 'PRIMARY')?.id
}
