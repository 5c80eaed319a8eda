// The service-deployment model of the fake ECS: the lifecycle stages a deployment goes through,
// how it moves along them over time (PAUSE hooks, circuit-breaker rollbacks, deployments that
// hang), and the ServiceDeployment shape DescribeServiceDeployments answers with.

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
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
]
export const ROLLING_STAGES = ['RECONCILE_SERVICE', 'SCALE_UP', 'CLEAN_UP']

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
  deploymentConfiguration: Json
  events: { id: string; createdAt: number; message: string }[]
  currentServiceDeployment?: string
}

export interface FakeDeployment {
  arn: string
  service: FakeService
  source: string
  target: string
  strategy: string
  stages: string[]
  behaviour: DeploymentBehaviour
  pauseStages: Set<string>
  createdAt: number
  status: string
  stageIndex: number
  stageStartedAt: number
  hook?: { hookId: string; status: string; stage: string }
  statusReason?: string
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string }
  circuitBreaker?: { status: string; failureCount: number; threshold: number }
  finishedAt?: number
  /** When each status was reached (by the fake's schedule), for latency measurements. */
  reached: Record<string, number>
  /** When a DescribeServiceDeployments answer first showed each status. */
  firstShown: Record<string, number>
}

export interface FakeTask {
  taskArn: string
  cluster: string
  taskDefinitionArn: string
  startedAt: number
  stopAt: number
  exitCode: number
  containerName: string
  group?: string
  stoppedReason?: string
  serviceName?: string
  input?: Json
}

export const FINAL = new Set(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'])

/** What the lifecycle needs from the fake around it. */
export interface LifecycleContext {
  stageMs: number
  event(service: FakeService, message: string, at: number): void
  /** Records `count` tasks of the deployment's new revision that failed (for the circuit breaker). */
  failTasks(d: FakeDeployment, count: number, startedAt: number, stoppedAt: number): void
  hookId(): string
}

export function startRollback(d: FakeDeployment, reason: string, at: number): void {
  d.status = 'ROLLBACK_IN_PROGRESS'
  d.reached.ROLLBACK_IN_PROGRESS = at
  d.rollback = { reason, startedAt: at / 1000, serviceRevisionArn: `${d.arn}-source-rev` }
  d.statusReason = reason
}

/** Moves a deployment along its schedule up to `now`, each transition at its scheduled time. */
export function advanceDeployment(d: FakeDeployment, now: number, ctx: LifecycleContext): void {
  const { stageMs } = ctx
  for (;;) {
    if (FINAL.has(d.status)) return
    const due = d.stageStartedAt + stageMs
    if (now < due) return
    if (d.status === 'ROLLBACK_IN_PROGRESS' || d.status === 'ROLLBACK_REQUESTED') {
      if (now < d.stageStartedAt + 2 * stageMs) return
      const at = d.stageStartedAt + 2 * stageMs
      d.status = 'ROLLBACK_SUCCESSFUL'
      d.reached.ROLLBACK_SUCCESSFUL = at
      d.finishedAt = at
      d.service.taskDefinition = d.source
      ctx.event(
        d.service,
        `(service ${d.service.serviceName}) rolled back to ${d.source.split('/').pop()}.`,
        at,
      )
      return
    }
    if (d.status === 'STOP_REQUESTED') {
      d.status = 'STOPPED'
      d.reached.STOPPED = due
      d.finishedAt = due
      return
    }
    if (d.hook?.status === 'AWAITING_ACTION') return
    const stage = d.stages[d.stageIndex]
    if (stage === 'SCALE_UP' && d.behaviour === 'hang') return
    if (stage === 'SCALE_UP' && d.behaviour === 'fail') {
      d.circuitBreaker = { status: 'TRIGGERED', failureCount: 3, threshold: 3 }
      ctx.failTasks(d, 3, due - stageMs, due)
      ctx.event(
        d.service,
        `(service ${d.service.serviceName}) (deployment ${d.arn.split('/').pop()}) deployment failed: tasks failed to start.`,
        due,
      )
      startRollback(
        d,
        'Service deployment rolled back because the circuit breaker threshold was exceeded.',
        due,
      )
      d.stageStartedAt = due
      continue
    }
    if (d.status === 'PENDING') {
      d.status = 'IN_PROGRESS'
      d.reached.IN_PROGRESS = due
    }
    d.stageIndex += 1
    d.stageStartedAt = due
    const next = d.stages[d.stageIndex]
    if (next === undefined) {
      d.status = 'SUCCESSFUL'
      d.reached.SUCCESSFUL = due
      d.finishedAt = due
      ctx.event(d.service, `(service ${d.service.serviceName}) has reached a steady state.`, due)
      ctx.event(
        d.service,
        `(service ${d.service.serviceName}) (deployment ${d.arn.split('/').pop()}) deployment completed.`,
        due,
      )
      return
    }
    if (d.pauseStages.has(next)) {
      d.hook = {
        hookId: ctx.hookId(),
        status: 'AWAITING_ACTION',
        stage: next,
      }
    }
  }
}

export function deploymentView(d: FakeDeployment): Json {
  const desired = d.service.desiredCount
  const stage = d.stages[d.stageIndex]
  const scaled = d.stageIndex > d.stages.indexOf('SCALE_UP')
  const scaling = stage === 'SCALE_UP'
  const rolledBack = d.status.startsWith('ROLLBACK')
  return {
    serviceDeploymentArn: d.arn,
    serviceArn: d.service.serviceArn,
    clusterArn: d.service.clusterArn,
    createdAt: d.createdAt / 1000,
    ...(d.reached.IN_PROGRESS ? { startedAt: d.reached.IN_PROGRESS / 1000 } : {}),
    ...(d.finishedAt ? { finishedAt: d.finishedAt / 1000 } : {}),
    updatedAt: Date.now() / 1000,
    sourceServiceRevisions: [
      {
        arn: `${d.arn}-source-rev`,
        requestedTaskCount: desired,
        runningTaskCount: desired,
        pendingTaskCount: 0,
      },
    ],
    targetServiceRevision: {
      arn: `${d.arn}-rev`,
      requestedTaskCount: desired,
      runningTaskCount: rolledBack ? 0 : scaled || d.status === 'SUCCESSFUL' ? desired : 0,
      pendingTaskCount: scaling && !rolledBack ? desired : 0,
    },
    status: d.status,
    ...(d.statusReason ? { statusReason: d.statusReason } : {}),
    ...(stage && !FINAL.has(d.status) && !rolledBack ? { lifecycleStage: stage } : {}),
    ...(d.hook
      ? {
          lifecycleHookDetails: [
            {
              hookId: d.hook.hookId,
              targetType: 'PAUSE',
              status: d.hook.status,
              expiresAt: (Date.now() + 3_600_000) / 1000,
              timeoutAction: 'ROLLBACK',
            },
          ],
        }
      : {}),
    deploymentConfiguration: d.service.deploymentConfiguration,
    ...(d.rollback ? { rollback: d.rollback } : {}),
    deploymentCircuitBreaker: d.circuitBreaker ?? { status: 'MONITORING', failureCount: 0, threshold: 3 },
  }
}
