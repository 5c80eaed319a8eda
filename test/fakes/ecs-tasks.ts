// Tasks and task definitions of the fake ECS: RegisterTaskDefinition's validation, RunTask's
// one-off tasks that stop after a while with a chosen exit code, and the Task shape
// DescribeTasks answers with.
import { ApiError } from './ecs-services.js'
import type { Json } from './ecs-deployments.js'

export interface FakeTask {
  taskArn: string
  cluster: string
  taskDefinitionArn: string
  startedAt: number
  stopAt: number
  exitCode: number
  containerName: string
  stoppedReason?: string
  serviceName?: string
  input?: Json
}

const DESCRIBE_ONLY = ['taskDefinitionArn', 'revision', 'status', 'registeredAt', 'compatibilities']

/**
 * The checks RegisterTaskDefinition makes that a rendered request can trip: a family, containers,
 * no describe-only fields, and no name in both a container's environment and its secrets (ECS:
 * "The secret name must be unique and not shared with any new or existing environment variables
 * set on the container").
 */
export function checkRegistration(input: Json): void {
  if (typeof input.family !== 'string' || input.family === '') {
    throw new ApiError('ClientException', 'Family is required.')
  }
  const containers = input.containerDefinitions
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new ApiError('ClientException', 'Container list cannot be empty.')
  }
  for (const field of DESCRIBE_ONLY) {
    if (field in input) throw new ApiError('ClientException', `Unexpected field '${field}'.`)
  }
  for (const container of containers as Json[]) {
    const secrets = new Set(((container.secrets as Json[] | undefined) ?? []).map((s) => String(s.name)))
    const shared = ((container.environment as Json[] | undefined) ?? []).find((e) =>
      secrets.has(String(e.name)),
    )
    if (shared !== undefined) {
      throw new ApiError(
        'ClientException',
        `The secret name must be unique and not shared with any new or existing environment variables set on the container, such as '${String(shared.name)}'.`,
      )
    }
  }
}

export function taskView(t: FakeTask, now: number, arn: (cluster: string) => string, taskMs: number): Json {
  const stopped = now >= t.stopAt
  return {
    taskArn: t.taskArn,
    clusterArn: arn(t.cluster),
    taskDefinitionArn: t.taskDefinitionArn,
    lastStatus: stopped ? 'STOPPED' : now - t.startedAt > taskMs / 2 ? 'RUNNING' : 'PROVISIONING',
    desiredStatus: stopped ? 'STOPPED' : 'RUNNING',
    createdAt: t.startedAt / 1000,
    ...(stopped
      ? { stoppedAt: t.stopAt / 1000, stopCode: 'EssentialContainerExited', stoppedReason: t.stoppedReason }
      : {}),
    containers: [
      {
        name: t.containerName,
        lastStatus: stopped ? 'STOPPED' : 'RUNNING',
        ...(stopped ? { exitCode: t.exitCode } : {}),
        ...(stopped && t.exitCode !== 0 ? { reason: `exit status ${t.exitCode}` } : {}),
      },
    ],
  }
}
