// The ServiceDeployment API of the fake ECS: DescribeServiceDeployments (20 ARNs to a call),
// ListServiceDeployments, StopServiceDeployment and ContinueServiceDeployment, over the
// deployments the fake keeps.
import { deploymentView } from './ecs-deployment-views.js'
import {
  FINAL,
  startRollback,
  type FakeDeployment,
  type FakeService,
  type Json,
  type LifecycleContext,
} from './ecs-deployments.js'
import { ApiError } from './ecs-services.js'

type Deployments = Map<string, FakeDeployment>

export function describeServiceDeployments(deployments: Deployments, input: Json, now: number): Json {
  const arns = (input.serviceDeploymentArns as string[]) ?? []
  if (arns.length > 20) {
    throw new ApiError('InvalidParameterException', 'serviceDeploymentArns can have at most 20 items.')
  }
  return {
    serviceDeployments: arns.flatMap((arn) => {
      const d = deployments.get(arn)
      return d ? [deploymentView(d, now)] : []
    }),
    failures: arns.filter((arn) => !deployments.has(arn)).map((arn) => ({ arn, reason: 'MISSING' })),
  }
}

export function listServiceDeployments(deployments: Deployments, service: FakeService, input: Json): Json {
  const after = (input.createdAt as Json | undefined)?.after
  return {
    serviceDeployments: [...deployments.values()]
      .filter((d) => d.service === service && (after === undefined || d.createdAt / 1000 >= Number(after)))
      .map((d) => ({
        serviceDeploymentArn: d.arn,
        serviceArn: service.serviceArn,
        clusterArn: service.clusterArn,
        createdAt: d.createdAt / 1000,
        targetServiceRevisionArn: `${d.arn}-rev`,
        status: d.status,
      })),
  }
}

function findDeployment(deployments: Deployments, arn: unknown): FakeDeployment {
  const d = deployments.get(String(arn))
  if (!d) throw new ApiError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.')
  return d
}

export function stopServiceDeployment(
  deployments: Deployments,
  input: Json,
  now: number,
  ctx: LifecycleContext,
): Json {
  const d = findDeployment(deployments, input.serviceDeploymentArn)
  if (FINAL.has(d.status) || d.status.startsWith('ROLLBACK')) {
    throw new ApiError('ConflictException', `The service deployment is ${d.status}.`)
  }
  if (input.stopType === 'ABORT') {
    d.status = 'STOP_REQUESTED'
    d.reached.STOP_REQUESTED = now
    d.stageStartedAt = now
  } else {
    startRollback(d, 'Service deployment rolled back because of a StopServiceDeployment request.', now, ctx)
  }
  return { serviceDeploymentArn: d.arn }
}

export function continueServiceDeployment(
  deployments: Deployments,
  input: Json,
  now: number,
  ctx: LifecycleContext,
): Json {
  const d = findDeployment(deployments, input.serviceDeploymentArn)
  const hook = d.hooks.find((h) => h.hookId === input.hookId)
  if (d.status !== 'IN_PROGRESS' || hook?.status !== 'AWAITING_ACTION') {
    throw new ApiError('InvalidParameterException', 'The lifecycle hook is not awaiting action.')
  }
  hook.status = 'SUCCEEDED'
  if (input.action === 'ROLLBACK') {
    startRollback(
      d,
      'Service deployment rolled back because a lifecycle hook requested a rollback.',
      now,
      ctx,
    )
  } else if (!d.hooks.some((h) => h.status === 'AWAITING_ACTION')) {
    d.stageStartedAt = now
  }
  return { serviceDeploymentArn: d.arn }
}
