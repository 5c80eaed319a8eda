// The service-deployment model of the fake ECS: the lifecycle stages a deployment goes through
// and how it moves along them over time (PAUSE hooks with their timeouts, circuit-breaker
// rollbacks, deployments that hang). How ECS shows a deployment: ecs-deployment-views.ts.

export type Json = Record<string, unknown>

export type DeploymentBehaviour = 'succeed' | 'fail' | 'hang'

/** The stages of a BLUE_GREEN, CANARY or LINEAR deployment, in order. */
export const BLUE_GREEN_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
]
export const ROLLING_STAGES = ['RECONCILE_SERVICE', 'PRE_SCALE_UP', 'SCALE_UP', 'POST_SCALE_UP', 'CLEAN_UP']

/** One entry of DescribeServices' `deployments[]`, as ECS keeps it for a service. */
export interface RolloutEntry {
  id: string
  taskDefinition: string
  createdAt: number
}

export interface FakeService {
  serviceName: string
  serviceArn: string
  clusterArn: string
  cluster: string
  taskDefinition: string
  desiredCount: number
  launchType?: string
  capacityProviderStrategy?: Json[]
  networkConfiguration?: Json
  platformVersion?: string
  loadBalancers: Json[]
  /** Service Connect on the service's deployments (blue/green without a load balancer). */
  serviceConnect?: boolean
  deploymentConfiguration: Json
  events: { id: string; createdAt: number; message: string }[]
  tags: Json[]
  currentServiceDeployment?: string
  /** What this service's deployments do; the fake's `behaviour` when not set. */
  behaviour?: DeploymentBehaviour
  /** The deployments[] entry of the revision running before any deployment of the fake. */
  initialRollout: RolloutEntry
}

/** A PAUSE hook of a deployment, waiting (or done) at one stage. */
export interface FakeHook {
  hookId: string
  status: 'AWAITING_ACTION' | 'SUCCEEDED' | 'TIMED_OUT'
  stage: string
  expiresAt: number
  timeoutAction: 'CONTINUE' | 'ROLLBACK'
}

export interface FakeDeployment {
  arn: string
  service: FakeService
  source: string
  target: string
  strategy: string
  stages: string[]
  behaviour: DeploymentBehaviour
  /** The service's deployment configuration when the deployment started (ECS snapshots it). */
  configuration: Json
  createdAt: number
  status: string
  stageIndex: number
  stageStartedAt: number
  hooks: FakeHook[]
  statusReason?: string
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string }
  circuitBreaker?: { status: string; failureCount: number; threshold: number }
  finishedAt?: number
  /** deployments[] entries: this deployment's PRIMARY, the one it replaces, and a rollback's. */
  rollout: RolloutEntry
  replaces: RolloutEntry
  rollbackRollout?: RolloutEntry
  /** When each status was reached (by the fake's schedule), for latency measurements. */
  reached: Record<string, number>
  /** When a DescribeServiceDeployments answer first showed each status. */
  firstShown: Record<string, number>
  /** When a DescribeServices answer first showed the service steady (one deployment, COMPLETED). */
  firstShownSteady?: number
}

