import type { RunTaskCommandInput, Service, Task } from '@aws-sdk/client-ecs'

export interface MigrationPlan {
  cluster: string
  taskDefinitionArn: string
  containerName: string
  command: string[]
}

/**
 * RunTask for the one-off migration: the new task definition, placed like the service's own tasks
 * (its network configuration, and its capacity provider strategy or else its launch type and
 * platform version), with the container's command replaced by the migration's words.
 */
export function migrationTaskRequest(service: Service, plan: MigrationPlan): RunTaskCommandInput {
  const request: RunTaskCommandInput = {
    cluster: plan.cluster,
    taskDefinition: plan.taskDefinitionArn,
    count: 1,
    startedBy: 'ecs-blue-green-deploy',
    overrides: { containerOverrides: [{ name: plan.containerName, command: plan.command }] },
  }
  if (service.networkConfiguration !== undefined) request.networkConfiguration = service.networkConfiguration
  if (service.capacityProviderStrategy !== undefined && service.capacityProviderStrategy.length > 0) {
    request.capacityProviderStrategy = service.capacityProviderStrategy
  } else if (service.launchType !== undefined) {
    request.launchType = service.launchType
  }
  if (service.platformVersion !== undefined && request.capacityProviderStrategy === undefined) {
    request.platformVersion = service.platformVersion
  }
  return request
}

export interface MigrationOutcome {
  ok: boolean
  exitCode: number | undefined
  /** Why the task or container stopped, as ECS tells it. */
  reason: string
}

/** Whether a STOPPED migration task succeeded: the migration container exited 0. */
export function migrationOutcome(task: Task, containerName: string): MigrationOutcome {
  const container = task.containers?.find((c) => c.name === containerName)
  const exitCode = container?.exitCode
  const reasons = [task.stoppedReason, container?.reason].filter(
    (r): r is string => r !== undefined && r !== '',
  )
  const reason = reasons.length > 0 ? reasons.join('; ') : 'no reason given'
  return { ok: exitCode === 0, exitCode, reason }
}

/** A progress line for the migration task; printed when it changes. */
export function migrationProgress(task: Task | undefined): string {
  if (task === undefined) return 'migration task not visible yet'
  return `migration task ${task.lastStatus ?? 'UNKNOWN'}`
}
