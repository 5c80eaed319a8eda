import type { Service } from '@aws-sdk/client-ecs'
import type { ActionIO } from '../lib/runner/io.js'
import { errorMessage, OperationError } from '../lib/errors.js'
import type { Clock } from '../lib/poll.js'
import type { EcsApi } from './ecs-api.js'
import { GATE_STAGE, GATE_TAG, gateTag } from './gate-hook.js'
import type { EcsDeployOptions } from './options.js'
import type { ServicePlan } from './plan.js'
import { primaryRolloutId } from './rollout-state.js'
import { updateServiceRequest } from './service-update.js'
import { taskDefinitionLabel } from './task-definition.js'
import { newTracker, type Tracker, type WatchMode } from './tracker.js'

export interface StartDeps {
  io: ActionIO
  ecs: EcsApi
  now: Clock
}

/** Marks the gate's hook on the service (see GATE_TAG); a service that cannot be tagged still deploys. */
async function markGateHook(deps: StartDeps, plan: ServicePlan): Promise<void> {
  const { ours } = plan.hooks
  if (ours === undefined || plan.before.serviceArn === undefined) return
  try {
    await deps.ecs.tagResource(plan.before.serviceArn, [gateTag(ours)])
  } catch (error) {
    deps.io.warning(
      `Could not tag service '${plan.name}' to mark the gate's PAUSE hook (${errorMessage(error)}); if this run dies before the deployment ends, remove the PAUSE hook at ${GATE_STAGE} from the service by hand`,
    )
  }
}

/** Drops the mark of a gate hook that this run removed (or that someone removed already). */
async function unmarkStaleHook(deps: StartDeps, plan: ServicePlan): Promise<void> {
  if (!plan.hooks.tagged || plan.hooks.ours !== undefined || plan.before.serviceArn === undefined) return
  await deps.ecs.untagResource(plan.before.serviceArn, [GATE_TAG]).catch((error: unknown) => {
    deps.io.warning(`Could not remove tag ${GATE_TAG} from service '${plan.name}': ${errorMessage(error)}`)
  })
}

/**
 * The deployment UpdateService started: `currentServiceDeployment`, else for a rolling one the
 * PRIMARY `deployments[]` entry (where the ServiceDeployment API is missing), else the newest
 * ListServiceDeployments shows.
 */
async function startedDeployment(
  deps: StartDeps,
  plan: ServicePlan,
  cluster: string,
  updated: Service,
  before: number,
): Promise<{ mode: WatchMode; id: string; rolloutId?: string }> {
  const rolloutId = primaryRolloutId(updated)
  if (updated.currentServiceDeployment !== undefined) {
    return { mode: 'service-deployment', id: updated.currentServiceDeployment, rolloutId }
  }
  if (plan.strategy === 'rolling' && rolloutId !== undefined)
    return { mode: 'rollout', id: rolloutId, rolloutId }
  const arn = await deps.ecs.latestServiceDeployment(cluster, plan.name, new Date(before - 60_000))
  if (arn === undefined) {
    throw new OperationError(
      `UpdateService succeeded but no service deployment of '${plan.name}' was found to watch`,
    )
  }
  return { mode: 'service-deployment', id: arn, rolloutId }
}

async function startOne(
  deps: StartDeps,
  options: EcsDeployOptions,
  plan: ServicePlan,
  taskDefinitionArn: string,
) {
  const before = deps.now()
  if (plan.hooks.stale !== undefined) {
    deps.io.info(
      `Removing the PAUSE hook at ${GATE_STAGE} that an earlier run of this action left on '${plan.name}'`,
    )
  }
  await markGateHook(deps, plan)
  const request = updateServiceRequest(plan.before, {
    cluster: options.cluster,
    service: plan.name,
    taskDefinitionArn,
    strategy: options.strategy,
    // A rolling deployment has no bake: `bake-time` is for the services that have one.
    bakeTimeMinutes: plan.strategy === 'rolling' ? undefined : options.bakeTimeMinutes,
    hooks: plan.hooks,
    forceNewDeployment: options.forceNewDeployment,
  })
  const updated = await deps.ecs.updateService(request)
  let started: Awaited<ReturnType<typeof startedDeployment>>
  try {
    await unmarkStaleHook(deps, plan)
    started = await startedDeployment(deps, plan, options.cluster, updated, before)
  } catch (error) {
    throw new UnwatchedDeployment(error)
  }
  deps.io.info(
    `Started ${plan.strategy} deployment ${started.id} of ${taskDefinitionLabel(taskDefinitionArn)} to '${plan.name}'`,
  )
  return newTracker(plan, taskDefinitionArn, started, deps.now())
}

/** UpdateService started a deployment, but finding it to watch failed. */
export class UnwatchedDeployment extends Error {
  constructor(readonly reason: unknown) {
    super(errorMessage(reason))
  }
}

export interface Started {
  trackers: Tracker[]
  /** Services whose UpdateService failed, or whose deployment could not be found to watch (`updated`). */
  failures: { plan: ServicePlan; error: unknown; updated: boolean }[]
}

/** UpdateService for every service at once; the deployments then run side by side. */
export async function startDeployments(
  deps: StartDeps,
  options: EcsDeployOptions,
  plans: ServicePlan[],
  taskDefinitionArns: string[],
): Promise<Started> {
  const settled = await Promise.allSettled(
    plans.map((plan, i) => startOne(deps, options, plan, taskDefinitionArns[i] as string)),
  )
  const started: Started = { trackers: [], failures: [] }
  settled.forEach((result, i) => {
    if (result.status === 'fulfilled') started.trackers.push(result.value)
    else {
      const updated = result.reason instanceof UnwatchedDeployment
      const error = updated ? (result.reason as UnwatchedDeployment).reason : result.reason
      started.failures.push({ plan: plans[i] as ServicePlan, error, updated })
    }
  })
  return started
}
