import type { RegisterTaskDefinitionCommandInput, Service } from '@aws-sdk/client-ecs'
import { ConfigurationError, OperationError } from '../lib/errors.js'
import type { EcsApi } from './ecs-api.js'
import { planHooks, type HookPlan } from './gate-hook.js'
import { checkContainers, checkImageContainers } from './container-checks.js'
import type { EcsDeployOptions } from './options.js'
import { checkPrerequisites, gatedServices } from './prerequisites.js'
import { checkDeploymentController, strategyOf } from './service-update.js'
import type { Strategy } from './strategy.js'
import {
  checkTaskDefinition,
  renderTaskDefinition,
  taskDefinitionLabel,
  type SourceTaskDefinition,
} from './task-definition.js'

/** Everything known about one service before anything changes: what will be registered and sent. */
export interface ServicePlan {
  /** The service as the user named it. */
  name: string
  /** The service as DescribeServices showed it before the run. */
  before: Service
  strategy: Strategy
  /** Whether the test gate pauses this service's deployment. */
  gate: boolean
  hooks: HookPlan
  source: SourceTaskDefinition
  /** The container `image` and `environment` went to (and the migration runs in). */
  container?: string
  request: RegisterTaskDefinitionCommandInput
  previousTaskDefinitionArn: string
}

/** A configuration problem of one of several services says which service it is about. */
function about<T>(name: string, several: boolean, check: () => T): T {
  try {
    return check()
  } catch (error) {
    if (!several || !(error instanceof ConfigurationError || error instanceof OperationError)) throw error
    const Kind = error instanceof ConfigurationError ? ConfigurationError : OperationError
    throw new Kind(`Service '${name}': ${error.message}`)
  }
}

async function sourceOf(
  ecs: EcsApi,
  options: EcsDeployOptions,
  name: string,
  service: Service,
): Promise<SourceTaskDefinition> {
  if (options.taskDefinition !== undefined) return options.taskDefinition
  if (service.taskDefinition === undefined) {
    throw new OperationError(
      `Service '${name}' has no task definition; pass one with '${options.inputName('task-definition')}'`,
    )
  }
  const { taskDefinition, tags } = await ecs.describeTaskDefinition(service.taskDefinition)
  const definition = taskDefinition as Record<string, unknown>
  checkTaskDefinition(
    definition,
    `The task definition ${taskDefinitionLabel(service.taskDefinition)} of service '${name}'`,
  )
  return { definition, tags }
}

/**
 * Reads the services and their task definitions and checks everything that can be checked before
 * a change: each service exists and uses the ECS deployment controller, its strategy's load
 * balancer set-up, the gate's test traffic stage, the containers `image`, `images` and
 * `environment` name, and no environment name that is also a secret. Makes no change.
 */
export async function planServices(ecs: EcsApi, options: EcsDeployOptions): Promise<ServicePlan[]> {
  const names = options.services
  const several = names.length > 1
  const services = await ecs.describeServices(options.cluster, names)
  services.forEach((service, i) => checkDeploymentController(service, names[i] as string))
  const strategies = services.map((s) => options.strategy ?? strategyOf(s))
  const gates = gatedServices(names, strategies, options.testChecks.length > 0, options.inputName)
  services.forEach((service, i) =>
    checkPrerequisites(
      names[i] as string,
      service,
      strategies[i] as Strategy,
      options.strategy !== undefined,
      gates[i] as boolean,
      options.inputName,
    ),
  )
  const sources = await Promise.all(services.map((s, i) => sourceOf(ecs, options, names[i] as string, s)))
  checkImageContainers(
    sources.map((s) => s.definition),
    options.images,
    options.inputName,
  )
  return services.map((before, i) => {
    const name = names[i] as string
    const source = sources[i] as SourceTaskDefinition
    const container = about(name, several, () => checkContainers(source.definition, options))
    const request = renderTaskDefinition(source, {
      container,
      image: options.image,
      images: options.images,
      environment: options.environment,
    })
    const gate = gates[i] as boolean
    return {
      name,
      before,
      strategy: strategies[i] as Strategy,
      gate,
      hooks: planHooks(
        before.deploymentConfiguration?.lifecycleHooks ?? [],
        before.tags ?? [],
        gate,
        options.timeoutMs,
      ),
      source,
      container,
      request,
      previousTaskDefinitionArn: before.taskDefinition ?? '',
    }
  })
}
