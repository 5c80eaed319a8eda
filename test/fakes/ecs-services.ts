// Service-level rules of the fake ECS: what UpdateService accepts (strategies, bake times,
// lifecycle hooks, the load balancer set-up blue/green needs), when it starts a deployment, and
// the Service shape DescribeServices and UpdateService answer with.
import { rolloutsView, settledRollout } from './ecs-deployment-views.js'
import {
  BLUE_GREEN_STAGES,
  FINAL,
  ROLLING_STAGES,
  type DeploymentBehaviour,
  type FakeDeployment,
  type FakeService,
  type Json,
} from './ecs-deployments.js'

/** A web service behind a load balancer set up for ECS blue/green (the fake's default service). */
export function blueGreenLoadBalancer(name: string): Json {
  const elb = 'arn:aws:elasticloadbalancing:us-east-1:123456789012'
  return {
    targetGroupArn: `${elb}:targetgroup/${name}-blue/1`,
    containerName: name,
    containerPort: 8000,
    advancedConfiguration: {
      alternateTargetGroupArn: `${elb}:targetgroup/${name}-green/2`,
      productionListenerRule: `${elb}:listener-rule/app/${name}/1/2/3`,
      testListenerRule: `${elb}:listener-rule/app/${name}/1/4/5`,
      roleArn: 'arn:aws:iam::123456789012:role/ecs-infrastructure',
    },
  }
}

/** A worker (e.g. Celery) with no load balancer, deployed ROLLING with the circuit breaker. */
export const ROLLING_WORKER: Partial<FakeService> = {
  loadBalancers: [],
  deploymentConfiguration: {
    maximumPercent: 200,
    minimumHealthyPercent: 100,
    deploymentCircuitBreaker: { enable: true, rollback: true },
    strategy: 'ROLLING',
  },
}

export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message)
  }
}

const STRATEGIES = new Set(['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'])
const HOOK_STAGES = new Set([
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
])
const ADVANCED_FIELDS = ['alternateTargetGroupArn', 'productionListenerRule', 'roleArn']

function invalid(message: string): ApiError {
  return new ApiError('InvalidParameterException', message)
}

/** Lifecycle hooks as ECS validates them (see DeploymentLifecycleHook in the SDK's model). */
function checkHooks(hooks: Json[]): void {
  for (const hook of hooks) {
    const stages = (hook.lifecycleStages as string[] | undefined) ?? []
    if (stages.length === 0 || stages.some((s) => !HOOK_STAGES.has(s)))
      throw invalid('Invalid lifecycle stages.')
    if (hook.targetType === 'PAUSE') {
      if (stages.some((s) => s === 'TEST_TRAFFIC_SHIFT' || s === 'PRODUCTION_TRAFFIC_SHIFT')) {
        throw invalid('PAUSE hooks are not supported at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT.')
      }
      const minutes = (hook.timeoutConfiguration as Json | undefined)?.timeoutInMinutes
      if (
        minutes !== undefined &&
        (!Number.isInteger(minutes) || Number(minutes) < 1 || Number(minutes) > 20160)
      ) {
        throw invalid('timeoutInMinutes must be between 1 and 20160.')
      }
    } else if (typeof hook.hookTargetArn !== 'string') {
      throw invalid('hookTargetArn is required for AWS_LAMBDA hooks.')
    }
  }
}

/** A deployment configuration UpdateService accepts, or the InvalidParameterException ECS answers. */
export function checkConfiguration(service: FakeService, config: Json): void {
  const strategy = String(config.strategy ?? 'ROLLING')
  if (!STRATEGIES.has(strategy)) throw invalid(`Invalid strategy ${strategy}.`)
  const bake = config.bakeTimeInMinutes
  if (bake !== undefined && (!Number.isInteger(bake) || Number(bake) < 0 || Number(bake) > 1440)) {
    throw invalid('bakeTimeInMinutes must be between 0 and 1440.')
  }
  checkHooks((config.lifecycleHooks as Json[] | undefined) ?? [])
  if (strategy === 'ROLLING') return
  if (service.loadBalancers.length === 0 && !service.serviceConnect) {
    throw invalid(`The ${strategy} deployment strategy requires a load balancer or Service Connect.`)
  }
  for (const lb of service.loadBalancers) {
    const advanced = (lb.advancedConfiguration as Json | undefined) ?? {}
    const missing = ADVANCED_FIELDS.filter((f) => typeof advanced[f] !== 'string')
    if (missing.length > 0) {
      throw invalid(
        `The ${strategy} deployment strategy requires advancedConfiguration with ${missing.join(', ')} for target group ${String(lb.targetGroupArn)}.`,
      )
    }
  }
}

