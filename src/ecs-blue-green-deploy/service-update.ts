import type {
  DeploymentConfiguration,
  DeploymentLifecycleHook,
  DeploymentStrategy,
  Service,
  UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs'
import { OperationError } from '../lib/errors.js'
import type { HookPlan } from './gate-hook.js'
import { ECS_STRATEGY, STRATEGIES, type Strategy } from './strategy.js'

export interface UpdatePlan {
  cluster: string
  service: string
  taskDefinitionArn: string
  /** Set when the `strategy` input asks for one; else the service keeps its own. */
  strategy?: Strategy
  /** Set when the `bake-time` input asks for one; else the service keeps its own. */
  bakeTimeMinutes?: number
  hooks: HookPlan
  forceNewDeployment: boolean
}

/** The action's name for an ECS strategy; a service without one deploys ROLLING. */
export function strategyOf(service: Service): Strategy {
  const ecs: DeploymentStrategy = service.deploymentConfiguration?.strategy ?? 'ROLLING'
  return STRATEGIES.find((s) => ECS_STRATEGY[s] === ecs) ?? 'rolling'
}

/**
 * The deployment configuration to send, or undefined when nothing in it changes (then the request
 * leaves it out and ECS keeps the service's own as it is). It is the service's own, with the
 * strategy and bake time the inputs ask for and the hooks of the hook plan; a service switched to
 * rolling loses its bake time.
 */
export function deploymentConfiguration(
  current: DeploymentConfiguration | undefined,
  plan: Pick<UpdatePlan, 'strategy' | 'bakeTimeMinutes' | 'hooks'>,
): DeploymentConfiguration | undefined {
  const strategyChanges =
    plan.strategy !== undefined && ECS_STRATEGY[plan.strategy] !== (current?.strategy ?? 'ROLLING')
  const bakeChanges =
    plan.bakeTimeMinutes !== undefined && plan.bakeTimeMinutes !== current?.bakeTimeInMinutes
  if (!strategyChanges && !bakeChanges && !plan.hooks.changed) return undefined
  const config: DeploymentConfiguration = { ...(current ?? {}) }
  if (plan.strategy !== undefined) config.strategy = ECS_STRATEGY[plan.strategy]
  if (plan.bakeTimeMinutes !== undefined) config.bakeTimeInMinutes = plan.bakeTimeMinutes
  if (strategyChanges && config.strategy === 'ROLLING') delete config.bakeTimeInMinutes
  // An empty list clears hooks; leaving the field out would keep the service's.
  config.lifecycleHooks = plan.hooks.hooks
  return config
}

/**
 * UpdateService with the new task definition and, when it changes, the deployment configuration.
 * Everything else of the service (network, capacity, load balancers, desired count) is left out of
 * the request, which ECS reads as "keep as it is".
 */
export function updateServiceRequest(service: Service, plan: UpdatePlan): UpdateServiceCommandInput {
  const config = deploymentConfiguration(service.deploymentConfiguration, plan)
  return {
    cluster: plan.cluster,
    service: plan.service,
    taskDefinition: plan.taskDefinitionArn,
    ...(config !== undefined ? { deploymentConfiguration: config } : {}),
    ...(plan.forceNewDeployment ? { forceNewDeployment: true } : {}),
  }
}

/**
 * Puts a service back on the revision it ran before this run, with the deployment configuration it
 * had (the user's hooks only): used for a service that finished deploying when another one failed,
 * and for a rolling deployment watched without the ServiceDeployment API.
 */
export function revertRequest(
  cluster: string,
  before: Service,
  userHooks: readonly DeploymentLifecycleHook[],
): UpdateServiceCommandInput {
  return {
    cluster,
    service: before.serviceArn ?? before.serviceName,
    taskDefinition: before.taskDefinition,
    deploymentConfiguration: { ...(before.deploymentConfiguration ?? {}), lifecycleHooks: [...userHooks] },
  }
}

/**
 * Native deployment strategies and the ServiceDeployment API need the ECS deployment controller;
 * a CODE_DEPLOY or EXTERNAL service is refused before anything is registered.
 */
export function checkDeploymentController(service: Service, name: string): void {
  const type = service.deploymentController?.type ?? 'ECS'
  if (type !== 'ECS') {
    throw new OperationError(
      `Service '${name}' uses the ${type} deployment controller; this action drives ECS-native deployments, which need deploymentController ECS (switch it with UpdateService, or deploy it with CodeDeploy)`,
    )
  }
}
