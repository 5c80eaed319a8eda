import http from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  advanceDeployment,
  FINAL,
  type DeploymentBehaviour,
  type FakeDeployment,
  type FakeService,
  type Json,
  type LifecycleContext,
} from './ecs-deployments.js'
import {
  answer,
  failTasks,
  findService,
  MUTATING_OPERATIONS,
  SERVICE_DEPLOYMENT_OPERATIONS,
  type EcsState,
  type FakeTaskDefinition,
} from './ecs-operations.js'
import { blueGreenLoadBalancer, latestDeployment } from './ecs-services.js'
import type { FakeTask } from './ecs-tasks.js'
import { handleAwsJson, type Fault } from './ecs-wire.js'

const TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.'

export type { DeploymentBehaviour, FakeDeployment, FakeService } from './ecs-deployments.js'
export { blueGreenLoadBalancer, ROLLING_WORKER } from './ecs-services.js'
export type { Fault } from './ecs-wire.js'

/**
 * A local fake of the Amazon ECS API speaking its real wire protocol (awsJson1_1: POST /,
 * `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`, JSON bodies, timestamps as epoch
 * seconds, errors as `{"__type": ..., "message": ...}`), so the SDK in a built bundle reaches it
 * through AWS_ENDPOINT_URL_ECS without knowing it is a fake.
 *
 * It holds clusters, services (with their load balancers, tags and deployment configuration,
 * lifecycle hooks included: hooks are service configuration and stay there until an UpdateService
 * changes them) and task definitions, and moves service deployments through their lifecycle
 * stages as time passes (`stageMs` per stage): PAUSE hooks wait in AWAITING_ACTION for
 * ContinueServiceDeployment or their timeout, a failing deployment trips the circuit breaker and
 * rolls back, a hanging one never leaves SCALE_UP. RunTask tasks stop after `taskMs` with
 * `taskExitCode`. Throttling and 5xx answers are injected at a rate or for the next calls of an
 * operation; `serviceDeploymentApi: false` answers that API as moto does (an HTML 500 page).
 */

export interface FakeEcsOptions {
  /** How long each lifecycle stage lasts. */
  stageMs?: number
  /** How long BAKE_TIME lasts for a configured bake of `minutes` (default: one stage). */
  bakeMs?: (minutes: number) => number
  /** How long a RunTask task runs before it stops. */
  taskMs?: number
  taskExitCode?: number
  /** What new deployments do (a service's own `behaviour` wins). */
  behaviour?: DeploymentBehaviour
  /** Fraction of requests answered with ThrottlingException (400). */
  throttleRate?: number
  /** Fraction of requests answered with ServerException (500). */
  errorRate?: number
  /** Whether the ServiceDeployment API (List/Describe/Stop/ContinueServiceDeployment) exists. */
  serviceDeploymentApi?: boolean
  random?: () => number
  now?: () => number
  region?: string
  account?: string
}

export interface RecordedCall {
  operation: string
  input: Json
  at: number
  /** The injected error it got instead of an answer, if any. */
  injected?: string
}

export class FakeEcs implements EcsState {
  readonly calls: RecordedCall[] = []
  readonly services = new Map<string, FakeService>()
  readonly taskDefinitions = new Map<string, FakeTaskDefinition>()
  readonly deployments = new Map<string, FakeDeployment>()
  readonly tasks: FakeTask[] = []
  options: Required<Omit<FakeEcsOptions, 'random' | 'now' | 'bakeMs'>> & {
    random: () => number
    now: () => number
    bakeMs?: (minutes: number) => number
  }
  private readonly faults: { operation: string; fault: Fault; times: number }[] = []
  private server?: http.Server
  private counter = 0
  url = ''

