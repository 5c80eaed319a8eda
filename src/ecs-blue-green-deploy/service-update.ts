import type {
  DeploymentConfiguration,
  DeploymentLifecycleHook,
  Service,
  UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs'
import { OperationError } from '../lib/errors.js'
import { ECS_STRATEGY, type Strategy } from './inputs.js'

export const GATE_STAGE = 'POST_TEST_TRAFFIC_SHIFT'

export interface UpdatePlan {
  cluster: string
  service: string
  taskDefinitionArn: string
  strategy: Strategy
  bakeTimeMinutes: number
  /** Add a PAUSE hook at POST_TEST_TRAFFIC_SHIFT so the test gate can run. */
  gate: boolean
  /** How long ECS holds the pause before rolling back on its own if nobody answers (the action died). */
  gateTimeoutMinutes: number
  forceNewDeployment: boolean
}

function hasPauseAtGate(hooks: readonly DeploymentLifecycleHook[]): boolean {
  return hooks.some((h) => h.targetType === 'PAUSE' && (h.lifecycleStages ?? []).includes(GATE_STAGE))
}

/**
 * The deployment configuration to send: the service's own, with the strategy and bake time from
 * the inputs and, for a gated deployment, a PAUSE hook at POST_TEST_TRAFFIC_SHIFT added to the
 * hooks already there (an existing PAUSE hook at that stage is reused, not doubled). The hook's
 * timeout action is ROLLBACK: a runner that dies mid-gate must not leave production untested.
 */
export function deploymentConfiguration(
  current: DeploymentConfiguration | undefined,
  plan: UpdatePlan,
): DeploymentConfiguration {
  const config: DeploymentConfiguration = { ...(current ?? {}) }
  config.strategy = ECS_STRATEGY[plan.strategy]
  if (plan.strategy === 'rolling') delete config.bakeTimeInMinutes
  else config.bakeTimeInMinutes = plan.bakeTimeMinutes
  const hooks = [...(current?.lifecycleHooks ?? [])]
  if (plan.gate && !hasPauseAtGate(hooks)) {
    hooks.push({
      targetType: 'PAUSE',
      lifecycleStages: [GATE_STAGE],
      timeoutConfiguration: { timeoutInMinutes: plan.gateTimeoutMinutes, action: 'ROLLBACK' },
    })
  }
  if (hooks.length > 0) config.lifecycleHooks = hooks
  return config
}

/**
 * UpdateService with the new task definition and deployment configuration. Everything else of the
 * service (network, capacity, load balancers, desired count) is left out of the request, which
 * ECS reads as "keep as it is".
 */
export function updateServiceRequest(service: Service, plan: UpdatePlan): UpdateServiceCommandInput {
  return {
    cluster: plan.cluster,
    service: plan.service,
    taskDefinition: plan.taskDefinitionArn,
    deploymentConfiguration: deploymentConfiguration(service.deploymentConfiguration, plan),
    ...(plan.forceNewDeployment ? { forceNewDeployment: true } : {}),
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