/** The service's latest deployment (the one its deployments[] and currentServiceDeployment show). */
export function latestDeployment(
  deployments: Iterable<FakeDeployment>,
  service: FakeService,
): FakeDeployment | undefined {
  let latest: FakeDeployment | undefined
  for (const d of deployments)
    if (d.service === service && (!latest || d.createdAt >= latest.createdAt)) latest = d
  return latest
}

export interface ViewOptions {
  serviceDeploymentApi: boolean
  includeTags: boolean
}

export function serviceView(s: FakeService, latest: FakeDeployment | undefined, options: ViewOptions): Json {
  const rollouts = rolloutsView(s, latest)
  if (s.serviceConnect) {
    for (const r of rollouts) r.serviceConnectConfiguration = { enabled: true, namespace: 'local' }
  }
  return {
    serviceArn: s.serviceArn,
    serviceName: s.serviceName,
    clusterArn: s.clusterArn,
    status: 'ACTIVE',
    desiredCount: s.desiredCount,
    runningCount: s.desiredCount,
    pendingCount: 0,
    taskDefinition: s.taskDefinition,
    loadBalancers: s.loadBalancers,
    ...(s.launchType ? { launchType: s.launchType } : {}),
    ...(s.capacityProviderStrategy ? { capacityProviderStrategy: s.capacityProviderStrategy } : {}),
    ...(s.platformVersion ? { platformVersion: s.platformVersion } : {}),
    ...(s.networkConfiguration ? { networkConfiguration: s.networkConfiguration } : {}),
    deploymentConfiguration: s.deploymentConfiguration,
    deploymentController: { type: 'ECS' },
    deployments: rollouts,
    events: s.events.slice(0, 100),
    ...(options.includeTags ? { tags: s.tags } : {}),
    ...(s.currentServiceDeployment && options.serviceDeploymentApi
      ? { currentServiceDeployment: s.currentServiceDeployment }
      : {}),
  }
}

export interface StartContext {
  now: number
  arn: string
  rolloutId: string
  behaviour: DeploymentBehaviour
  event(service: FakeService, message: string, at: number): void
}

/**
 * UpdateService's effect on a service. A new deployment starts when the task definition changes
 * or with forceNewDeployment; a request that only changes the deployment configuration (such as
 * the lifecycle hooks) updates the service without one. A running deployment is superseded.
 */
export function updateService(
  service: FakeService,
  input: Json,
  target: string,
  deployments: Map<string, FakeDeployment>,
  ctx: StartContext,
): FakeDeployment | undefined {
  const config = (input.deploymentConfiguration as Json | undefined) ?? service.deploymentConfiguration
  checkConfiguration(service, config)
  service.deploymentConfiguration = config
  if (target === service.taskDefinition && input.forceNewDeployment !== true) return undefined
  const previous = latestDeployment(deployments.values(), service)
  for (const other of deployments.values()) {
    if (other.service === service && !FINAL.has(other.status)) {
      other.status = 'STOPPED'
      other.statusReason = 'Superseded by a newer deployment'
      other.reached.STOPPED = ctx.now
      other.finishedAt = ctx.now
    }
  }
  const strategy = String(config.strategy ?? 'ROLLING')
  const deployment: FakeDeployment = {
    arn: ctx.arn,
    service,
    source: service.taskDefinition,
    target,
    strategy,
    stages: strategy === 'ROLLING' ? ROLLING_STAGES : BLUE_GREEN_STAGES,
    behaviour: service.behaviour ?? ctx.behaviour,
    configuration: structuredClone(config),
    createdAt: ctx.now,
    status: 'PENDING',
    stageIndex: -1,
    stageStartedAt: ctx.now,
    hooks: [],
    rollout: { id: ctx.rolloutId, taskDefinition: target, createdAt: ctx.now },
    replaces: settledRollout(service, previous),
    reached: { PENDING: ctx.now },
    firstShown: {},
  }
  deployments.set(deployment.arn, deployment)
  service.taskDefinition = target
  service.currentServiceDeployment = deployment.arn
  ctx.event(service, `(service ${service.serviceName}) has started ${service.desiredCount} tasks.`, ctx.now)
  return deployment
}