export const FINAL = new Set(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'])

/** What the lifecycle needs from the fake around it. */
export interface LifecycleContext {
  stageMs: number
  /** How long BAKE_TIME lasts for a deployment configured with `minutes`. */
  bakeMs: (minutes: number) => number
  event(service: FakeService, message: string, at: number): void
  /** Records `count` tasks of the deployment's new revision that failed (for the circuit breaker). */
  failTasks(d: FakeDeployment, count: number, startedAt: number, stoppedAt: number): void
  hookId(): string
  rolloutId(): string
}

export function startRollback(d: FakeDeployment, reason: string, at: number, ctx: LifecycleContext): void {
  d.status = 'ROLLBACK_IN_PROGRESS'
  d.reached.ROLLBACK_IN_PROGRESS = at
  d.rollback = { reason, startedAt: at / 1000, serviceRevisionArn: `${d.arn}-source-rev` }
  d.statusReason = reason
  d.stageStartedAt = at
  d.rollbackRollout = { id: ctx.rolloutId(), taskDefinition: d.source, createdAt: at }
  for (const hook of d.hooks) if (hook.status === 'AWAITING_ACTION') hook.status = 'SUCCEEDED'
}

function finish(d: FakeDeployment, status: string, at: number): void {
  d.status = status
  d.reached[status] = at
  d.finishedAt = at
}

function stageLength(d: FakeDeployment, stage: string | undefined, ctx: LifecycleContext): number {
  if (stage === 'BAKE_TIME') return ctx.bakeMs(Number(d.configuration.bakeTimeInMinutes ?? 0))
  return ctx.stageMs
}

/** PAUSE hooks configured at `stage` in the deployment's configuration snapshot. */
function pauseHooksAt(d: FakeDeployment, stage: string, at: number, ctx: LifecycleContext): FakeHook[] {
  const hooks = (d.configuration.lifecycleHooks as Json[] | undefined) ?? []
  return hooks
    .filter((h) => h.targetType === 'PAUSE' && ((h.lifecycleStages as string[]) ?? []).includes(stage))
    .map((h) => {
      const timeout = (h.timeoutConfiguration as Json | undefined) ?? {}
      return {
        hookId: ctx.hookId(),
        status: 'AWAITING_ACTION',
        stage,
        expiresAt: at + Number(timeout.timeoutInMinutes ?? 1440) * 60_000,
        timeoutAction: timeout.action === 'CONTINUE' ? 'CONTINUE' : 'ROLLBACK',
      }
    })
}

/** Moves a rollback along: it takes two stage lengths, then the service is on its source again. */
function advanceRollback(d: FakeDeployment, now: number, ctx: LifecycleContext): void {
  const at = d.stageStartedAt + 2 * ctx.stageMs
  if (now < at) return
  finish(d, 'ROLLBACK_SUCCESSFUL', at)
  d.service.taskDefinition = d.source
  ctx.event(d.service, `(service ${d.service.serviceName}) rolled back to ${d.source.split('/').pop()}.`, at)
}

/** A PAUSE hook nobody answered in time: ECS takes its timeout action. True when it moved on. */
function expireHooks(d: FakeDeployment, now: number, ctx: LifecycleContext): boolean {
  const expired = d.hooks.find((h) => h.status === 'AWAITING_ACTION' && now >= h.expiresAt)
  if (expired === undefined) return false
  expired.status = 'TIMED_OUT'
  if (expired.timeoutAction === 'ROLLBACK') {
    startRollback(
      d,
      'Service deployment rolled back because a lifecycle hook timed out.',
      expired.expiresAt,
      ctx,
    )
  } else if (!d.hooks.some((h) => h.status === 'AWAITING_ACTION')) {
    d.stageStartedAt = expired.expiresAt - ctx.stageMs
  }
  return true
}

function tripCircuitBreaker(d: FakeDeployment, due: number, ctx: LifecycleContext): void {
  d.circuitBreaker = { status: 'TRIGGERED', failureCount: 3, threshold: 3 }
  ctx.failTasks(d, 3, due - ctx.stageMs, due)
  ctx.event(
    d.service,
    `(service ${d.service.serviceName}) (deployment ${d.arn.split('/').pop()}) deployment failed: tasks failed to start.`,
    due,
  )
  startRollback(
    d,
    'Service deployment rolled back because the circuit breaker threshold was exceeded.',
    due,
    ctx,
  )
}

/** Enters the next stage at `due`, pausing there when PAUSE hooks are configured for it. */
function enterNextStage(d: FakeDeployment, due: number, ctx: LifecycleContext): void {
  if (d.status === 'PENDING') {
    d.status = 'IN_PROGRESS'
    d.reached.IN_PROGRESS = due
  }
  d.stageIndex += 1
  d.stageStartedAt = due
  const next = d.stages[d.stageIndex]
  if (next === undefined) {
    finish(d, 'SUCCESSFUL', due)
    ctx.event(d.service, `(service ${d.service.serviceName}) has reached a steady state.`, due)
    ctx.event(
      d.service,
      `(service ${d.service.serviceName}) (deployment ${d.arn.split('/').pop()}) deployment completed.`,
      due,
    )
    return
  }
  d.hooks.push(...pauseHooksAt(d, next, due, ctx))
}

/** Moves a deployment along its schedule up to `now`, each transition at its scheduled time. */
export function advanceDeployment(d: FakeDeployment, now: number, ctx: LifecycleContext): void {
  for (;;) {
    if (FINAL.has(d.status)) return
    if (d.status === 'ROLLBACK_IN_PROGRESS' || d.status === 'ROLLBACK_REQUESTED') {
      advanceRollback(d, now, ctx)
      return
    }
    const due = d.stageStartedAt + stageLength(d, d.stages[d.stageIndex], ctx)
    if (d.status === 'STOP_REQUESTED') {
      if (now >= due) finish(d, 'STOPPED', due)
      return
    }
    if (d.hooks.some((h) => h.status === 'AWAITING_ACTION')) {
      if (expireHooks(d, now, ctx)) continue
      return
    }
    if (now < due) return
    const stage = d.stages[d.stageIndex]
    if (stage === 'SCALE_UP' && d.behaviour === 'hang') return
    if (stage === 'SCALE_UP' && d.behaviour === 'fail') {
      tripCircuitBreaker(d, due, ctx)
      continue
    }
    enterNextStage(d, due, ctx)
  }
}