  constructor(options: FakeEcsOptions = {}) {
    this.options = {
      stageMs: 100,
      taskMs: 200,
      taskExitCode: 0,
      behaviour: 'succeed',
      throttleRate: 0,
      errorRate: 0,
      serviceDeploymentApi: true,
      region: 'us-east-1',
      account: '123456789012',
      random: Math.random,
      now: Date.now,
      ...options,
    }
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.handle(req, res))
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this.url
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  /** The env a bundle needs to reach this fake through the SDK's standard endpoint override. */
  env(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_ECS: this.url,
      AWS_REGION: this.options.region,
      AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKE',
      AWS_SECRET_ACCESS_KEY: 'fake-secret',
      AWS_EC2_METADATA_DISABLED: 'true',
    }
  }

  operations(): string[] {
    return this.calls.filter((c) => c.injected === undefined).map((c) => c.operation)
  }

  mutatingCalls(): RecordedCall[] {
    return this.calls.filter((c) => MUTATING_OPERATIONS.has(c.operation))
  }

  /** Answers the next `times` calls of `operation` with `fault` instead of the real answer. */
  inject(operation: string, fault: Fault, times = 1): void {
    this.faults.push({ operation, fault, times })
  }

  now(): number {
    return this.options.now()
  }

  arn(kind: string, rest: string): string {
    return `arn:aws:ecs:${this.options.region}:${this.options.account}:${kind}/${rest}`
  }

  nextId(): number {
    return ++this.counter
  }

  /** Registers a task definition directly (a fixture), returning its ARN. */
  addTaskDefinition(definition: Json, tags: Json[] = []): string {
    const family = String(definition.family)
    const revision =
      [...this.taskDefinitions.values()].filter((t) => t.definition.family === family).length + 1
    const arn = this.arn('task-definition', `${family}:${revision}`)
    this.taskDefinitions.set(arn, {
      definition: {
        ...definition,
        taskDefinitionArn: arn,
        revision,
        status: 'ACTIVE',
        compatibilities: ['EC2', 'FARGATE'],
        requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
        registeredAt: this.now() / 1000,
        registeredBy: `arn:aws:iam::${this.options.account}:role/deployer`,
      },
      tags,
    })
    return arn
  }

  /**
   * Creates a service running the given task definition: by default a web service behind a load
   * balancer set up for blue/green and deployed BLUE_GREEN; pass ROLLING_WORKER's fields for a
   * worker without one.
   */
  addService(service: Partial<FakeService> & { serviceName: string; taskDefinition: string }): FakeService {
    const cluster = service.cluster ?? 'default'
    const full: FakeService = {
      cluster,
      clusterArn: this.arn('cluster', cluster),
      serviceArn: this.arn('service', `${cluster}/${service.serviceName}`),
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' },
      },
      loadBalancers: [blueGreenLoadBalancer(service.serviceName)],
      deploymentConfiguration: {
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        strategy: 'BLUE_GREEN',
      },
      events: [],
      tags: [],
      initialRollout: {
        id: `ecs-svc/${(++this.counter).toString().padStart(19, '0')}`,
        taskDefinition: service.taskDefinition,
        createdAt: this.now(),
      },
      ...service,
    }
    this.services.set(`${cluster}/${full.serviceName}`, full)
    this.event(full, `(service ${full.serviceName}) has reached a steady state.`)
    return full
  }

  /** The time the fake's schedule put a deployment into `status`, and when a Describe first showed it. */
  timing(arn: string, status: string): { reached?: number; shown?: number; shownSteady?: number } {
    const d = this.deployments.get(arn)
    return { reached: d?.reached[status], shown: d?.firstShown[status], shownSteady: d?.firstShownSteady }
  }

  /** The deployments of one service, oldest first. */
  deploymentsOf(serviceName: string, cluster = 'default'): FakeDeployment[] {
    const service = this.services.get(`${cluster}/${serviceName}`)
    return [...this.deployments.values()].filter((d) => d.service === service)
  }

  event(service: FakeService, message: string, at = this.now()): void {
    service.events.unshift({ id: `ev-${++this.counter}`, createdAt: at / 1000, message })
  }

  private takeFault(operation: string): Fault | undefined {
    const entry = this.faults.find((f) => f.operation === operation && f.times > 0)
    if (entry !== undefined) {
      entry.times -= 1
      return entry.fault
    }
    if (!this.options.serviceDeploymentApi && SERVICE_DEPLOYMENT_OPERATIONS.has(operation)) return 'html-500'
    if (this.options.throttleRate > 0 && this.options.random() < this.options.throttleRate) return 'throttle'
    if (this.options.errorRate > 0 && this.options.random() < this.options.errorRate) return 'server-error'
    return undefined
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    handleAwsJson(req, res, TARGET_PREFIX, {
      requestId: () => `req-${++this.counter}`,
      record: (operation, input) => {
        const call: RecordedCall = { operation, input, at: this.now() }
        this.calls.push(call)
        return call
      },
      fault: (operation) => this.takeFault(operation),
      answer: (operation, input) => {
        this.advanceAll(this.now())
        const out = answer(this, operation, input)
        this.noteShown(operation, out)
        return out
      },
    })
  }

  private noteShown(operation: string, out: Json): void {
    const now = this.now()
    if (operation === 'DescribeServiceDeployments') {
      for (const d of (out.serviceDeployments as Json[]) ?? []) {
        const deployment = this.deployments.get(String(d.serviceDeploymentArn))
        const status = String(d.status)
        if (deployment && deployment.firstShown[status] === undefined) deployment.firstShown[status] = now
      }
    }
    if (operation === 'DescribeServices') {
      for (const s of (out.services as Json[]) ?? []) {
        const service = findService(this, s.clusterArn, s.serviceName)
        const latest = latestDeployment(this.deployments.values(), service)
        const rollouts = (s.deployments as Json[]) ?? []
        const steady = rollouts.length === 1 && rollouts[0]?.rolloutState === 'COMPLETED'
        if (latest && steady && FINAL.has(latest.status) && latest.firstShownSteady === undefined) {
          latest.firstShownSteady = now
        }
      }
    }
  }

  lifecycle(): LifecycleContext {
    return {
      stageMs: this.options.stageMs,
      bakeMs: this.options.bakeMs ?? (() => this.options.stageMs),
      event: (service, message, at) => this.event(service, message, at),
      failTasks: (d, count, startedAt, stoppedAt) => failTasks(this, d, count, startedAt, stoppedAt),
      hookId: () => `ecs-pause-${(++this.counter).toString(36)}`,
      rolloutId: () => `ecs-svc/${(++this.counter).toString().padStart(19, '0')}`,
    }
  }

  private advanceAll(now: number): void {
    const ctx = this.lifecycle()
    for (const d of this.deployments.values()) advanceDeployment(d, now, ctx)
  }
}
