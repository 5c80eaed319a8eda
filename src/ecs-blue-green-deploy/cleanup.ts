import type { Service } from '@aws-sdk/client-ecs'
import { errorMessage } from '../lib/errors.js'
import type { DeployContext } from './context.js'
import type { EcsApi } from './ecs-api.js'
import { GATE_STAGE, GATE_TAG, withoutHook } from './gate-hook.js'
import { isFinal } from './deployment-state.js'
import type { Tracker } from './tracker.js'

async function removeHook(deps: DeployContext, cluster: string, t: Tracker, service: Service): Promise<void> {
  const ours = t.plan.hooks.ours
  if (ours === undefined) return
  const config = service.deploymentConfiguration ?? {}
  const hooks = config.lifecycleHooks ?? []
  const kept = withoutHook(hooks, ours)
  if (kept.length < hooks.length) {
    // Only the configuration changes, so ECS starts no deployment.
    await deps.ecs.updateService({
      cluster,
      service: t.plan.name,
      deploymentConfiguration: { ...config, lifecycleHooks: kept },
    })
    deps.io.info(`Removed the gate's PAUSE hook at ${GATE_STAGE} from '${t.plan.name}'`)
  }
  if (service.serviceArn !== undefined) await deps.ecs.untagResource(service.serviceArn, [GATE_TAG])
}

/**
 * After the deployments end, takes the gate's PAUSE hook off each service again, so the next
 * deployment (this action without a gate, the console, Terraform) does not pause there. A
 * service whose deployment still runs keeps it, and the next run of this action removes it.
 */
export async function removeGateHooks(
  deps: DeployContext,
  ecs: EcsApi,
  cluster: string,
  trackers: Tracker[],
): Promise<void> {
  const gated = trackers.filter((t) => t.plan.hooks.ours !== undefined)
  const running = gated.filter((t) => t.deployment === undefined || !isFinal(t.deployment))
  for (const t of running) {
    deps.io.warning(
      `The gate's PAUSE hook stays on '${t.plan.name}' while its deployment ${t.id} runs; the next run of this action removes it`,
    )
  }
  const ended = gated.filter((t) => !running.includes(t))
  if (ended.length === 0) return
  try {
    const services = await ecs.describeServices(
      cluster,
      ended.map((t) => t.plan.name),
    )
    await Promise.all(ended.map((t, i) => removeHook(deps, cluster, t, services[i] as Service)))
  } catch (error) {
    deps.io.warning(
      `Could not remove the gate's PAUSE hook (${errorMessage(error)}); the next run of this action removes it`,
    )
  }
}
